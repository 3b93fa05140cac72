"""Every model of the loss and energy families updates under mixed_bfloat16 as it does in
float32 (conv and MLP): the same weights, batch and step noise give the same step, to
bfloat16's precision."""

import keras
import numpy as np
import pytest
from loss_family_cases import tiny
from model_test_case import fit_one_step, sgd_optimizers

# Relative error of a role's whole update (measured at most 0.007 for the MLPs and 0.083 for
# the convolutional players, LSGAN's generator, on this case): a step that is lost, scaled
# (a loss scale left in: x 2^-15) or of flipped sign is off by 1 or more.
TOLERANCE = {1: 0.03, 3: 0.15}
SEVEN = ["wgan", "wgan_gp", "least_squares_gan", "loss_sensitive_gan", "ebgan", "began", "f_gan"]


def make(name, data_shape):
    keras.utils.set_random_seed(0)
    # WGAN's critic clipped to 0.01 passes the generator a gradient of ~1e-4 (0.01^depth):
    # a bound of 1 leaves a step large enough to compare (clipping is tested in test_wgan).
    options = {"critic_steps": 2} if "wgan" in name else {}
    if name == "wgan":
        options["clip_value"] = 1.0
    model = tiny(name, data_shape=data_shape, base_filters=4, **options)
    # SGD: the step is the gradient itself, so a lost or mis-scaled gradient shows.
    model.compile(optimizers=sgd_optimizers(model, 0.05))
    return model


def role_indices(model, role):
    """Positions in model.weights of the variables `role`'s optimizer updates."""
    own = {id(v) for v in model.role_variables(role)}
    return [index for index, variable in enumerate(model.weights) if id(variable) in own]


def flat(model, role):
    return np.concatenate([np.array(model.weights[index]).ravel() for index in role_indices(model, role)])


@pytest.mark.parametrize("name", SEVEN)
@pytest.mark.parametrize("data_shape", [(8, 8, 1), (2,)], ids=["conv", "mlp"])
def test_mixed_bfloat16_step_matches_the_float32_step(name, data_shape):
    reference = make(name, data_shape)
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    mixed = make(name, data_shape)
    mixed.set_weights(reference.get_weights())
    before = [np.array(v) for v in reference.weights]
    batch = np.random.default_rng(0).uniform(-1, 1, size=(8, *data_shape)).astype(np.float32)
    reference_logs, mixed_logs = fit_one_step(reference, batch), fit_one_step(mixed, batch)

    for key, values in reference_logs.items():
        assert np.isfinite(mixed_logs[key][-1]), (key, mixed_logs[key])
        assert mixed_logs[key][-1] == pytest.approx(values[-1], rel=0.05, abs=0.02), key
    # Per role, the whole update (every variable the role's optimizer steps, flattened):
    # bfloat16 keeps 8 bits of mantissa, and the generator's gradient, back through the
    # discriminator and batch norm, loses most of it in single entries; the update as a
    # vector keeps its length and direction.
    for role in reference.optimizer_roles:
        old = np.concatenate([before[index].ravel() for index in role_indices(reference, role)])
        delta_reference = flat(reference, role) - old
        delta_mixed = flat(mixed, role) - old
        size = np.linalg.norm(delta_reference)
        error = np.linalg.norm(delta_mixed - delta_reference) / size
        assert size > 1e-3 and error < TOLERANCE[len(data_shape)], (role, size, error)
    samples = np.array(mixed.sample(4, seed=0))
    assert samples.dtype == np.float32 and samples.shape == (4, *data_shape) and np.isfinite(samples).all()
