"""The pair discriminator of BiGAN / ALI: D(x, z) judges a (data, code) pair."""

import keras
from keras import layers

from keras_gans.networks.conv import conv_trunk
from keras_gans.networks.layers import apply, output_layer


def _dense_stack(h, units, dropout, prefix):
    """Dense + LeakyReLU(0.2) (+ dropout) layers of the pair discriminator's MLP parts."""
    for i, width in enumerate(units):
        h = layers.Dense(width, name=f"{prefix}_{i}")(h)
        h = apply(h, layers.LeakyReLU(0.2), layers.Dropout(dropout) if dropout else None)
    return h


def build_pair_discriminator(data_shape, latent_dim, hidden_units=(256, 256), base_filters=64,
                             latent_units=(512,), joint_units=(512,), dropout=0.0,
                             name="discriminator"):
    """D: [x, z] -> one logit. x goes through a strided-conv trunk (images; layer norm after
    the first layer) or an MLP of `hidden_units` (vectors), z through an MLP of
    `latent_units`; the two feature vectors are concatenated and an MLP of `joint_units`
    gives the logit (Donahue et al. 2016, section 4; Dumoulin et al. 2016, appendix A).

    No batch norm: D's output on one pair must not depend on the other pairs of the batch.
    Real pairs (x, E(x)) and fake pairs (G(z), z) are judged in separate passes, so batch
    statistics would be all-real or all-fake and D could tell them apart by the statistics
    alone (and would judge differently at inference, on moving averages of both).
    """
    data_shape, latent_dim = tuple(data_shape), int(latent_dim)
    x = keras.Input(shape=data_shape, name="x")
    z = keras.Input(shape=(latent_dim,), name="z")
    if len(data_shape) == 3:
        x_features = conv_trunk(x, data_shape, base_filters, batch_norm="layer", dropout=dropout)
    else:
        h = layers.Flatten()(x) if len(data_shape) > 1 else x
        x_features = _dense_stack(h, hidden_units, dropout, "x_dense")
    z_features = _dense_stack(z, latent_units, dropout, "z_dense")
    h = layers.Concatenate(name="pair")([x_features, z_features])
    h = _dense_stack(h, joint_units, dropout, "joint_dense")
    return keras.Model([x, z], output_layer(1, name="logits")(h), name=name)
