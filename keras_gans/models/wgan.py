"""WGAN: the critic estimates the Wasserstein-1 distance, kept Lipschitz by weight clipping."""

import keras

from keras_gans import losses
from keras_gans.losses import penalties
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("wgan")
class WGAN(GAN):
    """Wasserstein GAN (Arjovsky, Chintala & Bottou 2017).

    The critic f_w (the `discriminator` network, a raw score: no sigmoid, no logs) estimates
        W(P_r, P_g) = max_{||f||_L <= 1} E_x[f(x)] - E_z[f(G(z))]
    and the generator descends -E_z[f(G(z))]. Algorithm 1: `critic_steps` (n_critic = 5)
    critic updates per generator update, each on a fresh real minibatch (a fit batch holds
    n_critic minibatches), each followed by clipping every critic weight to [-c, c]
    (c = 0.01) so that f stays K-Lipschitz; RMSProp (lr 5e-5) for both players — the four
    changes the paper lists against the GAN.
        L_critic = E_z[f(G(z))] - E_x[f(x)]        L_G = -E_z[f(G(z))]

    Args:
        data_shape: tuple. (D,) vectors (MLP players) or (H, W, C) images (conv players).
        latent_dim: int. Dimension of z. Defaults to 100.
        critic_steps: int. n_critic, critic updates per generator update. Defaults to 5.
        clip_value: float. c, the weight-clipping bound. Defaults to 0.01.
        learning_rate: float. RMSProp learning rate of both players. Defaults to 5e-5. A
            learning-rate schedule passed to `compile` counts its optimizer's updates, and the
            critic makes `critic_steps` per training step: span critic_steps x steps for it
            (keras_gans.training.scheduled_optimizers does), or it ends 1/critic_steps of the way.
        Others: see `GAN` (prior, generator_ema, hidden_units, base_filters, networks, seed).

    Example:
        >>> model = keras_gans.models.WGAN(data_shape=(2,), latent_dim=2)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(load_dataset("ring8"), 5 * 64), epochs=5)

    Reference: Arjovsky et al. 2017, "Wasserstein GAN", Algorithm 1 (arXiv:1701.07875).
    """

    metric_names = ("critic_loss", "generator_loss")
    discriminator_metric = "critic_loss"
    network_family = "auto"
    derived_arguments = ("discriminator_steps", "generator_loss")

    def __init__(self, data_shape, latent_dim=100, critic_steps=5, clip_value=0.01, learning_rate=5e-5, **kwargs):
        self.clip_value = float(clip_value)
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, discriminator_steps=critic_steps,
            learning_rate=learning_rate, **kwargs,
        )

    @property
    def critic_steps(self):
        return self.discriminator_steps

    @property
    def critic(self):
        """f_w: the paper's name for the discriminator network."""
        return self.discriminator

    def default_optimizers(self):
        # rho 0.99: the decay of the reference implementation's (PyTorch) RMSProp.
        return {
            "generator": keras.optimizers.RMSprop(self.learning_rate, rho=0.99, **self.generator_ema_options()),
            "discriminator": keras.optimizers.RMSprop(self.learning_rate, rho=0.99),
        }

    def discriminator_loss(self, real_outputs, fake_outputs):
        return losses.wasserstein_critic_loss(real_outputs, fake_outputs)

    def adversarial_generator_loss(self, fake_outputs):
        return losses.wasserstein_generator_loss(fake_outputs)

    def after_discriminator_update(self):
        if self.clip_value:
            penalties.clip_weights(self.discriminator.trainable_variables, self.clip_value)
