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


class TestPackedBEGANChecks(TestBEGANChecks):
    model_options = {"code_dim": 3, "packing": 2}


def autoencoder_l1(model, v):
    """L(v) = mean_d |v - D(v)| per example, from the autoencoder's outputs (eta = 1)."""
    reconstruction, _ = model.discriminator(v, training=True)
    return np.mean(np.abs(np.asarray(v, np.float64) - np.asarray(reconstruction, np.float64)), axis=1)


def test_one_step_follows_equation_4_on_a_hand_case(tmp_path):
    """k, L_D, L_G and M_global of one step against eq. 4 computed by hand.

    SGD at rate 0 keeps every weight, so the losses of the step are those of the initial
    networks; replaying the step's noise (begin_step, then the same draws in the same order:
    z_D for the discriminator step, z_G for the generator step) gives its fakes. k_0 = 0.3
    (not 0.5, where k and 1 - k agree) and lambda_k = 0.5 keep every value inside [0, 1], and
    the numbers below differ if L(x) and L(G(z_G)) are swapped in the k update, if 1 - k
    weighs the fake loss in L_D, or if the discriminator step's z_D feeds the k update.
    """
    gamma, lambda_k, k_0 = 0.5, 0.5, 0.3
    keras.utils.set_random_seed(0)  # the initial weights: a case whose numbers differ
    model = tiny("began", gamma=gamma, lambda_k=lambda_k, code_dim=3)
    model.compile(optimizers={role: keras.optimizers.SGD(0.0) for role in model.optimizer_roles})
    model.k.assign(k_0)
    x = gaussian_batch()
    model.begin_step()
    z_d, z_g = model.sample_prior(len(x)), model.sample_prior(len(x))
    real = autoencoder_l1(model, x).mean()
    fake_d = autoencoder_l1(model, model.generator(z_d, training=True)).mean()
    fake_g = autoencoder_l1(model, model.generator(z_g, training=True)).mean()
    assert abs(fake_d - fake_g) > 0.05 and abs(real - fake_g) > 0.05  # the case tells them apart

    logs = model.train_step(tf.constant(x))

    expected_k = np.clip(k_0 + lambda_k * (gamma * real - fake_g), 0.0, 1.0)
    assert 0.0 < expected_k < 1.0
    assert float(model.k) == pytest.approx(expected_k, rel=1e-5)
    assert float(logs["k"]) == pytest.approx(expected_k, rel=1e-5)
    # L_D uses k_t, the value before this step's update.
    assert float(logs["discriminator_loss"]) == pytest.approx(real - k_0 * fake_d, rel=1e-5)
    assert float(logs["generator_loss"]) == pytest.approx(fake_g, rel=1e-5)
    assert float(logs["convergence"]) == pytest.approx(real + abs(gamma * real - fake_g), rel=1e-5)

    model.save(tmp_path / "began.keras")
    restored = keras.saving.load_model(tmp_path / "began.keras")
    assert float(restored.k) == pytest.approx(expected_k)


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
