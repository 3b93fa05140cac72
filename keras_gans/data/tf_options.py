"""The tf.data options every input pipeline of the package is built with."""


def without_autotune(ds):
    """`ds` with tf.data's autotuning turned off.

    With autotuning on (TensorFlow's default), destroying an iterator waits for the autotune
    thread's next wake-up, whose period doubles from 10 ms up to 60 s. Keras destroys its input
    iterator at the end of every `fit` call (and of every epoch of a finite data set), which
    then runs on until that wake-up (docs/DESIGN.md §8). Off, `num_parallel_calls=AUTOTUNE`
    runs up to one call per CPU core and `prefetch(AUTOTUNE)` uses tf.data's older
    buffer-growing prefetcher.
    """
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.with_options(options)


def as_training_input(ds):
    """`ds` with the options of the models' training input: autotuning off (`without_autotune`)
    and, under MultiWorkerMirroredStrategy, sharded by data: each worker keeps every n-th
    element instead of trying (and failing) to shard by file, which in-memory data does not
    have."""
    import tensorflow as tf

    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return without_autotune(ds.with_options(options))
