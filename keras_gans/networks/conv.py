"""Convolutional networks following the DCGAN rules (Radford et al. 2015, arXiv:1511.06434).

- no pooling: strided convolutions in D/encoders, fractionally strided (transposed) ones in G;
- batch norm in both players, except G's output layer and D's input layer;
- ReLU in G with tanh at the output; LeakyReLU(0.2) in D;
- no fully connected hidden layers: one projection in G, one logit layer in D.

Square images whose side halves down to a 3-7 px base work: 28x28 (7 -> 14 -> 28),
32x32 and 64x64 (4 -> ... -> side), 8x8, 16x16, ...; 1 or 3 channels (any count works).
"""

import keras
from keras import layers

from keras_gans.networks.layers import apply, network_inputs, normalization, output_layer


def conv_schedule(image_shape):
    """Return (base_size, num_resolutions): how many stride-2 steps map base_size -> side.

    Raises a ValueError that says which shapes are accepted.
    """
    if len(image_shape) != 3 or image_shape[0] != image_shape[1]:
        raise ValueError(
            f"Convolutional networks take square images shaped (H, W, C), got {tuple(image_shape)}:"
            " resize the data (e.g. --dataset digits resized to 28) or pass your own networks."
        )
    size, steps = image_shape[0], 0
    while size % 2 == 0 and size // 2 >= 3:
        size, steps = size // 2, steps + 1
    if steps == 0 or size > 7:
        raise ValueError(
            f"Image side {image_shape[0]} cannot be built from stride-2 steps over a 3-7 px base;"
            " use 28, 32 or 64 pixels (or 8, 16, 56, 128, ...), or pass your own networks."
        )
    return size, steps


def fully_connected(h, dense_units, batch_norm, activation, dropout=0.0):
    """Dense layers of `dense_units` widths, each -> normalisation -> `activation()` (->
    dropout): the fully connected part a generator puts before its projection and a
    discriminator after its convolutions."""
    for i, units in enumerate(dense_units):
        h = layers.Dense(units, use_bias=not batch_norm, name=f"dense_{i}")(h)
        h = apply(h, normalization(batch_norm, name=f"dense_{i}_norm"), activation(),
                  layers.Dropout(dropout) if dropout else None)
    return h


def build_conv_generator(
    latent_dim,
    image_shape,
    base_filters=64,
    num_classes=0,
    kernel_size=4,
    batch_norm=True,
    output_activation="tanh",
    dense_units=(),
    name="generator",
):
    """z (and optional one-hot y) -> project -> transposed convs -> tanh image in [-1, 1].

    Filters halve at every doubling of resolution, ending at `base_filters` before the
    output layer: for 28x28, 7x7x(2*base) -> 14x14x(base) -> 28x28xC.
    output_activation=None returns the pre-activation (decoders whose Bernoulli likelihood
    needs logits apply tanh themselves).
    dense_units: widths of fully connected ReLU layers (batch-normed with `batch_norm`)
    between z and the projection; () (the default) projects z directly, as DCGAN does;
    InfoGAN's MNIST generator has one of 1024.
    """
    base_size, steps = conv_schedule(image_shape)
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs = network_inputs(z, num_classes)
    h = layers.Concatenate()(inputs) if num_classes else z
    h = fully_connected(h, dense_units, batch_norm, layers.ReLU)
    filters = base_filters * 2 ** (steps - 1)
    h = layers.Dense(base_size * base_size * filters, use_bias=not batch_norm, name="project")(h)
    h = layers.Reshape((base_size, base_size, filters))(h)
    h = apply(h, normalization(batch_norm, name="project_norm"), layers.ReLU())
    for i in range(steps - 1):
        filters //= 2
        h = layers.Conv2DTranspose(
            filters, kernel_size, strides=2, padding="same", use_bias=not batch_norm,
            name=f"up_{i}",
        )(h)
        h = apply(h, normalization(batch_norm, name=f"up_{i}_norm"), layers.ReLU())
    x = layers.Conv2DTranspose(
        image_shape[-1], kernel_size, strides=2, padding="same", name="to_image", dtype="float32"
    )(h)
    if output_activation:
        x = layers.Activation(output_activation, dtype="float32", name=output_activation)(x)
    return keras.Model(inputs if num_classes else z, x, name=name)


