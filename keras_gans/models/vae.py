"""VAE: the variational autoencoder."""

from keras_gans import losses
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.registry import register_model


@register_model("vae")
class VAE(AutoencodingModel):
    """Variational autoencoder (Kingma & Welling 2014), with a KL weight beta (Higgins et al. 2017).

    Maximises the evidence lower bound, i.e. minimises per example
        L(x) = -E_q(z|x)[log p(x|z)] + beta KL(q(z|x) || p(z)),
    q(z|x) = N(mu(x), diag sigma^2(x)) from the encoder, p(z) = N(0, I), the expectation
    estimated with one reparameterised draw z = mu + sigma * epsilon, epsilon ~ N(0, I), and
    KL = 1/2 sum_j (sigma_j^2 + mu_j^2 - 1 - log sigma_j^2) in closed form (Appendix B).
    log sigma^2 is clipped to [-10, 10]. -log p(x|z) is the Bernoulli negative
    log-likelihood of the pixels (Appendix C.1), or the summed squared error.

    Args:
        kl_weight: float. beta, the weight of the KL term (1 = the ELBO). Defaults to 1.
        learning_rate: float. Adam learning rate. Defaults to 1e-3. Paper: Adagrad with a
            step size picked per run from {0.01, 0.02, 0.1}; Adam needs no per-run search.
            `compile(optimizers={"autoencoder": keras.optimizers.Adagrad(0.02)})` restores
            it (an optimizer is not a `--set`).
        data_shape, latent_dim, num_classes, reconstruction, hidden_units, base_filters,
            sampler, density_components, encoder, decoder, seed: see `AutoencodingModel`
            (the networks are the library's DCGAN-rule ones, not the paper's 500-unit MLPs).

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> vae = keras_gans.models.VAE(data_shape=data.data_shape, latent_dim=16)
        >>> vae.compile()
        >>> vae.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> digits = vae.sample(16, seed=0)

    Reference: Kingma & Welling 2014, "Auto-Encoding Variational Bayes", arXiv:1312.6114.
    """

    variational = True
    metric_names = ("loss", "reconstruction_loss", "kl_loss")

    def __init__(self, data_shape, kl_weight=1.0, **kwargs):
        self.kl_weight = float(kl_weight)
        if self.kl_weight < 0:
            raise ValueError(f"kl_weight (beta) must be >= 0, got {kl_weight}.")
        super().__init__(data_shape=data_shape, **kwargs)
        self.finish_init()

    def autoencoder_objective(self, x, y=None):
        """The negative ELBO (beta-weighted) on one batch, with its two terms."""
        z, z_mean, z_log_var = self.encode_sample(x, y, training=True)
        reconstruction_loss = self.reconstruction_term(x, self.decoder_logits(z, y, training=True))
        kl_loss = losses.kl_loss(z_mean, z_log_var)
        loss = reconstruction_loss + self.kl_weight * kl_loss
        return loss, {"loss": loss, "reconstruction_loss": reconstruction_loss, "kl_loss": kl_loss}
