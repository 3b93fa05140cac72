"""Attribute measures and latent directions on hand cases."""

import numpy as np
import pytest

from keras_gans.metrics import latent_attributes as la


def line_image(slope):
    """A 15x15 image with a one-pixel line through the centre, `slope` columns per row up."""
    image = np.zeros((15, 15))
    for r in range(15):
        c = int(round(7 + slope * (7 - r)))
        if 0 <= c < 15:
            image[r, c] = 1.0
    return image


def test_ink_slant_and_sharpness_on_hand_images():
    images = np.stack([line_image(0.0), line_image(0.5), line_image(-0.5)])
    assert la.ink_amount(images) == pytest.approx(15 / 225)
    slants = la.slant(images)
    assert slants[0] == pytest.approx(0.0, abs=1e-9)
    assert slants[1] == pytest.approx(0.5, abs=0.05) and slants[2] == pytest.approx(-0.5, abs=0.05)
    sharp = line_image(0.0)
    blurred = (sharp + np.roll(sharp, 1, axis=1) + np.roll(sharp, -1, axis=1)) / 3
    assert la.sharpness(np.stack([sharp]))[0] > 3 * la.sharpness(np.stack([blurred]))[0]


def test_regression_recovers_the_generating_directions():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(500, 4))
    w_true = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, -1.0, 0.0, 0.5]])
    attributes = codes @ w_true.T + 3.0
    np.testing.assert_allclose(la.regression_directions(codes, attributes), w_true, atol=1e-8)


def test_mean_difference_is_entangled_where_regression_is_not():
    # Two attributes driven by separate code axes, but correlated in the data: the mean
    # difference of attribute 0 leaks into axis 1; the regression does not.
    rng = np.random.default_rng(1)
    base = rng.normal(size=(2000, 1))
    codes = np.concatenate([base + 0.3 * rng.normal(size=(2000, 1)),
                            base + 0.3 * rng.normal(size=(2000, 1))], axis=1)
    attributes = codes.copy()
    regression = la.regression_directions(codes, attributes)[0]
    difference = la.mean_difference_directions(codes, attributes)[0]
    assert abs(regression[1]) < 1e-8
    assert abs(difference[1]) > 0.5 * abs(difference[0])


def test_edit_report_measures_the_target_and_the_rest():
    decode = lambda z: np.stack([np.full((4, 4), v) for v in z[:, 0]])  # noqa: E731
    report = la.edit_report(decode, np.zeros((3, 2)), np.array([2.0, 0.0]),
                            {"ink": la.ink_amount, "slant": la.slant}, "ink", np.linspace(0, 1, 5))
    assert report["monotonic"] and report["target_change"] == pytest.approx(1.0)
    assert report["entanglement"]["slant"] == pytest.approx(0.0, abs=1e-6)
