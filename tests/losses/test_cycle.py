"""Closed-form checks of the cycle-consistency and identity losses."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import losses

X = np.array([[[[0.0], [1.0]], [[-1.0], [0.5]]]], np.float32)         # one 2x2x1 image
X_CYCLED = np.array([[[[0.5], [1.0]], [[1.0], [-0.5]]]], np.float32)  # differences .5, 0, 2, -1


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_cycle_loss_l1_is_the_mean_absolute_difference():
    assert value(losses.cycle_consistency_loss(X, X_CYCLED)) == pytest.approx((0.5 + 0 + 2 + 1) / 4)


def test_cycle_loss_l2_is_the_mean_squared_difference():
    assert value(losses.cycle_consistency_loss(X, X_CYCLED, norm="l2")) == pytest.approx(
        (0.25 + 0 + 4 + 1) / 4)


def test_cycle_loss_averages_over_the_batch_and_is_zero_for_a_perfect_cycle():
    batch = np.concatenate([X, X])
    assert value(losses.cycle_consistency_loss(batch, np.concatenate([X, X_CYCLED]))) == pytest.approx(3.5 / 8)
    assert value(losses.cycle_consistency_loss(X, X)) == 0.0


def test_identity_loss_is_the_l1_distance_of_g_y_to_y():
    assert value(losses.identity_loss(X, X_CYCLED)) == pytest.approx(0.875)


def test_float16_inputs_give_a_float32_loss():
    loss = losses.cycle_consistency_loss(X.astype(np.float16), X_CYCLED.astype(np.float16))
    assert keras.backend.standardize_dtype(loss.dtype) == "float32" and value(loss) == pytest.approx(0.875)


def test_unknown_norm_is_refused():
    with pytest.raises(ValueError, match="norm"):
        losses.cycle_consistency_loss(X, X, norm="huber")
