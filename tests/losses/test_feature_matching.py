"""Feature matching losses against hand-computed values."""

import numpy as np
import pytest

from keras_gans.losses import feature_matching


def test_pairwise_is_the_batch_mean_of_squared_distances():
    real = np.array([[1.0, 2.0], [0.0, 0.0]], np.float32)
    fake = np.array([[1.0, 0.0], [3.0, 4.0]], np.float32)
    # (0 + 4) and (9 + 16): mean 14.5
    assert float(feature_matching.pairwise_feature_matching_loss(real, fake)) == pytest.approx(14.5)


def test_pairwise_flattens_feature_maps():
    real = np.ones((2, 2, 2, 1), np.float32)
    fake = np.zeros((2, 2, 2, 1), np.float32)
    assert float(feature_matching.pairwise_feature_matching_loss(real, fake)) == pytest.approx(4.0)


def test_mean_matching_compares_batch_means_only():
    real = np.array([[1.0, 0.0], [3.0, 2.0]], np.float32)       # mean (2, 1)
    fake = np.array([[0.0, 1.0], [0.0, -1.0], [0.0, 0.0]], np.float32)  # mean (0, 0)
    assert float(feature_matching.mean_feature_matching_loss(real, fake)) == pytest.approx(5.0)
    # A permutation of the same set matches perfectly, unlike the pairwise loss.
    assert float(feature_matching.mean_feature_matching_loss(real, real[::-1])) == pytest.approx(0.0)
    assert float(feature_matching.pairwise_feature_matching_loss(real, real[::-1])) > 0


def test_class_mean_matching_sums_per_class_distances_and_skips_absent_classes():
    real = np.array([[1.0], [3.0], [5.0], [7.0]], np.float32)
    real_y = np.eye(3, dtype=np.float32)[[0, 0, 1, 2]]        # class 0 mean 2, class 1: 5, class 2: 7
    fake = np.array([[0.0], [4.0], [2.0]], np.float32)
    fake_y = np.eye(3, dtype=np.float32)[[0, 1, 1]]           # class 0 mean 0, class 1 mean 3, no class 2
    expected = (2.0 - 0.0) ** 2 + (5.0 - 3.0) ** 2            # class 2 absent from fakes: 0
    value = feature_matching.class_mean_feature_matching_loss(real, fake, real_y, fake_y)
    assert float(value) == pytest.approx(expected)


def test_all_reduce_sum_hook_sees_sums_and_counts():
    seen = []

    def record(value):
        seen.append(np.asarray(value))
        return value

    real = np.array([[1.0, 0.0], [3.0, 2.0]], np.float32)
    feature_matching.mean_feature_matching_loss(real, real, all_reduce_sum=record)
    np.testing.assert_allclose(seen[0], [4.0, 2.0])
    assert float(seen[1]) == 2.0


def test_float16_features_give_a_float32_loss():
    real = np.ones((2, 3), np.float16)
    value = feature_matching.mean_feature_matching_loss(real, np.zeros((2, 3), np.float16))
    assert np.asarray(value).dtype == np.float32 and float(value) == pytest.approx(3.0)
