"""The gradient helper and the result convention of an objective."""

import tensorflow as tf


def gradients(tape, target, variables):
    """d target / d variables, zeros for variables the target does not reach.

    Taken w.r.t. the backing tf.Variables: for an unconnected Keras 3 variable, TF's
    zero-filling reads `variable.dtype._type_enum`, and a Keras variable's dtype is a str.
    """
    return tape.gradient(target, [v.value for v in variables],
                         unconnected_gradients=tf.UnconnectedGradients.ZERO)


def loss_and_terms(result):
    """An objective's result as (scalar loss, {term name: scalar}): terms are optional."""
    return result if isinstance(result, tuple) else (result, {})
