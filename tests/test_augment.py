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


def test_similarity_warp_is_exact_on_identity_and_quarter_turns():
    x = np.random.default_rng(0).uniform(size=(3, 7, 7, 2)).astype(np.float32)
    same = augment.similarity_warp(x, tf.zeros(3), tf.ones(3))
    np.testing.assert_allclose(same, x, atol=1e-6)
    turned = augment.similarity_warp(x, tf.fill([3], np.pi / 2), tf.ones(3))
    np.testing.assert_allclose(turned, np.rot90(x, axes=(1, 2)), atol=1e-5)  # counter-clockwise
    doubled = augment.similarity_warp(x, tf.zeros(3), tf.fill([3], 2.0))
    np.testing.assert_allclose(doubled[:, 3, 3], x[:, 3, 3], atol=1e-6)  # the centre stays
    np.testing.assert_allclose(doubled[:, 3, 5], x[:, 3, 4], atol=1e-6)  # 2 px right reads 1 px right


def test_similarity_warp_matches_tensorflows_projective_transform_and_fills_the_outside():
    rng = np.random.default_rng(1)
    x = rng.uniform(size=(4, 9, 9, 1)).astype(np.float32)
    angles, scales = np.array([0.3, -0.7, 1.2, 0.0]), np.array([1.2, 0.8, 1.0, 0.6])
    ours = augment.similarity_warp(x, tf.constant(angles, tf.float32), tf.constant(scales, tf.float32),
                                   fill_value=-1.0)
    c = (9 - 1) / 2
    rows = []  # TF's transform maps each output (col, row) to the input point it reads
    for angle, scale in zip(angles, scales):
        cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
        rows.append([cos, -sin, c - cos * c + sin * c, sin, cos, c - sin * c - cos * c, 0, 0])
    reference = tf.raw_ops.ImageProjectiveTransformV3(
        images=x, transforms=tf.constant(rows, tf.float32), output_shape=[9, 9], fill_value=-1.0,
        interpolation="BILINEAR", fill_mode="CONSTANT")
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    assert float(tf.reduce_min(ours[3])) == -1.0  # scale 0.6 reads outside the image: the fill


def test_random_similarity_compiles_under_xla_and_passes_gradients():
    x = tf.Variable(tf.random.stateless_uniform((2, 8, 8, 1), [1, 2]))
    uniform = constant_uniform([[0.9, 0.2], [0.1, 0.7]])  # angles +-, zooms -/+

    @tf.function(jit_compile=True)
    def warped_and_gradient():
        with tf.GradientTape() as tape:
            y = augment.random_similarity(x, uniform, 30.0, 0.2, fill_value=-1.0)
            loss = tf.reduce_sum(y)
        return y, tape.gradient(loss, x)

    y, gradient = warped_and_gradient()
    eager = augment.random_similarity(x, uniform, 30.0, 0.2, fill_value=-1.0)
    np.testing.assert_allclose(y, eager, atol=1e-5)
    assert float(tf.reduce_max(tf.abs(gradient))) > 0
