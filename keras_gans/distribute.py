"""Distribution strategy and precision policy selection."""

import contextlib
import functools
import json
import os
import warnings

import keras
import tensorflow as tf

from keras_gans.core.replicas import in_multi_worker_mode

STRATEGIES = ("default", "mirrored", "multiworker")
PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")


def get_strategy(name="default"):
    """"default": the current (single-device) strategy; "mirrored": every local GPU, or
    every logical CPU device when there is no GPU (MirroredStrategy); "multiworker": every
    process of the cluster the environment variable TF_CONFIG describes, each with its local
    GPUs or its CPU (MultiWorkerMirroredStrategy; docs/multiworker.md)."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
        return mirrored_strategy(tuple(devices))
    if name == "multiworker":
        multi_worker_task()  # a clear error for a missing or malformed TF_CONFIG first
        return multi_worker_strategy()
    raise ValueError(f"Unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}.")


@functools.lru_cache(maxsize=None)
def mirrored_strategy(devices):
    """One MirroredStrategy per device set and process.

    A second MirroredStrategy over the same devices restarts the collective instance keys,
    and its all-reduces then collide with the first one's ("Shape mismatch in the collective
    instance"), so every caller shares one.
    """
    return tf.distribute.MirroredStrategy(list(devices))


@functools.lru_cache(maxsize=None)
def multi_worker_strategy():
    """This process's one MultiWorkerMirroredStrategy (a process joins its cluster once)."""
    return tf.distribute.MultiWorkerMirroredStrategy()


TF_CONFIG_EXAMPLE = ('TF_CONFIG=\'{"cluster": {"worker": ["host0:12345", "host1:12345"]}, '
                     '"task": {"type": "worker", "index": 0}}\'')


def multi_worker_task(environ=None):
    """(task type, task index, is chief) of this process, read from TF_CONFIG; a ValueError
    that says what is wrong when it is missing or malformed.

    The chief is the task of type "chief", or worker 0 of a cluster without one (the rule
    Keras' multi-worker callbacks follow); it alone writes the run directory.
    """
    raw = (os.environ if environ is None else environ).get("TF_CONFIG", "").strip()
    hint = f"set it on every worker, e.g. {TF_CONFIG_EXAMPLE} with that worker's index (docs/multiworker.md)."
    if not raw:
        raise ValueError("--strategy multiworker needs the cluster in the environment variable TF_CONFIG; " + hint)
    try:
        config = json.loads(raw)
    except ValueError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON ({error}); {hint}") from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    task = config.get("task") if isinstance(config, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
            isinstance(hosts, list) and hosts and all(isinstance(h, str) and ":" in h for h in hosts)
            for hosts in cluster.values()):
        raise ValueError('TF_CONFIG needs "cluster": {"worker": ["host:port", ...]} (a non-empty list of '
                         f"host:port per task type); {hint}")
    if not isinstance(task, dict) or task.get("type") not in cluster:
        raise ValueError(f'TF_CONFIG needs "task": {{"type": T, "index": I}} with T one of '
                         f"{sorted(cluster)}; {hint}")
    index = task.get("index")
    size = len(cluster[task["type"]])
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise ValueError(f'TF_CONFIG "task" index must be a whole number from 0 to {size - 1} (the '
                         f"{task['type']} list has {size}), got {index!r}.")
    unknown = set(cluster) - {"chief", "worker"}
    if unknown:
        raise ValueError(f"TF_CONFIG cluster has task types {sorted(unknown)}; MultiWorkerMirroredStrategy "
                         'takes "worker" (and at most one "chief") only.')
    chief = task["type"] == "chief" or ("chief" not in cluster and index == 0)
    return task["type"], index, chief


def loopback_tf_configs(num_workers=2):
    """One TF_CONFIG (a JSON string) per worker of a cluster on this machine's free loopback
    ports: for trying `--strategy multiworker` on one machine, and for its tests."""
    import socket

    sockets = [socket.socket() for _ in range(num_workers)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    workers = [f"127.0.0.1:{s.getsockname()[1]}" for s in sockets]
    for s in sockets:
        s.close()
    return [json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": i}})
            for i in range(num_workers)]


def is_chief(strategy_name):
    """Whether this process writes the run directory: always, unless it is a non-chief task
    of a multi-worker cluster."""
    return strategy_name != "multiworker" or multi_worker_task()[2]


def distribute_batches(make_dataset, strategy, global_batch_size):
    """The input `fit` reads under `strategy`: `make_dataset()` itself on one process, and on
    several (MultiWorkerMirroredStrategy) a distributed dataset in which every worker builds
    the same seeded pipeline of global batches, reading only its replicas' rows of each
    (`make_dataset(rows=(first, count))`, see `make_pipeline`).

    Replica i of N then trains on slice i of every global batch, the slice MirroredStrategy
    gives replica i in one process, so N workers train on exactly what one device would
    (tf.data's auto-sharding deals whole batches, or every N-th element, instead).
    """
    if not in_multi_worker_mode(strategy):
        return make_dataset()
    replicas = strategy.num_replicas_in_sync
    if global_batch_size % replicas:
        raise ValueError(f"the batch size {global_batch_size} does not split evenly over {replicas} replicas; "
                         f"pass a --batch-size that is a multiple of {replicas}.")
    per_replica = global_batch_size // replicas

    def dataset_fn(context):
        local = replicas // context.num_input_pipelines
        rows = (context.input_pipeline_id * local * per_replica, local * per_replica)

        def per_replica_batches(*batch):
            # [local replicas * per replica, ...] -> [local replicas, per replica, ...]; unbatched,
            # the local replicas take one each per step, in order
            return tf.nest.map_structure(
                lambda t: tf.reshape(t, tf.concat([[local, per_replica], tf.shape(t)[1:]], 0)),
                batch if len(batch) > 1 else batch[0])

        return make_dataset(rows=rows).map(per_replica_batches).unbatch()

    return strategy.distribute_datasets_from_function(dataset_fn)


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
