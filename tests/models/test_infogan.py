"""InfoGAN: codes, Q on D's trunk, the information terms, sampling with codes, shared checks."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_test_case import ModelChecks

from keras_gans import InfoGAN, networks
from keras_gans.inference import sample_labels

SHAPE = (8, 8, 1)


def tiny_infogan(**kwargs):
    kwargs = {"data_shape": SHAPE, "noise_dim": 3, "categorical_codes": (3,), "continuous_codes": 2,
              "base_filters": 4, "q_hidden_units": 8, "dense_units": 8, "seed": 2, **kwargs}
    return InfoGAN(**kwargs)


class TestInfoGANChecks(ModelChecks):
    model_name = "infogan"
    # the fully connected layers' first float16 gradients overflow at the default 2^15, which
    # dynamic loss scaling (correctly) skips: start from a settled scale
    mixed_float16_loss_scale = 2.0**8

    def make_model(self, **kwargs):
        return tiny_infogan(**kwargs)

    def make_mirrorable(self, **kwargs):
        return InfoGAN(data_shape=(2,), noise_dim=2, categorical_codes=(3,), continuous_codes=1,
                       hidden_units=(8,), q_hidden_units=8, seed=2, **kwargs)

    def make_batch(self):
        return np.random.default_rng(0).uniform(-1, 1, size=(8, *SHAPE)).astype(np.float32)

    def test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy):
        # The mirrorable InfoGAN is the MLP one (no batch norm): its batch is 2D points.
        self.make_batch = lambda: np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
        super().test_two_replicas_give_the_same_update_as_one_device(two_cpu_strategy)


def test_latent_is_noise_then_one_hot_codes_then_continuous_codes():
    model = tiny_infogan(categorical_codes=(3, 2))
    assert model.latent_dim == 3 + 3 + 2 + 2
    model.begin_step()
    z = np.asarray(model.sample_prior(500))
    noise, one_hots, continuous = (np.asarray(t) if not isinstance(t, list) else [np.asarray(o) for o in t]
                                   for t in model.split_latent(z))
    assert noise.shape == (500, 3) and np.abs(noise).max() <= 1.0  # uniform noise by default
    for one_hot, k in zip(one_hots, (3, 2)):
        assert one_hot.shape == (500, k)
        np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
        counts = one_hot.sum(axis=0)
        assert counts.min() > 500 / k * 0.7, f"code values not uniform: {counts}"
    assert continuous.shape == (500, 2) and -1.0 <= continuous.min() and continuous.max() <= 1.0
    assert continuous.std() > 0.5  # U(-1, 1) has std 0.577


def test_q_is_one_head_on_the_discriminators_trunk():
    model = tiny_infogan()
    trunk = {id(v) for v in model.discriminator.trainable_variables}
    head = model.auxiliary_network.trainable_variables
    # Q adds FC (no bias), its batch norm (scale, offset) and the output layer only
    assert len(head) == 5 and not trunk & {id(v) for v in head}
    assert set(model.optimizer_roles["discriminator"]) == {"discriminator", "auxiliary_network"}
    x = tf.random.stateless_uniform([4, *SHAPE], [1, 2])
    before = np.asarray(model.predict_codes(x)[1])
    kernel = model.discriminator.get_layer("down_0").kernel
    kernel.assign(kernel * 2.0)  # a trunk weight: Q's reading changes with it
    assert not np.allclose(before, np.asarray(model.predict_codes(x)[1]))


def test_image_networks_are_the_papers_with_one_fully_connected_layer_each():
    # Appendix C.1: G = FC 1024 - FC 7x7x128 - upconv - upconv; D = conv - conv - FC 1024, with
    # D's GAN logit and Q's head (FC 128 - BN - LeakyReLU) both on the FC layer.
    model = InfoGAN(base_filters=8, noise_dim=4)
    assert model.generator.get_layer("dense_0").units == 1024
    assert model.discriminator.get_layer("dense_0").units == 1024
    assert model.discriminator.outputs[1].shape[-1] == 1024  # the features Q reads
    assert isinstance(model.auxiliary_network.get_layer("q_hidden_norm"), keras.layers.BatchNormalization)
    dcgan = InfoGAN(base_filters=8, noise_dim=4, dense_units=0)
    assert not any(layer.name.startswith("dense_") for layer in dcgan.generator.layers + dcgan.discriminator.layers)
    assert dcgan.discriminator.outputs[1].shape[-1] == 7 * 7 * 16  # the flattened last convolution


def test_discriminators_gan_head_sees_the_image_alone():
    model = tiny_infogan()
    assert len(model.discriminator.inputs) == 1
    assert tuple(model.discriminator.inputs[0].shape[1:]) == SHAPE
    two_inputs = networks.build_conv_discriminator(SHAPE, 4, num_classes=3, return_features=True)
    with pytest.raises(ValueError, match="must take 1 input"):
        tiny_infogan(discriminator=two_inputs)
    with pytest.raises(ValueError, match="features"):
        tiny_infogan(discriminator=networks.build_conv_discriminator(SHAPE, 4))


def test_information_terms_are_the_codes_negative_log_likelihood_under_q():
    model = tiny_infogan()
    noise = np.zeros((2, 3), np.float32)
    z = np.asarray(model.join_latent(noise, np.array([[0], [2]]), np.array([[0.5, -1.0], [0.0, 0.0]])))
    # Q: logits (3 per example), then the two continuous means.
    q = np.array([[2.0, 0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0]], np.float32)
    terms = {k: float(v) for k, v in model.information_losses(tf.constant(z), tf.constant(q)).items()}
    categorical = (-math.log(math.e**2 / (math.e**2 + 2)) + math.log(3)) / 2
    gaussian = 2 * 0.5 * math.log(2 * math.pi) + (0.5 * 1.0 + 0.5 * 1.0) / 2  # (c - mu)^2 / 2 summed
    assert terms["categorical_information_loss"] == pytest.approx(categorical, rel=1e-5)
    assert terms["continuous_information_loss"] == pytest.approx(gaussian, rel=1e-5)
    weighted = float(model.weighted_information_loss(terms))
    assert weighted == pytest.approx(1.0 * categorical + 0.1 * gaussian, rel=1e-5)


def test_the_information_term_trains_generator_and_q_but_not_the_gan_head():
    model = tiny_infogan()
    model.begin_step()
    z = model.sample_prior(8)
    with tf.GradientTape(persistent=True) as tape:
        _, q = model.judge_with_codes(model.generator_forward(z, training=True))
        loss = model.weighted_information_loss(model.information_losses(z, q))
    gan_head = model.discriminator.get_layer("logits").trainable_variables
    for variables, expect in ((model.generator.trainable_variables, True),
                              (model.auxiliary_network.trainable_variables, True),
                              (model.discriminator.get_layer("down_0").trainable_variables, True),
                              (gan_head, False)):
        grads = tape.gradient(loss, variables)
        nonzero = any(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)
        assert nonzero == expect, [v.path for v in variables]


def test_invariance_reads_the_categorical_code_from_the_fakes_and_their_transforms():
    model = tiny_infogan(invariance_rotation=20.0, invariance_zoom=0.1)
    model.transform_for_codes = lambda x: tf.image.rot90(x)  # a known T for the hand check
    model.begin_step()
    _, information = model.fake_with_codes(8)
    model.begin_step()  # the same draws again: the step's fakes, Q's reading of them and of their rotation
    z = model.sample_prior(8)
    x_fake = model.generator_forward(z, training=True)
    plain = model.information_losses(z, model.judge_with_codes(x_fake)[1])
    rotated = model.information_losses(z, model.judge_with_codes(tf.image.rot90(x_fake))[1])
    expected = 0.5 * (float(plain["categorical_information_loss"]) + float(rotated["categorical_information_loss"]))
    assert float(information["categorical_information_loss"]) == pytest.approx(expected, rel=1e-4)
    # the continuous codes (slant, stroke) are read from the untransformed fakes only
    assert float(information["continuous_information_loss"]) == pytest.approx(
        float(plain["continuous_information_loss"]), rel=1e-4)
    assert abs(float(rotated["categorical_information_loss"]) - float(plain["categorical_information_loss"])) > 1e-4


def test_invariance_transform_rotates_and_zooms_within_its_bounds():
    model = tiny_infogan(invariance_rotation=20.0, invariance_zoom=0.1, data_shape=(16, 16, 1))
    x = -np.ones((1, 16, 16, 1), np.float32)
    x[0, 2:14, 7:9] = 1.0  # a vertical bar
    model.begin_step()
    turned = np.asarray(model.transform_for_codes(tf.constant(np.repeat(x, 64, axis=0))))
    assert turned.min() >= -1.0 - 1e-5 and turned.max() <= 1.0 + 1e-5
    assert np.abs(turned - x).max(axis=(1, 2, 3)).min() > 0  # every copy moved
    # a bar turned by at most 20 degrees about the centre stays on the central third of the top row
    ink_top = turned[:, 3] > 0
    columns = np.nonzero(ink_top.any(axis=0))[0]
    assert columns.min() >= 4 and columns.max() <= 11


class TestInvariantInfoGANChecks(TestInfoGANChecks):
    def make_model(self, **kwargs):
        return tiny_infogan(invariance_rotation=20.0, invariance_zoom=0.1, **kwargs)

    def make_mirrorable(self, **kwargs):
        # conv players without batch norm, so the transform runs under the strategy too
        latent_dim, features = 3 + 3 + 2, keras.Input((8,))
        auxiliary = keras.Model(features, keras.layers.Dense(3 + 2)(features))
        return self.make_model(
            generator=networks.build_conv_generator(latent_dim, SHAPE, 4, batch_norm=False, dense_units=(8,)),
            discriminator=networks.build_conv_discriminator(SHAPE, 4, batch_norm=False, return_features=True,
                                                            dense_units=(8,)),
            auxiliary_network=auxiliary, **kwargs)

    def test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy):
        ModelChecks.test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy)


def test_sample_fixes_the_codes_it_is_given():
    model = tiny_infogan()
    a = np.asarray(model.sample(4, seed=5, labels=0))
    b = np.asarray(model.sample(4, seed=5, labels=1))
    assert not np.allclose(a, b)  # the code changes the image, the noise is the same
    np.testing.assert_allclose(np.asarray(model.sample(4, seed=5, labels=0)), a)
    sweep = np.asarray(model.sample(5, seed=5, labels=0, continuous=[[v, 0.0] for v in np.linspace(-2, 2, 5)]))
    same_noise = np.asarray(model.sample(5, seed=5, labels=0, continuous=[[0.0, 0.0]] * 5))
    assert not np.allclose(sweep, same_noise)
    with pytest.raises(ValueError, match="0..2"):
        model.sample(2, seed=0, labels=3)
    with pytest.raises(ValueError, match="--label must be in 0..2"):
        sample_labels(model, 4, label=3)
    np.testing.assert_array_equal(sample_labels(model, 4), [0, 1, 2, 0])


@pytest.mark.parametrize("settings, message", [
    ({"categorical_codes": (1,)}, ">= 2"),
    ({"categorical_codes": (), "continuous_codes": 0}, "at least one code"),
    ({"continuous_codes": -1}, ">= 0"),
    ({"dense_units": -1}, "dense_units must be >= 0"),
    ({"num_classes": 10}, "without labels"),
    ({"invariance_rotation": -5.0}, "invariance_rotation must be in"),
    ({"invariance_zoom": 1.0}, "invariance_zoom in"),
    ({"invariance_rotation": 10.0, "data_shape": (2,)}, "transform images"),
    ({"invariance_zoom": 0.1, "categorical_codes": (), "continuous_codes": 2}, "categorical_codes is empty"),
])
def test_code_settings_that_do_not_add_up_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        tiny_infogan(**settings)


def ring_code_accuracy(categorical_weight, seed=0, steps=800):
    """InfoGAN on the 8-mode ring with one 8-way code: the share of samples whose code's
    matched mode (Hungarian) is the mode they land nearest to."""
    from keras_gans.data import load_dataset, make_pipeline
    from keras_gans.metrics.codes import matched_accuracy

    data = load_dataset("ring8", num_samples=20000, seed=seed)
    model = InfoGAN(data_shape=(2,), noise_dim=2, categorical_codes=(8,), continuous_codes=0,
                    hidden_units=(128, 128), q_hidden_units=64, prior="normal", learning_rate=5e-4,
                    categorical_weight=categorical_weight, seed=seed)
    model.compile()
    model.fit(make_pipeline(data, 256, seed=seed).repeat(), epochs=1, steps_per_epoch=steps, verbose=0)
    codes = np.repeat(np.arange(8), 250)
    points = np.asarray(model.sample(2000, seed=5, labels=codes))
    nearest = np.argmin(((points[:, None] - data.modes[None]) ** 2).sum(-1), axis=1)
    return matched_accuracy(codes, nearest, 8, 8)[0]


def test_the_information_term_makes_the_categorical_code_pick_the_mode():
    """Measured (seeds 0, 1): 1.0 with lambda = 1; 0.18 and 0.19 without the term (lambda = 0),
    where the code is ignored and a code's samples spread over the ring."""
    assert ring_code_accuracy(1.0) >= 0.9
    assert ring_code_accuracy(0.0) <= 0.5


def test_compile_gives_the_papers_rates_generator_faster():
    model = tiny_infogan()
    model.compile()
    assert float(model.role_optimizers["generator"].learning_rate) == pytest.approx(1e-3)
    assert float(model.role_optimizers["discriminator"].learning_rate) == pytest.approx(2e-4)
