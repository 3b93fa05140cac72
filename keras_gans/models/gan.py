"""GAN: the original generative adversarial network."""

import keras
import tensorflow as tf

from keras_gans import augment, losses
from keras_gans.models.adversarial import AdversarialModel
from keras_gans.registry import register_model

GENERATOR_LOSSES = ("non_saturating", "minimax")


@register_model("gan")
class GAN(AdversarialModel):
    """Generative adversarial network with MLP players (Goodfellow et al. 2014).

    The two players play min_G max_D V(D, G) with
        V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D(x) = sigmoid(logit(x)).
    Algorithm 1: for k steps, sample a minibatch of m priors z and m examples x and ascend
    V in D; then sample m priors and descend in G, either E[log(1 - D(G(z)))] ("minimax") or,
    as the paper recommends in practice, -E[log D(G(z))] ("non_saturating").
    A fit batch holds the k real minibatches: batch size = k * m.

    Args:
        data_shape: tuple. Shape of one example, (D,) vectors or (H, W, C) images.
        latent_dim: int. Dimension of z. Defaults to 100.
        generator_loss: "non_saturating" or "minimax". Defaults to "non_saturating".
        discriminator_steps: int. k, discriminator updates per generator update. Defaults to 1.
        prior: "normal" or "uniform" (U[-1, 1]). Defaults to "normal".
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of both players. Defaults to 2e-4.
        generator_ema: float. Momentum of an exponential moving average of the generator's
            weights, swapped in when `fit` ends (0 disables). Averaging smooths the
            oscillation of the adversarial game (Yazici et al. 2019, arXiv:1806.04498).
            Defaults to 0.
        augmentation: str or None. DiffAugment policy applied to real and fake images before
            the discriminator, e.g. "translation,cutout" (Zhao et al. 2020,
            arXiv:2006.10738). Defaults to None.
        num_classes, hidden_units, base_filters, discriminator_dropout, generator,
            discriminator, seed: see `AdversarialModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("ring8")
        >>> gan = keras_gans.models.GAN(data_shape=(2,), latent_dim=16)
        >>> gan.compile()
        >>> gan.fit(keras_gans.data.make_pipeline(data, 256), epochs=5)
        >>> points = gan.sample(2500, seed=1)

    Reference: Goodfellow et al. 2014, "Generative Adversarial Nets", arXiv:1406.2661.
    """

    metric_names = ("discriminator_loss", "generator_loss")
    network_family = "mlp"
    training_defaults = {"dataset": "ring8", "epochs": 10, "batch_size": 256}

    def __init__(
        self,
        data_shape,
        latent_dim=100,
        generator_loss="non_saturating",
        discriminator_steps=1,
        prior="normal",
        learning_rate=2e-4,
        generator_ema=0.0,
        num_classes=None,
        hidden_units=(256, 256),
        base_filters=64,
        discriminator_dropout=0.0,
        augmentation=None,
        generator=None,
        discriminator=None,
        seed=0,
        **kwargs,
    ):
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {GENERATOR_LOSSES}, got {generator_loss!r}.")
        if int(discriminator_steps) < 1:
            raise ValueError(f"discriminator_steps must be >= 1, got {discriminator_steps}.")
        self.generator_loss_type = generator_loss
        self.discriminator_steps = int(discriminator_steps)
        self.learning_rate = float(learning_rate)
        self.generator_ema = float(generator_ema)
        self.augmentation = augmentation or None
        self._augmentation_policy = augment.parse_policy(augmentation)
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, num_classes=num_classes, prior=prior,
            hidden_units=hidden_units, base_filters=base_filters,
            discriminator_dropout=discriminator_dropout, generator=generator,
            discriminator=discriminator, seed=seed, **kwargs,
        )
        self.finish_init()

    @property
    def generator_loss(self):  # the constructor argument, under its own name, for get_config
        return self.generator_loss_type

    def default_optimizers(self):
        ema = {"use_ema": True, "ema_momentum": self.generator_ema} if self.generator_ema else {}
        return {
            "generator": keras.optimizers.Adam(self.learning_rate, beta_1=0.5, **ema),
            "discriminator": keras.optimizers.Adam(self.learning_rate, beta_1=0.5),
        }

    # ------------------------------------------------------------------ objectives
    def judge(self, x, labels=None):
        """D's logits on (augmented, when a DiffAugment policy is set) inputs."""
        if self._augmentation_policy:
            x = augment.diff_augment(x, self._augmentation_policy, self.random_uniform)
        return self.discriminator_forward(x, labels, training=True)

    def discriminator_objective(self, x, labels=None):
        """-V(D, G) on one real minibatch and as many fresh priors (minimised by D)."""
        z = self.sample_prior(tf.shape(x)[0])
        x_fake = self.generator_forward(z, labels, training=True)
        real_logits = self.judge(x, labels)
        fake_logits = self.judge(x_fake, labels)
        return losses.minimax_discriminator_loss(real_logits, fake_logits)

    def generator_objective(self, batch_size, labels=None):
        """The generator's loss on `batch_size` fresh priors (minimised by G)."""
        z = self.sample_prior(batch_size)
        fake_logits = self.judge(self.generator_forward(z, labels, training=True), labels)
        if self.generator_loss_type == "minimax":
            return losses.minimax_generator_loss(fake_logits)
        return losses.non_saturating_generator_loss(fake_logits)

    def train_step(self, data):
        self.begin_step()
        x, labels = self.split_batch(data)
        if self.num_classes and labels is None:
            raise ValueError(f"{type(self).__name__} is conditional: the dataset must yield (images, labels).")
        labels = labels if self.num_classes else None
        for x_real, y_real in self.split_real_batches(x, labels, self.discriminator_steps):
            d_loss = self.minimize(
                "discriminator", lambda x_real=x_real, y_real=y_real: self.discriminator_objective(x_real, y_real)
            )
        # G conditions on labels drawn from the data (the last real minibatch's): y ~ p(y).
        g_loss = self.minimize(
            "generator", lambda: self.generator_objective(tf.shape(x_real)[0], y_real)
        )
        return self.end_step(discriminator_loss=d_loss, generator_loss=g_loss)
