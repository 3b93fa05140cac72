"""Energy- and margin-based objectives: EBGAN, BEGAN and the loss-sensitive GAN.

The "energy" of an example is a per-example scalar (a reconstruction error for EBGAN and
BEGAN, a learned non-negative loss L_theta(x) for LS-GAN); these functions take the
per-example values and return batch means in float32.
"""

from keras import ops

from keras_gans.losses._common import _f32
from keras_gans.losses.reconstruction import per_example_error


def reconstruction_energy(x, reconstruction, norm="l2"):
    """Per-example reconstruction error: the mean of |x - AE(x)|^2 ("l2") or |x - AE(x)| ("l1")."""
    return per_example_error(x, reconstruction, norm=norm, reduction="mean")


# --- Zhao, Mathieu & LeCun 2017, "Energy-based Generative Adversarial Network" ------------


def ebgan_discriminator_loss(real_energy, fake_energy, margin):
    """L_D = D(x) + [m - D(G(z))]_+  (Zhao et al. 2017, eq. 1, arXiv:1609.03126)."""
    return ops.mean(_f32(real_energy)) + ops.mean(ops.relu(margin - _f32(fake_energy)))


def linear_margin_decay(margin, step, decay_steps, floor):
    """m_t = m max(floor, 1 - t / T): m shrinks linearly over T steps to floor * m, then stays
    (an option of ours: EBGAN's m is fixed)."""
    t = ops.cast(step, "float32")
    return margin * ops.maximum(floor, 1.0 - t / float(decay_steps))


def ebgan_generator_loss(fake_energy):
    """L_G = D(G(z))  (Zhao et al. 2017, eq. 2)."""
    return ops.mean(_f32(fake_energy))


def pulling_away_term(codes):
    """f_PT(S) = 1 / (N (N - 1)) sum_i sum_{j != i} (S_i . S_j / (||S_i|| ||S_j||))^2.

    Penalises generated batches whose encoder representations S are aligned, i.e. a
    collapsed batch (Zhao et al. 2017, eq. 6). Needs at least two examples.
    """
    codes = ops.reshape(_f32(codes), [ops.shape(codes)[0], -1])
    unit = codes / ops.sqrt(ops.sum(ops.square(codes), axis=1, keepdims=True) + 1e-12)
    cosine_squared = ops.square(ops.matmul(unit, ops.transpose(unit)))
    n = ops.cast(ops.shape(codes)[0], "float32")
    off_diagonal = ops.sum(cosine_squared) - ops.sum(ops.diagonal(cosine_squared))
    return off_diagonal / (n * (n - 1.0))


# --- Berthelot, Schumm & Metz 2017, "BEGAN: Boundary Equilibrium GANs" ---------------------


def began_discriminator_loss(real_loss, fake_loss, k):
    """L_D = L(x) - k_t L(G(z_D))  (Berthelot et al. 2017, eq. 4, arXiv:1703.10717)."""
    return ops.mean(_f32(real_loss)) - _f32(k) * ops.mean(_f32(fake_loss))


def began_k_update(k, real_loss, fake_loss, gamma, lambda_k):
    """k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1)  (Berthelot et al., eq. 4)."""
    return ops.clip(_f32(k) + lambda_k * (gamma * _f32(real_loss) - _f32(fake_loss)), 0.0, 1.0)


def began_convergence(real_loss, fake_loss, gamma):
    """M_global = L(x) + |gamma L(x) - L(G(z_G))|  (Berthelot et al. 2017, section 3.4.1)."""
    return _f32(real_loss) + ops.abs(gamma * _f32(real_loss) - _f32(fake_loss))


# --- Qi 2017, "Loss-Sensitive Generative Adversarial Networks on Lipschitz Densities" ------


MARGIN_NORMS = ("l1_sum", "mean")


def l1_margin(x_real, x_fake, norm="l1_sum"):
    """Delta(x, G(z)) per example pair: the L1 distance ||x - G(z)||_1 = sum_d |x_d - G(z)_d|
    ("l1_sum", the paper's), or its mean over the dimensions ("mean": 1/D of it, a scale
    that does not grow with the image size)."""
    if norm not in MARGIN_NORMS:
        raise ValueError(f"margin norm must be one of {MARGIN_NORMS}, got {norm!r}.")
    return per_example_error(x_real, x_fake, norm="l1", reduction="sum" if norm == "l1_sum" else "mean")


def loss_sensitive_discriminator_loss(real_loss, fake_loss, margin, gamma=1.0):
    """S(theta) = gamma E[L(x)] + E[(Delta(x, G(z)) + L(x) - L(G(z)))_+]

    Qi 2017, eq. 6 (arXiv:1701.06264) divided by its lambda (gamma = 1 / lambda): a real
    example's loss must undercut a generated one's by at least the margin Delta between
    them, and real losses are minimised. gamma = 0 (lambda -> infinity) drops the first
    term, as the author's code does by default for unconditional LS-GANs.
    """
    # Flatten (n, 1) network outputs so they pair up with the (n,) margins, not broadcast.
    real_loss, fake_loss = ops.reshape(_f32(real_loss), [-1]), ops.reshape(_f32(fake_loss), [-1])
    return gamma * ops.mean(real_loss) + ops.mean(ops.relu(_f32(margin) + real_loss - fake_loss))


def loss_sensitive_generator_loss(fake_loss):
    """T(phi) = E_z[L_theta(G(z))]  (Qi 2017, eq. 7)."""
    return ops.mean(_f32(fake_loss))
