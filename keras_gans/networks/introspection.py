"""What a network holds: checks a model runs on the networks it builds or is given."""

import keras


def _sublayers(network):
    """Every layer inside `network` (not itself), at any depth."""
    # Keras' own walk (what summary() and the weight tracking use): it follows nested
    # models, sublayers kept as attributes or in lists, and wrappers (TimeDistributed,
    # Bidirectional). Private API: tests/networks/test_introspection.py pins what it finds.
    return list(network._flatten_layers(include_self=False, recursive=True))


def find_batch_normalization(network):
    """The `keras.layers.BatchNormalization` layers (synchronized or not) anywhere in
    `network`: in nested models, in custom layers' sublayers, inside wrappers.

    Batch norm normalises each example with statistics of the whole batch, so in training
    mode one example's output depends on the others. A penalty on the per-example input
    gradient (WGAN-GP's gradient penalty, R1, a Lipschitz penalty) then differentiates
    through the batch statistics too and no longer constrains the function of one input
    the paper penalises (Gulrajani et al. 2017, section 4: "no critic batch normalization").

    Args:
        network: keras.layers.Layer (usually a keras.Model).

    Returns:
        list of the batch-normalization layers, in Keras' traversal order (empty if none).
    """
    return [layer for layer in _sublayers(network) if isinstance(layer, keras.layers.BatchNormalization)]


def refuse_batch_normalization(network, model_name, penalty_name):
    """Raise a ValueError if `network` holds batch normalization (see
    `find_batch_normalization`): call it from every model whose loss penalises the input
    gradient of `network` per example.

    Args:
        network: keras.layers.Layer. The penalised network (a critic or discriminator).
        model_name: str. The model's class name, for the message.
        penalty_name: str. The penalty and the argument that turns it on, for the message,
            e.g. "the R1 penalty (r1_weight=1.0)".

    Raises:
        ValueError: naming the batch-norm layers found and how to fix it.
    """
    found = find_batch_normalization(network)
    if found:
        names = ", ".join(layer.name for layer in found)
        raise ValueError(
            f"{model_name} penalises the per-example input gradient of its "
            f"{getattr(network, 'name', 'network')} with {penalty_name}, but that network has "
            f"batch normalization ({names}): batch statistics mix the examples, so the "
            "penalty no longer constrains each example's gradient. Pass a network without "
            "BatchNormalization (use keras.layers.LayerNormalization, or no normalization, "
            "e.g. networks.build_conv_discriminator(..., batch_norm='layer')), or let the "
            "model build its default one."
        )
