"""BEGAN: the k_t state of equation 4, the shallow autoencoder, the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from loss_family_cases import TinyModelChecks, gaussian_batch, tiny
from model_test_case import fit_one_step, sgd_optimizers


class TestBEGANChecks(TinyModelChecks):
    model_name = "began"
    model_options = {"code_dim": 3}


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
