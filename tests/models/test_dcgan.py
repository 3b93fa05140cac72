"""DCGAN: architecture rules, shared checks with tiny convolutional players."""

import numpy as np
import pytest
from model_test_case import ModelChecks

from keras_gans import DCGAN, networks
from keras_gans.components import packing

SHAPE = (8, 8, 1)


def tiny_dcgan(batch_norm=True, **kwargs):
    # 3 clusters: the shared checks (save/load, replicas, export) cover the self-conditioning
    kwargs = {"data_shape": SHAPE, "latent_dim": 4, "base_filters": 4, "seed": 5, "clusters": 3, **kwargs}
    if batch_norm != True:  # noqa: E712  (True is the default networks' setting)
        width, m = kwargs["clusters"], kwargs.get("packing", 1)
        kwargs["generator"] = networks.build_conv_generator(4, SHAPE, 4, width, batch_norm=batch_norm)
        kwargs["discriminator"] = networks.build_conv_discriminator(
            packing.packed_shape(SHAPE, m), 4, width * m, batch_norm=batch_norm)
    return DCGAN(**kwargs)


class TestDCGANChecks(ModelChecks):
    model_name = "dcgan"

    def make_model(self, **kwargs):
        return tiny_dcgan(**kwargs)

    def make_mirrorable(self, **kwargs):
        # Per-replica batch statistics differ from one device's by construction; synchronised
        # batch norm computes them over the global batch, so the updates must agree exactly.
        return tiny_dcgan(batch_norm="sync", **kwargs)

    def make_batch(self):
        return np.random.default_rng(0).uniform(-1, 1, size=(8, *SHAPE)).astype(np.float32)


class TestPackedDCGANChecks(TestDCGANChecks):
    """Packing 2 with the self-conditioning: packs carry their members' clusters."""

    def make_model(self, **kwargs):
        return tiny_dcgan(packing=2, **kwargs)

    def make_mirrorable(self, **kwargs):
        return tiny_dcgan(batch_norm="sync", packing=2, **kwargs)


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3), (64, 64, 1)])
def test_networks_follow_the_dcgan_rules_for_each_supported_size(shape):
    model = DCGAN(data_shape=shape, latent_dim=8, base_filters=8)
    assert tuple(model.generator.output_shape[1:]) == shape
    assert tuple(model.discriminator.output_shape[1:]) == (1,)
    layer_types = {type(layer).__name__ for layer in model.discriminator.layers}
    assert "MaxPooling2D" not in layer_types and "Conv2D" in layer_types
    assert model.generator.layers[-1].activation.__name__ == "tanh"
    assert model.generator.layers[-1].dtype_policy.name == "float32"
    # No batch norm on the discriminator's input layer.
    first_conv = next(l for l in model.discriminator.layers if type(l).__name__ == "Conv2D")
    following = model.discriminator.layers[model.discriminator.layers.index(first_conv) + 1]
    assert type(following).__name__ != "BatchNormalization"
    images = np.array(model.sample(3, seed=0))
    assert images.shape == (3, *shape) and images.min() >= 0 and images.max() <= 1


@pytest.mark.parametrize("shape", [(28, 20, 1), (30, 30, 1), (2,)])
def test_shapes_the_networks_cannot_take_are_refused_with_advice(shape):
    with pytest.raises(ValueError, match="28, 32 or 64|square images"):
        DCGAN(data_shape=shape)


def test_default_optimizers_are_the_papers_adam():
    model = tiny_dcgan()
    model.compile()
    for optimizer in model.role_optimizers.values():
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert float(optimizer.beta_1) == pytest.approx(0.5)
    assert model.role_optimizers["generator"].use_ema
    assert not tiny_dcgan(generator_ema=0).default_optimizers()["generator"].use_ema


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1])
def test_a_generator_average_outside_zero_to_one_is_refused(momentum):
    with pytest.raises(ValueError, match=r"generator_ema must be in \[0, 1\)"):
        tiny_dcgan(generator_ema=momentum)


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3)])
def test_conv_encoder_maps_images_to_codes(shape):
    encoder = networks.build_conv_encoder(shape, output_dim=6, base_filters=4)
    codes = encoder(np.zeros((2, *shape), np.float32))
    assert tuple(codes.shape) == (2, 6)


def test_projection_discriminator_depends_on_the_label_through_the_features():
    disc = networks.build_conv_discriminator(SHAPE, 4, num_classes=3, batch_norm=False)
    x = np.random.default_rng(0).uniform(-1, 1, size=(2, *SHAPE)).astype(np.float32)
    one_hot = np.eye(3, dtype=np.float32)
    a = np.array(disc([x, one_hot[[0, 0]]]))
    b = np.array(disc([x, one_hot[[1, 1]]]))
    assert not np.allclose(a, b)
    # logit(x, y) - logit(x, y') = <V(y - y'), phi(x)>: linear in the one-hot label.
    mixed = np.array(disc([x, 0.5 * (one_hot[[0, 0]] + one_hot[[1, 1]])]))
    np.testing.assert_allclose(mixed, 0.5 * (a + b), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_self_conditioned_dcgan_draws_digits_the_classifier_recognises():
    """Offline MNIST, 12 epochs at 32 base filters, no weight average (it needs thousands of
    steps to leave its initialisation): with 20 clusters 67.9% of samples were recognised with
    confidence > 0.9, with clusters=0 45.4% (the defaults, 50 epochs: ~92% vs ~74%)."""
    import keras

    from keras_gans.data import load_dataset, make_pipeline
    from keras_gans.metrics import confident_fraction, load_mnist_classifier

    keras.utils.set_random_seed(0)
    data = load_dataset("mnist", seed=0)
    model = DCGAN(data_shape=(28, 28, 1), base_filters=32, generator_ema=0, clusters=20, seed=0)
    model.compile()
    model.fit(make_pipeline(data, 64, seed=0), epochs=12, verbose=0)
    assert model.clusters == 20 and model.clusters_fitted
    recognised = confident_fraction(load_mnist_classifier(), np.array(model.sample(1000, seed=7)))
    assert recognised >= 0.6, f"{recognised:.1%} of samples recognised with confidence > 0.9"
