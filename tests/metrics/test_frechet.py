import numpy as np
import pytest

from keras_gans.metrics.frechet import frechet_distance
from keras_gans.metrics.frechet import frechet_distance_from_features


def test_identical_gaussians_have_zero_distance():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(6, 6))
    sigma = a @ a.T + 0.1 * np.eye(6)
    mu = rng.normal(size=6)
    assert frechet_distance(mu, sigma, mu, sigma) == pytest.approx(0.0, abs=1e-8)


def test_unit_covariances_give_squared_mean_distance():
    mu1 = np.array([1.0, -2.0, 0.5])
    mu2 = np.array([-1.0, 1.0, 2.5])
    expected = np.sum((mu1 - mu2) ** 2)  # 4 + 9 + 4 = 17
    assert frechet_distance(mu1, np.eye(3), mu2, np.eye(3)) == pytest.approx(17.0)
    assert expected == 17.0


def test_diagonal_covariances_closed_form():
    # Diagonal S1 = diag(s1^2), S2 = diag(s2^2): d^2 = ||mu1-mu2||^2 + sum (s1 - s2)^2.
    s1 = np.array([1.0, 2.0, 0.5, 3.0])
    s2 = np.array([2.0, 2.0, 1.5, 1.0])
    mu1 = np.array([0.0, 1.0, 0.0, 0.0])
    mu2 = np.array([0.0, 0.0, 0.0, 2.0])
    expected = 1.0 + 4.0 + np.sum((s1 - s2) ** 2)  # 5 + (1 + 0 + 1 + 4) = 11
    got = frechet_distance(mu1, np.diag(s1**2), mu2, np.diag(s2**2))
    assert got == pytest.approx(expected) and expected == 11.0


def test_one_dimensional_case_accepts_scalars():
    # 1-D: d^2 = (m1 - m2)^2 + (s1 - s2)^2 = 9 + 1.
    assert frechet_distance(0.0, 4.0, 3.0, 9.0) == pytest.approx(10.0)


def test_singular_covariances_are_regularised_not_nan():
    # Rank-deficient covariances (a collapsed generator): still finite, right value.
    sigma = np.diag([1.0, 0.0])
    assert frechet_distance([0, 0], sigma, [0, 0], sigma) == pytest.approx(0.0, abs=1e-5)
    cross = frechet_distance([0, 0], np.diag([1.0, 0.0]), [0, 0], np.diag([0.0, 1.0]))
    assert cross == pytest.approx(2.0, abs=1e-2)


def test_from_features_matches_moments_and_is_order_invariant():
    rng = np.random.default_rng(1)
    f1 = rng.normal(size=(400, 5))
    f2 = rng.normal(loc=0.7, scale=1.5, size=(300, 5))
    expected = frechet_distance(
        f1.mean(0), np.cov(f1, rowvar=False), f2.mean(0), np.cov(f2, rowvar=False)
    )
    got = frechet_distance_from_features(f1, f2)
    assert got == pytest.approx(expected)
    shuffled = frechet_distance_from_features(rng.permutation(f1), rng.permutation(f2))
    assert shuffled == pytest.approx(got, rel=1e-9)
    # Population value: 5 * 0.7^2 + 5 * (1.5 - 1)^2 = 3.7; the estimate is close.
    assert got == pytest.approx(3.7, rel=0.25)
    assert frechet_distance_from_features(f1, f1) == pytest.approx(0.0, abs=1e-6)


def test_shape_errors_are_clear():
    with pytest.raises(ValueError, match="same dimension"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="covariance matrix"):
        frechet_distance(np.zeros(2), np.eye(3), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="Feature dimensions differ"):
        frechet_distance_from_features(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        frechet_distance_from_features(np.zeros((1, 2)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="num_samples, num_features"):
        frechet_distance_from_features(np.zeros(5), np.zeros((5, 1)))
