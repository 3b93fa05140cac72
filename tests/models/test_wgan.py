"""WGAN: Algorithm 1 of the paper (shared with WGAN-GP where marked), the known peer bugs, the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, linear_players, tiny
from model_test_case import fit_one_step, sgd_optimizers



class TestWGANChecks(TinyModelChecks):
    model_name = "wgan"
    model_options = {"critic_steps": 2}


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
