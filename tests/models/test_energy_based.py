"""EBGAN and BEGAN: autoencoder discriminators, their objectives, BEGAN's k_t state."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, tiny
from model_test_case import fit_one_step, sgd_optimizers

from keras_gans.losses import energy


class TestEBGANChecks(TinyModelChecks):
    model_name = "ebgan"
    model_options = {"code_dim": 3}

    def make_mirrorable(self, **kwargs):
        # f_PT is a batch statistic over each replica's own examples (like per-replica batch
        # norm), so N replicas match one device exactly only without it.
        return self.make_model(pulling_away_weight=0.0, **kwargs)


class TestBEGANChecks(TinyModelChecks):
    model_name = "began"
    model_options = {"code_dim": 3}


def identity_free_autoencoder(model):
    """Zero the decoder's output layer: Dec(Enc(x)) = its bias b, so the energy is |x - b|."""
    output = model.discriminator.get_layer("decoder").get_layer("output")
    kernel, _ = output.get_weights()
    output.set_weights([np.zeros_like(kernel), np.array([1.0, 0.0])])


def test_ebgan_objectives_match_equations_1_and_2_on_a_hand_case():
    model = tiny("ebgan", margin=1.0, pulling_away_weight=0.0)
    identity_free_autoencoder(model)  # reconstruction (1, 0) for every input
    output = model.generator.get_layer("output")  # every fake is (1.5, 0)
    output.set_weights([np.zeros_like(output.get_weights()[0]), np.array([1.5, 0.0])])
    x = np.array([[1.0, 0.0], [1.0, 2.0]], np.float32)  # energies: 0 and mean(0, 4) = 2
    fake_energy = 0.25 / 2  # mean((1.5 - 1)^2, 0)
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(1.0 + (1.0 - fake_energy), rel=1e-5)  # D(x) + [m - D(G(z))]_+
    g_loss, terms = model.generator_objective(3)
    assert float(g_loss) == pytest.approx(fake_energy, rel=1e-5)
    assert float(terms["pulling_away_term"]) == 0.0


def test_ebgan_generator_loss_adds_the_weighted_pulling_away_term():
    model = tiny("ebgan", pulling_away_weight=0.5)
    model.begin_step()
    loss, terms = model.generator_objective(6)
    model.begin_step()  # same noise again
    fakes = model.generator_forward(model.sample_prior(6), training=True)
    fake_energy, code = model.energy_and_code(fakes)
    expected_pt = 0.5 * float(energy.pulling_away_term(code))
    assert float(terms["pulling_away_term"]) == pytest.approx(expected_pt, rel=1e-5)
    assert float(loss) == pytest.approx(float(np.mean(fake_energy)) + expected_pt, rel=1e-5)


def test_began_k_is_updated_towards_equilibrium_and_saved(tmp_path):
    model = tiny("began", lambda_k=0.1)
    model.compile()
    model.k.assign(0.5)
    logs = model.train_step(tf.constant(gaussian_batch()))
    assert 0.0 <= float(model.k) <= 1.0 and float(model.k) != 0.5
    assert float(logs["convergence"]) > 0
    model.save(tmp_path / "began.keras")
    restored = keras.saving.load_model(tmp_path / "began.keras")
    assert float(restored.k) == pytest.approx(float(model.k))


def test_began_k_update_is_identical_on_two_replicas_and_one_device(two_cpu_strategy):
    batch = gaussian_batch()
    single = tiny("began", lambda_k=0.1)
    single.compile(optimizers=sgd_optimizers(single))
    with two_cpu_strategy.scope():
        mirrored = tiny("began", lambda_k=0.1)
        mirrored.compile(optimizers=sgd_optimizers(mirrored))
    mirrored.set_weights(single.get_weights())
    for model in (single, mirrored):
        model.k.assign(0.5)
        fit_one_step(model, batch)
    assert float(single.k) != 0.5
    assert float(mirrored.k.numpy()) == pytest.approx(float(single.k), rel=1e-5)


def test_autoencoder_discriminators_for_images_and_vectors():
    images = tiny("ebgan", data_shape=(8, 8, 1), base_filters=4, code_dim=5)
    reconstruction, code = images.discriminator(np.zeros((2, 8, 8, 1), np.float32))
    assert reconstruction.shape == (2, 8, 8, 1) and code.shape == (2, 5)
    assert images.judge(np.zeros((2, 8, 8, 1), np.float32)).shape == (2,)
    with pytest.raises(ValueError, match="unconditional"):
        tiny("began", num_classes=10)


def test_began_defaults_to_the_shallow_image_autoencoder_and_ebgan_to_the_dcgan_one():
    began = tiny("began", data_shape=(8, 8, 1), base_filters=4, code_dim=5)
    ebgan = tiny("ebgan", data_shape=(8, 8, 1), base_filters=4, code_dim=5)
    assert began.autoencoder_architecture == "shallow" and ebgan.autoencoder_architecture == "dcgan"
    # shallow: one stride-2 conv, a linear code, one transposed conv back (4x4x4 -> 8x8x1)
    encoder = began.discriminator.get_layer("encoder")
    assert [type(layer).__name__ for layer in encoder.layers[1:]] == ["Conv2D", "Flatten", "Dense"]
    reconstruction, code = began.discriminator(np.zeros((2, 8, 8, 1), np.float32))
    assert reconstruction.shape == (2, 8, 8, 1) and code.shape == (2, 5)
    deep = tiny("began", data_shape=(8, 8, 1), base_filters=4, autoencoder_architecture="dcgan")
    assert len(deep.discriminator.get_layer("encoder").layers) > len(encoder.layers)
    assert deep.get_config()["autoencoder_architecture"] == "dcgan"
    with pytest.raises(ValueError, match="autoencoder_architecture must be one of"):
        tiny("began", autoencoder_architecture="resnet")
