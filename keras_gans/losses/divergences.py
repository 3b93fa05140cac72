"""The Gaussian posterior: reparameterised sampling and its KL divergence to the prior."""

from keras import ops

from keras_gans.losses._common import _f32

#: log-variance bounds: exp(-10) .. exp(10) keeps exp() finite in float16 and the KL bounded
LOG_VARIANCE_RANGE = (-10.0, 10.0)


def clip_log_variance(z_log_var):
    """log sigma^2 clipped to LOG_VARIANCE_RANGE: one exploding encoder output would
    otherwise make exp(log sigma^2), and the KL, overflow to inf."""
    return ops.clip(_f32(z_log_var), *LOG_VARIANCE_RANGE)


def reparameterize(z_mean, z_log_var, epsilon):
    """z = mu + sigma * epsilon, sigma = exp(log sigma^2 / 2), epsilon ~ N(0, I)
    (the reparameterisation trick, Kingma & Welling 2014, eq. 10, arXiv:1312.6114)."""
    return _f32(z_mean) + ops.exp(0.5 * _f32(z_log_var)) * _f32(epsilon)


def gaussian_kl(z_mean, z_log_var):
    """KL(N(mu, diag sigma^2) || N(0, I)) per example
    = 1/2 sum_j (sigma_j^2 + mu_j^2 - 1 - log sigma_j^2)  (Kingma & Welling 2014, Appendix B)."""
    z_mean, z_log_var = _f32(z_mean), _f32(z_log_var)
    return 0.5 * ops.sum(ops.exp(z_log_var) + ops.square(z_mean) - 1.0 - z_log_var, axis=-1)


def kl_loss(z_mean, z_log_var):
    """Batch mean of `gaussian_kl`."""
    return ops.mean(gaussian_kl(z_mean, z_log_var))
