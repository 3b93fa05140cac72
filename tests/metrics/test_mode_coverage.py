import numpy as np
import pytest

from keras_gans.metrics.mode_coverage import mode_coverage

STD = 0.02


def ring(num_modes=8, radius=2.0):
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def test_samples_on_every_mode_cover_all_with_zero_reverse_kl():
    modes = ring()
    samples = np.repeat(modes, 25, axis=0)
    result = mode_coverage(samples, modes, std=STD)
    assert result["modes_captured"] == 8
    assert result["num_modes"] == 8
    assert result["high_quality_fraction"] == 1.0
    assert result["reverse_kl"] == pytest.approx(0.0, abs=1e-12)
    assert result["reverse_kl_all_samples"] == pytest.approx(0.0, abs=1e-12)
    assert result["mode_counts"] == [25] * 8


def test_gaussian_samples_around_modes_are_mostly_high_quality():
    # 3 std in 2-D holds 1 - exp(-9/2) = 98.9% of an isotropic Gaussian's mass.
    rng = np.random.default_rng(0)
    modes = ring()
    samples = np.repeat(modes, 500, axis=0) + rng.normal(scale=STD, size=(4000, 2))
    result = mode_coverage(samples, modes, std=STD)
    assert result["modes_captured"] == 8
    assert result["high_quality_fraction"] == pytest.approx(1 - np.exp(-4.5), abs=0.006)
    assert result["reverse_kl"] < 0.01


def test_collapse_onto_one_mode_gives_log_k():
    modes = ring()
    samples = np.repeat(modes[3:4], 100, axis=0)
    result = mode_coverage(samples, modes, std=STD)
    assert result["modes_captured"] == 1
    assert result["reverse_kl"] == pytest.approx(np.log(8))
    assert result["reverse_kl_all_samples"] == pytest.approx(np.log(8))
    assert result["mode_counts"] == [0, 0, 0, 100, 0, 0, 0, 0]


def test_half_the_modes_evenly_gives_log_two():
    # KL(p || uniform) with p uniform on 4 of 8 modes = log(8 / 4).
    modes = ring()
    samples = np.repeat(modes[::2], 10, axis=0)
    result = mode_coverage(samples, modes, std=STD)
    assert result["modes_captured"] == 4
    assert result["reverse_kl"] == pytest.approx(np.log(2))


def test_far_away_points_are_low_quality_and_capture_nothing():
    modes = ring()
    samples = np.full((50, 2), 100.0)
    result = mode_coverage(samples, modes, std=STD)
    assert result["high_quality_fraction"] == 0.0
    assert result["modes_captured"] == 0
    assert result["mode_counts"] == [0] * 8
    assert np.isnan(result["reverse_kl"])  # no high-quality sample: p_gen undefined
    assert result["reverse_kl_all_samples"] == pytest.approx(np.log(8))


def test_threshold_is_num_std_standard_deviations():
    modes = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array([[0.0, 2.9], [0.0, 3.1], [10.0, 0.0]])  # std 1: 2.9 in, 3.1 out
    result = mode_coverage(samples, modes, std=1.0)
    assert result["high_quality_fraction"] == pytest.approx(2 / 3)
    assert result["mode_counts"] == [1, 1]
    assert mode_coverage(samples, modes, std=1.0, num_std=4.0)["high_quality_fraction"] == 1.0


def test_only_high_quality_samples_enter_reverse_kl():
    # 10 good samples on mode 0 plus 30 poor ones nearest to mode 1: the PacGAN
    # code counts only the good ones, so the generator looks fully collapsed.
    modes = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.concatenate([np.zeros((10, 2)), np.full((30, 2), [10.0, 5.0])])
    result = mode_coverage(samples, modes, std=1.0)
    assert result["modes_captured"] == 1
    assert result["reverse_kl"] == pytest.approx(np.log(2))
    p = np.array([0.25, 0.75])
    assert result["reverse_kl_all_samples"] == pytest.approx(np.sum(p * np.log(2 * p)))


def test_bad_shapes_raise():
    modes = ring()
    with pytest.raises(ValueError, match=r"samples must have shape \(num_samples, 2\)"):
        mode_coverage(np.zeros((5, 3)), modes, std=STD)
    with pytest.raises(ValueError, match="modes must have shape"):
        mode_coverage(np.zeros((5, 2)), np.zeros(2), std=STD)
    with pytest.raises(ValueError, match="empty"):
        mode_coverage(np.zeros((0, 2)), modes, std=STD)
    with pytest.raises(ValueError, match="positive"):
        mode_coverage(np.zeros((5, 2)), modes, std=0.0)
    with pytest.raises(ValueError, match="NaN"):
        mode_coverage(np.full((5, 2), np.nan), modes, std=STD)
