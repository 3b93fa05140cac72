"""Gradient penalty and weight clipping against their analytic values."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.losses import penalties


def linear_critic(w):
    """D(x) = <w, x>: its input gradient is w everywhere."""
    w = tf.constant(w, tf.float32)
    return lambda x: tf.reduce_sum(tf.reshape(x, [tf.shape(x)[0], -1]) * tf.reshape(w, [1, -1]), axis=1)


@pytest.mark.parametrize("shape", [(3,), (2, 2, 1)])
def test_gradient_penalty_of_a_linear_critic_is_its_closed_form(shape):
    rng = np.random.default_rng(0)
    w = rng.normal(size=shape)
    x_real = rng.normal(size=(5, *shape)).astype(np.float32)
    x_fake = rng.normal(size=(5, *shape)).astype(np.float32)
    gp = penalties.gradient_penalty(linear_critic(w), x_real, x_fake, np.full(5, 0.3, np.float32))
    # ||grad D|| = ||w|| at every interpolate: GP = (||w|| - 1)^2
    assert float(gp) == pytest.approx((np.linalg.norm(w) - 1.0) ** 2, rel=1e-5)


@pytest.mark.parametrize("shape", [(3,), (2, 2, 1)])
def test_r1_penalty_of_a_linear_discriminator_is_its_squared_weight_norm(shape):
    rng = np.random.default_rng(1)
    w = rng.normal(size=shape)
    x_real = rng.normal(size=(5, *shape)).astype(np.float32)
    assert float(penalties.r1_penalty(linear_critic(w), x_real)) == pytest.approx(np.sum(w**2), rel=1e-5)


def test_r1_penalty_of_a_quadratic_discriminator_averages_per_example_squared_norms():
    # D(x) = sum x^2: grad = 2x, R1 = mean_i ||2 x_i||^2 = (4 * (1 + 4) + 4 * 9) / 2
    x_real = np.array([[1.0, 2.0], [0.0, 3.0]], np.float32)
    r1 = penalties.r1_penalty(lambda x: tf.reduce_sum(x**2, axis=1), x_real)
    assert float(r1) == pytest.approx((20.0 + 36.0) / 2, rel=1e-6)


def test_interpolation_uses_one_epsilon_per_example_for_every_pixel():
    x_real = np.ones((2, 3, 3, 1), np.float32)
    x_fake = np.zeros((2, 3, 3, 1), np.float32)
    x_hat = np.array(penalties.interpolate(x_real, x_fake, np.array([0.25, 0.75], np.float32)))
    np.testing.assert_allclose(x_hat[0], 0.25)
    np.testing.assert_allclose(x_hat[1], 0.75)


def test_gradient_penalty_of_a_nonlinear_critic_matches_finite_differences():
    """D(x) = sum(x^2): grad = 2 x_hat, so GP = mean_i (2 ||x_hat_i|| - 1)^2."""
    x_real = np.array([[1.0, 2.0], [0.0, -1.0]], np.float32)
    x_fake = np.array([[3.0, 0.0], [1.0, 1.0]], np.float32)
    eps = np.array([0.5, 0.2], np.float32)
    gp = penalties.gradient_penalty(lambda x: tf.reduce_sum(x**2, axis=1), x_real, x_fake, eps)
    x_hat = eps[:, None] * x_real + (1 - eps[:, None]) * x_fake
    expected = np.mean((2 * np.linalg.norm(x_hat, axis=1) - 1) ** 2)
    assert float(gp) == pytest.approx(expected, rel=1e-5)


def test_zero_input_gradient_gives_a_finite_penalty_gradient():
    """sqrt(0) has an infinite derivative: without the epsilon under the root the
    critic's update would be NaN (a known peer bug)."""
    w = tf.Variable([[1.0], [2.0]])

    def dead_critic(x):  # D(x) = 0 * <x, w>: zero input gradient, but connected to w
        return 0.0 * tf.matmul(x, w)

    with tf.GradientTape() as tape:
        gp = penalties.gradient_penalty(dead_critic, tf.ones((4, 2)), tf.zeros((4, 2)), tf.fill([4], 0.5))
    grad = tape.gradient(gp, w)
    assert float(gp) == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.isfinite(grad.numpy()))


def test_loss_scaled_inner_gradient_is_divided_back_out():
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=1024.0)
    w = np.array([3.0, 4.0])
    x = np.ones((4, 2), np.float32)
    scaled = penalties.gradient_penalty(linear_critic(w), x, x, np.full(4, 0.5), scale_loss=optimizer.scale_loss)
    assert float(scaled) == pytest.approx(16.0, rel=1e-6)  # (5 - 1)^2


def test_clip_weights_clamps_every_variable():
    variables = [tf.Variable([-1.0, 0.005, 2.0]), tf.Variable([[0.3]])]
    penalties.clip_weights(variables, 0.01)
    np.testing.assert_allclose(variables[0].numpy(), [-0.01, 0.005, 0.01])
    np.testing.assert_allclose(variables[1].numpy(), [[0.01]])
