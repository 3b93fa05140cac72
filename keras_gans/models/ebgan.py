"""EBGAN: the discriminator is an autoencoder whose energy is pushed above a margin on fakes."""

from keras_gans.components.autoencoder_discriminator import AutoencoderDiscriminator
from keras_gans.losses import energy
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model

MARGIN_SCHEDULES = ("fixed", "decay")


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
            0.1: m belongs at the scale of the data's reconstruction errors (~0.04 on MNIST in
            [-1, 1]), so that the hinge switches off once a fake is clearly worse than the
            data; at m = 1 (a blank guess's energy) it never does (README, EBGAN row). The 2D
            mixture recipe keeps m = 1 (keras_gans.mixtures).
        margin_schedule: "fixed" (m_t = m, the paper's) or "decay": m shrinks linearly with
            the training step t (the saved `step_counter`) to a floor,
            m_t = m * max(margin_floor, 1 - t / margin_decay_steps), so the hinge asks less of
            the discriminator once generated energies near the data's. Defaults to "fixed".
        margin_decay_steps: int. T, the steps over which "decay" shrinks m. Defaults to 2000
            (about `keras-gans train ebgan`'s 30 epochs of 79 steps).
        margin_floor: float. The fraction of m that "decay" keeps after T steps. Defaults to 0.5.
        pulling_away_weight: float. lambda_PT. Defaults to 0.1 (the paper's).
        code_dim: int. Width of the autoencoder's code. Defaults to 32.
        Others: see `GAN` (Adam(2e-4, beta_1 0.5), networks, ...).

    Reference: Zhao et al. 2017, "Energy-based Generative Adversarial Network",
    eq. 1, 2 and 6 (arXiv:1609.03126).
    """

    metric_names = ("discriminator_loss", "generator_loss", "pulling_away_term")

    def __init__(self, data_shape, latent_dim=100, margin=0.1, margin_schedule="fixed", margin_decay_steps=2000,
                 margin_floor=0.5, pulling_away_weight=0.1, **kwargs):
        if margin_schedule not in MARGIN_SCHEDULES:
            raise ValueError(f"margin_schedule must be one of {MARGIN_SCHEDULES}, got {margin_schedule!r}.")
        if int(margin_decay_steps) < 1 or not 0.0 <= float(margin_floor) <= 1.0:
            raise ValueError(
                f"margin_decay_steps must be >= 1 and margin_floor in [0, 1], got {margin_decay_steps} and "
                f"{margin_floor}: m_t = m * max(margin_floor, 1 - t / margin_decay_steps)."
            )
        self.margin, self.pulling_away_weight = float(margin), float(pulling_away_weight)
        self.margin_schedule = margin_schedule
        self.margin_decay_steps, self.margin_floor = int(margin_decay_steps), float(margin_floor)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)

    def current_margin(self):
        """m_t at the current training step (a tensor under "decay")."""
        if self.margin_schedule == "fixed":
            return self.margin
        return energy.linear_margin_decay(self.margin, self.step_counter, self.margin_decay_steps, self.margin_floor)

    def discriminator_loss(self, real_outputs, fake_outputs):
        return energy.ebgan_discriminator_loss(real_outputs, fake_outputs, self.current_margin())

    def generator_objective(self, batch_size, labels=None):
        fake_energy, code = self.energy_and_code(self.generator_forward(self.sample_prior(batch_size), training=True))
        pulling_away = self.pulling_away_weight * energy.pulling_away_term(code)
        loss = energy.ebgan_generator_loss(fake_energy) + pulling_away
        return loss, {"generator_loss": loss, "pulling_away_term": pulling_away}
