"""Shapes and refusals of the translation networks."""

import numpy as np
import pytest

from keras_gans import networks
from keras_gans.networks.layers import ReflectionPadding2D


@pytest.mark.parametrize("side, patches", [(28, 7), (32, 8), (64, 8), (128, 16)])
def test_resnet_generator_and_patchgan_take_the_paper_sizes(side, patches):
    generator = networks.build_resnet_generator((side, side, 1), 3, base_filters=4, residual_blocks=1)
    assert tuple(generator.output_shape) == (None, side, side, 3)
    discriminator = networks.build_patch_discriminator((side, side, 3), base_filters=4)
    assert tuple(discriminator.output_shape) == (None, patches, patches, 1)


def test_the_paper_block_counts_and_a_256_px_discriminator():
    assert networks.translation.default_residual_blocks((128, 128, 3)) == 6
    assert networks.translation.default_residual_blocks((256, 256, 3)) == 9
    assert networks.translation.patch_downsamplings((256, 256, 3)) == 3


@pytest.mark.parametrize("shape", [(30, 30, 1), (12, 12, 3), (28, 28), (28, 26, 1)])
def test_sizes_the_networks_cannot_take_get_a_clear_error(shape):
    with pytest.raises(ValueError, match="multiples of 4|shaped"):
        networks.build_resnet_generator(shape, 1, base_filters=4)


def test_reflection_padding_mirrors_without_repeating_the_edge():
    row = np.array([1.0, 2.0, 3.0], np.float32).reshape(1, 1, 3, 1).repeat(3, axis=1)
    padded = np.asarray(ReflectionPadding2D(1)(row))[0, 1, :, 0]
    assert padded.tolist() == [2.0, 1.0, 2.0, 3.0, 2.0]


@pytest.mark.parametrize("side", [28, 32, 64])
def test_encoder_decoder_generator_maps_an_image_to_an_image(side):
    generator = networks.build_encoder_decoder_generator((side, side, 3), 1, base_filters=4)
    assert tuple(generator.output_shape) == (None, side, side, 1)
