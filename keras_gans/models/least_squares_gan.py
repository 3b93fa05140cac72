"""Least-squares GAN: the discriminator regresses its output to target codes."""

from keras_gans import losses
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("least_squares_gan")
class LeastSquaresGAN(GAN):
    """Least Squares GAN (Mao et al. 2017).

    The discriminator's raw (linear) output D(.) is regressed to a for fakes and b for real
    data; the generator pulls D(G(z)) towards c (eq. 2):
        min_D 1/2 E_x[(D(x) - b)^2] + 1/2 E_z[(D(G(z)) - a)^2]
        min_G 1/2 E_z[(D(G(z)) - c)^2]
    Penalising fakes by their distance to the boundary keeps the generator's gradient
    alive where the sigmoid loss saturates. The paper's two codings: a = -1, b = 1, c = 0
    (b - c = 1 and b - a = 2 make the game minimise the Pearson chi^2 divergence, eq. 9),
    and the 0-1 coding a = 0, b = c = 1 it uses in its experiments (the default).

    Args:
        a, b, c: float. Target codes for fake data, real data, and what G wants D to believe.
            Defaults to 0, 1, 1.
        Others: see `GAN` (Adam(2e-4, beta_1 0.5), discriminator_steps, networks, ...).

    Reference: Mao et al. 2017, "Least Squares Generative Adversarial Networks",
    eq. 2 and 9 (arXiv:1611.04076).
    """

    network_family = "auto"
    derived_arguments = ("generator_loss",)

    def __init__(self, data_shape, latent_dim=100, a=0.0, b=1.0, c=1.0, **kwargs):
        self.a, self.b, self.c = float(a), float(b), float(c)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)

    def discriminator_loss(self, real_outputs, fake_outputs):
        return losses.least_squares_discriminator_loss(real_outputs, fake_outputs, a=self.a, b=self.b)

    def adversarial_generator_loss(self, fake_outputs):
        return losses.least_squares_generator_loss(fake_outputs, c=self.c)
