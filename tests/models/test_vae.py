"""VAE: KL closed form against tensorflow-probability, the ELBO on a hand case, shared checks."""

import numpy as np
import pytest
import tensorflow_probability as tfp
from autoencoder_cases import LATENT, SHAPE, TinyAutoencoderChecks, sync_networks, tiny_images
from model_test_case import ModelChecks

from keras_gans import VAE, losses

tfd = tfp.distributions


class TestVAEChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "vae"
    model_class = VAE

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(VAE, encoder_outputs=2 * LATENT), **kwargs)


def test_closed_form_kl_agrees_with_tensorflow_probability():
    rng = np.random.default_rng(0)
    z_mean = rng.normal(size=(5, 4)).astype(np.float32)
    z_log_var = rng.normal(size=(5, 4)).astype(np.float32)
    posterior = tfd.MultivariateNormalDiag(z_mean, np.exp(0.5 * z_log_var))
    prior = tfd.MultivariateNormalDiag(np.zeros(4, np.float32), np.ones(4, np.float32))
    np.testing.assert_allclose(losses.gaussian_kl(z_mean, z_log_var),
                               tfd.kl_divergence(posterior, prior), rtol=1e-5)
    # Hand case: mu = 1, sigma^2 = e -> 1/2 (e + 1 - 1 - 1) per dimension.
    assert float(losses.gaussian_kl(np.ones((1, 2)), np.ones((1, 2)))[0]) == pytest.approx(np.e - 1)


def test_log_variance_is_clipped_so_the_kl_stays_finite():
    model = VAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4)
    _, z_log_var = model.posterior(tiny_images(2) * 1e6)
    assert np.all(np.asarray(z_log_var) <= 10.0) and np.all(np.asarray(z_log_var) >= -10.0)


def test_objective_is_reconstruction_plus_beta_times_kl_with_the_steps_noise():
    model = VAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, kl_weight=0.5)
    x = tiny_images(4)
    model.begin_step()
    loss, terms = model.autoencoder_objective(x)
    # Same step noise again: z = mu + sigma * epsilon with epsilon from the step's seed.
    model.begin_step()
    epsilon = np.asarray(model.random_normal([4, LATENT]))
    out = np.asarray(model.encoder(x, training=True), np.float64)
    mu, log_var = out[:, :LATENT], np.clip(out[:, LATENT:], -10, 10)
    z = mu + np.exp(0.5 * log_var) * epsilon
    a = np.asarray(model.decoder(z.astype(np.float32), training=True), np.float64)
    p = (x + 1) / 2
    nll = np.mean(np.sum((np.maximum(a, 0) - a * p + np.log1p(np.exp(-np.abs(a)))).reshape(4, -1), 1))
    kl = np.mean(0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, 1))
    assert float(terms["reconstruction_loss"]) == pytest.approx(nll, rel=1e-4)
    assert float(terms["kl_loss"]) == pytest.approx(kl, rel=1e-4)
    assert float(loss) == pytest.approx(nll + 0.5 * kl, rel=1e-4)


def test_negative_beta_is_refused():
    with pytest.raises(ValueError, match="kl_weight"):
        VAE(data_shape=SHAPE, kl_weight=-1)


def test_ex_post_sampler_decodes_the_codes_own_density():
    from model_test_case import fit_one_step

    model = VAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, sampler="ex_post", density_components=2)
    model.compile()
    x = tiny_images(64)
    fit_one_step(model, x)  # fit() ends by fitting the mixture to the posterior means
    codes = np.asarray(model.posterior(x)[0])
    z = np.asarray(model.draw_latents(4000, 3))
    np.testing.assert_allclose(z.mean(0), codes.mean(0), atol=0.15 * codes.std(0).max() + 1e-3)
    # The default samples the prior N(0, I) and keeps no mixture.
    prior_model = VAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4)
    assert not hasattr(prior_model, "density_means")
    np.testing.assert_allclose(np.asarray(prior_model.draw_latents(4000, 3)).std(0), 1.0, atol=0.05)


def test_models_without_a_prior_refuse_the_prior_sampler():
    from keras_gans import AE

    with pytest.raises(ValueError, match="sampler must be one of \\('ex_post',\\)"):
        AE(data_shape=SHAPE, sampler="prior")
    with pytest.raises(ValueError, match="sampler must be one of"):
        VAE(data_shape=SHAPE, sampler="mixture")
