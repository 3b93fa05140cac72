"""GAIA's objectives (Sainburg, Thielk, Theilman, Migliori & Gentner 2018, arXiv:1807.06650).

Errors are the autoencoding discriminator's per-example mean absolute errors (the L1
reconstruction energy); these functions take batch means or per-example values and return
float32 scalars.
"""

from keras import ops

from keras_gans.losses._common import _f32


def gaia_discriminator_loss(real_error, reconstruction_error, interpolation_error):
    """L_D = ||x - D(x)||_1 - ||G(x) - D(G(x))||_1 - ||G(z_interp) - D(G(z_interp))||_1:
    the discriminator autoencodes real data and fails on generated data (batch means)."""
    return ops.mean(_f32(real_error)) - ops.mean(_f32(reconstruction_error)) - ops.mean(_f32(interpolation_error))


def gaia_generator_adversarial_loss(target_error, interpolation_error):
    """||x - D(G(x))||_1 + ||G(z_interp) - D(G(z_interp))||_1: the generator makes the
    discriminator map its reconstructions back to the data and autoencode its interpolations."""
    return ops.mean(_f32(target_error)) + ops.mean(_f32(interpolation_error))


def discriminator_balance(real_error, target_error, interpolation_error, slope):
    """delta_Disc = sigmoid(b (||x - D(x)||_1 - (||x - D(G(x))||_1 + ||G(z_i) - D(G(z_i))||_1) / 2)):
    near 1 when the discriminator autoencodes real data worse than it autoencodes generated
    data (it is losing and should learn faster), near 0 when it is winning. delta_Gen = 1 - delta_Disc."""
    gap = _f32(real_error) - 0.5 * (_f32(target_error) + _f32(interpolation_error))
    return ops.sigmoid(slope * gap)


def log_distance_mismatch(x_a, x_b, z_a, z_b, epsilon=1e-6):
    """mean_k (log ||x_a,k - x_b,k|| - log ||z_a,k - z_b,k||)^2 over the pairs k: the local
    structure regulariser, which asks latent distances to follow data distances (in log
    scale, so relative, not absolute, distances matter most)."""
    def distance(a, b):
        difference = ops.reshape(_f32(a) - _f32(b), [ops.shape(a)[0], -1])
        return ops.sqrt(ops.sum(ops.square(difference), axis=1) + epsilon)

    return ops.mean(ops.square(ops.log(distance(x_a, x_b)) - ops.log(distance(z_a, z_b))))


def spherical_interpolation(z1, z2, t, epsilon=1e-6):
    """slerp: sin((1 - t) w) / sin(w) z1 + sin(t w) / sin(w) z2, w the angle between z1 and z2
    (Shoemake 1985; White 2016, arXiv:1609.04468); linear where the two are (anti)parallel."""
    z1, z2, t = _f32(z1), _f32(z2), _f32(t)
    unit = lambda z: z / ops.sqrt(ops.sum(ops.square(z), axis=-1, keepdims=True) + epsilon)  # noqa: E731
    cosine = ops.clip(ops.sum(unit(z1) * unit(z2), axis=-1, keepdims=True), -1.0 + epsilon, 1.0 - epsilon)
    omega = ops.arccos(cosine)
    sin_omega = ops.sin(omega)
    spherical = (ops.sin((1.0 - t) * omega) * z1 + ops.sin(t * omega) * z2) / sin_omega
    linear = (1.0 - t) * z1 + t * z2
    return ops.where(sin_omega > 1e-3, spherical, linear)
