"""Two-sample statistics: does a set of codes follow the prior it was matched to?

`mmd_squared` is the unbiased estimate of the squared maximum mean discrepancy with a sum of
Gaussian kernels (Gretton et al. 2012, JMLR 13, lemma 6); `ks_per_dimension` is the
Kolmogorov-Smirnov statistic of each coordinate's marginal (scipy.stats.ks_2samp).
"""

import numpy as np
from scipy import stats


def _squared_distances(a, b):
    return np.maximum(
        np.sum(a**2, 1)[:, None] + np.sum(b**2, 1)[None, :] - 2.0 * a @ b.T, 0.0
    )


def mmd_squared(x, y, bandwidths=None):
    """Unbiased MMD^2(x, y) with k(a, b) = sum_s exp(-||a - b||^2 / (2 s^2)).

    MMD^2 = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j) - 2 mean_{i, j} k(x_i, y_j);
    about 0 when x and y come from one distribution, larger the more they differ.

    Args:
        x, y: arrays (N, D) and (M, D), N, M >= 2.
        bandwidths: the kernel widths s. Defaults to (0.5, 1, 2, 4) times the median
            pairwise distance of the pooled samples.
    """
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1] or min(len(x), len(y)) < 2:
        raise ValueError(f"x and y must be (N, D) and (M, D) with N, M >= 2, got {x.shape} and {y.shape}.")
    d_xx, d_yy, d_xy = _squared_distances(x, x), _squared_distances(y, y), _squared_distances(x, y)
    if bandwidths is None:
        pooled = np.concatenate([d_xx[np.triu_indices(len(x), 1)], d_xy.ravel()])
        median = np.sqrt(np.median(pooled)) or 1.0
        bandwidths = [f * median for f in (0.5, 1.0, 2.0, 4.0)]

    def kernel(d):
        return sum(np.exp(-d / (2.0 * s**2)) for s in bandwidths)

    n, m = len(x), len(y)
    k_xx, k_yy = kernel(d_xx), kernel(d_yy)
    within_x = (k_xx.sum() - np.trace(k_xx)) / (n * (n - 1))
    within_y = (k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within_x + within_y - 2.0 * kernel(d_xy).mean())


def ks_per_dimension(x, y):
    """The two-sample Kolmogorov-Smirnov statistic of every coordinate: a (D,) array in [0, 1]."""
    x, y = np.asarray(x), np.asarray(y)
    return np.array([stats.ks_2samp(x[:, j], y[:, j]).statistic for j in range(x.shape[1])])
