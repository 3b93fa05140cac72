"""Every model of the loss and energy families trains under mixed_bfloat16 (conv and MLP)."""

import keras
import numpy as np
import pytest
from loss_family_cases import tiny
from model_test_case import fit_one_step

SEVEN = ["wgan", "wgan_gp", "least_squares_gan", "loss_sensitive_gan", "ebgan", "began", "f_gan"]


@pytest.mark.parametrize("name", SEVEN)
@pytest.mark.parametrize("data_shape", [(8, 8, 1), (2,)], ids=["conv", "mlp"])
def test_trains_under_mixed_bfloat16(name, data_shape):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = tiny(name, data_shape=data_shape, base_filters=4, **({"critic_steps": 2} if "wgan" in name else {}))
    model.compile()
    rng = np.random.default_rng(0)
    batch = rng.uniform(-1, 1, size=(8, *data_shape)).astype(np.float32)
    before = [np.array(v) for v in model.generator.trainable_variables]
    history = fit_one_step(model, batch)
    assert all(np.isfinite(values[-1]) for values in history.values()), history
    assert any(not np.array_equal(a, np.array(b)) for a, b in zip(before, model.generator.trainable_variables))
    samples = np.array(model.sample(4, seed=0))
    assert samples.dtype == np.float32 and samples.shape == (4, *data_shape) and np.isfinite(samples).all()
