"""Double GAN: each of the four roles' objectives on a hand case, both decoder objectives,
the shared checks, a NaN stops training, learning on MNIST."""

import keras
import numpy as np
import pytest
from autoencoder_cases import (
    LATENT, SHAPE, TinyAutoencoderChecks, fit_on_mnist, held_out_reconstruction_accuracy,
    sync_networks, tiny_images,
)
from model_test_case import ModelChecks, fit_one_step, one_batch_dataset
from test_vae_gan import step_forward_in_numpy, sync_discriminator

from keras_gans.callbacks import StopOnNonFinite
from keras_gans.models.double_gan import DoubleGAN


class TestDoubleGANChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "double_gan"
    model_class = DoubleGAN
    # the summed feature/pixel losses times the default 2^15 overflow float16 on the first
    # steps, which dynamic loss scaling (correctly) skips: start from a settled scale
    mixed_float16_loss_scale = 2.0**8

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(DoubleGAN), discriminator=sync_discriminator(), **kwargs)


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


@pytest.mark.parametrize("decoder_objective", ["vae_gan", "sum"])
def test_each_roles_objective_is_its_formula_with_the_steps_noise(decoder_objective):
    gamma, lam = 0.3, 2.5
    model = DoubleGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, latent_hidden_units=(8,),
                      similarity_weight=gamma, latent_adversarial_weight=lam,
                      decoder_objective=decoder_objective)
    x = tiny_images(4)
    model.begin_step()
    role_losses, terms = model.objectives(x)
    f = step_forward_in_numpy(model, x)  # deterministic encoder: z = E(x), no noise drawn for it
    l_x, l_tilde, l_p = f["logits"]
    latent = np.asarray(model.latent_discriminator(np.concatenate([f["z_p"], f["z"]]).astype(np.float32),
                                                   training=True), np.float64)
    l_prior_codes, l_codes = latent[:4], latent[4:]
    a = f["a_tilde"]
    p = (x.astype(np.float64) + 1) / 2
    recon = np.mean(np.sum((np.maximum(a, 0) - a * p + np.log1p(np.exp(-np.abs(a)))).reshape(4, -1), 1))
    # Auxiliary GAN: prior draws are REAL, encoder codes are FAKE.
    l_gan_z = np.mean(np.log(sigmoid(l_prior_codes))) + np.mean(np.log(1 - sigmoid(l_codes)))
    l_gan_x = (np.mean(np.log(sigmoid(l_x))) + np.mean(np.log(1 - sigmoid(l_tilde)))
               + np.mean(np.log(1 - sigmoid(l_p))))
    if decoder_objective == "sum":
        decoder = recon + np.mean(np.log(1 - sigmoid(l_tilde))) + np.mean(np.log(1 - sigmoid(l_p)))
    else:
        decoder = gamma * recon - np.mean(np.log(sigmoid(l_tilde))) - np.mean(np.log(sigmoid(l_p)))
    assert float(terms["reconstruction_loss"]) == pytest.approx(recon, rel=1e-4)
    assert float(role_losses["encoder"]) == pytest.approx(recon - lam * np.mean(np.log(sigmoid(l_codes))), rel=1e-4)
    assert float(role_losses["latent_discriminator"]) == pytest.approx(-l_gan_z, rel=1e-4)
    assert float(role_losses["decoder"]) == pytest.approx(decoder, rel=1e-4)
    assert float(role_losses["discriminator"]) == pytest.approx(-l_gan_x, rel=1e-4)


def test_latent_discriminator_learns_that_prior_draws_are_real_and_codes_fake():
    model = DoubleGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, latent_hidden_units=(16,))
    model.compile(optimizers={"latent_discriminator": keras.optimizers.Adam(1e-2)})
    x = tiny_images(8)

    def latent_loss():
        model.begin_step()  # the same step each time: the same prior draws z_p
        return model.objectives(x)[0]["latent_discriminator"]

    before = float(latent_loss())
    for _ in range(60):  # only D_z moves: the codes E(x) and the draws z_p stay fixed
        model.minimize("latent_discriminator", latent_loss)
    assert float(latent_loss()) < before
    model.begin_step()
    z_p = model.sample_prior(8)
    codes = model.posterior(x, training=True)[0]
    assert float(np.mean(model.latent_discriminator(z_p))) > float(np.mean(model.latent_discriminator(codes)))


def test_unknown_decoder_objective_is_refused():
    with pytest.raises(ValueError, match="decoder_objective"):
        DoubleGAN(data_shape=SHAPE, decoder_objective="max")


def test_any_aae_prior_is_accepted_and_its_draws_are_the_training_noise():
    model = DoubleGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, prior="mixture")
    assert model.prior == "mixture" and DoubleGAN(data_shape=SHAPE, base_filters=4).prior == "clusters"
    model.begin_step()
    z_p = np.asarray(model.sample_prior(2000))
    radius = np.linalg.norm(z_p[:, :2], axis=1)  # the 10-spoke wheel in the first two coordinates
    assert 0.9 < np.median(radius) < 1.1
    with pytest.raises(ValueError, match="prior must be one of"):
        DoubleGAN(data_shape=SHAPE, prior="laplace")


def test_weights_save_and_load_in_the_networks_order(tmp_path):
    """The networks are listed (and saved) encoder, decoder, Dis, D_z whether the model builds
    them or receives them, as `from_config` passes them: a load restores each weight in place."""
    model = DoubleGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, latent_hidden_units=(8,))
    networks_in_order = [model.encoder, model.decoder, model.discriminator, model.latent_discriminator]
    expected = [id(w) for network in networks_in_order for w in network.weights]
    assert [id(w) for w in model.weights if w is not model.step_counter] == expected
    model.compile()
    fit_one_step(model, tiny_images(8))
    path = tmp_path / "double_gan.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert [w.path for w in loaded.weights] == [w.path for w in model.weights]
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=a.path)
    loaded_networks = [loaded.encoder, loaded.decoder, loaded.discriminator, loaded.latent_discriminator]
    assert [id(w) for w in loaded.weights if w is not loaded.step_counter] == [
        id(w) for network in loaded_networks for w in network.weights]


def test_negative_latent_adversarial_weight_is_refused():
    with pytest.raises(ValueError, match="latent_adversarial_weight"):
        DoubleGAN(data_shape=SHAPE, latent_adversarial_weight=-1.0)


def test_a_nan_stops_training_with_a_clear_message():
    model = DoubleGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, latent_hidden_units=(8,))
    model.compile()
    x = tiny_images(8)
    x[0, 0, 0, 0] = np.nan  # the reconstruction loss of this batch is NaN
    with pytest.raises(Exception, match="Training stopped: .* became nan"):
        model.fit(one_batch_dataset(x), epochs=1, verbose=0, callbacks=[StopOnNonFinite()])


@pytest.mark.slow
def test_learns_mnist_reconstructions_the_classifier_recognises():
    """35-45 s on 2 shared CPU cores: 4,000 digits, 7 epochs; held-out reconstructions keep
    their digit. Measured 0.862 on two runs with the N(0, I) prior, 0.802 with the default
    20-cluster prior (untrained: ~0.1)."""
    keras.utils.set_random_seed(0)
    model = DoubleGAN(data_shape=(28, 28, 1), seed=0)
    fit_on_mnist(model, epochs=7)
    accuracy = held_out_reconstruction_accuracy(model, count=500)
    print(f"held-out reconstruction accuracy {accuracy:.3f}")
    assert accuracy >= 0.75, f"held-out reconstruction accuracy {accuracy:.3f}"
