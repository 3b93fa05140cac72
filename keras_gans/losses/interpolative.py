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


def squared_distances(v):
    """||v_i - v_j||^2 for every ordered pair (i, j) of rows of `v` (each row flattened), as
    an N x N matrix, from the Gram matrix (no N x N x D tensor) and clipped at 0."""
    v = _f32(v)
    v = ops.reshape(v, [ops.shape(v)[0], -1])
    norms = ops.sum(ops.square(v), axis=1)
    return ops.maximum(norms[:, None] + norms[None, :] - 2.0 * ops.matmul(v, ops.transpose(v)), 0.0)


def distance_loss(x, z, epsilon=1e-8):
    """GAIA's local-structure regulariser, the form of the authors' code:

        d^x_ij = ||x_i - x_j||^2 / mean_kl ||x_k - x_l||^2,
        d^z_ij = ||z_i - z_j||^2 / mean_kl ||z_k - z_l||^2,
        R = mean_ij (log(1 + d^x_ij) - log(1 + d^z_ij))^2,

    over all N^2 ordered pairs (i, j) of the batch x (codes z = E(x), row i of one the code of
    row i of the other), the zero diagonal included in both means as the authors include it.
    Dividing each set of distances by its batch mean makes R indifferent to the scale of the
    data and of the codes; it asks the codes to keep the batch's relative distances, and
    log(1 + d) keeps near pairs and far pairs from dominating. The authors average the
    squared differences over features instead of summing them, a constant factor the
    division removes. `epsilon` keeps a batch of identical rows (mean distance 0) finite.

    Reference: Sainburg et al. 2018, arXiv:1807.06650; `distance_loss` in the authors' code,
    github.com/timsainb/GAIA (network.py).
    """
    def normalised(v):
        d = squared_distances(v)
        return d / (ops.mean(d) + epsilon)

    return ops.mean(ops.square(ops.log1p(normalised(x)) - ops.log1p(normalised(z))))


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
