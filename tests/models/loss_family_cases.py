"""Tiny models and a linear-player hand case shared by the loss-family model tests."""

import numpy as np
from model_test_case import ModelChecks

from keras_gans import get_model_class


def tiny(name, **kwargs):
    """A small MLP model of registry `name` on 2D data."""
    kwargs = {"data_shape": (2,), "latent_dim": 4, "hidden_units": (8,), "seed": 3, **kwargs}
    return get_model_class(name)(**kwargs)


def linear_players(model):
    """Make G(z) = (1, 0) for every z and D(x) = 2 x_0 (needs hidden_units=(), latent_dim=2).

    On x = [[0, 0], [1, 5]] the discriminator's outputs are then 0 and 2 on real data and
    2 on every fake.
    """
    model.generator.get_layer("output").set_weights([np.zeros((2, 2)), np.array([1.0, 0.0])])
    model.discriminator.get_layer("logits").set_weights([np.array([[2.0], [0.0]]), np.zeros(1)])
    return np.array([[0.0, 0.0], [1.0, 5.0]], np.float32)


def gaussian_batch(size=8, seed=0):
    return np.random.default_rng(seed).normal(size=(size, 2)).astype(np.float32)


class TinyModelChecks(ModelChecks):
    """The shared checks on `tiny(model_name, **model_options)` and a Gaussian 2D batch."""

    model_options = {}

    def make_model(self, **kwargs):
        return tiny(self.model_name, **self.model_options, **kwargs)

    def make_batch(self):
        return gaussian_batch()


def identity_free_autoencoder(model):
    """Zero the decoder's output layer: Dec(Enc(x)) = its bias b, so the energy is |x - b|."""
    output = model.discriminator.get_layer("decoder").get_layer("output")
    kernel, _ = output.get_weights()
    output.set_weights([np.zeros_like(kernel), np.array([1.0, 0.0])])
