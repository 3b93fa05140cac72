"""WGAN-GP: the Wasserstein critic kept 1-Lipschitz by a gradient penalty instead of clipping."""

import keras
import tensorflow as tf

from keras_gans.models.wgan import WGAN
from keras_gans.registry import register_model


@register_model("wgan_gp")
class WGANGP(WGAN):
    """WGAN with gradient penalty (Gulrajani et al. 2017).

    Weight clipping is replaced by a two-sided penalty on the critic's input gradient at
    random interpolates of real and generated examples (Algorithm 1):
        x_hat = eps x + (1 - eps) x_tilde,   eps ~ U[0, 1], one per example
        L_critic = E[D(x_tilde)] - E[D(x)] + lambda E[(||grad_x_hat D(x_hat)||_2 - 1)^2]
    with lambda = 10, n_critic = 5 (a fresh real minibatch each), Adam(1e-4, beta_1 = 0,
    beta_2 = 0.9), and no batch norm in the critic (the penalty is per example; the
    convolutional critic uses layer norm, as the paper recommends, and a critic passed in
    with BatchNormalization is refused with a ValueError). With packing m (PacGAN) x_hat is a
    pack: one eps per pack, the norm over the pack's gradient. The penalty's inner
    gradient is loss-scaled under mixed_float16 (see `losses.penalties.input_gradients`).
    The logged `critic_loss` is E[D(x_tilde)] - E[D(x)] (the negated Wasserstein estimate),
    `gradient_penalty` the weighted term lambda * GP.

    Args:
        gradient_penalty_weight: float. lambda. Defaults to 10.
        learning_rate: float. Adam learning rate of both players. Defaults to 1e-4 (the
            paper's). `keras-gans train wgan_gp` uses the recipe's 5e-4 (keras_gans.recipes:
            a 10-minute CPU budget buys ~400 generator steps, not the paper's 200k);
            `--set learning_rate=1e-4` restores the paper's.
        Others: see `WGAN` and `GAN`.

    Reference: Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
    Algorithm 1 (arXiv:1704.00028).
    """

    metric_names = ("critic_loss", "generator_loss", "gradient_penalty")
    discriminator_normalization = "layer"  # the paper's critic has no batch norm, penalty or not
    input_gradient_penalties = {"gradient_penalty_weight": ("gradient_penalty", "the gradient penalty")}
    derived_arguments = ("clip_value",)

    def __init__(self, data_shape, latent_dim=100, critic_steps=5, gradient_penalty_weight=10.0,
                 learning_rate=1e-4, **kwargs):
        self.gradient_penalty_weight = gradient_penalty_weight  # checked, logged and guarded by GAN
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, critic_steps=critic_steps, clip_value=0.0,
            learning_rate=learning_rate, **kwargs,
        )

    def default_optimizers(self):
        return {
            "generator": keras.optimizers.Adam(
                self.learning_rate, beta_1=0.0, beta_2=0.9, **self.generator_ema_options()
            ),
            "discriminator": keras.optimizers.Adam(self.learning_rate, beta_1=0.0, beta_2=0.9),
        }

    def discriminator_objective(self, x, labels=None):
        """L_critic on one real minibatch x (Algorithm 1, lines 3-8): the Wasserstein
        estimate's negative plus lambda times the penalty at one interpolate per example."""
        x_tilde, y_fake = self.fake_batch(tf.shape(x)[0], labels)
        critic_loss = self.discriminator_loss(self.judge(x, labels), self.judge(x_tilde, y_fake))
        # one interpolate per example (per pack with packing), judged without DiffAugment
        gradient_penalty = self.gradient_penalty_weight * self.interpolate_penalty(
            x, x_tilde, labels, target=1.0,
            critic=lambda x_hat: self.discriminator_forward(x_hat, labels, training=True),
        )
        return critic_loss + gradient_penalty, {"critic_loss": critic_loss, "gradient_penalty": gradient_penalty}
