"""Tiny autoencoder-family models and batches for the shared checks (8x8 images)."""

import numpy as np

from keras_gans import networks
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.metrics import label_agreement, load_mnist_classifier

SHAPE = (8, 8, 1)
LATENT = 3
NUM_CLASSES = 3


def tiny_images(count=8, seed=0):
    """`count` images in the model's [-1, 1] range, as `fit` receives them."""
    return np.random.default_rng(seed).uniform(-1, 1, size=(count, *SHAPE)).astype(np.float32)


def tiny_labels(count=8):
    return (np.arange(count) % NUM_CLASSES).astype(np.int32)


def sync_networks(model_class, num_classes=None, encoder_outputs=LATENT, encoder_labels=0):
    """Encoder and decoder with synchronised batch norm, for the two-replica check."""
    return {
        "encoder": networks.build_conv_encoder(
            SHAPE, encoder_outputs, 4, num_classes=encoder_labels, batch_norm="sync", name="encoder"),
        "decoder": networks.build_conv_generator(
            LATENT, SHAPE, 4, num_classes or 0, batch_norm="sync", output_activation=None, name="decoder"),
    }


class TinyAutoencoderChecks:
    """Mixin: make_model / make_batch for an autoencoder-family model on 8x8 images."""

    model_class = None
    init_kwargs = {}
    conditional = False

    def make_model(self, **kwargs):
        kwargs = {"data_shape": SHAPE, "latent_dim": LATENT, "base_filters": 4, "seed": 5,
                  **({"num_classes": NUM_CLASSES} if self.conditional else {}),
                  **self.init_kwargs, **kwargs}
        return self.model_class(**kwargs)

    def make_batch(self):
        x = tiny_images()
        return (x, tiny_labels()) if self.conditional else x


def fit_on_mnist(model, epochs):
    """Compile `model` with its default optimizers and fit it on the 4,000 mnist_train digits
    (batch 64, seeded order); returns the history dict."""
    model.compile()
    train = load_dataset("mnist_train", seed=0)
    return model.fit(make_pipeline(train, 64, seed=0), epochs=epochs, verbose=0).history


def held_out_reconstruction_accuracy(model, count=1000):
    """Fraction of the first `count` mnist_test digits whose reconstructions the project's
    classifier labels as the digit they came from (chance: 10%)."""
    test = load_dataset("mnist_test")
    reconstructions = np.asarray(model.reconstruct(test.x[:count]))
    return label_agreement(load_mnist_classifier(), reconstructions, test.y[:count])
