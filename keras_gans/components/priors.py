"""Latent priors p(z) as tensorflow-probability distributions (AAE and its relatives).

Each prior is a `tfd.Distribution` over R^d with `sample(n, seed=...)` (stateless seeds) and
`log_prob`; the two-dimensional shapes of Makhzani et al. 2015 (figure 4) are laid out in
the first two coordinates, the remaining d - 2 coordinates are N(0, 1). `AdversarialPrior`
gives the models that match their codes to a prior with a latent discriminator (AAE,
Double GAN) any of them.
"""

import math

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gans.core.randomness import stateless_seed

tfd = tfp.distributions

#: every prior name of the library; each model family says which it supports
#: (`AdversarialModel`: normal, uniform; `AdversarialPrior`: all of them)
PRIORS = ("normal", "uniform", "mixture", "swiss_roll", "clusters")
#: components of the "mixture" prior and segments of the swiss roll's Gaussian chain
MIXTURE_COMPONENTS = 10
SWISS_ROLL_SEGMENTS = 100
#: the "clusters" prior: components, spread of their centres, seed that fixes the centres
CLUSTER_COMPONENTS = 20
CLUSTER_SPREAD = 3.0
CLUSTER_SEED = 0


def _with_standard_normal_tail(locations, scales, latent_dim):
    """Mixture components: given 2D locations (K, 2) and scale matrices (K, 2, 2), pad the
    other latent_dim - 2 coordinates with N(0, 1)."""
    k = locations.shape[0]
    loc = np.zeros((k, latent_dim), np.float32)
    loc[:, :2] = locations
    scale = np.tile(np.eye(latent_dim, dtype=np.float32), (k, 1, 1))
    scale[:, :2, :2] = scales
    return tfd.MixtureSameFamily(
        tfd.Categorical(logits=tf.zeros([k])),
        tfd.MultivariateNormalTriL(loc=tf.constant(loc), scale_tril=tf.constant(scale)),
    )


def gaussian_mixture_prior(latent_dim, components=MIXTURE_COMPONENTS):
    """10 elongated Gaussians arranged as spokes of a wheel: N(0, diag(0.5^2, 0.05^2))
    shifted by 1 along the first axis, rotated by 2 pi k / 10 (Makhzani et al. 2015, fig. 4)."""
    angles = 2 * math.pi * np.arange(components) / components
    rotations = np.stack([[np.cos(angles), -np.sin(angles)], [np.sin(angles), np.cos(angles)]])
    rotations = rotations.transpose(2, 0, 1).astype(np.float32)  # (K, 2, 2)
    locations = rotations @ np.array([1.0, 0.0], np.float32)
    # Scale R diag(0.5, 0.05) is not triangular; its covariance's Cholesky factor is.
    covariances = rotations @ np.diag([0.5**2, 0.05**2]).astype(np.float32) @ rotations.transpose(0, 2, 1)
    return _with_standard_normal_tail(locations, np.linalg.cholesky(covariances), latent_dim)


def swiss_roll_prior(latent_dim, segments=SWISS_ROLL_SEGMENTS):
    """A swiss roll: the spiral r = 0.2 + 1.8 u, angle = 3 pi u for u ~ U[0, 1], blurred by
    N(0, 0.05^2); a chain of `segments` small Gaussians along it, so it has a log-density."""
    u = (np.arange(segments) + 0.5) / segments
    radius, angle = 0.2 + 1.8 * u, 3 * math.pi * u
    locations = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1).astype(np.float32)
    scales = np.tile(0.05 * np.eye(2, dtype=np.float32), (segments, 1, 1))
    return _with_standard_normal_tail(locations, scales, latent_dim)


def clusters_prior(latent_dim, components=CLUSTER_COMPONENTS, spread=CLUSTER_SPREAD, seed=CLUSTER_SEED):
    """`components` equally likely N(mu_k, I) in all latent_dim coordinates, the centres mu_k
    drawn once from N(0, spread^2 I) with a fixed seed (part of the prior's definition, so a
    reloaded model has the same centres).

    Centres lie about spread * sqrt(2 d) apart against a component radius of about sqrt(d)
    (17 vs 4 for d = 16): a decoder trained on prior draws meets no z between clusters, the
    region where a unimodal prior makes it blend two digits. Twenty rather than ten (one per
    digit) leave room for several styles of a digit (measurements:
    benchmarks/results/autoencoders.md).
    """
    loc = spread * np.random.default_rng(seed).standard_normal((components, latent_dim))
    return tfd.MixtureSameFamily(
        tfd.Categorical(logits=tf.zeros([components])),
        tfd.MultivariateNormalDiag(loc=tf.constant(loc, tf.float32), scale_diag=tf.ones([components, latent_dim])),
    )


def standard_normal_prior(latent_dim):
    return tfd.MultivariateNormalDiag(loc=tf.zeros([latent_dim]), scale_diag=tf.ones([latent_dim]))


def check_prior(name, supported=PRIORS):
    """`name` if it is one of `supported` (names of `PRIORS`), else a ValueError listing them."""
    if name not in supported:
        raise ValueError(f"prior must be one of {tuple(supported)}, got {name!r}.")
    return name


def get_prior(name, latent_dim):
    """The prior `name` (one of `PRIORS`) over R^latent_dim as a distribution."""
    check_prior(name)
    if name == "normal":
        return standard_normal_prior(latent_dim)
    if name == "uniform":
        return tfd.Independent(tfd.Uniform(-tf.ones([latent_dim]), tf.ones([latent_dim])), 1)
    if name == "clusters":
        return clusters_prior(latent_dim)
    if latent_dim < 2:
        raise ValueError(f"The {name} prior is two-dimensional: latent_dim must be >= 2, got {latent_dim}.")
    return gaussian_mixture_prior(latent_dim) if name == "mixture" else swiss_roll_prior(latent_dim)


def sample_with_seed(distribution, num_samples, seed):
    """`num_samples` draws from a stateless seed (a [2] integer tensor)."""
    return distribution.sample(num_samples, seed=tf.cast(seed, tf.int32))


class AdversarialPrior:
    """Mixin of autoencoders whose latent discriminator pushes the codes toward p(z): as
    nothing needs p(z)'s density in closed form, p(z) can be any prior of `PRIORS`.

    The model calls `set_prior(name, latent_dim)` in its constructor.
    """

    def set_prior(self, name, latent_dim):
        self.prior = name
        self.prior_distribution = get_prior(name, int(latent_dim))

    def sample_prior(self, batch_size):
        """z ~ p(z) for this training step (this replica's slice of one global draw)."""
        return self._draw(
            lambda shape, seed, dtype: sample_with_seed(self.prior_distribution, shape[0], seed),
            [batch_size, self.latent_dim], "float32",
        )

    def draw_prior(self, num_samples, seed):
        """num_samples draws of p(z) from an explicit stateless seed (an int or a [2] tensor)."""
        return sample_with_seed(self.prior_distribution, num_samples, stateless_seed(seed))
