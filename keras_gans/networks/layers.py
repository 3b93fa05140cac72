"""Small building blocks shared by the network builders."""

import keras
from keras import layers


def normalization(batch_norm, name=None):
    """A normalisation layer, or None.

    batch_norm: False (no normalisation), True (batch norm, per-replica statistics), "sync"
    (batch norm with statistics synchronised across replicas, so N replicas behave like one
    big batch) or "layer" (layer norm: per example, as gradient-penalised critics need).
    """
    if not batch_norm:
        return None
    if batch_norm == "layer":
        return layers.LayerNormalization(name=name)
    if batch_norm not in (True, "sync"):
        raise ValueError(f"batch_norm must be True, False, 'sync' or 'layer', got {batch_norm!r}.")
    return layers.BatchNormalization(synchronized=batch_norm == "sync", name=name)


def apply(x, *maybe_layers):
    """Apply the layers that are not None, in order."""
    for layer in maybe_layers:
        if layer is not None:
            x = layer(x)
    return x


def label_input(num_classes, name="labels"):
    """The one-hot class input of a conditional network (AdversarialModel one-hots once)."""
    return keras.Input(shape=(num_classes,), name=name)


def network_inputs(primary, num_classes):
    """[primary] or [primary, one-hot labels]: the inputs list of a (conditional) network."""
    return [primary, label_input(num_classes)] if num_classes else [primary]


def output_layer(units, activation=None, name="output", kernel_initializer="glorot_uniform"):
    """Final dense layer kept in float32 so losses stay exact under mixed precision."""
    return layers.Dense(units, activation=activation, dtype="float32", name=name,
                        kernel_initializer=kernel_initializer)


@keras.saving.register_keras_serializable(package="keras_gans")
class ReflectionPadding2D(layers.Layer):
    """Pads height and width by `padding` pixels, mirroring the image at its border (no
    edge pixel repeated), as the CycleGAN generator does before its 7x7 and 3x3 convolutions:
    zero padding would give the translation dark borders."""

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = int(padding)

    def call(self, x):
        p = self.padding
        return keras.ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        grow = lambda d: None if d is None else d + 2 * self.padding  # noqa: E731
        return (input_shape[0], grow(input_shape[1]), grow(input_shape[2]), input_shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


def check_maxout_pieces(pieces, name="maxout_pieces"):
    """Refuse a maxout setting that is not 0 (LeakyReLU units) or a positive piece count."""
    if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 0:
        raise ValueError(f"{name} must be 0 (LeakyReLU units) or a positive number of pieces "
                         f"per unit, got {pieces!r}.")


@keras.saving.register_keras_serializable(package="keras_gans")
class Maxout(layers.Layer):
    """Maxout units (Goodfellow et al. 2013, "Maxout Networks", arXiv:1302.4389): the last
    axis holds `units * pieces` linear pieces, consecutive groups of `pieces` per unit, and
    each unit outputs the largest of its group: h_i = max_j z_(i * pieces + j).

    A maxout layer is a learned convex piecewise-linear activation; PacGAN's 2D discriminator
    (Lin et al. 2018) is built of them."""

    def __init__(self, pieces, **kwargs):
        super().__init__(**kwargs)
        self.pieces = int(pieces)
        if self.pieces < 1:
            raise ValueError(f"Maxout needs at least 1 piece per unit, got pieces={pieces!r}.")

    def call(self, z):
        width = z.shape[-1]
        if width % self.pieces:
            raise ValueError(f"Maxout with {self.pieces} pieces needs an input width that "
                             f"{self.pieces} divides, got {width}.")
        grouped = keras.ops.reshape(z, (-1, *z.shape[1:-1], width // self.pieces, self.pieces))
        return keras.ops.max(grouped, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] // self.pieces)

    def get_config(self):
        return {**super().get_config(), "pieces": self.pieces}


def instance_normalization(name=None):
    """Instance normalisation (Ulyanov et al. 2016): each example's channels normalised over
    their own pixels, with a learned scale and offset; group norm with one group a channel."""
    return layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)
