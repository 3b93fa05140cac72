"""CGAN: conditioning, shared checks."""

import numpy as np
import pytest
import tensorflow as tf
from model_test_case import ModelChecks

from keras_gans import CGAN

SHAPE = (8, 8, 1)


def tiny_cgan(**kwargs):
    kwargs = {"data_shape": SHAPE, "num_classes": 3, "latent_dim": 4, "base_filters": 4, "seed": 2, **kwargs}
    return CGAN(**kwargs)


class TestCGANChecks(ModelChecks):
    model_name = "cgan"

    def make_model(self, **kwargs):
        return tiny_cgan(**kwargs)

    def make_mirrorable(self, **kwargs):
        return CGAN(data_shape=(2,), num_classes=3, latent_dim=4, hidden_units=(8,), seed=2, **kwargs)

    def make_batch(self):
        rng = np.random.default_rng(0)
        return (rng.uniform(-1, 1, size=(8, *SHAPE)).astype(np.float32), np.arange(8, dtype=np.int32) % 3)

    def test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy):
        # The mirrorable CGAN is the MLP one (no batch norm): its batch is 2D points.
        self.make_batch = lambda: (
            np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32),
            np.arange(8, dtype=np.int32) % 3,
        )
        super().test_two_replicas_give_the_same_update_as_one_device(two_cpu_strategy)


def test_label_changes_the_generated_sample_and_discriminator_sees_it():
    model = tiny_cgan()
    z = tf.random.stateless_normal([3, 4], [1, 2])
    a = np.array(model.generate(z, [0, 0, 0]))
    b = np.array(model.generate(z, [1, 1, 1]))
    assert not np.allclose(a, b)
    x = tf.random.stateless_uniform([3, *SHAPE], [3, 4], -1, 1)
    assert not np.allclose(
        np.array(model.discriminator_forward(x, tf.constant([0, 0, 0]))),
        np.array(model.discriminator_forward(x, tf.constant([2, 2, 2]))),
    )


def test_missing_labels_are_refused_with_a_clear_message():
    model = tiny_cgan()
    with pytest.raises(ValueError, match="labels"):
        model.sample(4, seed=0)
    model.compile()
    with pytest.raises(ValueError, match=r"\(images, labels\)"):
        model.train_step(tf.zeros([4, *SHAPE]))
    with pytest.raises(ValueError, match="num_classes"):
        CGAN(data_shape=SHAPE, num_classes=0)


@pytest.mark.slow
def test_asking_for_digit_d_gives_digit_d():
    """Trained on the offline MNIST, the classifier agrees with the requested class >= 90%.

    The game is checked without the generator's weight average: Keras starts that average
    at the first step's weights, so on a run this short it samples a lagging generator (the
    average's own effect is the CLI default's, measured by the shipped cgan_mnist)."""
    from keras_gans.data import load_dataset, make_pipeline
    from keras_gans.metrics import label_agreement, load_mnist_classifier

    data = load_dataset("mnist", seed=0)
    model = CGAN(data_shape=(28, 28, 1), num_classes=10, base_filters=32, generator_ema=0, seed=0)
    model.compile()
    model.fit(make_pipeline(data, 64, with_labels=True, seed=0), epochs=30, verbose=0)
    labels = np.arange(1000) % 10
    samples = np.array(model.sample(1000, seed=7, labels=labels))
    agreement = label_agreement(load_mnist_classifier(), samples, labels)
    assert agreement >= 0.9, f"classifier agrees with the requested digit on {agreement:.1%}"
