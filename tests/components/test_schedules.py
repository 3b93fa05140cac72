import keras
import numpy as np
import pytest

from keras_gans.components.schedules import ConstantThenLinearDecay


def test_constant_then_linear_decay_to_zero():
    schedule = ConstantThenLinearDecay(2e-4, constant_steps=100, decay_steps=100)
    rates = [float(schedule(step)) for step in (0, 100, 150, 199, 200, 500)]
    np.testing.assert_allclose(rates, [2e-4, 2e-4, 1e-4, 2e-6, 0.0, 0.0], rtol=1e-5, atol=1e-12)


def test_it_round_trips_through_an_optimizer_config():
    optimizer = keras.optimizers.Adam(ConstantThenLinearDecay(1.0, 2, 4))
    restored = keras.optimizers.Adam.from_config(optimizer.get_config())
    assert float(restored.learning_rate) == pytest.approx(1.0)
    assert restored.get_config()["learning_rate"]["config"]["decay_steps"] == 4
