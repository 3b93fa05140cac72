"""AE: a deterministic autoencoder with an ex-post Gaussian-mixture sampler."""

import numpy as np
import tensorflow as tf

from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.models.base import stateless_seed
from keras_gans.registry import register_model


class ExPostCodeDensity:
    """Mixin for autoencoders without a prior: a Gaussian mixture fitted to the training
    codes when `fit` ends (Ghosh et al. 2020, section 4) is their p(z).

    The mixture lives in non-trainable variables (saved, exported, served); before the first
    fit it is N(0, I). Call `add_code_density(k)` in `__init__`.
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

    def fit(self, *args, **kwargs):
        history = super().fit(*args, **kwargs)
        self.fit_code_density(args[0] if args else kwargs["x"])
        return history

    def fit_code_density(self, data, max_examples=20_000):
        """Fit the ex-post mixture to the codes E(x) of `data` (a tf.data.Dataset or an
        array of model-range inputs, as `fit` takes them); returns the mixture's mean
        per-code log-likelihood."""
        from sklearn.mixture import GaussianMixture

        codes, count = [], 0
        batches = data if isinstance(data, tf.data.Dataset) else [np.asarray(data)[i:i + 500] for i in range(0, len(data), 500)]
        for batch in batches:
            x, labels = self.split_batch(batch)
            y = self.one_hot(labels) if (self.num_classes and self.encoder_conditional) else None
            codes.append(np.asarray(self.posterior(x, y)[0]))
            count += len(codes[-1])
            if count >= max_examples:
                break
        codes = np.concatenate(codes)[:max_examples]
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

    def prior_sample(self, num_samples, seed):
        """z ~ sum_k pi_k N(mu_k, diag s_k^2): a component per draw, then its Gaussian."""
        seed = stateless_seed(seed)
        component_seed, normal_seed = tf.unstack(
            tf.random.experimental.stateless_split(seed, 2), axis=0)
        components = tf.random.stateless_categorical(
            self.density_log_weights.value[None, :], num_samples, component_seed)[0]
        epsilon = tf.random.stateless_normal(tf.stack([num_samples, self.latent_dim]), normal_seed)
        return (tf.gather(self.density_means.value, components)
                + tf.gather(self.density_stddevs.value, components) * epsilon)


@register_model("ae")
class AE(ExPostCodeDensity, AutoencodingModel):
    """Deterministic autoencoder that samples through a Gaussian mixture fitted to its codes.

    Objective: min over E, D of E_x[-log p(x | z = E(x))], the Bernoulli negative
    log-likelihood of the pixels (or the summed squared error, reconstruction="l2").
    A plain autoencoder has no prior; after `fit` a K-component diagonal Gaussian mixture
    p(z) = sum_k pi_k N(z; mu_k, diag s_k^2) is fitted by EM to the codes of the training
    data, the ex-post density estimation of Ghosh et al. 2020 (section 4), so `sample`
    decodes z ~ p(z). The mixture lives in non-trainable variables: saved, exported, served.
    Before the first fit it is N(0, I).

    Args:
        density_components: int. K, components of the ex-post mixture. Defaults to 10.
        data_shape, latent_dim, num_classes, reconstruction, learning_rate, hidden_units,
            base_filters, encoder, decoder, seed: see `AutoencodingModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> ae = keras_gans.models.AE(data_shape=data.data_shape)
        >>> ae.compile()
        >>> ae.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> digits = ae.sample(16, seed=0)

    References: Hinton & Salakhutdinov 2006, "Reducing the dimensionality of data with
    neural networks"; Ghosh et al. 2020, "From Variational to Deterministic Autoencoders",
    arXiv:1903.12436.
    """

    def __init__(self, data_shape, density_components=10, **kwargs):
        super().__init__(data_shape=data_shape, **kwargs)
        self.add_code_density(density_components)
        self.finish_init()
