"""Networks of unpaired image-to-image translation (CycleGAN, DiscoGAN).

- `build_resnet_generator`: CycleGAN's generator (Zhu et al. 2017, appendix 7.2, after
  Johnson et al. 2016): c7s1-k, d2k, d4k, R4k x blocks, u2k, uk, c7s1-C, with reflection
  padding and instance normalisation; image -> image of the same height and width.
- `build_patch_discriminator`: the PatchGAN (Isola et al. 2017; CycleGAN appendix 7.2):
  C64-C128-C256-C512 of 4x4 convolutions, stride 2 but the last, one logit per patch.
- `build_encoder_decoder_generator`: DiscoGAN's generator (Kim et al. 2017, section 4 and the
  authors' code): strided 4x4 convolutions down to a 3-7 px base, transposed ones back up.
DiscoGAN's discriminator is the DCGAN-rule `networks.build_conv_discriminator`.

The two domains may differ in channel count, not in height and width.
"""

import keras
from keras import layers

from keras_gans.networks.conv import conv_schedule
from keras_gans.networks.layers import ReflectionPadding2D, apply, instance_normalization, normalization

#: resolutions the paper's generator halves twice before its residual blocks
GENERATOR_DOWNSAMPLINGS = 2
#: the smallest side the ResNet generator takes (4 px at its residual blocks)
MIN_SIDE = 16


def check_translation_shape(image_shape, what="image"):
    """(H, W, C) that the ResNet generator and the PatchGAN take: H and W multiples of 4, at
    least 16 (28, 32, 64, 128, 256, ...), C >= 1; a ValueError that says so otherwise."""
    shape = tuple(image_shape)
    if len(shape) != 3 or any(not isinstance(d, int) or d < 1 for d in shape):
        raise ValueError(f"Translation networks take {what}s shaped (H, W, C), got {shape}.")
    height, width, _ = shape
    if height % 4 or width % 4 or min(height, width) < MIN_SIDE:
        raise ValueError(
            f"The {what} size {height}x{width} cannot pass the generator's two stride-2 "
            f"downsamplings and back: height and width must be multiples of 4 and at least "
            f"{MIN_SIDE} (e.g. 28, 32, 64, 128, 256). Resize the data or pass your own networks."
        )
    return shape


def default_residual_blocks(image_shape):
    """The paper's count: 6 residual blocks for 128x128 and smaller images, 9 above."""
    return 6 if max(image_shape[:2]) <= 128 else 9


def _residual_block(h, filters, name):
    skip = h
    for i in range(2):
        h = ReflectionPadding2D(1, name=f"{name}_pad_{i}")(h)
        h = layers.Conv2D(filters, 3, name=f"{name}_conv_{i}")(h)
        h = instance_normalization(name=f"{name}_norm_{i}")(h)
        if i == 0:
            h = layers.ReLU()(h)
    return layers.Add(name=f"{name}_add")([skip, h])


def build_resnet_generator(input_shape, output_channels, base_filters=64, residual_blocks=None,
                           name="generator"):
    """CycleGAN's ResNet generator: image (H, W, C_in) -> tanh image (H, W, output_channels).

    Args:
        input_shape: tuple. (H, W, C_in) of the source domain; H, W multiples of 4, >= 16.
        output_channels: int. Channels of the target domain.
        base_filters: int. Filters k of the first c7s1-k layer (the paper's 64); 2k and 4k
            after each downsampling.
        residual_blocks: int or None. Residual blocks at 1/4 resolution; None takes the
            paper's 6 (images up to 128 px) or 9 (larger).
    """
    input_shape = check_translation_shape(input_shape, "input image")
    blocks = default_residual_blocks(input_shape) if residual_blocks is None else int(residual_blocks)
    x = keras.Input(shape=input_shape, name="x")
    h = ReflectionPadding2D(3, name="c7s1_pad")(x)
    h = layers.Conv2D(base_filters, 7, name="c7s1")(h)
    h = apply(h, instance_normalization(name="c7s1_norm"), layers.ReLU())
    filters = base_filters
    for i in range(GENERATOR_DOWNSAMPLINGS):
        filters *= 2
        h = layers.Conv2D(filters, 3, strides=2, padding="same", name=f"d{filters}")(h)
        h = apply(h, instance_normalization(name=f"d{filters}_norm"), layers.ReLU())
    for i in range(blocks):
        h = _residual_block(h, filters, name=f"r{filters}_{i}")
    for i in range(GENERATOR_DOWNSAMPLINGS):
        filters //= 2
        h = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", name=f"u{filters}")(h)
        h = apply(h, instance_normalization(name=f"u{filters}_norm"), layers.ReLU())
    h = ReflectionPadding2D(3, name="to_image_pad")(h)
    h = layers.Conv2D(output_channels, 7, dtype="float32", name="to_image")(h)
    image = layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(x, image, name=name)


