"""Distribution strategy and precision policy selection."""

import functools
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
