"""Closed-form checks of the adversarial loss pairs on hand-computed cases."""

import math

import numpy as np
import pytest
from keras import ops

from keras_gans import losses

REAL = np.array([0.0, 2.0], np.float32)   # D(x) logits
FAKE = np.array([-1.0, 1.0], np.float32)  # D(G(z)) logits


def sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_minimax_discriminator_loss_is_negative_log_likelihood():
    # -mean(log D(x)) - mean(log(1 - D(G(z)))) written with probabilities.
    expected = -(math.log(sigmoid(0)) + math.log(sigmoid(2))) / 2 - (
        math.log(1 - sigmoid(-1)) + math.log(1 - sigmoid(1))
    ) / 2
    assert value(losses.minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-6)
    # A hand number: logits 0 everywhere -> D = 1/2 -> 2 log 2.
    assert value(losses.minimax_discriminator_loss(np.zeros(3), np.zeros(3))) == pytest.approx(
        2 * math.log(2), rel=1e-6
    )


def test_generator_losses():
    minimax = (math.log(1 - sigmoid(-1)) + math.log(1 - sigmoid(1))) / 2
    non_saturating = -(math.log(sigmoid(-1)) + math.log(sigmoid(1))) / 2
    assert value(losses.minimax_generator_loss(FAKE)) == pytest.approx(minimax, rel=1e-6)
    assert value(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(non_saturating, rel=1e-6)


def test_logit_losses_are_finite_and_exact_at_extreme_logits():
    # A probability-space implementation gives log(0) = -inf here.
    assert value(losses.minimax_discriminator_loss([-100.0], [100.0])) == pytest.approx(200.0)
    assert value(losses.non_saturating_generator_loss([-100.0])) == pytest.approx(100.0)
    assert value(losses.minimax_generator_loss([100.0])) == pytest.approx(-100.0)


def test_least_squares_losses_with_paper_targets():
    # a=0, b=1, c=1 (Mao et al. eq. 2): 1/2 mean((D(x)-1)^2) + 1/2 mean(D(G(z))^2)
    expected_d = 0.5 * ((0 - 1) ** 2 + (2 - 1) ** 2) / 2 + 0.5 * ((-1) ** 2 + 1**2) / 2
    assert value(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(expected_d)
    expected_g = 0.5 * ((-1 - 1) ** 2 + (1 - 1) ** 2) / 2
    assert value(losses.least_squares_generator_loss(FAKE)) == pytest.approx(expected_g)
    # The -1/1/0 coding of the paper's section 3.2.
    assert value(losses.least_squares_discriminator_loss(REAL, FAKE, a=-1.0, b=1.0)) == pytest.approx(
        0.5 * (1 + 1) / 2 + 0.5 * (0 + 4) / 2
    )
    assert value(losses.least_squares_generator_loss(FAKE, c=0.0)) == pytest.approx(0.5)


def test_wasserstein_losses():
    assert value(losses.wasserstein_critic_loss(REAL, FAKE)) == pytest.approx(0.0 - 1.0)
    assert value(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(0.0)
    assert value(losses.wasserstein_generator_loss([3.0, 5.0])) == pytest.approx(-4.0)


#: every (discriminator loss, generator loss) pair the models use
LOSS_PAIRS = {
    "minimax": (losses.minimax_discriminator_loss, losses.minimax_generator_loss),
    "non_saturating": (losses.minimax_discriminator_loss, losses.non_saturating_generator_loss),
    "least_squares": (losses.least_squares_discriminator_loss, losses.least_squares_generator_loss),
    "wasserstein": (losses.wasserstein_critic_loss, losses.wasserstein_generator_loss),
}


@pytest.mark.parametrize("name", sorted(LOSS_PAIRS))
def test_patch_outputs_average_over_every_axis(name):
    """A PatchGAN's (N, H, W, 1) logits give the mean of the per-patch losses."""
    d_loss, g_loss = LOSS_PAIRS[name]
    rng = np.random.default_rng(0)
    real = rng.normal(size=(2, 4, 4, 1)).astype(np.float32)
    fake = rng.normal(size=(2, 4, 4, 1)).astype(np.float32)
    assert value(d_loss(real, fake)) == pytest.approx(value(d_loss(real.ravel(), fake.ravel())), rel=1e-5)
    assert value(g_loss(fake)) == pytest.approx(value(g_loss(fake.ravel())), rel=1e-5)


@pytest.mark.parametrize("name", sorted(LOSS_PAIRS))
def test_half_precision_logits_give_float32_losses(name):
    d_loss, g_loss = LOSS_PAIRS[name]
    real, fake = REAL.astype(np.float16), FAKE.astype(np.float16)
    assert ops.convert_to_numpy(d_loss(real, fake)).dtype == np.float32
    assert ops.convert_to_numpy(g_loss(fake)).dtype == np.float32
    assert value(d_loss(real, fake)) == pytest.approx(value(d_loss(REAL, FAKE)), rel=1e-3)


def test_two_fakes_discriminator_loss_is_the_three_term_cross_entropy():
    from keras_gans.losses import minimax_discriminator_loss_two_fakes

    real, reconstruction, prior = np.array([2.0, 0.0]), np.array([-1.0]), np.array([0.5, 1.0])
    expected = (np.mean(np.log1p(np.exp(-real))) + np.mean(np.log1p(np.exp(reconstruction)))
                + np.mean(np.log1p(np.exp(prior))))
    assert float(minimax_discriminator_loss_two_fakes(real, reconstruction, prior)) == pytest.approx(expected, rel=1e-6)


def test_two_fakes_generator_losses_are_the_decoders_terms_over_both_fakes():
    reconstruction, prior = np.array([-1.0, 1.0], np.float32), np.array([0.5], np.float32)
    # -mean(log D(x_tilde)) - mean(log D(x_p)) and mean(log(1 - D(x_tilde))) + mean(log(1 - D(x_p))).
    non_saturating = -(math.log(sigmoid(-1)) + math.log(sigmoid(1))) / 2 - math.log(sigmoid(0.5))
    minimax = (math.log(1 - sigmoid(-1)) + math.log(1 - sigmoid(1))) / 2 + math.log(1 - sigmoid(0.5))
    assert value(losses.non_saturating_generator_loss_two_fakes(reconstruction, prior)) == pytest.approx(
        non_saturating, rel=1e-6)
    assert value(losses.minimax_generator_loss_two_fakes(reconstruction, prior)) == pytest.approx(minimax, rel=1e-6)
    # Logits 0 everywhere: D = 1/2, each term log 2 (non-saturating) or -log 2 (min-max).
    assert value(losses.non_saturating_generator_loss_two_fakes(np.zeros(3), np.zeros(2))) == pytest.approx(
        2 * math.log(2), rel=1e-6)
    assert value(losses.minimax_generator_loss_two_fakes(np.zeros(3), np.zeros(2))) == pytest.approx(
        -2 * math.log(2), rel=1e-6)
    # Finite where a probability-space version gives log(0).
    assert value(losses.non_saturating_generator_loss_two_fakes([-100.0], [-100.0])) == pytest.approx(200.0)
    assert value(losses.minimax_generator_loss_two_fakes([100.0], [100.0])) == pytest.approx(-200.0)
