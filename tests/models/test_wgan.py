"""WGAN and WGAN-GP: Algorithm 1 of each paper, the known peer bugs, and the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, linear_players, tiny
from model_test_case import fit_one_step, sgd_optimizers

from keras_gans.losses import penalties
from keras_gans.models import wgan as wgan_module


class TestWGANChecks(TinyModelChecks):
    model_name = "wgan"
    model_options = {"critic_steps": 2}


class TestWGANGPChecks(TinyModelChecks):
    model_name = "wgan_gp"
    model_options = {"critic_steps": 2}
    # Double backpropagation overflows float16 at 2^15; the optimizer skips those steps and
    # halves the scale (see the dedicated test below), so compare from a settled scale.
    mixed_float16_loss_scale = 2.0**12


def test_paper_defaults():
    wgan, gp = tiny("wgan"), tiny("wgan_gp")
    assert (wgan.critic_steps, wgan.clip_value, gp.critic_steps, gp.gradient_penalty_weight) == (5, 0.01, 5, 10.0)
    critic, generator = wgan.default_optimizers()["discriminator"], wgan.default_optimizers()["generator"]
    assert isinstance(critic, keras.optimizers.RMSprop) and isinstance(generator, keras.optimizers.RMSprop)
    assert float(critic.learning_rate) == pytest.approx(5e-5)
    adam = gp.default_optimizers()["discriminator"]
    assert isinstance(adam, keras.optimizers.Adam)
    assert (float(adam.learning_rate), adam.beta_1, adam.beta_2) == pytest.approx((1e-4, 0.0, 0.9))
    assert "discriminator_steps" not in wgan.get_config() and "clip_value" not in gp.get_config()
    averaged = tiny("wgan_gp", generator_ema=0.99).default_optimizers()
    assert averaged["generator"].use_ema and not averaged["discriminator"].use_ema


def test_critic_objective_is_the_wasserstein_estimate_on_a_hand_case():
    model = tiny("wgan", latent_dim=2, hidden_units=())
    x = linear_players(model)  # f(x) = 0 and 2 on real data, 2 on fakes
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(2.0 - 1.0)  # E f(G(z)) - E f(x)
    assert float(model.generator_objective(3)) == pytest.approx(-2.0)


def test_every_critic_weight_is_clipped_after_each_critic_update():
    model = tiny("wgan", critic_steps=2, clip_value=0.01)
    model.compile(optimizers=sgd_optimizers(model, learning_rate=1.0))  # steps far past the bound
    fit_one_step(model, gaussian_batch())
    for variable in model.critic.trainable_variables:
        assert np.abs(np.array(variable)).max() <= 0.01 + 1e-7, variable.path
    assert any(np.isclose(np.abs(np.array(v)).max(), 0.01) for v in model.critic.trainable_variables)


@pytest.mark.parametrize("name", ["wgan", "wgan_gp"])
def test_each_critic_step_gets_a_fresh_real_minibatch(name):
    model = tiny(name, critic_steps=5)
    seen = []
    original = model.discriminator_objective
    model.discriminator_objective = lambda x, labels=None: seen.append(x) or original(x, labels)
    model.compile()
    batch = np.arange(20, dtype=np.float32).reshape(10, 2)
    model.train_step(tf.constant(batch))
    assert len(seen) == 5
    rows = [tuple(map(tuple, s.numpy())) for s in seen]
    assert len({r for minibatch in rows for r in minibatch}) == 10  # every example used once


def test_gradient_penalty_epsilon_is_uniform_and_one_per_example(monkeypatch):
    captured = []
    real_penalty = penalties.gradient_penalty

    def spy(critic_fn, x_real, x_fake, epsilon, **kwargs):
        captured.append(np.array(epsilon))
        return real_penalty(critic_fn, x_real, x_fake, epsilon, **kwargs)

    monkeypatch.setattr(wgan_module.penalties, "gradient_penalty", spy)
    model = tiny("wgan_gp", data_shape=(8, 8, 1), base_filters=4, critic_steps=1)
    model.compile()
    model.begin_step()
    x = tf.zeros((2000, 8, 8, 1))
    model.discriminator_penalty(x, x + 1.0)
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
        penalties_found.append(float(model.discriminator_penalty(x, -x)["gradient_penalty"]))
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
