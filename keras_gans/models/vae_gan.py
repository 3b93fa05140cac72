"""VAE-GAN: a VAE whose reconstructions are compared in a GAN discriminator's feature space."""

import keras
from keras import ops

from keras_gans import losses
from keras_gans.core.ema import checked_ema_momentum, ema_options
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.networks.autoencoder import build_feature_discriminator
from keras_gans.registry import register_model


@register_model("vae_gan")
class VAEGAN(AutoencodingModel):
    """VAE-GAN: a VAE whose likelihood is measured on a discriminator's features (Larsen et al. 2016).

    With z ~ q(z|x) (reparameterised), x_tilde = Dec(z), z_p ~ p(z) = N(0, I), x_p = Dec(z_p),
    and Dis_l the discriminator's l-th layer (its last convolutional features):
        L_prior        = KL(q(z|x) || p(z))
        L_llike^Dis_l  = -E_q[log p(Dis_l(x) | z)]
                       = E_x[ sum_j (Dis_l(x)_j - Dis_l(x_tilde)_j)^2 ]   (+ const)
        L_GAN          = log Dis(x) + log(1 - Dis(x_tilde)) + log(1 - Dis(x_p))     (eq. 9)
    Algorithm 1, one forward pass and three optimizers, each descending its own loss:
        encoder        L_prior + L_llike^Dis_l
        decoder        gamma L_llike^Dis_l + L_GAN^Dec
        discriminator  -L_GAN
    The discriminator ascends L_GAN; the decoder descends it (Algorithm 1 writes
    "gamma L_llike - L_GAN" with L_GAN meaning the discriminator's cross-entropy, i.e. -eq. 9).
    L_GAN^Dec is the non-saturating form -log Dis(x_tilde) - log Dis(x_p) (Goodfellow et al.
    2014, section 3): the same fixed point as log(1 - Dis(.)), but its gradient does not
    vanish while Dis rejects the decoder's images. Every GAN term is computed from logits
    (softplus), never as the log of a probability.
    p(Dis_l(x)|z) is the Gaussian N(Dis_l(x_tilde), 1/2 I), so -log p is the per-example SUM
    of squared feature differences (the library's reconstruction scale: sums, not means).
    Dis judges x, x_tilde and x_p as three batches (batch statistics of each its own, as in
    DCGAN); the decoder decodes z and z_p in one batch. The networks are the library's
    DCGAN-rule ones sized to the data, not the paper's 64 px architecture.

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) images or (D,) vectors.
        similarity_weight: float. gamma, the weight of L_llike^Dis_l in the decoder's loss
            against the GAN loss. Defaults to 0.3. Paper: 1e-6, for its own feature scale;
            here L_llike^Dis_l sums a small discriminator's features, so a gamma of order
            0.1-1 lets both parts move the decoder. `--set similarity_weight=1e-6` restores it.
        kl_weight: float. beta, the weight of L_prior in the encoder's loss. Defaults to 16.
            Paper: 1; against a feature likelihood summed over thousands of features, 1 left
            the codes' aggregate far from p(z) and prior samples decoded to noise.
            `--set kl_weight=1` restores it.
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of every role. Defaults to
            6e-4. Paper: RMSProp at 3e-4; Adam at twice the rate reaches the same samples in
            fewer epochs of a CPU budget. `--set learning_rate=3e-4` restores the rate
            (RMSProp: `compile(optimizers=...)`).
        latent_dim: int. Dimension of z. Defaults to 12. The authors' CelebA run: 128; on
            MNIST fewer dimensions leave fewer holes between the codes for prior draws to
            fall into. `--set latent_dim=128` restores it.
        decoder_batch_norm: bool. Batch norm in the default convolutional decoder. Defaults
            to False. Paper: a batch-normalised decoder; ours decodes z ~ q(z|x) and z_p ~
            p(z) in one batch, and their shared statistics made prior samples worse.
            `--set decoder_batch_norm=true` restores it.
        decoder_ema: float. Momentum of an exponential moving average of the decoder's
            weights, swapped in when `fit` ends (0 disables; `core.ema.ema_options`). Keras'
            average starts from the initial weights without bias correction, so short runs
            would decode with a lagging decoder. Defaults to 0 (off, as in the paper).
        discriminator: keras.Model or None. A network returning [logits, Dis_l features];
            defaults to `networks.autoencoder.build_feature_discriminator` (convolutional for
            images, an MLP for vectors).
        num_classes, reconstruction, hidden_units, base_filters, sampler, density_components,
            encoder, decoder, seed: see `AutoencodingModel` (only the decoder is conditioned
            on classes).

    Measurements behind these defaults: benchmarks/results/autoencoders.md.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> model = keras_gans.models.VAEGAN(data_shape=data.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> digits = model.sample(16, seed=0)

    Reference: Larsen, Sønderby, Larochelle & Winther 2016, "Autoencoding beyond pixels using a
    learned similarity metric", arXiv:1512.09300 (Algorithm 1, eqs. 8-9).
    """

    packing_refused = ("its discriminator's features measure the likelihood of each reconstruction (L_llike "
                       "on Dis_l), which needs one example's features, not a pack's.")

    variational = True
    optimizer_roles = {
        "encoder": ("encoder",),
        "decoder": ("decoder",),
        "discriminator": ("discriminator",),
    }
    metric_names = ("encoder_loss", "decoder_loss", "discriminator_loss", "kl_loss",
                    "feature_reconstruction_loss")

    def __init__(self, data_shape, similarity_weight=0.3, kl_weight=16.0, learning_rate=6e-4,
                 latent_dim=12, decoder_batch_norm=False, decoder_ema=0.0, discriminator=None, **kwargs):
        self.similarity_weight = float(similarity_weight)
        self.decoder_ema = checked_ema_momentum(decoder_ema, "decoder_ema")
        self.kl_weight = float(kl_weight)
        self.decoder_batch_norm = bool(decoder_batch_norm)
        if self.similarity_weight < 0 or self.kl_weight < 0:
            raise ValueError(
                f"similarity_weight (gamma) and kl_weight must be >= 0, got {similarity_weight} "
                f"and {kl_weight}."
            )
        super().__init__(data_shape=data_shape, learning_rate=learning_rate,
                         latent_dim=latent_dim, **kwargs)
        self.discriminator = discriminator or build_feature_discriminator(
            self.data_shape, self.base_filters, self.hidden_units)
        self.finish_init()

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5,
                                            **ema_options(self.decoder_ema if role == "decoder" else 0))
                for role in self.optimizer_roles}

    # ------------------------------------------------------------------ objectives
    @staticmethod
    def feature_reconstruction_loss(features_x, features_tilde):
        """L_llike^Dis_l: batch mean of sum_j (Dis_l(x)_j - Dis_l(x_tilde)_j)^2."""
        return losses.pairwise_feature_matching_loss(features_x, features_tilde)

    @staticmethod
    def discriminator_loss(real_logits, reconstruction_logits, prior_logits):
        """-L_GAN = -log Dis(x) - log(1 - Dis(x_tilde)) - log(1 - Dis(x_p)), from logits."""
        return losses.minimax_discriminator_loss_two_fakes(real_logits, reconstruction_logits, prior_logits)

    @staticmethod
    def decoder_adversarial_loss(reconstruction_logits, prior_logits):
        """L_GAN^Dec = -log Dis(x_tilde) - log Dis(x_p) (non-saturating), from logits."""
        return losses.non_saturating_generator_loss_two_fakes(reconstruction_logits, prior_logits)

    def objectives(self, x, y=None):
        """({role: loss}, {metric: value}) of Algorithm 1 on one batch, one forward pass."""
        z, z_mean, z_log_var = self.encode_sample(x, y, training=True)
        z_p = self.sample_prior(ops.shape(x)[0])
        a_tilde, a_p = self.decode_pair(z, z_p, y)
        (real, tilde, prior), (features_x, features_tilde, _) = self.judge_each(
            self.discriminator, x, self.activate(a_tilde), self.activate(a_p))
        kl_loss = losses.kl_loss(z_mean, z_log_var)
        feature_loss = self.feature_reconstruction_loss(features_x, features_tilde)
        role_losses = {
            "encoder": self.kl_weight * kl_loss + feature_loss,
            "decoder": self.similarity_weight * feature_loss + self.decoder_adversarial_loss(tilde, prior),
            "discriminator": self.discriminator_loss(real, tilde, prior),
        }
        return role_losses, {**{f"{role}_loss": loss for role, loss in role_losses.items()},
                             "kl_loss": kl_loss, "feature_reconstruction_loss": feature_loss}
