"""Functional keras.Model factories for generators, discriminators and encoders, and checks
on what a network holds (find_batch_normalization)."""

from keras_gans.networks.conv import (
    ENCODER_DISCRIMINATOR_HEADS,
    build_conv_discriminator,
    build_conv_encoder,
    build_conv_encoder_discriminator,
    build_conv_generator,
    conv_schedule,
)
from keras_gans.networks.mlp import build_mlp_discriminator, build_mlp_generator
from keras_gans.networks.introspection import find_batch_normalization, refuse_batch_normalization
from keras_gans.networks.autoencoder import (
    AUTOENCODER_ARCHITECTURES,
    build_autoencoder_discriminator,
    build_shallow_conv_encoder_decoder,
    check_autoencoder_architecture,
)
from keras_gans.networks.pair import build_pair_discriminator
from keras_gans.networks.translation import (
    build_encoder_decoder_generator,
    build_patch_discriminator,
    build_resnet_generator,
    check_translation_shape,
)
