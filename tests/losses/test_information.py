"""InfoGAN's information losses against hand-computed -log Q(c | x)."""

import math

import numpy as np
import pytest
from keras import ops

from keras_gans import losses


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_categorical_part_is_the_cross_entropy_of_q_with_the_code():
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 3.0]], np.float32)
    codes = np.array([[1, 0, 0], [0, 1, 0]], np.float32)
    # example 1: -log(e^2 / (e^2 + 2)); example 2: -log(e / (1 + e + e^3))
    expected = (-math.log(math.e**2 / (math.e**2 + 2)) - math.log(math.e / (1 + math.e + math.e**3))) / 2
    assert value(losses.categorical_information_loss(logits, codes)) == pytest.approx(expected, rel=1e-6)
    # A uniform Q gives log K whatever the code: no information.
    assert value(losses.categorical_information_loss(np.zeros((4, 10)), np.eye(10)[:4])) == pytest.approx(
        math.log(10), rel=1e-6)


def test_categorical_part_is_stable_for_huge_logits():
    logits = np.array([[1000.0, -1000.0]], np.float32)
    assert value(losses.categorical_information_loss(logits, [[1.0, 0.0]])) == pytest.approx(0.0, abs=1e-6)
    assert value(losses.categorical_information_loss(logits, [[0.0, 1.0]])) == pytest.approx(2000.0, rel=1e-6)


def test_gaussian_part_is_the_negative_log_density_summed_over_codes():
    codes = np.array([[0.5, -1.0]], np.float32)
    mean = np.array([[0.0, -0.5]], np.float32)
    log_std = np.array([[math.log(2.0), 0.0]], np.float32)
    # -log N(0.5; 0, 2^2) - log N(-1; -0.5, 1)
    expected = (0.5 * math.log(2 * math.pi) + math.log(2.0) + 0.5 * (0.5 / 2.0) ** 2
                + 0.5 * math.log(2 * math.pi) + 0.5 * 0.5 ** 2)
    assert value(losses.gaussian_information_loss(codes, mean, log_std)) == pytest.approx(expected, rel=1e-6)
    # Fixed sigma = 1 is the same as log_std = 0.
    fixed = 2 * 0.5 * math.log(2 * math.pi) + 0.5 * (0.5**2 + 0.5**2)
    assert value(losses.gaussian_information_loss(codes, mean)) == pytest.approx(fixed, rel=1e-6)


def test_gaussian_part_clips_an_overconfident_log_std():
    codes, mean = np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32)
    low, high = losses.information.LOG_STD_RANGE
    clipped = value(losses.gaussian_information_loss(codes, mean, [[low]]))
    assert value(losses.gaussian_information_loss(codes, mean, [[-50.0]])) == pytest.approx(clipped, rel=1e-6)
    assert np.isfinite(clipped)
