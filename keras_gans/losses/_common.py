"""Helpers shared by the loss modules: every loss is computed in float32 (mixed precision)."""

from keras import ops


def _f32(values):
    return ops.cast(values, "float32")


def _mean(values):
    """Mean over every axis (batch and any spatial ones), in float32."""
    return ops.mean(_f32(values))
