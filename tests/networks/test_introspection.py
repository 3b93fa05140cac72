"""find_batch_normalization walks nested networks; refuse_batch_normalization says what to do."""

import keras
import pytest
from keras import layers

from keras_gans import networks


class TwoLayers(layers.Layer):
    """A custom layer keeping its sublayers in a list (tracked by Keras, not in .layers)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = [layers.Dense(4), layers.BatchNormalization(name="in_custom")]

    def build(self, input_shape):
        self.inner[0].build(input_shape)
        self.inner[1].build((*input_shape[:-1], 4))

    def call(self, x):
        return self.inner[1](self.inner[0](x))


def test_finds_batch_norm_in_nested_models_custom_layers_and_wrappers():
    nested = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.BatchNormalization(synchronized=True, name="in_nested")])
    x = keras.Input((3, 4))
    h = layers.TimeDistributed(layers.BatchNormalization(name="in_wrapper"))(x)
    h = layers.Flatten()(h)
    h = layers.Dense(4)(h)
    h = nested(h)
    y = TwoLayers()(h)
    model = keras.Model(x, y)
    assert sorted(layer.name for layer in networks.find_batch_normalization(model)) == [
        "in_custom", "in_nested", "in_wrapper"]
    plain = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.LayerNormalization(), layers.Dense(1)])
    assert networks.find_batch_normalization(plain) == []


def test_default_networks_hold_batch_norm_only_where_asked():
    assert networks.find_batch_normalization(networks.build_conv_discriminator((16, 16, 1), 4, batch_norm=True))
    assert not networks.find_batch_normalization(networks.build_conv_discriminator((16, 16, 1), 4, batch_norm="layer"))
    assert not networks.find_batch_normalization(networks.build_mlp_discriminator((2,), (8,)))


def test_refusal_names_the_layers_and_the_fix():
    critic = networks.build_conv_discriminator((16, 16, 1), 4, batch_norm=True, name="critic")
    with pytest.raises(ValueError, match=r"(?s)Toy penalises .* critic with the toy penalty \(w=1\).*down_1_norm.*LayerNormalization"):
        networks.refuse_batch_normalization(critic, "Toy", "the toy penalty (w=1)")
    networks.refuse_batch_normalization(networks.build_mlp_discriminator((2,), (8,)), "Toy", "a penalty")
