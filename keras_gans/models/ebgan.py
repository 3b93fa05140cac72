"""EBGAN: the discriminator is an autoencoder whose energy is pushed above a margin on fakes."""

from keras_gans.components.autoencoder_discriminator import AutoencoderDiscriminator
from keras_gans.losses import energy
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("ebgan")
class EBGAN(AutoencoderDiscriminator, GAN):
    """Energy-based GAN (Zhao, Mathieu & LeCun 2017).

    The discriminator is an autoencoder and D(x) = ||Dec(Enc(x)) - x||^2 (mean over
    dimensions) is an energy: low on data, pushed above a margin m on generated samples.
        L_D = D(x) + [m - D(G(z))]_+                         (eq. 1)
        L_G = D(G(z)) + lambda_PT f_PT(Enc(G(z)))            (eq. 2 with eq. 6)
    where the pulling-away term f_PT, the mean squared cosine similarity between the
    encoder codes of different generated examples, discourages a collapsed batch.

    Args:
        margin: float. m, in the units of D (mean squared error per dimension). Defaults to
            0.1: the hinge must switch off once a fake is clearly worse than the data, so m
            belongs at the scale of real reconstruction errors (~0.04 on MNIST in [-1, 1]).
            With m = 1 (a blank guess's energy) the hinge never switched off, D pushed every
            fake up without bound and G made grey textures (0% of MNIST samples recognised);
            m = 0.1 gave 72% (30 epochs, benchmarks/mnist_quality.py). The 2D mixture recipe
            keeps m = 1 (keras_gans.mixtures).
        pulling_away_weight: float. lambda_PT. Defaults to 0.1 (the paper's).
        code_dim: int. Width of the autoencoder's code. Defaults to 32.
        Others: see `GAN` (Adam(2e-4, beta_1 0.5), networks, ...).

    Reference: Zhao et al. 2017, "Energy-based Generative Adversarial Network",
    eq. 1, 2 and 6 (arXiv:1609.03126).
    """

    metric_names = ("discriminator_loss", "generator_loss", "pulling_away_term")

    def __init__(self, data_shape, latent_dim=100, margin=0.1, pulling_away_weight=0.1, **kwargs):
        self.margin, self.pulling_away_weight = float(margin), float(pulling_away_weight)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)

    def discriminator_loss(self, real_outputs, fake_outputs):
        return energy.ebgan_discriminator_loss(real_outputs, fake_outputs, self.margin)

    def generator_objective(self, batch_size, labels=None):
        fake_energy, code = self.energy_and_code(self.generator_forward(self.sample_prior(batch_size), training=True))
        pulling_away = self.pulling_away_weight * energy.pulling_away_term(code)
        return energy.ebgan_generator_loss(fake_energy) + pulling_away, {"pulling_away_term": pulling_away}
