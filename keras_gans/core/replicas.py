"""Where a training step runs: replicas in sync and cross-replica reductions.

Outside a replica context (eager code, `strategy.scope()` without `strategy.run`) every
function here behaves as on one device.
"""

import tensorflow as tf


def num_replicas_and_id():
    """(replicas in sync, this replica's id) inside a replica context; (1, 0) outside one."""
    context = tf.distribute.get_replica_context()
    if context is None:  # cross-replica context (e.g. strategy.scope() but not strategy.run)
        return 1, 0
    return context.num_replicas_in_sync, context.replica_id_in_sync_group


def cross_replica_mean(value):
    """The mean of `value` over all replicas (itself on one device), for statistics that
    drive state every replica must update identically (e.g. BEGAN's k_t)."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.MEAN, value)


def cross_replica_sum(value):
    """The sum of `value` over all replicas (itself on one device); differentiable."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, value)


def in_multi_worker_mode(strategy=None):
    """Whether `strategy` (default: the current one) spans several processes
    (MultiWorkerMirroredStrategy with a cluster in TF_CONFIG)."""
    strategy = strategy or tf.distribute.get_strategy()
    extended = getattr(strategy, "extended", None)
    return (isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
            and bool(extended._in_multi_worker_mode()))
