"""AAE: the adversarial autoencoder."""

import keras
import tensorflow as tf

from keras_gans import losses
from keras_gans.components import priors
from keras_gans.components.packing import PackedInputs
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.networks.autoencoder import build_latent_discriminator
from keras_gans.registry import register_model


@register_model("aae")
class AAE(PackedInputs, priors.AdversarialPrior, AutoencodingModel):
    """Adversarial autoencoder (Makhzani et al. 2015): a GAN on the codes matches q(z) to p(z).

    Each step has the paper's two phases (section 2, "Training procedure"):
    1. reconstruction: encoder E and decoder Dec minimise -log p(x | z = E(x)) (Bernoulli
       negative log-likelihood of the pixels, or the summed squared error);
    2. regularisation: the latent discriminator D_z first learns to tell samples of the
       prior from codes,
           max over D_z of  E_{z ~ p(z)}[log D_z(z)] + E_x[log(1 - D_z(E(x)))],
       REAL = prior samples z ~ p(z), FAKE = codes E(x) -- the codes are the "generated"
       data; then the encoder, the generator of this GAN, learns to make its codes pass for
       prior samples: min over E of -E_x[log D_z(E(x))] (non-saturating, from logits).
    Three optimizer roles: "autoencoder" (E and Dec, phase 1), "discriminator" (D_z) and
    "generator" (E again, phase 2, with its own optimizer as in the paper).
    With the aggregated posterior q(z) = E_x[q(z|x)] matched to p(z), decoding z ~ p(z) gives
    data. The encoder is deterministic (the paper's first option). The supervised variant
    (num_classes set, section 5) feeds the one-hot label to the decoder, so the code holds the
    style and the label the content: decode(z, labels=c) draws digit c in style z.

    Networks: the paper's MNIST model has MLPs of two 1,000-unit layers; the defaults here
    are the library's DCGAN-rule convolutional encoder and decoder (no batch norm in the
    encoder, so the codes the adversary matched in training are the codes `encode` gives),
    and a smaller D_z. The paper trains both phases with SGD with momentum; here each phase
    has its own Adam (beta_1 = 0.5), which needs no per-experiment step-size schedule
    (`compile(optimizers=...)` takes any other).

    Args:
        prior: "normal" (N(0, I)), "mixture" (10 Gaussians in a wheel), "swiss_roll" (both
            shapes in the first two coordinates) or "clusters" (20 well-separated unit
            Gaussians in all coordinates); see `keras_gans.components.priors`.
            Defaults to "normal".
        discriminator_units: tuple of int. Hidden widths of the latent discriminator D_z.
            Defaults to (512, 512). Paper (MNIST): two layers of 1,000 units; half the width
            fits a CPU budget. `--set discriminator_units=(1000,1000)` restores it.
        latent_discriminator: keras.Model or None. D_z: z -> one logit.
        packing: int. PacGAN's m for D_z (Lin et al. 2018, arXiv:1712.04086): D_z judges packs
            of m codes, all prior samples or all encoder codes, side by side (input width
            m * latent_dim); a minibatch of B examples makes B / m packs. Defaults to 1 (off).
        learning_rate: float. Adam (beta_1 = 0.5) learning rate of the reconstruction phase.
            Defaults to 1e-3.
        regularization_learning_rate: float. Adam (beta_1 = 0.5) learning rate of D_z and of
            the encoder's regularisation phase. Defaults to 5e-4: a slower code GAN loses to
            the reconstruction and the codes spread beyond the prior. A 2-D code needs
            learning_rate = 5e-4 as well.
        data_shape, latent_dim, num_classes, reconstruction, hidden_units, base_filters,
            sampler, density_components, encoder, decoder, seed: see `AutoencodingModel`.

    Measurements behind these defaults: benchmarks/results/autoencoders.md.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> aae = keras_gans.models.AAE(data_shape=data.data_shape, latent_dim=2, prior="mixture")
        >>> aae.compile()
        >>> aae.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> codes = aae.encode(data.x[:500])    # distributed like aae.prior_distribution

    Reference: Makhzani, Shlens, Jaitly, Goodfellow & Frey 2015, "Adversarial Autoencoders",
    arXiv:1511.05644.
    """

    optimizer_roles = {
        "autoencoder": ("encoder", "decoder"),
        "discriminator": ("latent_discriminator",),
        "generator": ("encoder",),
    }
    # The paper's two phases have their own optimizers: sharing one Adam between the
    # reconstruction gradient (hundreds of nats) and the code GAN's (about one) lets the former
    # set the step-size normaliser and silences the regularisation.
    roles_sharing_networks = (("autoencoder", "generator"),)
    # Codes must follow p(z) as the encoder computes them at inference: with batch norm the
    # adversary matched the training-mode codes while the inference-mode codes drifted;
    # without it they agree.
    encoder_batch_norm = False
    metric_names = ("reconstruction_loss", "discriminator_loss", "generator_loss")

    def __init__(
        self,
        data_shape,
        prior="normal",
        latent_dim=16,
        discriminator_units=(512, 512),
        learning_rate=1e-3,
        regularization_learning_rate=5e-4,
        latent_discriminator=None,
        packing=1,
        **kwargs,
    ):
        self.set_prior(prior, latent_dim)
        self.set_packing(packing)
        self.discriminator_units = tuple(int(u) for u in discriminator_units)
        self.regularization_learning_rate = float(regularization_learning_rate)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, learning_rate=learning_rate, **kwargs)
        self.latent_discriminator = latent_discriminator or build_latent_discriminator(
            self.latent_dim * self.packing, self.discriminator_units)
        taken = getattr(self.latent_discriminator, "inputs", None)
        if taken and tuple(taken[0].shape[1:]) != (self.latent_dim * self.packing,):
            raise ValueError(
                f"AAE's latent discriminator must take codes of width {self.latent_dim * self.packing} "
                f"(latent_dim {self.latent_dim} x packing {self.packing}); the one passed takes "
                f"{tuple(taken[0].shape[1:])}. Build it with build_latent_discriminator(latent_dim * packing).")
        self.finish_init()

    def default_optimizers(self):
        return {
            "autoencoder": keras.optimizers.Adam(self.learning_rate, beta_1=0.5),
            "discriminator": keras.optimizers.Adam(self.regularization_learning_rate, beta_1=0.5),
            "generator": keras.optimizers.Adam(self.regularization_learning_rate, beta_1=0.5),
        }

    # ------------------------------------------------------------------ objectives
    def discriminator_objective(self, x):
        """-[log D_z(z) + log(1 - D_z(E(x)))]: real = prior samples, fake = codes."""
        z_prior = self.sample_prior(tf.shape(x)[0])
        codes = self.posterior(x, training=True)[0]
        return losses.minimax_discriminator_loss(
            self.latent_discriminator(self.pack_examples(z_prior), training=True),
            self.latent_discriminator(self.pack_examples(codes), training=True),
        )

    def encoder_adversarial_objective(self, x):
        """-log D_z(E(x)): the encoder makes its codes pass for prior samples."""
        codes = self.posterior(x, training=True)[0]
        return losses.non_saturating_generator_loss(
            self.latent_discriminator(self.pack_examples(codes), training=True))

    def train_step(self, data):
        self.begin_step()
        x, labels = self.split_batch(data)
        y = self.label_codes(labels)
        # Phase 1, reconstruction: encoder and decoder.
        reconstruction_loss, _ = self.minimize("autoencoder", lambda: self.autoencoder_objective(x, y))
        # Phase 2, regularisation: D_z, then the encoder as the generator of the code GAN.
        discriminator_loss = self.minimize("discriminator", lambda: self.discriminator_objective(x))
        generator_loss = self.minimize("generator", lambda: self.encoder_adversarial_objective(x))
        return self.end_step(
            reconstruction_loss=reconstruction_loss, discriminator_loss=discriminator_loss,
            generator_loss=generator_loss,
        )
