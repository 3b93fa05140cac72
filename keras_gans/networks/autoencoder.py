"""Networks of the autoencoder families: autoencoder discriminators x -> [reconstruction,
code] (EBGAN, BEGAN), the image discriminator with features of the autoencoder-GAN hybrids
(VAE-GAN, Double GAN) and the latent discriminator on codes (AAE, Double GAN)."""

import keras
from keras import layers

from keras_gans.networks.conv import (
    build_conv_discriminator, build_conv_encoder, build_conv_generator, conv_schedule,
)
from keras_gans.networks.mlp import build_mlp_discriminator, build_mlp_generator


#: image autoencoders `build_autoencoder_discriminator` offers
AUTOENCODER_ARCHITECTURES = ("dcgan", "shallow")


def check_autoencoder_architecture(architecture):
    """Raise a ValueError naming the choices unless `architecture` is one of them."""
    if architecture not in AUTOENCODER_ARCHITECTURES:
        raise ValueError(
            f"autoencoder_architecture must be one of {AUTOENCODER_ARCHITECTURES}, got {architecture!r}."
        )


def build_feature_discriminator(data_shape, base_filters=32, hidden_units=(256, 256), name="discriminator"):
    """Dis: x -> [logits, Dis_l features], Dis_l its last hidden layer (VAE-GAN's learned
    similarity): the DCGAN-rule convolutional discriminator for (H, W, C) images, an MLP of
    `hidden_units` for vectors."""
    data_shape = tuple(data_shape)
    if len(data_shape) == 3:
        return build_conv_discriminator(data_shape, base_filters, return_features=True, name=name)
    return build_mlp_discriminator(data_shape, hidden_units, return_features=True, name=name)


def build_latent_discriminator(latent_dim, hidden_units=(512, 512), name="latent_discriminator"):
    """D_z: z -> one logit, an MLP on codes (the adversarial autoencoder's regulariser)."""
    return build_mlp_discriminator((int(latent_dim),), hidden_units, name=name)


def build_autoencoder_discriminator(
    data_shape,
    code_dim=32,
    conv=True,
    hidden_units=(256, 256),
    base_filters=64,
    batch_norm=True,
    architecture="dcgan",
    name="discriminator",
):
    """An encoder Enc and a decoder Dec; the model returns [Dec(Enc(x)), Enc(x)].

    Images use `architecture`: "dcgan", the DCGAN-rule strided-conv encoder and
    transposed-conv decoder (tanh output in the images' [-1, 1] range), or "shallow"
    (`build_shallow_conv_encoder_decoder`). Vectors use MLPs (linear output in data units).
    """
    data_shape = tuple(data_shape)
    check_autoencoder_architecture(architecture)
    if conv and architecture == "shallow":
        encoder, decoder = build_shallow_conv_encoder_decoder(data_shape, code_dim, base_filters)
    elif conv:
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


def build_shallow_conv_encoder_decoder(image_shape, code_dim=32, filters=64):
    """(Enc, Dec) of a low-capacity image autoencoder: one stride-2 convolution (ReLU) -> a
    linear code -> a linear projection -> one stride-2 transposed convolution, linear output.

    An energy discriminator must reconstruct data well and everything else badly. A deep
    autoencoder also reconstructs the smooth textures an early generator draws, so the
    generator can lower its energy without ever drawing data (BEGAN on MNIST drew grey
    textures; benchmarks/results/autoencoders.md); this one's single linear bottleneck only
    fits what it was trained to fit (the BEGAN discriminator of the PyTorch generative-model
    collections, which trains on MNIST with the paper's objective).
    """
    image_shape = tuple(image_shape)
    conv_schedule(image_shape)  # same accepted shapes (and error message) as the DCGAN nets
    side = image_shape[0] // 2
    x = keras.Input(shape=image_shape, name="x")
    h = layers.Conv2D(filters, 4, strides=2, padding="same", activation="relu", name="down")(x)
    code = layers.Dense(code_dim, dtype="float32", name="code")(layers.Flatten()(h))
    c = keras.Input(shape=(code_dim,), name="code")
    h = layers.Reshape((side, side, filters))(layers.Dense(side * side * filters, name="project")(c))
    reconstruction = layers.Conv2DTranspose(
        image_shape[-1], 4, strides=2, padding="same", dtype="float32", name="to_image"
    )(h)
    return keras.Model(x, code, name="encoder"), keras.Model(c, reconstruction, name="decoder")
