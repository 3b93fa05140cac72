"""Autoencoder discriminators (EBGAN, BEGAN): x -> [reconstruction, code]."""

import keras

from keras_gans.networks.conv import build_conv_encoder, build_conv_generator
from keras_gans.networks.mlp import build_mlp_discriminator, build_mlp_generator


def build_autoencoder_discriminator(
    data_shape,
    code_dim=32,
    conv=True,
    hidden_units=(256, 256),
    base_filters=64,
    batch_norm=True,
    name="discriminator",
):
    """An encoder Enc and a decoder Dec; the model returns [Dec(Enc(x)), Enc(x)].

    Images use the DCGAN-rule strided-conv encoder and transposed-conv decoder (tanh output
    in the images' [-1, 1] range); vectors use MLPs (linear output in data units).
    """
    data_shape = tuple(data_shape)
    if conv:
        encoder = build_conv_encoder(data_shape, code_dim, base_filters, batch_norm=batch_norm, name="encoder")
        decoder = build_conv_generator(code_dim, data_shape, base_filters, batch_norm=batch_norm, name="decoder")
    else:
        encoder = build_mlp_discriminator(data_shape, hidden_units, output_units=code_dim, name="encoder")
        decoder = build_mlp_generator(
            code_dim, data_shape, tuple(reversed(hidden_units)),
            output_activation="tanh" if len(data_shape) > 1 else None, name="decoder",
        )
    x = keras.Input(shape=data_shape, name="x")
    code = encoder(x)
    return keras.Model(x, [decoder(code), code], name=name)
