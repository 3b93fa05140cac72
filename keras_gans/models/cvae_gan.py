"""CVAE-GAN: a conditional VAE whose generator is also trained by a discriminator and a classifier."""

import keras
from keras import ops

from keras_gans import losses, networks
from keras_gans.losses import feature_matching
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.core.replicas import cross_replica_sum
from keras_gans.registry import register_model


@register_model("cvae_gan")
class CVAEGAN(AutoencodingModel):
    """CVAE-GAN with asymmetric training (Bao et al. 2017): class-conditional image generation.

    Four networks: an encoder E(x, c) -> q(z|x, c) = N(mu, diag sigma^2), a generator
    (decoder) G(z, c), a discriminator D (real/fake logit, features f_D) and a classifier C
    (K class logits, features f_C). Per step, on a labelled batch (x_r, c_r), with
    z ~ q(z|x_r, c_r) reparameterised, x_f = G(z, c_r) (reconstruction), z_p ~ N(0, I) and
    x_p = G(z_p, c_p), c_p = c_r (so every class of the batch has real and generated
    members), Algorithm 1 of the paper:

        L_KL = KL(q(z|x_r, c_r) || N(0, I))
        L_G  = 1/2 (||x_r - x_f||^2 + ||f_D(x_r) - f_D(x_f)||^2 + ||f_C(x_r) - f_C(x_f)||^2)
        L_GD = 1/2 ||mean f_D(x_r) - mean f_D(x_p)||^2                         (eq. 6)
        L_GC = 1/2 sum_c ||mean_{c_r = c} f_C(x_r) - mean_{c_p = c} f_C(x_p)||^2   (eq. 7)
        L_D  = -(log D(x_r) + log(1 - D(x_f)) + log(1 - D(x_p)))                  (eq. 4)
        L_C  = -log C(c_r | x_r)                                                 (eq. 5)

        C descends L_C, D descends L_D, G descends lambda2 L_G + lambda3 L_GD + lambda4 L_GC,
        E descends lambda1 L_KL + lambda2 L_G,

    all from one forward pass. The asymmetry: D and C are trained with cross-entropy, G by
    mean feature matching instead of the saturating GAN loss (section 3.3). Norms are sums
    over pixels / features (images in [-1, 1]), pairwise terms batch means, and batch means
    of features are over the GLOBAL batch under a distribution strategy.

    Deviations: D and C have no batch norm (by default): with it each of the separately
    normalised real and generated batches would have its per-channel feature means pinned
    by BN, blunting exactly what L_GD and L_GC match. The networks are the library's
    DCGAN-rule ones sized to the data, not the paper's 64-128 px networks. The paper's
    weights are for its large images and long training; on 28 px digits in a few epochs
    they leave the mean-matching terms too weak and the class in z rather than in c, so the
    defaults below depart from them.

    Args:
        data_shape: tuple. (H, W, C) images (convolutional networks).
        num_classes: int. K, the number of classes c (required).
        latent_dim: int. Dimension of z. Defaults to 8: small, so z keeps no room for what c
            already says.
        kl_weight: float. lambda1, weight of L_KL in E's loss. Defaults to 10. Paper: 3; a
            stronger KL keeps the class out of z. `--set kl_weight=3` restores it.
        generator_weight: float. lambda2, weight of L_G in E's and G's losses. Defaults to 1
            (the paper's).
        discriminator_matching_weight: float. lambda3, weight of L_GD. Defaults to 0.1.
            Paper: 1e-3; at that weight mean matching barely steers a short run.
            `--set discriminator_matching_weight=1e-3` restores it.
        classifier_matching_weight: float. lambda4, weight of L_GC. Defaults to 0.1. Paper:
            1e-3, as lambda3. `--set classifier_matching_weight=1e-3` restores it.
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of all four roles.
            Defaults to 1e-3. Paper: 2e-4; the higher rate fits a short CPU budget.
            `--set learning_rate=2e-4` restores it.
        discriminator, classifier: keras.Model or None. Networks to use instead of the
            defaults; each maps x to [logits, features] (1 and K logits).
        hidden_units, base_filters, sampler, density_components, encoder, decoder, seed: see
            `AutoencodingModel`.

    Measurements behind these defaults: benchmarks/results/autoencoders.md.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> model = keras_gans.models.CVAEGAN(data_shape=data.data_shape, num_classes=10)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64, with_labels=True), epochs=10)
        >>> sevens = model.sample(16, seed=0, labels=7)

    Reference: Bao, Chen, Wen, Li & Hua 2017, "CVAE-GAN: Fine-Grained Image Generation
    through Asymmetric Training", arXiv:1703.10155.
    """

    packing_refused = ("its discriminator's features are matched per example and class (the generator's "
                       "feature-matching losses), which needs one example's features, not a pack's.")

    variational = True
    encoder_conditional = True
    conditional = True
    derived_arguments = ("reconstruction",)
    optimizer_roles = {
        "encoder": ("encoder",),
        "decoder": ("decoder",),
        "discriminator": ("discriminator",),
        "classifier": ("classifier",),
    }
    metric_names = (
        "encoder_loss", "generator_loss", "discriminator_loss", "classifier_loss", "kl_loss",
        "reconstruction_loss", "feature_matching_loss", "discriminator_matching_loss",
        "classifier_matching_loss",
    )

    def __init__(
        self,
        data_shape,
        num_classes=None,
        latent_dim=8,
        kl_weight=10.0,
        generator_weight=1.0,
        discriminator_matching_weight=0.1,
        classifier_matching_weight=0.1,
        learning_rate=1e-3,
        discriminator=None,
        classifier=None,
        **kwargs,
    ):
        if not num_classes or int(num_classes) < 2:
            raise ValueError(
                f"CVAEGAN is class-conditional: pass num_classes >= 2 (got {num_classes!r}) and "
                "train on a labelled dataset, e.g. mnist_train."
            )
        if len(tuple(data_shape)) != 3:
            raise ValueError(
                f"CVAEGAN builds convolutional networks for (H, W, C) images, got data_shape="
                f"{tuple(data_shape)}: use image data or pass your own networks."
            )
        self.kl_weight = float(kl_weight)
        self.generator_weight = float(generator_weight)
        self.discriminator_matching_weight = float(discriminator_matching_weight)
        self.classifier_matching_weight = float(classifier_matching_weight)
        for name in ("kl_weight", "generator_weight", "discriminator_matching_weight",
                     "classifier_matching_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}.")
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, num_classes=num_classes,
                         reconstruction="l2", learning_rate=learning_rate, **kwargs)
        self.discriminator = discriminator or networks.build_conv_discriminator(
            self.data_shape, self.base_filters, batch_norm=False, output_units=1,
            return_features=True, name="discriminator")
        self.classifier = classifier or networks.build_conv_discriminator(
            self.data_shape, self.base_filters, batch_norm=False, output_units=self.num_classes,
            return_features=True, name="classifier")
        self.finish_init()

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5)
                for role in self.optimizer_roles}

    # ------------------------------------------------------------------ objectives
    def generator_pairwise_loss(self, x, x_f, d_features, c_features):
        """(L_G, terms): L_G = 1/2 (||x_r - x_f||^2 + ||f_D(x_r) - f_D(x_f)||^2
        + ||f_C(x_r) - f_C(x_f)||^2); `*_features` are (real, reconstruction) pairs."""
        reconstruction_loss = losses.reconstruction_loss(x, x_f, "l2")
        feature_loss = (feature_matching.pairwise_feature_matching_loss(*d_features)
                        + feature_matching.pairwise_feature_matching_loss(*c_features))
        return 0.5 * (reconstruction_loss + feature_loss), {
            "reconstruction_loss": reconstruction_loss, "feature_matching_loss": feature_loss}

    def mean_matching_losses(self, d_real, d_prior, c_real, c_prior, y_real, y_prior):
        """(L_GD, L_GC) from features of real and prior-generated batches (global means)."""
        l_gd = 0.5 * feature_matching.mean_feature_matching_loss(
            d_real, d_prior, all_reduce_sum=cross_replica_sum)
        l_gc = 0.5 * feature_matching.class_mean_feature_matching_loss(
            c_real, c_prior, y_real, y_prior, all_reduce_sum=cross_replica_sum)
        return l_gd, l_gc

    def discriminator_loss(self, real_logits, reconstruction_logits, prior_logits):
        """L_D = -(log D(x_r) + log(1 - D(x_f)) + log(1 - D(x_p))), from logits."""
        return losses.minimax_discriminator_loss_two_fakes(real_logits, reconstruction_logits, prior_logits)

    def classifier_loss(self, class_logits, y):
        """L_C = -log C(c_r | x_r): softmax cross-entropy from logits, batch mean."""
        return ops.mean(keras.losses.categorical_crossentropy(
            y, ops.cast(class_logits, "float32"), from_logits=True))

    def objectives(self, x, y):
        """({role: loss}, terms) of one step: one forward pass feeds all four players."""
        z, z_mean, z_log_var = self.encode_sample(x, y, training=True)
        x_f = self.decoder_forward(z, y, training=True)
        x_p = self.decoder_forward(self.sample_prior(ops.shape(x)[0]), y, training=True)
        (d_real, fd_real), (d_f, fd_f), (d_p, fd_p) = (
            self.discriminator(v, training=True) for v in (x, x_f, x_p))
        (c_real, fc_real), (_, fc_f), (_, fc_p) = (
            self.classifier(v, training=True) for v in (x, x_f, x_p))

        kl_loss = losses.kl_loss(z_mean, z_log_var)
        l_g, terms = self.generator_pairwise_loss(x, x_f, (fd_real, fd_f), (fc_real, fc_f))
        l_gd, l_gc = self.mean_matching_losses(fd_real, fd_p, fc_real, fc_p, y, y)
        role_losses = {
            "encoder": self.kl_weight * kl_loss + self.generator_weight * l_g,
            "decoder": (self.generator_weight * l_g + self.discriminator_matching_weight * l_gd
                        + self.classifier_matching_weight * l_gc),
            "discriminator": self.discriminator_loss(d_real, d_f, d_p),
            "classifier": self.classifier_loss(c_real, y),
        }
        terms.update(
            encoder_loss=role_losses["encoder"], generator_loss=role_losses["decoder"],
            discriminator_loss=role_losses["discriminator"],
            classifier_loss=role_losses["classifier"], kl_loss=kl_loss,
            discriminator_matching_loss=l_gd, classifier_matching_loss=l_gc,
        )
        return role_losses, terms
