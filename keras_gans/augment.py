"""Differentiable augmentation of the discriminator's inputs (DiffAugment).

Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training",
arXiv:2006.10738: apply the same family of random, differentiable transforms T to real AND
generated images before the discriminator, in both players' steps. D then cannot memorise a
small training set (5,000 MNIST digits here), and since T is differentiable the generator
still receives gradients through it. Randomness comes from the model's per-step, per-replica
noise (`model.random_uniform`), so it is seeded, resumable and distribution-safe.
"""

import math

import tensorflow as tf


def parse_policy(policy):
    """"translation,cutout" -> ("translation", "cutout"); "" or None -> ()."""
    names = tuple(p.strip() for p in (policy or "").split(",") if p.strip())
    unknown = [n for n in names if n not in POLICIES]
    if unknown:
        raise ValueError(f"Unknown augmentation(s) {unknown}; choose from {', '.join(POLICIES)}.")
    return names


def translate(x, uniform, ratio=0.125):
    """Shift each image by up to ratio*size pixels in x and y, zero-padded (DiffAugment)."""
    height, width = x.shape[1], x.shape[2]
    pad_h, pad_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    u = uniform([tf.shape(x)[0], 2])
    shift_h = tf.cast(tf.floor(u[:, 0] * (2 * pad_h + 1)), tf.int32)  # 0 .. 2*pad_h
    shift_w = tf.cast(tf.floor(u[:, 1] * (2 * pad_w + 1)), tf.int32)
    padded = tf.pad(x, [[0, 0], [pad_h, pad_h], [pad_w, pad_w], [0, 0]])
    rows = tf.range(height)[None, :] + shift_h[:, None]
    cols = tf.range(width)[None, :] + shift_w[:, None]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def cutout(x, uniform, ratio=0.5):
    """Zero one square of side ratio*size at a random centre of each image (DiffAugment)."""
    height, width = x.shape[1], x.shape[2]
    half_h, half_w = int(height * ratio + 0.5) // 2, int(width * ratio + 0.5) // 2
    u = uniform([tf.shape(x)[0], 2])
    centre_h = tf.floor(u[:, 0] * height)
    centre_w = tf.floor(u[:, 1] * width)
    rows = tf.range(height, dtype=x.dtype)[None, :]
    cols = tf.range(width, dtype=x.dtype)[None, :]
    outside_h = tf.cast(tf.abs(rows - tf.cast(centre_h, x.dtype)[:, None]) >= half_h, x.dtype)
    outside_w = tf.cast(tf.abs(cols - tf.cast(centre_w, x.dtype)[:, None]) >= half_w, x.dtype)
    keep = 1.0 - (1.0 - outside_h[:, :, None]) * (1.0 - outside_w[:, None, :])
    return x * keep[..., None]


TRANSFORMS = {"translation": translate, "cutout": cutout}
POLICIES = tuple(TRANSFORMS)


def diff_augment(x, policy, uniform):
    """Apply the transforms named in `policy` in order; `uniform(shape)` draws U[0, 1) noise."""
    for name in policy:
        x = TRANSFORMS[name](x, uniform)
    return x


def similarity_warp(x, angles, scales, fill_value=0.0):
    """Rotate each image of x (N, H, W, C) by angles[i] radians (counter-clockwise as
    displayed, row 0 on top) and scale it by scales[i] about its centre; bilinear, with
    `fill_value` where the source lies outside the image.

    Written as two contractions with separable bilinear weights (no gather, no image op)
    so that it is differentiable in x and compiles under XLA, which has no kernel for
    TensorFlow's ImageProjectiveTransform.
    """
    height, width = int(x.shape[1]), int(x.shape[2])
    rows = tf.repeat(tf.range(height, dtype=tf.float32), width) - (height - 1) / 2
    cols = tf.tile(tf.range(width, dtype=tf.float32), [height]) - (width - 1) / 2
    cos = (tf.cos(angles) / scales)[:, None]
    sin = (tf.sin(angles) / scales)[:, None]
    # where each output pixel (N, H * W) reads the input: the inverse rotation and scaling
    source_rows = sin * cols[None] + cos * rows[None] + (height - 1) / 2
    source_cols = cos * cols[None] - sin * rows[None] + (width - 1) / 2

    def weights(source, size):  # (N, H * W, size): the bilinear "tent" of each source point
        return tf.nn.relu(1.0 - tf.abs(source[..., None] - tf.range(size, dtype=tf.float32)))

    row_weights = tf.cast(weights(source_rows, height), x.dtype)
    col_weights = tf.cast(weights(source_cols, width), x.dtype)
    fill = tf.cast(fill_value, x.dtype)
    by_row = tf.einsum("bop,bpwc->bowc", row_weights, x - fill)
    warped = tf.einsum("bowc,bow->boc", by_row, col_weights)
    return tf.reshape(warped, tf.shape(x)) + fill


def random_similarity(x, uniform, max_degrees, max_zoom, fill_value=0.0):
    """`similarity_warp` by an angle drawn in [-max_degrees, max_degrees] and a scale in
    [1 - max_zoom, 1 + max_zoom] for each image; `uniform(shape)` draws U[0, 1) noise."""
    u = uniform([tf.shape(x)[0], 2])
    angles = (2.0 * u[:, 0] - 1.0) * (max_degrees * math.pi / 180.0)
    scales = 1.0 + (2.0 * u[:, 1] - 1.0) * max_zoom
    return similarity_warp(x, angles, scales, fill_value)
