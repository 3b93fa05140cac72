"""The ex-post code density: a Gaussian mixture fitted to an autoencoder's training codes."""

import numpy as np
import tensorflow as tf

from keras_gans.core.batches import take_examples
from keras_gans.core.randomness import stateless_seed


class CodeDensity:
    """Mixin of `AutoencodingModel`: a Gaussian mixture fitted to the training codes when
    `fit` ends, the ex-post density estimation of Ghosh et al. 2020 (section 4). It is the
    sampler of autoencoders without a prior (AE, GAIA) and an option for the others
    (sampler="ex_post"): decoding draws of the codes' own density instead of p(z).

    The mixture lives in non-trainable variables (saved, exported, served); before the first
    fit it is N(0, I).
    """

    def add_code_density(self, density_components):
        self.density_components = int(density_components)
        if self.density_components < 1:
            raise ValueError(f"density_components must be >= 1, got {density_components}.")
        k, d = self.density_components, self.latent_dim
        self.density_log_weights = self.add_weight(
            shape=(k,), initializer="zeros", trainable=False, name="density_log_weights")
        self.density_means = self.add_weight(
            shape=(k, d), initializer="zeros", trainable=False, name="density_means")
        self.density_stddevs = self.add_weight(
            shape=(k, d), initializer="ones", trainable=False, name="density_stddevs")

    def fit_code_density(self, data, max_examples=20_000):
        """Fit the ex-post mixture to the codes E(x) of `data` (a tf.data.Dataset or an
        array of model-range inputs, as `fit` takes them); returns the mixture's mean
        per-code log-likelihood."""
        from sklearn.mixture import GaussianMixture

        x, labels = take_examples(data, max_examples)
        y = self.one_hot(labels) if (self.num_classes and self.encoder_conditional) else None
        codes = np.concatenate([
            np.asarray(self.posterior(x[i:i + 500], None if y is None else y[i:i + 500])[0])
            for i in range(0, len(x), 500)
        ])
        # Fewer codes than components (a tiny data set): fit what the codes support and
        # give the unused components zero weight.
        fitted = min(self.density_components, len(codes))
        mixture = GaussianMixture(
            fitted, covariance_type="diag", reg_covar=1e-4, random_state=self.seed
        ).fit(codes)
        unused = self.density_components - fitted
        log_weights = np.concatenate([np.log(mixture.weights_), np.full(unused, -1e9)])
        means = np.concatenate([mixture.means_, np.zeros((unused, self.latent_dim))])
        stddevs = np.concatenate([np.sqrt(mixture.covariances_), np.ones((unused, self.latent_dim))])
        self.density_log_weights.assign(log_weights.astype("float32"))
        self.density_means.assign(means.astype("float32"))
        self.density_stddevs.assign(stddevs.astype("float32"))
        return float(mixture.score(codes))

    def mixture_sample(self, num_samples, seed):
        """z ~ sum_k pi_k N(mu_k, diag s_k^2): a component per draw, then its Gaussian."""
        seed = stateless_seed(seed)
        component_seed, normal_seed = tf.unstack(
            tf.random.experimental.stateless_split(seed, 2), axis=0)
        components = tf.random.stateless_categorical(
            self.density_log_weights.value[None, :], num_samples, component_seed)[0]
        epsilon = tf.random.stateless_normal(tf.stack([num_samples, self.latent_dim]), normal_seed)
        return (tf.gather(self.density_means.value, components)
                + tf.gather(self.density_stddevs.value, components) * epsilon)
