"""EBGAN, BEGAN and loss-sensitive objectives on hand-computed cases."""

import numpy as np
import pytest

from keras_gans.losses import energy


def test_reconstruction_energy_is_the_per_example_mean_error():
    x = np.zeros((2, 2, 2, 1), np.float32)
    rec = np.array([np.full((2, 2, 1), 0.5), np.array([[[1.0], [0.0]], [[0.0], [-1.0]]])], np.float32)
    np.testing.assert_allclose(energy.reconstruction_energy(x, rec, "l2"), [0.25, 0.5])
    np.testing.assert_allclose(energy.reconstruction_energy(x, rec, "l1"), [0.5, 0.5])
    with pytest.raises(ValueError, match="norm"):
        energy.reconstruction_energy(x, rec, "l3")


def test_ebgan_losses_on_a_hand_case():
    real, fake = np.array([0.1, 0.3]), np.array([0.5, 2.0])
    # L_D = mean(real) + mean([m - fake]_+) with m = 1: 0.2 + (0.5 + 0) / 2
    assert float(energy.ebgan_discriminator_loss(real, fake, 1.0)) == pytest.approx(0.45)
    assert float(energy.ebgan_generator_loss(fake)) == pytest.approx(1.25)


def test_linear_margin_decay_on_hand_cases():
    # m_t = m max(floor, 1 - t / T), m = 2, T = 8, floor = 0.25
    for step, expected in [(0, 2.0), (2, 1.5), (4, 1.0), (6, 0.5), (8, 0.5), (80, 0.5)]:
        assert float(energy.linear_margin_decay(2.0, step, 8, 0.25)) == pytest.approx(expected)
    assert float(energy.linear_margin_decay(2.0, np.int64(8), 8, 0.0)) == 0.0


def test_pulling_away_term_on_hand_cases():
    orthogonal = np.eye(3, dtype=np.float32)
    assert float(energy.pulling_away_term(orthogonal)) == pytest.approx(0.0, abs=1e-7)
    collapsed = np.tile([[1.0, 2.0, -1.0]], (4, 1)).astype(np.float32)
    assert float(energy.pulling_away_term(collapsed)) == pytest.approx(1.0, rel=1e-5)
    # two codes at 60 degrees: cos^2 = 1/4, and the pair counts twice over N(N-1) = 2
    two = np.array([[1.0, 0.0], [0.5, np.sqrt(3) / 2]], np.float32)
    assert float(energy.pulling_away_term(two)) == pytest.approx(0.25, rel=1e-5)
    # scale-invariant
    assert float(energy.pulling_away_term(two * 7)) == pytest.approx(0.25, rel=1e-5)


def test_began_k_update_moves_towards_equilibrium_and_stays_in_unit_interval():
    # gamma L(x) - L(G(z)) = 0.5 * 0.4 - 0.1 = 0.1 -> k grows by lambda_k * 0.1
    assert float(energy.began_k_update(0.3, 0.4, 0.1, 0.5, 0.001)) == pytest.approx(0.3001)
    assert float(energy.began_k_update(0.3, 0.4, 0.5, 0.5, 0.001)) == pytest.approx(0.2997)
    assert float(energy.began_k_update(0.0, 0.1, 5.0, 0.5, 0.1)) == 0.0
    assert float(energy.began_k_update(1.0, 5.0, 0.0, 0.5, 0.1)) == 1.0
    assert float(energy.began_discriminator_loss(np.array([0.2, 0.4]), np.array([1.0]), 0.5)) == pytest.approx(-0.2)
    assert float(energy.began_convergence(0.4, 0.1, 0.5)) == pytest.approx(0.4 + 0.1)


def test_loss_sensitive_margin_is_the_l1_norm_or_its_mean():
    x_real = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, -1.0]], np.float32)
    x_fake = np.array([[1.0, 0.0, -0.5], [1.0, 0.5, 1.0]], np.float32)
    # ||x - G(z)||_1 = [1 + 0 + 0.5, 0 + 0.5 + 2] = [1.5, 2.5]; over 3 dimensions [0.5, 5/6]
    np.testing.assert_allclose(energy.l1_margin(x_real, x_fake), [1.5, 2.5])
    np.testing.assert_allclose(energy.l1_margin(x_real, x_fake, "l1_sum"), [1.5, 2.5])
    np.testing.assert_allclose(energy.l1_margin(x_real, x_fake, "mean"), [0.5, 2.5 / 3], rtol=1e-6)
    images = np.zeros((1, 28, 28, 1), np.float32)
    assert float(energy.l1_margin(images, images + 0.5)[0]) == pytest.approx(392.0)  # 784 x 0.5
    assert float(energy.l1_margin(images, images + 0.5, "mean")[0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="margin norm"):
        energy.l1_margin(x_real, x_fake, "l2")


def test_loss_sensitive_objective_on_a_hand_case():
    x_real = np.array([[0.0, 0.0], [1.0, 1.0]], np.float32)
    x_fake = np.array([[1.0, 0.0], [1.0, 1.0]], np.float32)
    margin = energy.l1_margin(x_real, x_fake)
    np.testing.assert_allclose(margin, [1.0, 0.0])
    real_loss = np.array([[0.2], [0.4]], np.float32)  # (n, 1) network outputs
    fake_loss = np.array([[0.3], [0.1]], np.float32)
    # hinges [Delta + L(x) - L(G(z))]_+ = [1 + 0.2 - 0.3, 0 + 0.4 - 0.1] = [0.9, 0.3]: mean 0.6
    # the paper's form (gamma = 1, the default): mean(L(x)) + 0.6 = 0.3 + 0.6
    assert float(energy.loss_sensitive_discriminator_loss(real_loss, fake_loss, margin)) == pytest.approx(0.9)
    loss = energy.loss_sensitive_discriminator_loss(real_loss, fake_loss, margin, gamma=0.5)
    assert float(loss) == pytest.approx(0.5 * 0.3 + 0.6, rel=1e-6)
    # gamma = 0 with the mean margin [0.5, 0]: hinges [0.4, 0.3]
    mean_margin = energy.l1_margin(x_real, x_fake, "mean")
    loss = energy.loss_sensitive_discriminator_loss(real_loss, fake_loss, mean_margin, gamma=0.0)
    assert float(loss) == pytest.approx(0.35)
    assert float(energy.loss_sensitive_generator_loss(fake_loss)) == pytest.approx(0.2)
