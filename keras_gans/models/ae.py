"""AE: a deterministic autoencoder with an ex-post Gaussian-mixture sampler."""

from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.registry import register_model


@register_model("ae")
class AE(AutoencodingModel):
    """Deterministic autoencoder that samples through a Gaussian mixture fitted to its codes.

    Objective: min over E, D of E_x[-log p(x | z = E(x))], the Bernoulli negative
    log-likelihood of the pixels (or the summed squared error, reconstruction="l2").
    A plain autoencoder has no prior; after `fit` a K-component diagonal Gaussian mixture
    p(z) = sum_k pi_k N(z; mu_k, diag s_k^2) is fitted by EM to the codes of the training
    data, the ex-post density estimation of Ghosh et al. 2020 (section 4), so `sample`
    decodes z ~ p(z). The mixture lives in non-trainable variables: saved, exported, served.
    Before the first fit it is N(0, I).

    Args:
        density_components: int. K, components of the ex-post mixture. Defaults to 30.
            Ghosh et al.: 10; more components follow the codes' clusters more closely, so
            fewer draws fall between them. `--set density_components=10` restores it.
        data_shape, latent_dim, num_classes, reconstruction, learning_rate, hidden_units,
            base_filters, encoder, decoder, seed: see `AutoencodingModel` (the networks are
            the library's DCGAN-rule ones, not the papers').

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

    has_prior = False

    def __init__(self, data_shape, **kwargs):
        super().__init__(data_shape=data_shape, **kwargs)
        self.finish_init()
