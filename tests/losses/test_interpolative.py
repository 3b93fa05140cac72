"""GAIA's local-structure regulariser on hand cases, against the authors' formula."""

import numpy as np
import pytest

from keras_gans.losses import interpolative


def authors_formula(x, z):
    """R as the authors' code computes it, in numpy: squared distances averaged over features
    for every ordered pair, each matrix divided by its mean, then the mean squared difference
    of log(1 + d)."""
    def normalised(v):
        v = np.asarray(v, np.float64).reshape(len(v), -1)
        d = np.mean((v[:, None, :] - v[None, :, :]) ** 2, axis=2)
        return d / d.mean()

    return np.mean((np.log1p(normalised(x)) - np.log1p(normalised(z))) ** 2)


def test_squared_distances_cover_every_ordered_pair():
    v = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]], np.float32)
    np.testing.assert_allclose(interpolative.squared_distances(v),
                               [[0, 25, 1], [25, 0, 18], [1, 18, 0]], atol=1e-5)


def test_distance_loss_on_a_hand_case():
    # x = 0, 1, 3: squared distances 1, 9, 4 (each twice in the 3 x 3 matrix, zero diagonal),
    # mean 28/9, so d^x = 9/28, 81/28, 36/28. z = 0, 2, 4: 4, 16, 4, mean 48/9, d^z = 3/4, 3, 3/4.
    x = np.array([[0.0], [1.0], [3.0]], np.float32)
    z = np.array([[0.0], [2.0], [4.0]], np.float32)
    by_hand = 2.0 / 9.0 * ((np.log(37 / 28) - np.log(7 / 4)) ** 2
                           + (np.log(109 / 28) - np.log(4)) ** 2
                           + (np.log(64 / 28) - np.log(7 / 4)) ** 2)
    assert by_hand == pytest.approx(0.033548, rel=1e-4)
    assert float(interpolative.distance_loss(x, z)) == pytest.approx(by_hand, rel=1e-5)
    assert authors_formula(x, z) == pytest.approx(by_hand, rel=1e-12)


def test_distance_loss_matches_the_authors_formula_on_images_and_codes():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(6, 4, 4, 1)).astype(np.float32)
    z = rng.normal(size=(6, 3)).astype(np.float32)
    expected = authors_formula(x, z)
    assert expected > 0.01
    assert float(interpolative.distance_loss(x, z)) == pytest.approx(expected, rel=1e-4)


def test_distance_loss_sees_relative_distances_only():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 7)).astype(np.float32)
    z = rng.normal(size=(5, 2)).astype(np.float32)
    value = float(interpolative.distance_loss(x, z))
    # Rescaling either side changes nothing; the same reordering of both changes nothing.
    assert float(interpolative.distance_loss(10.0 * x, 0.1 * z)) == pytest.approx(value, rel=1e-4)
    order = [3, 0, 4, 1, 2]
    assert float(interpolative.distance_loss(x[order], z[order])) == pytest.approx(value, rel=1e-4)
    # Codes that keep every relative distance (a scaled, shifted copy of the data): R = 0.
    assert float(interpolative.distance_loss(x, 3.0 * x + 1.0)) == pytest.approx(0.0, abs=1e-6)
    # A collapsed code (all rows equal) is finite: every d^z is 0.
    collapsed = float(interpolative.distance_loss(x, np.ones((5, 2), np.float32)))
    assert np.isfinite(collapsed) and collapsed == pytest.approx(
        np.mean(np.log1p(interpolative.squared_distances(x) / np.mean(interpolative.squared_distances(x))) ** 2),
        rel=1e-4)
