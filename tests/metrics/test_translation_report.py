"""The translation report on a hand case: stub translators and a stub classifier."""

import keras
import numpy as np
import pytest

from keras_gans import CycleGAN
from keras_gans.metrics.translation import translation_report


def brightness_classifier():
    """Class 1 when an image's mean intensity exceeds 0.5, else class 0: logits
    (-10 m + 5, 10 m - 5, -100, ...) of the mean m, with a "features" layer as the
    project's classifiers have."""
    x = keras.Input((28, 28, 1))
    mean = keras.layers.GlobalAveragePooling2D()(x)
    features = keras.layers.Dense(1, name="features")
    logits = keras.layers.Dense(10, name="logits")
    model = keras.Model(x, logits(features(mean)))
    features.set_weights([np.ones((1, 1), np.float32), np.zeros(1, np.float32)])
    weights = np.zeros((1, 10), np.float32)
    weights[0, :2] = (-10, 10)
    logits.set_weights([weights, np.array([5, -5] + [-100] * 8, np.float32)])
    return model


def inverter(name):
    """x -> -x in the model's range, i.e. 1 - x in [0, 1]: dark and bright swap."""
    x = keras.Input((28, 28, 1))
    conv = keras.layers.Conv2D(1, 1, name="conv")
    model = keras.Model(x, conv(x), name=name)
    conv.set_weights([-np.ones((1, 1, 1, 1), np.float32), np.zeros(1, np.float32)])
    return model


def test_class_kept_and_cycle_error_on_a_hand_case():
    model = CycleGAN((28, 28, 1), generator_ab=inverter("g"), generator_ba=inverter("f"), base_filters=2,
                     residual_blocks=0)
    # Four images of intensity 0.1, 0.2, 0.8, 0.9: inverted to 0.9, 0.8, 0.2, 0.1, so the
    # brightness class flips; labels chosen so that 3 of 4 agree with the flipped class.
    x = np.concatenate([np.full((1, 28, 28, 1), v, np.float32) for v in (0.1, 0.2, 0.8, 0.9)])
    labels = np.array([1, 1, 0, 1])
    report = translation_report(model, x, labels, x, np.zeros(4, int),
                                brightness_classifier(), brightness_classifier())
    assert report["class_kept_a_to_b"] == pytest.approx(0.75)
    assert report["class_kept_b_to_a"] == pytest.approx(0.5)
    # inverting twice is the identity: the cycles close (up to float round-off)
    assert report["cycle_l1_a"] == pytest.approx(0.0, abs=1e-6)
    assert report["cycle_l1_b"] == pytest.approx(0.0, abs=1e-6)