def patch_downsamplings(image_shape):
    """Stride-2 layers of the PatchGAN: the paper's 3 (70x70 patches) from 64 px up, 2 below,
    so a 28-32 px image still gives a grid of patch logits."""
    return 3 if min(image_shape[:2]) >= 64 else 2


def build_patch_discriminator(image_shape, base_filters=64, name="discriminator"):
    """PatchGAN: image -> (H / 2^n, W / 2^n, 1) logits, one per overlapping patch.

    C64 (no normalisation), C128, C256 with stride 2, then C512 with stride 1 (the 70x70
    PatchGAN); 28-32 px images drop one stride-2 layer (C64-C128, C256 stride 1). Each Ck is
    a 4x4 convolution, instance norm (but the first) and LeakyReLU(0.2).

    Args:
        image_shape: tuple. (H, W, C); H, W multiples of 4, >= 16.
        base_filters: int. Filters of the first layer (the paper's 64), doubling per layer.
    """
    image_shape = check_translation_shape(image_shape)
    x = keras.Input(shape=image_shape, name="x")
    h = x
    downsamplings = patch_downsamplings(image_shape)
    for i in range(downsamplings + 1):
        stride = 2 if i < downsamplings else 1
        h = layers.Conv2D(base_filters * 2**i, 4, strides=stride, padding="same", name=f"c{i}")(h)
        norm = instance_normalization(name=f"c{i}_norm") if i > 0 else None
        h = apply(h, norm, layers.LeakyReLU(0.2))
    logits = layers.Conv2D(1, 4, padding="same", dtype="float32", name="patch_logits")(h)
    return keras.Model(x, logits, name=name)


def build_encoder_decoder_generator(input_shape, output_channels, base_filters=64, batch_norm=True,
                                    name="generator"):
    """DiscoGAN's generator: image -> 4x4 stride-2 convolutions (LeakyReLU 0.2, batch norm but
    on the first) down to a 3-7 px base -> 4x4 transposed convolutions (batch norm, ReLU)
    back up -> tanh image of `output_channels`.

    Args:
        input_shape: tuple. (H, W, C_in), square, halving to a 3-7 px base (28, 32, 64, ...).
        output_channels: int. Channels of the target domain.
        base_filters: int. Filters of the first convolution (the authors' 64), doubling at
            each lower resolution.
        batch_norm: True, False, "sync" or "layer": see `networks.layers.normalization`.
            Defaults to True (the authors').
    """
    _, steps = conv_schedule(input_shape)
    x = keras.Input(shape=tuple(input_shape), name="x")
    h = x
    for i in range(steps):
        h = layers.Conv2D(base_filters * 2**i, 4, strides=2, padding="same", name=f"down_{i}")(h)
        norm = normalization(batch_norm, name=f"down_{i}_norm") if i > 0 else None
        h = apply(h, norm, layers.LeakyReLU(0.2))
    for i in reversed(range(steps - 1)):
        h = layers.Conv2DTranspose(base_filters * 2**i, 4, strides=2, padding="same", name=f"up_{i}")(h)
        h = apply(h, normalization(batch_norm, name=f"up_{i}_norm"), layers.ReLU())
    h = layers.Conv2DTranspose(output_channels, 4, strides=2, padding="same", dtype="float32",
                               name="to_image")(h)
    image = layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(x, image, name=name)
