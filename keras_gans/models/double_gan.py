"""Double GAN: an adversarial autoencoder's latent GAN plus a VAE-GAN-style image GAN."""

import keras
from keras import ops

from keras_gans import losses
from keras_gans.components.priors import AdversarialPrior
from keras_gans.core.ema import checked_ema_momentum, ema_options
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.networks.autoencoder import build_feature_discriminator, build_latent_discriminator
from keras_gans.registry import register_model

DECODER_OBJECTIVES = ("vae_gan", "sum")


@register_model("double_gan")
class DoubleGAN(AdversarialPrior, AutoencodingModel):
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

    Double GAN is this project's model, not a paper's: its latent game is the AAE's, its
    image game and its losses (`keras_gans.losses`) are VAE-GAN's, and it shares their
    networks (`keras_gans.networks.autoencoder`). Where a default departs from those parents'
    papers, its entry below says so.

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) images or (D,) vectors.
        decoder_objective: "vae_gan" or "sum" (see above). Defaults to "vae_gan".
        prior: p(z), any of `keras_gans.components.priors.PRIORS` ("normal", "uniform", "mixture",
            "swiss_roll", "clusters"). Defaults to "clusters", 20 unit Gaussians whose
            centres lie far apart. The AAE paper: N(0, I) (or its 2-D shapes); well-separated
            clusters give the decoder no z between two of them to decode, where a unimodal
            N(0, I) made it blend two digits. `--set prior=normal` restores it.
        similarity_weight: float. gamma, the weight of L_recon in the decoder's "vae_gan"
            objective (unused by "sum"). Defaults to 1 (a weight on pixels: VAE-GAN's gamma
            weighs features, so the two are not comparable).
        latent_adversarial_weight: float. lambda, the weight of the encoder's latent GAN term
            against L_recon. Defaults to 3. The AAE: 1, in a regularisation step of its own;
            in one summed loss a weight-1 GAN term is drowned by the reconstruction's
            gradient and the codes stay off p(z). `--set latent_adversarial_weight=1`
            restores the weight (the separate step is the `aae` model).
        latent_hidden_units: tuple of int. Widths of the latent discriminator D_z (an MLP on
            codes). Defaults to (256, 256).
        latent_dim: int. Dimension of z. Defaults to 16.
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of every role. Defaults to
            6e-4. VAE-GAN's paper: RMSProp at 3e-4 (see `VAEGAN`). `--set learning_rate=3e-4`
            restores the rate (RMSProp: `compile(optimizers=...)`).
        decoder_batch_norm: bool. Batch norm in the default convolutional decoder. Defaults
            to False, as `VAEGAN` (its paper: a batch-normalised decoder).
            `--set decoder_batch_norm=true` restores it.
        decoder_ema: float. Momentum of the decoder's weight average (see `VAEGAN`).
            Defaults to 0 (off).
        latent_discriminator, discriminator: keras.Model or None. D_z: z -> logits; D: x ->
            [logits, features]. Defaults to `build_latent_discriminator` and
            `build_feature_discriminator` (`keras_gans.networks.autoencoder`).
        num_classes, reconstruction, hidden_units, base_filters, sampler, density_components,
            encoder, decoder, seed: see `AutoencodingModel`.

    Measurements behind these defaults: benchmarks/results/autoencoders.md.

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

    packing_refused = ("its image discriminator's features measure the likelihood of each "
                       "reconstruction (as in VAE-GAN), which needs one example's features, not a pack's.")

    optimizer_roles = {
        "encoder": ("encoder",),
        "latent_discriminator": ("latent_discriminator",),
        "decoder": ("decoder",),
        "discriminator": ("discriminator",),
    }
    metric_names = ("encoder_loss", "latent_discriminator_loss", "decoder_loss",
                    "discriminator_loss", "reconstruction_loss")

    def __init__(self, data_shape, decoder_objective="vae_gan", prior="clusters", similarity_weight=1.0,
                 latent_adversarial_weight=3.0, latent_hidden_units=(256, 256), latent_dim=16,
                 latent_discriminator=None, learning_rate=6e-4, decoder_batch_norm=False, decoder_ema=0.0,
                 discriminator=None, **kwargs):
        if decoder_objective not in DECODER_OBJECTIVES:
            raise ValueError(
                f"decoder_objective must be one of {DECODER_OBJECTIVES}, got {decoder_objective!r}."
            )
        self.decoder_objective = decoder_objective
        self.similarity_weight = float(similarity_weight)
        self.latent_adversarial_weight = float(latent_adversarial_weight)
        for name in ("similarity_weight", "latent_adversarial_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}.")
        self.latent_hidden_units = tuple(int(u) for u in latent_hidden_units)
        self.decoder_batch_norm = bool(decoder_batch_norm)
        self.decoder_ema = checked_ema_momentum(decoder_ema, "decoder_ema")
        self.set_prior(prior, latent_dim)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, learning_rate=learning_rate, **kwargs)
        # Networks are assigned in the order their weights are listed and saved.
        self.discriminator = discriminator or build_feature_discriminator(
            self.data_shape, self.base_filters, self.hidden_units)
        self.latent_discriminator = latent_discriminator or build_latent_discriminator(
            self.latent_dim, self.latent_hidden_units)
        self.finish_init()

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5,
                                            **ema_options(self.decoder_ema if role == "decoder" else 0))
                for role in self.optimizer_roles}

    # ------------------------------------------------------------------ objectives
    @staticmethod
    def latent_discriminator_loss(prior_logits, code_logits):
        """-L_GAN^z: REAL = prior draws z_p, FAKE = encoder codes E(x)."""
        return losses.minimax_discriminator_loss(real_logits=prior_logits, fake_logits=code_logits)

    @staticmethod
    def encoder_adversarial_loss(code_logits):
        """The encoder's part of L_GAN^z, non-saturating: -log D_z(E(x))."""
        return losses.non_saturating_generator_loss(code_logits)

    @staticmethod
    def discriminator_loss(real_logits, reconstruction_logits, prior_logits):
        """-L_GAN^x = -log D(x) - log(1 - D(G(E(x)))) - log(1 - D(G(z_p))), from logits."""
        return losses.minimax_discriminator_loss_two_fakes(real_logits, reconstruction_logits, prior_logits)

    def decoder_loss(self, reconstruction_loss, reconstruction_logits, prior_logits):
        """"vae_gan": gamma L_recon - log D(x_tilde) - log D(x_p); "sum": L_recon
        + log(1 - D(x_tilde)) + log(1 - D(x_p)); from logits."""
        if self.decoder_objective == "sum":
            return reconstruction_loss + losses.minimax_generator_loss_two_fakes(
                reconstruction_logits, prior_logits)
        return (self.similarity_weight * reconstruction_loss
                + losses.non_saturating_generator_loss_two_fakes(reconstruction_logits, prior_logits))

    def objectives(self, x, y=None):
        """({role: loss}, {metric: value}) of the four players on one batch, one forward pass."""
        z = self.posterior(x, y, training=True)[0]  # deterministic encoder: z = E(x)
        z_p = self.sample_prior(ops.shape(x)[0])
        a_tilde, a_p = self.decode_pair(z, z_p, y)
        (real, tilde, prior), _ = self.judge_each(
            self.discriminator, x, self.activate(a_tilde), self.activate(a_p))
        # The auxiliary GAN: prior draws are real, encoder codes are fake.
        latent_logits = ops.cast(
            self.latent_discriminator(ops.concatenate([z_p, z], axis=0), training=True), "float32")
        prior_code_logits, code_logits = ops.split(latent_logits, 2, axis=0)
        reconstruction_loss = self.reconstruction_term(x, a_tilde)
        role_losses = {
            "encoder": (reconstruction_loss
                        + self.latent_adversarial_weight * self.encoder_adversarial_loss(code_logits)),
            "latent_discriminator": self.latent_discriminator_loss(prior_code_logits, code_logits),
            "decoder": self.decoder_loss(reconstruction_loss, tilde, prior),
            "discriminator": self.discriminator_loss(real, tilde, prior),
        }
        return role_losses, {**{f"{role}_loss": loss for role, loss in role_losses.items()},
                             "reconstruction_loss": reconstruction_loss}
