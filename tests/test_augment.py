"""DiffAugment transforms: exact shifts and masks on hand cases, differentiability."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import augment


def constant_uniform(values):
    """A `uniform(shape)` that returns fixed per-image values (rows of `values`)."""
    return lambda shape: tf.constant(values, tf.float32)


def test_translation_moves_every_pixel_by_the_drawn_shift():
    x = np.zeros((1, 8, 8, 1), np.float32)
    x[0, 3, 4, 0] = 1.0
    # pad = 1 px for 8 px at ratio 1/8; u -> shift index floor(u * 3) - pad: 0.9 -> +1, 0.0 -> -1
    shifted = augment.translate(tf.constant(x), constant_uniform([[0.9, 0.0]])).numpy()
    assert shifted.shape == x.shape
    assert shifted[0, :, :, 0].sum() == 1.0
    # Output row i reads padded row i + shift_index, i.e. source row i + 2 - 1: content moves up 1.
    assert shifted[0, 2, 5, 0] == 1.0


def test_translation_pads_with_zeros_and_keeps_the_centre_at_zero_shift():
    x = tf.ones((2, 8, 8, 3))
    same = augment.translate(x, constant_uniform([[0.4, 0.4], [0.4, 0.4]])).numpy()  # index 1 = no shift
    np.testing.assert_array_equal(same, x.numpy())
    moved = augment.translate(x, constant_uniform([[0.0, 0.0], [0.9, 0.9]])).numpy()
    assert moved[0, 0, :, 0].sum() == 0 and moved[1, -1, :, 0].sum() == 0


def test_cutout_zeroes_one_square_of_half_the_side():
    x = tf.ones((1, 8, 8, 1))
    out = augment.cutout(x, constant_uniform([[0.5, 0.5]])).numpy()[0, :, :, 0]
    # centre (4, 4), half side 2: rows and cols 3..5 are within |i - 4| < 2 -> a 3x3 hole.
    assert out.sum() == 64 - 9
    assert out[4, 4] == 0 and out[0, 0] == 1


def test_augmentations_pass_gradients_to_the_images():
    x = tf.Variable(tf.random.stateless_uniform((2, 8, 8, 1), [1, 2]))
    uniform = lambda shape: tf.random.stateless_uniform(shape, [3, 4])  # noqa: E731
    with tf.GradientTape() as tape:
        y = augment.diff_augment(x, ("translation", "cutout"), uniform)
        loss = tf.reduce_sum(y)
    gradient = tape.gradient(loss, x).numpy()
    assert gradient.max() == 1.0 and gradient.min() == 0.0  # kept pixels 1, cut/shifted-out 0


def test_policy_parsing():
    assert augment.parse_policy(None) == ()
    assert augment.parse_policy("translation, cutout") == ("translation", "cutout")
    with pytest.raises(ValueError, match="color"):
        augment.parse_policy("color")
