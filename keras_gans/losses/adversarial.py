"""Adversarial loss pairs, computed from the discriminator's raw outputs (logits).

Every function takes the discriminator's outputs on real data (`real_logits`) and/or on
generated data (`fake_logits`) and returns a scalar: the mean over the local batch (and over
any spatial axes, so PatchGAN outputs of rank 2-4 work unchanged). The real=1 / fake=0 label
convention lives here and nowhere else. Outputs are cast to float32 first so that losses stay
exact under mixed precision.

Identities used for numerical stability (sigma = sigmoid):
    -log sigma(l)     = softplus(-l)
    -log(1 - sigma(l)) = softplus(l)
"""

from keras import ops

from keras_gans.losses._common import _f32, _mean


# --- Goodfellow et al. 2014, "Generative Adversarial Nets", arXiv:1406.2661 ---------------


def minimax_discriminator_loss(real_logits, fake_logits):
    """Discriminator loss of the original GAN value function.

    L_D = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]
        = E[softplus(-real_logits)] + E[softplus(fake_logits)]

    Reference: Goodfellow et al. 2014, eq. 1 (arXiv:1406.2661).
    """
    return _mean(ops.softplus(-_f32(real_logits))) + _mean(ops.softplus(_f32(fake_logits)))


def minimax_discriminator_loss_two_fakes(real_logits, reconstruction_logits, prior_logits):
    """The discriminator loss of the autoencoder-GAN hybrids, which judge two kinds of fakes:

    L_D = -E[log D(x)] - E[log(1 - D(Dec(Enc(x))))] - E[log(1 - D(Dec(z_p)))]
        = E[softplus(-real)] + E[softplus(reconstruction)] + E[softplus(prior)]

    Reference: Larsen et al. 2016, eq. 9 (arXiv:1512.09300); Bao et al. 2017 (arXiv:1703.10155).
    """
    return minimax_discriminator_loss(real_logits, prior_logits) + _mean(ops.softplus(_f32(reconstruction_logits)))


def minimax_generator_loss(fake_logits):
    """Generator loss of the original (saturating) minimax game.

    L_G = E_z[log(1 - D(G(z)))] = -E[softplus(fake_logits)]

    It saturates when D rejects the fakes confidently; see `non_saturating_generator_loss`.
    Reference: Goodfellow et al. 2014, eq. 1 (arXiv:1406.2661).
    """
    return -_mean(ops.softplus(_f32(fake_logits)))


def non_saturating_generator_loss(fake_logits):
    """The non-saturating generator loss: maximise log D(G(z)) instead.

    L_G = -E_z[log D(G(z))] = E[softplus(-fake_logits)]

    Reference: Goodfellow et al. 2014, section 3 (arXiv:1406.2661).
    """
    return _mean(ops.softplus(-_f32(fake_logits)))


def non_saturating_generator_loss_two_fakes(reconstruction_logits, prior_logits):
    """The decoder's GAN loss in the autoencoder-GAN hybrids, non-saturating, over both fakes:

    L_Dec = -E[log D(Dec(Enc(x)))] - E[log D(Dec(z_p))]
          = E[softplus(-reconstruction)] + E[softplus(-prior)]

    Reference: Larsen et al. 2016, Algorithm 1 (arXiv:1512.09300) with the non-saturating
    form of Goodfellow et al. 2014, section 3.
    """
    return non_saturating_generator_loss(reconstruction_logits) + non_saturating_generator_loss(prior_logits)


def minimax_generator_loss_two_fakes(reconstruction_logits, prior_logits):
    """The decoder's part of the three-input min-max game (Larsen et al. 2016, eq. 9):

    L_Dec = E[log(1 - D(Dec(Enc(x))))] + E[log(1 - D(Dec(z_p)))]
          = -E[softplus(reconstruction)] - E[softplus(prior)]
    """
    return minimax_generator_loss(reconstruction_logits) + minimax_generator_loss(prior_logits)


# --- Mao et al. 2017, "Least Squares Generative Adversarial Networks", arXiv:1611.04076 ---


def least_squares_discriminator_loss(real_logits, fake_logits, a=0.0, b=1.0):
    """Least-squares discriminator loss with fake target a and real target b.

    L_D = 1/2 E_x[(D(x) - b)^2] + 1/2 E_z[(D(G(z)) - a)^2]

    Reference: Mao et al. 2017, eq. 2 (arXiv:1611.04076). D(.) is the raw (linear) output.
    """
    return 0.5 * _mean(ops.square(_f32(real_logits) - b)) + 0.5 * _mean(
        ops.square(_f32(fake_logits) - a)
    )


def least_squares_generator_loss(fake_logits, c=1.0):
    """Least-squares generator loss: L_G = 1/2 E_z[(D(G(z)) - c)^2] (Mao et al. 2017, eq. 2)."""
    return 0.5 * _mean(ops.square(_f32(fake_logits) - c))


# --- Arjovsky et al. 2017, "Wasserstein GAN", arXiv:1701.07875 ----------------------------


def wasserstein_critic_loss(real_scores, fake_scores):
    """Critic loss of the Wasserstein GAN: L_critic = E[f(G(z))] - E[f(x)].

    Minimising it maximises the Kantorovich-Rubinstein estimate E[f(x)] - E[f(G(z))] of the
    Wasserstein-1 distance (Arjovsky et al. 2017, eq. 3, arXiv:1701.07875).
    """
    return _mean(fake_scores) - _mean(real_scores)


def wasserstein_generator_loss(fake_scores):
    """Generator loss of the Wasserstein GAN: L_G = -E[f(G(z))] (Arjovsky et al. 2017)."""
    return -_mean(fake_scores)
