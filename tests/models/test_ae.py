"""AE: objective on a hand case, ex-post mixture sampler, shared checks."""

import numpy as np
import pytest
from autoencoder_cases import LATENT, SHAPE, TinyAutoencoderChecks, sync_networks, tiny_images
from model_test_case import ModelChecks, fit_one_step

from keras_gans import AE


class TestAEChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "ae"
    model_class = AE

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(AE), **kwargs)


def test_objective_is_the_bernoulli_negative_log_likelihood_of_the_decoded_code():
    model = AE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4)
    x = tiny_images(4)
    loss, terms = model.autoencoder_objective(x)
    a = np.asarray(model.decoder(model.encoder(x, training=True), training=True), np.float64)
    p = (x.astype(np.float64) + 1) / 2  # pixel intensities in [0, 1]
    expected = np.mean(np.sum((-(p * np.log(1 / (1 + np.exp(-a)))
                                 + (1 - p) * np.log(1 - 1 / (1 + np.exp(-a))))).reshape(4, -1), axis=1))
    assert float(loss) == pytest.approx(expected, rel=1e-4)
    assert float(terms["reconstruction_loss"]) == pytest.approx(expected, rel=1e-4)


def test_l2_objective_sums_squared_pixel_errors():
    model = AE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, reconstruction="l2")
    x = tiny_images(4)
    loss, _ = model.autoencoder_objective(x)
    a = np.asarray(model.decoder(model.encoder(x, training=True), training=True), np.float64)
    expected = np.mean(np.sum(((x - np.tanh(a / 2)) ** 2).reshape(4, -1), axis=1))
    assert float(loss) == pytest.approx(expected, rel=1e-4)


def test_bernoulli_needs_images():
    with pytest.raises(ValueError, match="reconstruction='l2'"):
        AE(data_shape=(2,), reconstruction="bernoulli")


def test_ex_post_mixture_is_fitted_to_the_codes_and_sampled(tmp_path):
    model = AE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, density_components=2)
    model.compile()
    x = tiny_images(64)
    fit_one_step(model, x)  # fit() ends by fitting the mixture to the codes
    codes = np.asarray(model.posterior(x)[0])
    means = np.asarray(model.density_means)
    # Each mixture mean lies inside the cloud of codes, and samples spread like the codes.
    assert np.all(means.min(0) >= codes.min(0) - 1e-3) and np.all(means.max(0) <= codes.max(0) + 1e-3)
    z = np.asarray(model.draw_latents(4000, 3))
    np.testing.assert_allclose(z.mean(0), codes.mean(0), atol=0.15 * codes.std(0).max() + 1e-3)
    np.testing.assert_allclose(z.std(0), codes.std(0), rtol=0.25)
    assert np.asarray(model.sample(3, seed=1)).shape == (3, *SHAPE)


def test_interpolation_ends_are_the_reconstructions():
    model = AE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4)
    x = (tiny_images(4) + 1) / 2
    x1, x2 = x[:2], x[2:]
    ends = np.asarray(model.interpolate(np.concatenate([x1, x1]), np.concatenate([x2, x2]),
                                        np.array([0, 0, 1, 1], np.float32)))
    np.testing.assert_allclose(ends[:2], np.asarray(model.reconstruct(x1)), atol=1e-5)
    np.testing.assert_allclose(ends[2:], np.asarray(model.reconstruct(x2)), atol=1e-5)
