"""WGAN: Algorithm 1 of the paper (shared with WGAN-GP where marked), the known peer bugs, the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, linear_players, tiny
from model_test_case import sgd_optimizers


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
    assert float(model.generator_objective(3)[0]) == pytest.approx(-2.0)


def test_every_critic_weight_is_clipped_after_each_critic_update():
    """Clipping must follow EVERY critic update, not only the last one: with SGD at rate 1
    each update throws weights far past c, and the critic each later step (and the
    generator's step) sees must already be back in [-c, c]."""
    clip, steps = 0.01, 3
    model = tiny("wgan", critic_steps=steps, clip_value=clip)
    model.compile(optimizers=sgd_optimizers(model, learning_rate=1.0))
    critic = model.critic.trainable_variables
    events = []  # ("updated" right after an optimizer update | "seen" when a step reads the critic, weights)

    def snapshot(kind):
        events.append((kind, [np.array(v) for v in critic]))

    optimizer = model.role_optimizers["discriminator"]
    apply, discriminator_objective, generator_objective = (
        optimizer.apply, model.discriminator_objective, model.generator_objective)

    def spy_apply(grads, variables):
        result = apply(grads, variables)
        snapshot("updated")
        return result

    optimizer.apply = spy_apply
    model.discriminator_objective = lambda *a, **k: snapshot("seen") or discriminator_objective(*a, **k)
    model.generator_objective = lambda *a, **k: snapshot("seen") or generator_objective(*a, **k)
    model.train_step(tf.constant(gaussian_batch(4 * steps)))  # eager: the spies see each step

    kinds = [kind for kind, _ in events]
    assert kinds == ["seen"] + ["updated", "seen"] * steps  # critic 1, 2, 3, then the generator
    for index in range(1, len(events), 2):
        (_, updated), (_, seen) = events[index], events[index + 1]
        # the raw update left the box (so clipping had work to do) ...
        assert max(np.abs(w).max() for w in updated) > clip + 1e-3
        # ... and the next reader saw every weight clipped to [-c, c], some at the bound
        for weights, variable in zip(seen, critic):
            assert np.abs(weights).max() <= clip + 1e-7, (index, variable.path)
        assert any(np.isclose(np.abs(w).max(), clip) for w in seen)
        np.testing.assert_array_equal(np.concatenate([w.ravel() for w in seen]),
                                      np.clip(np.concatenate([w.ravel() for w in updated]), -clip, clip))


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
