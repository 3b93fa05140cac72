"""UnifiedAEGAN: one network is both the encoder and the discriminator, plus a decoder."""

import keras
from keras import ops

from keras_gans import losses, networks
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.core.replicas import cross_replica_sum, num_replicas_and_id
from keras_gans.components.gradient_surgery import (
    GRADIENT_COMBINATIONS, combine_gradients, flat_dot, gradient_cosine,
)
from keras_gans.registry import register_model

#: layer names of the two heads; every other variable of the shared network is its trunk
CODE_HEAD, LOGIT_HEAD = networks.ENCODER_DISCRIMINATOR_HEADS


@register_model("unified_ae_gan")
class UnifiedAEGAN(AutoencodingModel):
    """Autoencoder-GAN whose encoder and discriminator are one two-headed network.

    The shared network S has a trunk h(x) and two heads: a code head giving the Gaussian
    posterior q(z|x) = N(mu(h(x)), diag sigma^2(h(x))) and a logit head l(x) = D's logit.
    A decoder Dec maps z to images. Per step, with z ~ q(z|x) reparameterised, x_rec =
    Dec(z), z_p ~ p(z) = N(0, I) and x_p = Dec(z_p):

        encoder role (S):       L_E   = -log p(x | z) + beta KL(q(z|x) || p(z))
        discriminator role (S): L_D   = gamma (-log sigmoid(l(x)) - log(1 - sigmoid(l(x_p))))
        decoder:                L_Dec = -log p(x | z) + alpha (-log sigmoid(l(x_p)))

    S is updated along g_E + g_D ("sum") or PCGrad's g_E' + g_D' ("project"), where
    g_E = grad_S L_E and g_D = grad_S L_D; PCGrad acts on the trunk (the heads each get
    one role's gradient only), projecting BOTH gradients symmetrically, each against the
    other's original: g_E' = g_E - min(0, <g_E, g_D>) / ||g_D||^2 g_D and likewise g_D'.
    The step logs cos(g_E, g_D) on the trunk ("gradient_cosine"), whether it is negative
    ("gradient_conflict": its epoch mean is the fraction of conflicting steps) and
    ||g_D|| / ||g_E|| ("gradient_norm_ratio"), on the global batch's gradients. The
    combination is the `combine` hook of `minimize_each` (`combine_role_gradients`).

    Do the roles fight? On MNIST the cosine is small and often negative, and PCGrad
    ("project") neither changes that picture nor the reconstructions: it is offered, not
    needed, here (benchmarks/results/autoencoders.md).

    Why the KL term: the decoder's GAN term trains it on z ~ p(z), so the codes must be
    distributed like p(z) for reconstructions and samples to come from one decoder; the
    VAE's KL does that with no extra network (an AAE's code discriminator would be a third
    player) and keeps the encoder's objective a likelihood bound.

    This is the project's own model, built from the papers below. Where its defaults depart
    from them: the shared network has no batch norm (VAE-GAN's encoder and discriminator
    have it), because its moving statistics (used by `encode`/`reconstruct`) would be
    averaged over real AND generated batches, since the same layers see both (pass an
    `encoder` with batch norm to restore it); and Adam replaces VAE-GAN's RMSProp (see
    `learning_rate`).

    Args:
        data_shape: tuple. (H, W, C) images.
        latent_dim: int. Dimension of z. Defaults to 16.
        kl_weight: float. beta, weight of the KL term in L_E. Defaults to 1.
        discriminator_weight: float. gamma, weight of the discriminator role's loss on the
            shared weights. Defaults to 1.
        adversarial_weight: float. alpha, weight of the decoder's non-saturating GAN term.
            Defaults to 1.
        gradient_combination: "sum" or "project" (PCGrad). Defaults to "sum".
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of both roles. Defaults to
            5e-4. VAE-GAN's paper: RMSProp at 3e-4; Adam is the library's GAN-family
            optimizer. `--set learning_rate=3e-4` restores the rate (RMSProp:
            `compile(optimizers=...)`).
        encoder: keras.Model or None. The shared network S: x -> [2 * latent_dim code
            outputs (mean, log-variance), 1 logit]; its heads are the layers named "code"
            and "logits" (without them the cosine is over all of S and PCGrad acts on all of
            S). Defaults to `networks.build_conv_encoder_discriminator`.
        base_filters, decoder, seed, reconstruction, hidden_units: see `AutoencodingModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> model = keras_gans.models.UnifiedAEGAN(data_shape=data.data_shape,
        ...                                        gradient_combination="project")
        >>> model.compile()
        >>> history = model.fit(keras_gans.data.make_pipeline(data, 64), epochs=5)
        >>> history.history["gradient_cosine"], model.reconstruct(data.x[:8]).shape

    References: Larsen et al. 2016, "Autoencoding beyond pixels using a learned similarity
    metric", arXiv:1512.09300 (encoder, decoder and discriminator trained jointly); Ulyanov
    et al. 2018, "It Takes (Only) Two: Adversarial Generator-Encoder Networks",
    arXiv:1704.02304 (one network as encoder and discriminator); Yu et al. 2020,
    "Gradient Surgery for Multi-Task Learning", arXiv:2001.06782 (PCGrad).
    """

    packing_refused = "its discriminator is also its encoder: one network maps each image to its own code."

    variational = True
    optimizer_roles = {"shared": ("encoder",), "decoder": ("decoder",)}
    #: L_E and L_D both train the shared network
    objective_roles = {"encoder": "shared", "discriminator": "shared"}
    metric_names = (
        "encoder_loss", "discriminator_loss", "generator_loss", "reconstruction_loss", "kl_loss",
        "gradient_cosine", "gradient_conflict", "gradient_norm_ratio",
    )

    def __init__(
        self,
        data_shape,
        latent_dim=16,
        kl_weight=1.0,
        discriminator_weight=1.0,
        adversarial_weight=1.0,
        gradient_combination="sum",
        learning_rate=5e-4,
        num_classes=None,
        **kwargs,
    ):
        if gradient_combination not in GRADIENT_COMBINATIONS:
            raise ValueError(
                f"gradient_combination must be one of {GRADIENT_COMBINATIONS}, got {gradient_combination!r}.")
        if num_classes:
            raise ValueError(
                f"UnifiedAEGAN is unconditional: drop num_classes (got {num_classes!r}).")
        if len(tuple(data_shape)) != 3:
            raise ValueError(
                f"UnifiedAEGAN builds convolutional networks for (H, W, C) images, got "
                f"data_shape={tuple(data_shape)}: use image data.")
        self.kl_weight = float(kl_weight)
        self.discriminator_weight = float(discriminator_weight)
        self.adversarial_weight = float(adversarial_weight)
        for name in ("kl_weight", "discriminator_weight", "adversarial_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}.")
        self.gradient_combination = gradient_combination
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, learning_rate=learning_rate,
                         **kwargs)
        head_layers = [layer for layer in self.encoder.layers if layer.name in (CODE_HEAD, LOGIT_HEAD)]
        head_ids = {id(v) for layer in head_layers for v in layer.trainable_variables}
        #: positions, in role_variables("shared"), of the trunk's variables
        self._trunk_indices = [
            i for i, v in enumerate(self.role_variables("shared")) if id(v) not in head_ids]
        self.finish_init()

    @property
    def discriminator(self):
        """The shared network in its discriminator role (the same object as `encoder`)."""
        return self.encoder

    def build_encoder(self):
        return networks.build_conv_encoder_discriminator(
            self.data_shape, 2 * self.latent_dim, self.base_filters, name="encoder_discriminator")

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5)
                for role in self.optimizer_roles}

    # ------------------------------------------------------------------ the two heads
    def shared_forward(self, x, training=False):
        """(z_mean, z_log_var, logits) of the shared network on x: one trunk pass, two heads."""
        code, logits = self.encoder(x, training=training)
        z_mean, z_log_var = ops.split(ops.cast(code, "float32"), 2, axis=-1)
        return z_mean, losses.divergences.clip_log_variance(z_log_var), ops.cast(logits, "float32")

    def posterior(self, x, y=None, training=False):
        z_mean, z_log_var, _ = self.shared_forward(x, training=training)
        return z_mean, z_log_var

    # ------------------------------------------------------------------ objectives
    def encoder_loss(self, reconstruction_loss, kl_loss):
        """L_E = -log p(x|z) + beta KL(q(z|x) || p(z))."""
        return reconstruction_loss + self.kl_weight * kl_loss

    def discriminator_loss(self, real_logits, fake_logits):
        """L_D = gamma (-log D(x) - log(1 - D(Dec(z_p)))), from logits."""
        return self.discriminator_weight * losses.minimax_discriminator_loss(real_logits, fake_logits)

    def generator_loss(self, reconstruction_loss, fake_logits):
        """L_Dec = -log p(x|z) + alpha (-log D(Dec(z_p)))."""
        adversarial = losses.non_saturating_generator_loss(fake_logits)
        return reconstruction_loss + self.adversarial_weight * adversarial

    def objectives(self, x):
        """({"encoder", "discriminator", "decoder": loss}, terms) of one step."""
        z_mean, z_log_var, real_logits = self.shared_forward(x, training=True)
        z = losses.reparameterize(z_mean, z_log_var, self.random_normal(ops.shape(z_mean)))
        reconstruction_loss = self.reconstruction_term(x, self.decoder_logits(z, training=True))
        kl_loss = losses.kl_loss(z_mean, z_log_var)
        x_p = self.decoder_forward(self.sample_prior(ops.shape(x)[0]), training=True)
        _, _, fake_logits = self.shared_forward(x_p, training=True)
        role_losses = {
            "encoder": self.encoder_loss(reconstruction_loss, kl_loss),
            "discriminator": self.discriminator_loss(real_logits, fake_logits),
            "decoder": self.generator_loss(reconstruction_loss, fake_logits),
        }
        terms = {"encoder_loss": role_losses["encoder"],
                 "discriminator_loss": role_losses["discriminator"],
                 "generator_loss": role_losses["decoder"],
                 "reconstruction_loss": reconstruction_loss, "kl_loss": kl_loss}
        return role_losses, terms

    # ------------------------------------------------------------------ the shared update
    def combine_role_gradients(self, objective_gradients):
        """`minimize_each`'s combine: ({"shared": update, "decoder": update}, gradient
        statistics) from the gradients of the three objectives on THIS replica. The shared
        weights get g_E + g_D, or PCGrad's g_E' + g_D' on the trunk; the combination and the
        statistics use the global batch's gradients."""
        encoder_gradients = objective_gradients["encoder"]
        discriminator_gradients = objective_gradients["discriminator"]
        num_replicas, _ = num_replicas_and_id()
        if num_replicas > 1:
            # PCGrad is not linear: project the global gradients, not each replica's.
            encoder_gradients = [cross_replica_sum(g) for g in encoder_gradients]
            discriminator_gradients = [cross_replica_sum(g) for g in discriminator_gradients]
        trunk = self._trunk_indices
        g_e = [encoder_gradients[i] for i in trunk]
        g_d = [discriminator_gradients[i] for i in trunk]
        cosine = gradient_cosine(g_e, g_d)
        # An overflowed float16 step (skipped by the loss scale) must not poison the logs.
        cosine = ops.where(ops.isfinite(cosine), cosine, 0.0)
        ratio = ops.sqrt(flat_dot(g_d, g_d) / ops.maximum(flat_dot(g_e, g_e), 1e-30))
        ratio = ops.where(ops.isfinite(ratio), ratio, 0.0)
        combined = [e + d for e, d in zip(encoder_gradients, discriminator_gradients)]
        for i, g in zip(trunk, combine_gradients(g_e, g_d, self.gradient_combination)):
            combined[i] = g
        if num_replicas > 1:
            # The optimizer sums the replicas' gradients again: hand it 1/N of the global one.
            combined = [g / num_replicas for g in combined]
        stats = {"gradient_cosine": cosine,
                 "gradient_conflict": ops.cast(cosine < 0.0, "float32"),
                 "gradient_norm_ratio": ratio}
        return {"shared": combined, "decoder": objective_gradients["decoder"]}, stats

    def train_step(self, data):
        self.begin_step()
        x, _ = self.split_batch(data)
        # One forward pass; the two objectives on the shared network are combined before the update.
        _, terms = self.minimize_each(lambda: self.objectives(x), combine=self.combine_role_gradients)
        return self.end_step(**terms)
