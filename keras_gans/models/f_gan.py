"""f-GAN: variational divergence minimisation for any f-divergence."""

from keras_gans.losses import f_divergence, penalties
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


@register_model("f_gan")
class FGAN(GAN):
    """f-GAN (Nowozin, Cseke & Tomioka 2016).

    For a convex f with f(1) = 0, D_f(P || Q) = E_Q[f(p(x) / q(x))] is bounded below by
        F(theta, omega) = E_{x~P}[g_f(V_omega(x))] - E_{x~Q_theta}[f*(g_f(V_omega(x)))]     (eq. 6)
    where V_omega is the discriminator's raw output, g_f the divergence's output activation
    (it keeps T = g_f(V) in the domain of the Fenchel conjugate f*; Table 2). The variational
    function maximises F, the generator minimises it; with generator_loss="alternative"
    (section 3.2, what the paper trains with) the generator maximises E_Q[g_f(V(G(z)))]
    instead. `divergence` picks f: kl, reverse_kl, jensen_shannon, gan, pearson,
    squared_hellinger, total_variation (see `keras_gans.losses.f_divergence`).

    Divergences whose conjugate is unbounded (KL: exp, Pearson: quadratic) let V grow without
    limit where only real data lies (T* = f'(p/q) is infinite where q = 0). `r1_weight` = gamma
    adds gamma / 2 * E_P[||grad_x V(x)||^2] to the variational function's loss (R1, Mescheder
    et al. 2018; not in the f-GAN paper, so off by default), logged as `r1_penalty`; the 2D
    mixture recipes of those divergences turn it on (keras_gans.recipes). The penalty is per
    example, so with it on the default convolutional discriminator uses layer norm instead of
    batch norm (as WGAN-GP's critic does), and a discriminator passed in must hold no
    BatchNormalization (refused with a ValueError: batch statistics mix the examples'
    gradients).

    Args:
        divergence: str. Name of the f-divergence. Defaults to "jensen_shannon".
        generator_loss: "alternative" or "minimax". Defaults to "alternative". For
            "reverse_kl" the alternative loss E_Q[exp(-V(G(z)))] overflows once V(G(z)) is
            very negative; the minimax loss -E_Q[V(G(z)) - 1] is linear in V and stays finite.
        r1_weight: float. gamma of the R1 penalty on real data (0 disables). Defaults to 0.
        Others: see `GAN` (Adam(2e-4, beta_1 0.5), discriminator_steps, networks, ...).

    Reference: Nowozin et al. 2016, "f-GAN: Training Generative Neural Samplers using
    Variational Divergence Minimization", eq. 6, Table 2, section 3.2 (arXiv:1606.00709).
    """

    metric_names = ("discriminator_loss", "generator_loss")
    network_family = "auto"
    extends_gan_discriminator_objective = True
    input_gradient_penalties = {**GAN.input_gradient_penalties, "r1_weight": ("r1_penalty", "the R1 penalty")}

    def __init__(self, data_shape, latent_dim=100, divergence="jensen_shannon", generator_loss="alternative",
                 r1_weight=0.0, **kwargs):
        self._divergence = f_divergence.get_f_divergence(divergence)  # refuses unknown names
        self.divergence = divergence
        if generator_loss not in f_divergence.GENERATOR_MODES:
            raise ValueError(f"generator_loss must be one of {f_divergence.GENERATOR_MODES}, got {generator_loss!r}.")
        self.r1_weight = r1_weight  # checked, logged and guarded by GAN (input_gradient_penalties)
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, **kwargs)
        self.generator_loss_type = generator_loss

    def discriminator_loss(self, real_outputs, fake_outputs):
        return f_divergence.f_gan_discriminator_loss(real_outputs, fake_outputs, self._divergence)

    def discriminator_objective(self, x, labels=None):
        """-F (eq. 6) on one real minibatch, plus (gamma / 2) E_P[||grad_x V(x)||^2] with R1 on."""
        loss, terms = super().discriminator_objective(x, labels)
        if not self.r1_weight:
            return loss, terms
        r1_penalty = 0.5 * self.r1_weight * penalties.r1_penalty(
            lambda x: self.judge(x, labels), x, scale_loss=self.role_optimizers["discriminator"].scale_loss,
            packing=self.packing,
        )
        return loss + r1_penalty, {**terms, "r1_penalty": r1_penalty}

    def adversarial_generator_loss(self, fake_outputs):
        return f_divergence.f_gan_generator_loss(fake_outputs, self._divergence, mode=self.generator_loss_type)
