"""Multi-layer perceptrons: 2D toy data, flat vectors, latent-space discriminators."""

import math

import keras
from keras import layers

from keras_gans.networks.layers import Maxout, apply, check_maxout_pieces, network_inputs, normalization, output_layer


def build_mlp_generator(
    latent_dim,
    output_shape,
    hidden_units=(128, 128),
    num_classes=0,
    output_activation=None,
    batch_norm=False,
    name="generator",
):
    """z (and optional one-hot y) -> Dense+ReLU stack -> a tensor of `output_shape`.

    output_activation: None for data in its own units (2D mixtures), "tanh" for images
    scaled to [-1, 1].
    """
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs = network_inputs(z, num_classes)
    h = layers.Concatenate()(inputs) if num_classes else z
    for i, units in enumerate(hidden_units):
        h = layers.Dense(units, use_bias=not batch_norm, name=f"dense_{i}")(h)
        h = apply(h, normalization(batch_norm, name=f"norm_{i}"), layers.ReLU())
    h = layers.Dense(math.prod(output_shape), dtype="float32", name="output")(h)
    x = layers.Reshape(output_shape, dtype="float32")(h)
    if output_activation:
        x = layers.Activation(output_activation, dtype="float32")(x)
    return keras.Model(inputs if num_classes else z, x, name=name)


def build_mlp_discriminator(
    input_shape,
    hidden_units=(128, 128),
    num_classes=0,
    output_units=1,
    dropout=0.0,
    return_features=False,
    maxout_pieces=0,
    init_std=None,
    name="discriminator",
):
    """x (and optional one-hot y) -> Dense+LeakyReLU(0.2) stack -> `output_units` logits.

    maxout_pieces: 0 for LeakyReLU(0.2) units; k > 0 makes each hidden layer `units` maxout
        units of k linear pieces (Dense(units * k) then the max of each unit's k), as in
        PacGAN's 2D discriminator. Defaults to 0.
    init_std: None for Keras' Glorot-uniform weights; a float draws every weight matrix from
        N(0, init_std^2) (DCGAN's and PacGAN's 0.02). Defaults to None.
    return_features=True returns [logits, last hidden activations] (a VAE-GAN's Dis_l).
    """
    check_maxout_pieces(maxout_pieces)
    x = keras.Input(shape=tuple(input_shape), name="x")
    inputs = network_inputs(x, num_classes)
    h = layers.Flatten()(x) if len(input_shape) > 1 else x
    if num_classes:
        h = layers.Concatenate()([h, inputs[1]])
    kernel = lambda: keras.initializers.RandomNormal(stddev=init_std) if init_std else "glorot_uniform"  # noqa: E731
    for i, units in enumerate(hidden_units):
        if maxout_pieces:
            h = layers.Dense(units * maxout_pieces, kernel_initializer=kernel(), name=f"dense_{i}")(h)
            h = Maxout(maxout_pieces, name=f"maxout_{i}")(h)
        else:
            h = apply(layers.Dense(units, kernel_initializer=kernel(), name=f"dense_{i}")(h), layers.LeakyReLU(0.2))
        h = apply(h, layers.Dropout(dropout) if dropout else None)
    logits = output_layer(output_units, name="logits", kernel_initializer=kernel())(h)
    outputs = [logits, layers.Activation("linear", dtype="float32", name="dis_l")(h)] if return_features else logits
    return keras.Model(inputs if num_classes else x, outputs, name=name)
