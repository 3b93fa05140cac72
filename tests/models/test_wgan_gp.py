"""WGAN-GP: the gradient penalty as Algorithm 1 of the paper draws it, and the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, tiny
from model_test_case import sgd_optimizers

from keras_gans import networks
from keras_gans.losses import penalties


class TestWGANGPChecks(TinyModelChecks):
    model_name = "wgan_gp"
    model_options = {"critic_steps": 2}
    # Double backpropagation overflows float16 at 2^15; the optimizer skips those steps and
    # halves the scale (see the dedicated test below), so compare from a settled scale.
    mixed_float16_loss_scale = 2.0**12


class TestPackedWGANGPChecks(TestWGANGPChecks):
    """Packing 2: each critic step's minibatch of 4 is 2 packs (1 on each of 2 replicas), the
    penalty at packed interpolates."""

    model_options = {"critic_steps": 2, "packing": 2}


def test_gradient_penalty_epsilon_is_uniform_and_one_per_example(monkeypatch):
    captured = []
    real_penalty = penalties.gradient_penalty

    def spy(critic_fn, x_real, x_fake, epsilon, **kwargs):
        captured.append(np.array(epsilon))
        return real_penalty(critic_fn, x_real, x_fake, epsilon, **kwargs)

    monkeypatch.setattr(penalties, "gradient_penalty", spy)
    model = tiny("wgan_gp", data_shape=(8, 8, 1), base_filters=4, critic_steps=1)
    model.compile()
    model.begin_step()
    model.discriminator_objective(tf.zeros((2000, 8, 8, 1)))
    (epsilon,) = captured
    assert epsilon.shape == (2000,)  # one per example, not per pixel
    assert epsilon.min() >= 0.0 and epsilon.max() <= 1.0  # uniform, not normal
    assert abs(epsilon.mean() - 0.5) < 0.03 and abs(epsilon.std() - (1 / 12) ** 0.5) < 0.03


def test_no_batch_size_is_hard_coded():
    model = tiny("wgan_gp", critic_steps=5)
    model.compile()
    for size in (10, 25, 40):
        logs = model.train_step(tf.constant(gaussian_batch(size)))
        assert np.isfinite(float(logs["gradient_penalty"]))


def test_gradient_penalty_and_update_under_mixed_float16_match_float32():
    """The inner gradient of the penalty is loss-scaled too: unscaled, float16 underflows
    and the penalty's contribution to the update is lost (a known TensorFlow trap)."""
    def make():
        keras.utils.set_random_seed(4)
        model = tiny("wgan_gp", data_shape=(8, 8, 1), base_filters=8, critic_steps=1)
        model.compile(optimizers=sgd_optimizers(model, 0.01))
        return model

    reference = make()
    keras.mixed_precision.set_global_policy("mixed_float16")
    mixed = make()
    mixed.set_weights(reference.get_weights())
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)), tf.float32)
    # From the default 2^15, dynamic scaling must settle (skip overflowing steps, halve),
    # not collapse: a NaN from sqrt(0) or an unscaled inner gradient would halve it forever.
    probe = make()
    for _ in range(12):
        probe.train_step(x)
    settled = float(probe.role_optimizers["discriminator"].dynamic_scale)
    assert settled >= 2.0**8
    for optimizer in mixed.role_optimizers.values():
        optimizer.dynamic_scale.assign(settled)
    penalties_found = []
    for model in (reference, mixed):
        model.begin_step()
        penalties_found.append(float(model.discriminator_objective(x)[1]["gradient_penalty"]))
    assert penalties_found[1] == pytest.approx(penalties_found[0], rel=2e-2)

    before = [np.array(v) for v in reference.critic.trainable_variables]
    for model in (reference, mixed):
        for _ in range(3):
            model.train_step(x)
    assert float(mixed.role_optimizers["discriminator"].dynamic_scale) == settled  # no step skipped
    for old, a, b in zip(before, reference.critic.trainable_variables, mixed.critic.trainable_variables):
        delta_ref, delta_mixed = np.array(a) - old, np.array(b) - old
        scale = np.abs(delta_ref).max()
        assert np.abs(delta_mixed - delta_ref).max() <= 0.05 * scale + 1e-4, a.path


@pytest.mark.parametrize("data_shape", [(16, 16, 1), (2,)], ids=["image", "vector"])
def test_default_critic_has_no_batch_norm_and_a_batch_norm_critic_is_refused(data_shape):
    """The penalty is per example (Gulrajani et al., section 4): batch statistics would mix
    the examples' input gradients."""
    model = tiny("wgan_gp", data_shape=data_shape, base_filters=4)
    assert networks.find_batch_normalization(model.critic) == []
    if len(data_shape) == 3:  # the image critic normalises with layer norm instead
        assert any(isinstance(layer, keras.layers.LayerNormalization) for layer in model.critic.layers)
    batch_norm_critic = networks.build_conv_discriminator((16, 16, 1), 4, batch_norm=True)
    with pytest.raises(ValueError, match=r"(?s)WGANGP .*gradient penalty.*batch normalization.*LayerNormalization"):
        tiny("wgan_gp", data_shape=(16, 16, 1), base_filters=4, discriminator=batch_norm_critic)
    # without the penalty there is nothing to refuse
    tiny("wgan_gp", data_shape=(16, 16, 1), base_filters=4, discriminator=batch_norm_critic,
         gradient_penalty_weight=0.0)
