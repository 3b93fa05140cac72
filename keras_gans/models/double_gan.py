"""Double GAN: an adversarial autoencoder's latent GAN plus a VAE-GAN-style image GAN."""

from keras import ops

from keras_gans import losses, networks
from keras_gans.components.priors import AdversarialPrior
from keras_gans.models.vae_gan import VAEGAN
from keras_gans.registry import register_model

DECODER_OBJECTIVES = ("vae_gan", "sum")


@register_model("double_gan")
class DoubleGAN(AdversarialPrior, VAEGAN):
    """Double GAN: an autoencoder with a GAN on its codes and a GAN on its images.

    A deterministic encoder E (AAE-style) gives codes z = E(x); the decoder G gives
    reconstructions x_tilde = G(E(x)) and samples x_p = G(z_p), z_p ~ p(z).
    Two games replace the VAE's KL term and sharpen the images:
        auxiliary (latent) GAN, discriminator D_z on codes:
            REAL = prior draws z_p ~ p(z),  FAKE = encoder codes E(x)
            L_GAN^z   = log D_z(z_p) + log(1 - D_z(E(x)))
        main (image) GAN, discriminator D on images, judging three inputs as in VAE-GAN:
            REAL = x,  FAKE = reconstructions G(E(x)) and prior samples G(z_p)
            L_GAN^x   = log D(x) + log(1 - D(G(E(x)))) + log(1 - D(G(z_p)))
        L_recon   = -log p(x | z = E(x)): Bernoulli NLL of the pixels (or summed squared error)
    Four optimizers, one forward pass, each role descending its own loss:
        encoder               L_recon - lambda log D_z(E(x))      (non-saturating L_GAN^z)
        latent_discriminator  -L_GAN^z
        decoder               "vae_gan": gamma L_recon - log D(x_tilde) - log D(x_p)
                              "sum":     L_recon + log(1 - D(x_tilde)) + log(1 - D(x_p))
        discriminator         -L_GAN^x
    "sum" is the plain min-max sum (the decoder descends L_recon + L_GAN^x as written);
    "vae_gan" weighs the reconstruction by gamma and uses the non-saturating GAN term, as
    `VAEGAN` does. The encoder is deterministic, as in the adversarial autoencoder: the
    latent GAN alone shapes the aggregate posterior toward p(z), and no log-variance exists
    to explode. Because only the latent discriminator sees p(z), p(z) can be any prior the
    AAE offers; the default is 20 well-separated Gaussians ("clusters", see `prior`).
    Every GAN term is a softplus of logits (never log of sigmoid probabilities),
    so a confident discriminator gives a zero loss, not log(0); `keras-gans train` stops on
    any non-finite log (callbacks.StopOnNonFinite).

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) images or (D,) vectors.
        decoder_objective: "vae_gan" or "sum" (see above). Defaults to "vae_gan".
        prior: p(z), any of `keras_gans.components.priors.PRIORS` ("normal", "mixture",
            "swiss_roll", "clusters"). "clusters", 20 unit Gaussians whose centres lie far
            apart, gives the decoder no z between two clusters to decode, where a unimodal
            N(0, I) made it blend two digits. On MNIST (30 epochs, seeds 0/1/2) prior samples
            were recognised 71.1/73.0/73.2% of the time against 66.4/69.9/66.4% with
            "normal", sample FID 88/98/83 against 105/98/99, held-out reconstructions as
            accurate (0.94). Defaults to "clusters".
        similarity_weight: float. gamma, the weight of L_recon in the decoder's "vae_gan"
            objective (unused by "sum"). Defaults to 1.
        latent_adversarial_weight: float. lambda, the weight of the encoder's latent GAN term
            against L_recon. The AAE takes its regularisation step separately, so its
            adversarial gradient is not drowned by the reconstruction's; in one summed loss a
            Bernoulli L_recon of ~100 nats against a GAN term of ~1 left the codes off p(z).
            On MNIST (30 epochs, lr 6e-4) lambda = 3 and 6 gave the same samples (0.69 recognised;
            code/prior MMD^2 0.13 and 0.09); lambda = 10 slowed the reconstructions early.
            Defaults to 3.
        latent_hidden_units: tuple of int. Widths of the latent discriminator D_z (an MLP on
            codes). Defaults to (256, 256).
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of every role. Defaults to 6e-4.
        latent_dim: int. Dimension of z. Defaults to 16.
        decoder_ema: float. Momentum of the decoder's weight average (see `VAEGAN`); on
            MNIST (30 epochs) 0.995 took prior samples from 0.664 to 0.685 recognised, same
            reconstruction accuracy, but ruins short runs. Defaults to 0 (off).
        latent_discriminator, discriminator: keras.Model or None. D_z: z -> logits; D: x ->
            [logits, features] (as `VAEGAN`'s). Default networks when None.
        num_classes, reconstruction, hidden_units, base_filters, encoder, decoder, seed:
            see `AutoencodingModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> model = keras_gans.models.DoubleGAN(data_shape=data.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> digits = model.sample(16, seed=0)

    References: Makhzani et al. 2016, "Adversarial Autoencoders", arXiv:1511.05644 (the
    latent GAN); Larsen et al. 2016, "Autoencoding beyond pixels using a learned similarity
    metric", arXiv:1512.09300 (the three-input image GAN).
    """

    variational = False
    optimizer_roles = {
        "encoder": ("encoder",),
        "latent_discriminator": ("latent_discriminator",),
        "decoder": ("decoder",),
        "discriminator": ("discriminator",),
    }
    metric_names = ("encoder_loss", "latent_discriminator_loss", "decoder_loss",
                    "discriminator_loss", "reconstruction_loss")
    #: no KL term: the latent GAN replaces it
    derived_arguments = ("kl_weight",)

    def __init__(self, data_shape, decoder_objective="vae_gan", prior="clusters", similarity_weight=1.0,
                 latent_adversarial_weight=3.0, latent_hidden_units=(256, 256), latent_dim=16,
                 latent_discriminator=None, **kwargs):
        if decoder_objective not in DECODER_OBJECTIVES:
            raise ValueError(
                f"decoder_objective must be one of {DECODER_OBJECTIVES}, got {decoder_objective!r}."
            )
        self.decoder_objective = decoder_objective
        self.latent_adversarial_weight = float(latent_adversarial_weight)
        if self.latent_adversarial_weight < 0:
            raise ValueError(f"latent_adversarial_weight must be >= 0, got {latent_adversarial_weight}.")
        self.latent_hidden_units = tuple(int(u) for u in latent_hidden_units)
        # Built after Dis (build_extra_networks), so a reloaded model lists its weights in
        # the same order; a closure, because a network stored now would be tracked first.
        self._latent_discriminator_factory = lambda: latent_discriminator or networks.build_mlp_discriminator(
            (self.latent_dim,), self.latent_hidden_units, name="latent_discriminator")
        super().__init__(data_shape=data_shape, similarity_weight=similarity_weight,
                         latent_dim=latent_dim, **kwargs)
        self.set_prior(prior, self.latent_dim)

    def build_extra_networks(self):
        self.latent_discriminator = self._latent_discriminator_factory()

    # ------------------------------------------------------------------ objectives
    @staticmethod
    def latent_discriminator_loss(prior_logits, code_logits):
        """-L_GAN^z: REAL = prior draws z_p, FAKE = encoder codes E(x)."""
        return losses.minimax_discriminator_loss(real_logits=prior_logits, fake_logits=code_logits)

    @staticmethod
    def encoder_adversarial_loss(code_logits):
        """The encoder's part of L_GAN^z, non-saturating: -log D_z(E(x))."""
        return losses.non_saturating_generator_loss(code_logits)

    def objectives(self, x, y=None):
        """({role: loss}, {metric: value}) of the four players on one batch, one forward pass."""
        f = self.forward(x, y)
        real, tilde, prior = f["logits"]
        # The auxiliary GAN: prior draws are real, encoder codes are fake.
        latent_logits = ops.cast(
            self.latent_discriminator(ops.concatenate([f["z_p"], f["z"]], axis=0), training=True),
            "float32")
        prior_code_logits, code_logits = ops.split(latent_logits, 2, axis=0)
        reconstruction_loss = self.reconstruction_term(x, f["a_tilde"])
        if self.decoder_objective == "sum":
            decoder_loss = reconstruction_loss + self.decoder_adversarial_loss(tilde, prior, saturating=True)
        else:
            decoder_loss = (self.similarity_weight * reconstruction_loss
                            + self.decoder_adversarial_loss(tilde, prior))
        role_losses = {
            "encoder": (reconstruction_loss
                        + self.latent_adversarial_weight * self.encoder_adversarial_loss(code_logits)),
            "latent_discriminator": self.latent_discriminator_loss(prior_code_logits, code_logits),
            "decoder": decoder_loss,
            "discriminator": self.discriminator_loss(real, tilde, prior),
        }
        return role_losses, {**self.role_terms(role_losses), "reconstruction_loss": reconstruction_loss}
