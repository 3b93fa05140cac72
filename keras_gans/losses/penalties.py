"""Regularisers of the discriminator/critic that look at its input gradient or weights."""

import tensorflow as tf
from keras import ops

from keras_gans.components.packing import pack, repeat_per_member

# Added under the square root so that a zero gradient has a finite derivative: d sqrt(s)/ds
# is infinite at s = 0, and 0 * inf = NaN would otherwise poison the whole update.
NORM_EPSILON = 1e-12


def per_example_norm(gradients):
    """||g_i||_2 over all non-batch axes, with a finite derivative at g_i = 0."""
    gradients = ops.cast(gradients, "float32")
    axes = list(range(1, len(gradients.shape)))
    return ops.sqrt(ops.sum(ops.square(gradients), axis=axes) + NORM_EPSILON)


def interpolate(x_real, x_fake, epsilon, packing=1):
    """x_hat = epsilon * x + (1 - epsilon) * x_fake, with one epsilon per example, or per pack
    of `packing` consecutive examples (a packed critic's input point is the whole pack).

    `epsilon` has shape (batch / packing,) or (batch / packing, 1): it is broadcast over every
    other axis, so all pixels of one example share it (one epsilon per pixel is a known peer bug).
    """
    epsilon = repeat_per_member(ops.reshape(epsilon, [-1]), packing)
    x_real = ops.cast(x_real, "float32")
    epsilon = ops.reshape(ops.cast(epsilon, "float32"), [-1] + [1] * (len(x_real.shape) - 1))
    return epsilon * x_real + (1.0 - epsilon) * ops.cast(x_fake, "float32")


def input_gradients(critic_fn, x, scale_loss=None):
    """d sum_i critic(x)_i / dx, computed as exactly under mixed float16 as in float32.

    `scale_loss` is the critic optimizer's `scale_loss`: under mixed_float16 this inner
    gradient must be loss-scaled like the outer one, or its float16 backward pass
    underflows to zero (and a zero penalty gradient lets the loss scale collapse). The
    scale is divided back out in float32; an overflow leaves inf, which the outer
    LossScaleOptimizer sees, skips, and answers by lowering the scale.
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = ops.sum(ops.cast(critic_fn(x), "float32"))
        scaled = scale_loss(total) if scale_loss is not None else total
    gradients = tape.gradient(scaled, x)
    if scale_loss is not None:
        gradients = ops.cast(gradients, "float32") / scale_loss(ops.ones((), "float32"))
    return gradients


def gradient_penalty(critic_fn, x_real, x_fake, epsilon, target=1.0, scale_loss=None, packing=1):
    """The two-sided gradient penalty of WGAN-GP (without its weight lambda).

    GP = E_{x_hat}[(||grad_{x_hat} D(x_hat)||_2 - 1)^2],  x_hat = eps x + (1 - eps) x_fake,
    eps ~ U[0, 1] drawn once per example (passed in as `epsilon`).

    With `packing` m the critic (`critic_fn` packs its inputs) judges packs of m consecutive
    examples: x_hat is a pack interpolated between a real and a fake pack with one eps per
    pack (`epsilon` has one value per pack), and the norm is over the whole pack's gradient.

    Reference: Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
    Algorithm 1 and eq. 3 (arXiv:1704.00028).
    """
    x_hat = interpolate(x_real, x_fake, epsilon, packing)
    norms = per_example_norm(pack(input_gradients(critic_fn, x_hat, scale_loss), packing))
    return ops.mean(ops.square(norms - target))


def r1_penalty(discriminator_fn, x_real, scale_loss=None, packing=1):
    """The zero-centred gradient penalty on real data, R1 (without its weight gamma / 2).

    R1 = E_{x~P}[||grad_x D(x)||_2^2], D the discriminator's raw output. Added to D's loss as
    gamma / 2 * R1 it damps D's growth where only real data lies, the failure of f-GANs whose
    conjugate is unbounded (KL, Pearson): there the optimal T = f'(p/q) runs to infinity.
    No square root, so no epsilon is needed at a zero gradient. With `packing` m (the
    discriminator packs its inputs) the expectation is over packs of m consecutive examples.

    Reference: Mescheder, Geiger & Nowozin 2018, "Which Training Methods for GANs do actually
    Converge?", eq. 9 (arXiv:1801.04406); Roth et al. 2017 (arXiv:1705.09367) derive a
    regulariser of this kind for every f-GAN.
    """
    gradients = pack(ops.cast(input_gradients(discriminator_fn, x_real, scale_loss), "float32"), packing)
    axes = list(range(1, len(gradients.shape)))
    return ops.mean(ops.sum(ops.square(gradients), axis=axes))


def clip_weights(variables, clip_value):
    """WGAN's Lipschitz constraint: clamp every critic weight to [-c, c] (Arjovsky et al. 2017)."""
    for variable in variables:
        variable.assign(ops.clip(variable, -clip_value, clip_value))
