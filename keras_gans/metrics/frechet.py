"""Fréchet distance between Gaussians fitted to two sets of features.

The Fréchet (2-Wasserstein) distance between N(mu1, S1) and N(mu2, S2) is

    d^2 = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))

With Inception-v3 pool features this is the FID of Heusel et al. (2017),
"GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
Equilibrium", arXiv:1706.08500. keras_gans uses it on the features of its own
MNIST classifier (`keras_gans.metrics.classifier.classifier_fid`); values are
comparable only between runs that use the same feature network.
"""

import warnings

import numpy as np
from scipy import linalg

__all__ = ["frechet_distance", "frechet_distance_from_features"]


def _as_mean_and_covariance(mu, sigma, name):
    mu = np.atleast_1d(np.asarray(mu, dtype=np.float64))
    sigma = np.atleast_2d(np.asarray(sigma, dtype=np.float64))
    if mu.ndim != 1:
        raise ValueError(f"mu{name} must be a vector, got shape {mu.shape}.")
    if sigma.shape != (mu.shape[0], mu.shape[0]):
        raise ValueError(
            f"sigma{name} must be a ({mu.shape[0]}, {mu.shape[0]}) covariance matrix to match "
            f"mu{name} of shape {mu.shape}, got shape {sigma.shape}."
        )
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(sigma))):
        raise ValueError(f"mu{name} and sigma{name} must be finite (found NaN or inf).")
    return mu, sigma


def _sqrtm(matrix):
    """Principal square root and whether SciPy found the matrix singular."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", linalg.LinAlgWarning)
        root = linalg.sqrtm(matrix)
    if isinstance(root, tuple):  # SciPy < 1.16 may return (sqrtm, errest)
        root = root[0]
    singular = any(issubclass(w.category, linalg.LinAlgWarning) for w in caught)
    return root, singular or not np.all(np.isfinite(root))


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """Squared Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2).

    d^2 = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))   (Heusel et al., 2017,
    arXiv:1706.08500). Like the reference FID code this returns d^2, not d.

    Args:
        mu1: array (F,). Mean of the first Gaussian.
        sigma1: array (F, F). Covariance of the first Gaussian (S1).
        mu2: array (F,). Mean of the second Gaussian.
        sigma2: array (F, F). Covariance of the second Gaussian (S2).
        eps: float. Added to both diagonals when S1 S2 is singular, so that its
            square root exists. Defaults to 1e-6.

    Returns:
        float >= 0 (tiny negative round-off is clipped to 0).

    Raises:
        ValueError: on mismatched shapes, non-finite input, or when the matrix
            square root keeps a large imaginary part (ill-conditioned covariances:
            use more samples than feature dimensions).
    """
    mu1, sigma1 = _as_mean_and_covariance(mu1, sigma1, "1")
    mu2, sigma2 = _as_mean_and_covariance(mu2, sigma2, "2")
    if mu1.shape != mu2.shape:
        raise ValueError(
            f"Both Gaussians must have the same dimension, got mu1 {mu1.shape} and mu2 {mu2.shape}."
        )

    diff = mu1 - mu2
    covmean, singular = _sqrtm(sigma1.dot(sigma2))
    if singular:
        # S1 S2 singular (e.g. fewer samples than dimensions, or a collapsed
        # generator): regularise both covariances slightly so the square root
        # is well defined, as the reference FID code does.
        offset = np.eye(sigma1.shape[0]) * eps
        covmean, _ = _sqrtm((sigma1 + offset).dot(sigma2 + offset))

    # sqrtm of a product of PSD matrices is real in exact arithmetic; round-off
    # leaves a small imaginary part, which is dropped. A large one means the
    # estimate cannot be trusted.
    if np.iscomplexobj(covmean):
        max_imag = np.max(np.abs(np.diagonal(covmean).imag))
        tolerance = 1e-3 * max(1.0, np.max(np.abs(covmean.real)))  # relative to the scale
        if max_imag > tolerance:
            raise ValueError(
                f"Matrix square root (S1 S2)^(1/2) has a large imaginary component "
                f"({max_imag:.3g}); the covariances are too ill-conditioned. Use more "
                f"samples than feature dimensions, or fewer dimensions."
            )
        covmean = covmean.real

    distance = diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)
    return float(max(distance, 0.0))


def frechet_distance_from_features(features1, features2, eps=1e-6):
    """Squared Fréchet distance between Gaussians fitted to two feature sets.

    Args:
        features1: array (N1, F). One row per sample (e.g. real images' features).
        features2: array (N2, F). One row per sample (e.g. generated images' features).
        eps: float. See `frechet_distance`. Defaults to 1e-6.

    Returns:
        float: d^2 with mu the sample mean and S the unbiased sample covariance of
        each set. Invariant to the order of the rows.
    """
    f1 = np.asarray(features1, dtype=np.float64)
    f2 = np.asarray(features2, dtype=np.float64)
    for name, f in (("features1", f1), ("features2", f2)):
        if f.ndim != 2:
            raise ValueError(f"{name} must have shape (num_samples, num_features), got {f.shape}.")
        if f.shape[0] < 2:
            raise ValueError(
                f"{name} needs at least 2 samples to estimate a covariance, got {f.shape[0]}."
            )
    if f1.shape[1] != f2.shape[1]:
        raise ValueError(
            f"Feature dimensions differ: features1 has {f1.shape[1]}, features2 has "
            f"{f2.shape[1]}; both must come from the same feature network."
        )
    return frechet_distance(
        f1.mean(axis=0), np.cov(f1, rowvar=False), f2.mean(axis=0), np.cov(f2, rowvar=False),
        eps=eps,
    )