def conv_trunk(x, image_shape, base_filters=64, kernel_size=4, batch_norm=True, dropout=0.0):
    """Strided-conv feature extractor shared by discriminators and encoders -> flat features."""
    _, steps = conv_schedule(image_shape)
    h = x
    for i in range(steps):
        h = layers.Conv2D(
            base_filters * 2**i, kernel_size, strides=2, padding="same",
            use_bias=not (batch_norm and i > 0), name=f"down_{i}",
        )(h)
        # DCGAN: no batch norm on the discriminator's input layer.
        norm = normalization(batch_norm, name=f"down_{i}_norm") if i > 0 else None
        h = apply(h, norm, layers.LeakyReLU(0.2), layers.Dropout(dropout) if dropout else None)
    return layers.Flatten(name="features")(h)


def build_conv_discriminator(
    image_shape,
    base_filters=64,
    num_classes=0,
    kernel_size=4,
    batch_norm=True,
    dropout=0.0,
    output_units=1,
    return_features=False,
    dense_units=(),
    name="discriminator",
):
    """image (and optional one-hot y) -> strided convs -> `output_units` logits.

    return_features=True makes the network return [logits, features]: the activations the
    logits are read from (VAE-GAN's Dis_l, the feature-matching layer; InfoGAN's Q reads them).
    dense_units: widths of fully connected LeakyReLU layers (normalised with `batch_norm`)
    after the convolutions; () (the default) reads the logits from the flattened last
    convolution, as DCGAN does; InfoGAN's MNIST discriminator has one of 1024.

    Conditional discriminators use the projection of Miyato & Koyama 2018 (arXiv:1802.05637):
    logit(x, y) = w . phi(x) + b + <V y, phi(x)>, a class embedding V y dotted with the
    features. It conditions far more strongly than labels tiled as input channels.
    """
    x = keras.Input(shape=tuple(image_shape), name="x")
    inputs = network_inputs(x, num_classes)
    features = conv_trunk(x, image_shape, base_filters, kernel_size, batch_norm, dropout)
    features = fully_connected(features, dense_units, batch_norm, lambda: layers.LeakyReLU(0.2), dropout)
    logits = output_layer(output_units, name="logits")(features)
    if num_classes:
        class_embedding = layers.Dense(features.shape[-1], use_bias=False, name="class_embedding")
        projection = layers.Dot(axes=1, name="projection")([class_embedding(inputs[1]), features])
        logits = layers.Add(dtype="float32", name="conditional_logits")([logits, projection])
    outputs = [logits, layers.Activation("linear", dtype="float32", name="dis_l")(features)] if return_features else logits
    return keras.Model(inputs if num_classes else x, outputs, name=name)


def build_conv_encoder(
    image_shape, output_dim, base_filters=64, num_classes=0, kernel_size=4, batch_norm=True,
    name="encoder",
):
    """image (and optional one-hot y) -> strided convs -> a linear `output_dim` vector
    (codes, or mean and log-variance); labels join the flattened features."""
    x = keras.Input(shape=tuple(image_shape), name="x")
    inputs = network_inputs(x, num_classes)
    features = conv_trunk(x, image_shape, base_filters, kernel_size, batch_norm)
    if num_classes:
        features = layers.Concatenate()([features, inputs[1]])
    code = output_layer(output_dim, name="code")(features)
    return keras.Model(inputs if num_classes else x, code, name=name)


#: output layer names of `build_conv_encoder_discriminator`
ENCODER_DISCRIMINATOR_HEADS = ("code", "logits")


def build_conv_encoder_discriminator(image_shape, code_units, base_filters=32, batch_norm=False,
                                     name="encoder_discriminator"):
    """One network in two roles: x -> strided-conv trunk -> [code head (code_units), real/fake
    logit head (1)] (the unified encoder/discriminator AE-GAN)."""
    code_name, logits_name = ENCODER_DISCRIMINATOR_HEADS
    x = keras.Input(shape=tuple(image_shape), name="x")
    features = conv_trunk(x, image_shape, base_filters, batch_norm=batch_norm)
    code = output_layer(code_units, name=code_name)(features)
    logits = output_layer(1, name=logits_name)(features)
    return keras.Model(x, [code, logits], name=name)
