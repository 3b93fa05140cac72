"""Gradient-conflict utilities for networks that two objectives train at once.

A gradient here is a list of tensors (one per variable, as `tape.gradient` returns), read
as one flat vector. For two objectives with gradients g_a and g_b on the same weights:

    cos(g_a, g_b) = <g_a, g_b> / (||g_a|| ||g_b||)      (0 when either is zero)

PCGrad (Yu et al. 2020, Algorithm 1, arXiv:2001.06782) projects each gradient that
conflicts with the other (<g_a, g_b> < 0) onto the normal plane of the other, both against
the ORIGINAL other gradient (for two tasks the order of the random task permutation does
not matter):

    g_a' = g_a - min(0, <g_a, g_b>) / ||g_b||^2 g_b
    g_b' = g_b - min(0, <g_a, g_b>) / ||g_a||^2 g_a

and steps along g_a' + g_b'. Without conflict both are unchanged and the step is the sum.
"""

from keras import ops

GRADIENT_COMBINATIONS = ("sum", "project")
_TINY = 1e-30


def flat_dot(gradients_a, gradients_b):
    """<g_a, g_b> over all the tensors of two gradient lists, in float32."""
    return ops.sum(ops.stack([
        ops.sum(ops.cast(a, "float32") * ops.cast(b, "float32"))
        for a, b in zip(gradients_a, gradients_b)
    ]))


def gradient_cosine(gradients_a, gradients_b):
    """cos(g_a, g_b) of two gradient lists (0 when either is zero)."""
    dot = flat_dot(gradients_a, gradients_b)
    norms = ops.sqrt(flat_dot(gradients_a, gradients_a) * flat_dot(gradients_b, gradients_b))
    return ops.where(norms > _TINY, dot / ops.maximum(norms, _TINY), 0.0)


def _projected(gradients, other, dot, other_norm_squared):
    coefficient = ops.minimum(dot, 0.0) / ops.maximum(other_norm_squared, _TINY)
    return [g - ops.cast(coefficient, g.dtype) * o for g, o in zip(gradients, other)]


def project_conflicting(gradients_a, gradients_b):
    """PCGrad for two objectives: (g_a', g_b'), each with its component along the other
    removed when the two conflict (<g_a, g_b> < 0); unchanged otherwise."""
    dot = flat_dot(gradients_a, gradients_b)
    a_projected = _projected(gradients_a, gradients_b, dot, flat_dot(gradients_b, gradients_b))
    b_projected = _projected(gradients_b, gradients_a, dot, flat_dot(gradients_a, gradients_a))
    return a_projected, b_projected


def combine_gradients(gradients_a, gradients_b, mode="sum"):
    """The update direction of weights both objectives train: g_a + g_b ("sum") or the
    PCGrad sum g_a' + g_b' ("project")."""
    if mode == "project":
        gradients_a, gradients_b = project_conflicting(gradients_a, gradients_b)
    elif mode != "sum":
        raise ValueError(f"gradient_combination must be one of {GRADIENT_COMBINATIONS}, got {mode!r}.")
    return [a + b for a, b in zip(gradients_a, gradients_b)]
