"""MMD and per-dimension KS: hand case, same vs different distributions."""

import numpy as np
import pytest

from keras_gans.metrics import ks_per_dimension, mmd_squared


def test_mmd_matches_the_formula_on_a_hand_case():
    x = np.array([[0.0], [1.0]])
    y = np.array([[0.0], [2.0]])
    k = lambda d2: np.exp(-d2 / 2.0)  # noqa: E731  (bandwidth 1)
    expected = k(1.0) + k(4.0) - 2.0 * np.mean([k(0.0), k(4.0), k(1.0), k(1.0)])
    assert mmd_squared(x, y, bandwidths=[1.0]) == pytest.approx(expected)


def test_mmd_separates_different_distributions_from_equal_ones():
    rng = np.random.default_rng(0)
    same = mmd_squared(rng.normal(size=(400, 2)), rng.normal(size=(400, 2)))
    shifted = mmd_squared(rng.normal(size=(400, 2)), rng.normal(0.5, 1.0, size=(400, 2)))
    assert abs(same) < 0.01 and shifted > 10 * max(abs(same), 1e-3)


def test_ks_per_dimension_flags_only_the_mismatched_coordinate():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1000, 3))
    y = rng.normal(size=(1000, 3))
    y[:, 1] *= 3.0
    ks = ks_per_dimension(x, y)
    assert ks[1] > 0.2 and ks[0] < 0.08 and ks[2] < 0.08


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        mmd_squared(np.zeros((3, 2)), np.zeros((3, 3)))
