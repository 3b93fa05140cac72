"""Distribution strategy and precision policy selection."""

import contextlib
import functools
import os
import warnings

import keras
import tensorflow as tf

STRATEGIES = ("default", "mirrored")
PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")


def get_strategy(name="default"):
    """"default": the current (single-device) strategy; "mirrored": every local GPU, or
    every logical CPU device when there is no GPU (MirroredStrategy)."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
        return mirrored_strategy(tuple(devices))
    raise ValueError(f"Unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}.")


@functools.lru_cache(maxsize=None)
def mirrored_strategy(devices):
    """One MirroredStrategy per device set and process.

    A second MirroredStrategy over the same devices restarts the collective instance keys,
    and its all-reduces then collide with the first one's ("Shape mismatch in the collective
    instance"), so every caller shares one.
    """
    return tf.distribute.MirroredStrategy(list(devices))


def set_precision(policy="float32"):
    """Set Keras' global dtype policy; warns where the choice is known to be slow.

    float16 has no fast kernels on CPUs (several times slower than float32 for DCGAN; see
    docs/DESIGN.md §8); bfloat16 does. Networks keep their output layers in float32.
    """
    if policy not in PRECISIONS:
        raise ValueError(f"Unknown precision {policy!r}; choose one of {', '.join(PRECISIONS)}.")
    if policy == "mixed_float16" and not tf.config.list_physical_devices("GPU"):
        warnings.warn(
            "mixed_float16 without a GPU is several times slower than float32; "
            "use --precision mixed_bfloat16 on CPUs.", stacklevel=2,
        )
    keras.mixed_precision.set_global_policy(policy)


def onednn_enabled():
    """Whether TensorFlow runs oneDNN's CPU kernels (its default on x86): fast, but their
    convolutions round differently when a step's timing changes, so two runs of a
    convolutional model with the same seed differ in the last bits. TF_ENABLE_ONEDNN_OPTS=0,
    set before TensorFlow is imported, turns them off."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip().lower() not in ("0", "false")


@contextlib.contextmanager
def deterministic_kernels(enabled=True):
    """Run the block with TensorFlow's deterministic kernels (`enable_op_determinism`), so a run
    is bitwise reproducible on CPU and a resumed one ends bitwise where an uninterrupted one
    does. Needs oneDNN off (TF_ENABLE_ONEDNN_OPTS=0 before TensorFlow is imported; the command
    line's --deterministic restarts itself with it). Restores the previous setting after.
    `enabled=False` does nothing."""
    if not enabled:
        yield
        return
    if onednn_enabled():
        raise ValueError("deterministic training needs TensorFlow's oneDNN kernels off: set "
                         "TF_ENABLE_ONEDNN_OPTS=0 before TensorFlow is imported (`keras-gans train "
                         "--deterministic` does it itself).")
    from tensorflow.python.framework import config as tf_config  # the disable half is not public

    was_enabled = tf_config.is_op_determinism_enabled()
    tf.config.experimental.enable_op_determinism()
    try:
        yield
    finally:
        if not was_enabled:
            tf_config.disable_op_determinism()
