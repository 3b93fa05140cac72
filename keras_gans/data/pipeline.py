"""tf.data input pipelines and the conversion between data units and the models' range.

Images are stored in [0, 1] and fed to models in [-1, 1], the range of the generators' tanh
output: x_model = 2 x - 1. Points (the 2D mixtures) are fed in their own units.
"""

import keras
import numpy as np
import tensorflow as tf  # tf.data only

from keras_gans.data.image_files import LazyImages
from keras_gans.data.sources import Dataset
from keras_gans.data.tf_options import as_training_input


def make_pipeline(dataset: Dataset, batch_size: int, *, with_labels: bool = False,
                  shuffle: bool = True, seed: int = 0, drop_remainder: bool = True,
                  repeat: bool = False, endless_epochs: bool = False, start_step: int = 0,
                  rows: tuple | None = None) -> tf.data.Dataset:
    """Builds the training input: shuffled, batched, scaled to the model's range, prefetched.

    Args:
        dataset: Dataset. What `load_dataset` returned.
        batch_size: int. The GLOBAL batch size; `fit` under a strategy splits each batch
            across replicas (replica 0 gets the first slice).
        with_labels: bool. Yield `(x, y)` with int32 labels, for conditional models.
            Defaults to False (yield `x` alone).
        shuffle: bool. Reshuffle the whole data set every epoch, seeded. Defaults to True.
        seed: int. Shuffle seed; the same seed gives the same sequence of epochs.
        drop_remainder: bool. Drop the last partial batch. Defaults to True: GANs train
            better on full batches and replicas then get equal shards.
        repeat: bool. Repeat the examples forever, batches running across the data set's
            end (step-based training). Defaults to False.
        endless_epochs: bool. Repeat the batches of one epoch forever, each epoch reshuffled:
            the same batches as iterating the finite data set once per epoch, but read with
            `fit(..., steps_per_epoch=len(dataset) // batch_size)` one input iterator serves
            the whole run, where a finite data set makes Keras start a new one every epoch
            (measured to stall some epoch starts by seconds; benchmarks/results/epoch_time.md).
            Defaults to False.
        start_step: int. Begin at this batch of the repeating sequence (with `repeat` or
            `endless_epochs`): the batches a run that already took `start_step` steps reads
            next, which is how a resumed run continues exactly. Defaults to 0.
        rows: (first, count) or None. Keep only these rows of every batch, chosen before
            anything is read or decoded: a worker of a multi-worker run reads its replicas'
            share of each global batch (`distribute.distribute_batches`). Defaults to None
            (whole batches).

    Returns:
        A `tf.data.Dataset` of float32 batches (and int32 labels if `with_labels`).

    Example:
    >>> ds = make_pipeline(load_dataset("mnist"), 64, with_labels=True)
    """
    _check_batchable(dataset, batch_size, with_labels, drop_remainder)
    read_batch = batch_reader(dataset.x)
    y = tf.constant(dataset.y, tf.int32) if with_labels else None
    is_image = dataset.is_image

    # Shuffle indices and gather each batch: the same order as shuffling the examples
    # through a whole-data-set buffer, but the buffer holds N integers instead of a second
    # copy of every image (measured no slower on 25,000 stacked-MNIST images).
    ds = tf.data.Dataset.range(len(dataset))
    if shuffle:
        ds = ds.shuffle(len(dataset), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    if endless_epochs:
        if repeat:
            raise ValueError("repeat and endless_epochs exclude each other: pick one way to repeat.")
        ds = ds.repeat()
    ds = _keep_rows(_skip_batches(ds, start_step, repeating=repeat or endless_epochs), rows)

    def gather(indices):
        x_batch = read_batch(indices)
        if is_image:
            x_batch = to_model_range(x_batch)
        return (x_batch, tf.gather(y, indices)) if with_labels else x_batch

    ds = ds.map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    ds = ds.prefetch(tf.data.AUTOTUNE)
    return as_training_input(ds)


def make_domain_pipeline(dataset_a: Dataset, dataset_b: Dataset, batch_size: int, *, seed: int = 0,
                         repeat: bool = False, start_step: int = 0, rows: tuple | None = None) -> tf.data.Dataset:
    """The input of a translation model: unpaired batches (x_a, x_b) of two image domains.

    Each domain is reshuffled on its own (seeds `seed` and `seed + 1`), so which images meet
    in a batch changes every epoch; the smaller domain cycles, so an epoch holds
    max(len(a), len(b)) // batch_size batches and every image of the larger one is seen.
    Images are scaled to the model's [-1, 1]; labels are left out (kept for evaluation).

    Args:
        dataset_a, dataset_b: Dataset. The two domains (images).
        batch_size: int. Images of EACH domain per batch (the global batch).
        seed: int. Shuffle seed. Defaults to 0.
        repeat: bool. Repeat forever, read with `fit(..., steps_per_epoch=domain_steps(...))`
            (one input iterator for the whole run) or step-based training. Defaults to False
            (one epoch).
        start_step: int. With `repeat`, begin at this batch (a resumed run). Defaults to 0.
        rows: (first, count) or None. Keep only these rows of every batch of each domain (as
            in `make_pipeline`). Defaults to None.
    """
    for name, data in (("first domain (--dataset)", dataset_a), ("second domain (--dataset-b)", dataset_b)):
        if len(data) == 0:
            raise ValueError(f"The {name} '{data.name}' holds no examples.")
        if not data.is_image:
            raise ValueError(f"The {name} '{data.name}' holds points of shape {data.data_shape}; "
                             "translation models take images.")
        _check_batchable(data, batch_size, False, True)

    def domain(data, domain_seed):
        read_batch = batch_reader(data.x)
        ds = tf.data.Dataset.range(len(data)).shuffle(len(data), seed=domain_seed, reshuffle_each_iteration=True)
        ds = _keep_rows(ds.repeat().batch(batch_size, drop_remainder=True), rows)
        return ds.map(lambda indices: to_model_range(read_batch(indices)),
                      num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)

    ds = tf.data.Dataset.zip((domain(dataset_a, seed), domain(dataset_b, seed + 1)))
    if not repeat:
        ds = ds.take(domain_steps(dataset_a, dataset_b, batch_size))
    ds = _skip_batches(ds, start_step, repeating=repeat)
    ds = ds.prefetch(tf.data.AUTOTUNE)
    return as_training_input(ds)


def batch_reader(x):
    """indices -> the batch of examples at those indices: a gather from memory, or, for
    `LazyImages` (an image folder, a TFDS set), that batch read from disk."""
    if isinstance(x, LazyImages):
        return x.gather
    x = tf.constant(x, tf.float32)
    return lambda indices: tf.gather(x, indices)


def _keep_rows(index_batches, rows):
    if rows is None:
        return index_batches
    first, count = rows
    return index_batches.map(lambda indices: indices[first:first + count])


def _skip_batches(ds, start_step, repeating):
    if start_step < 0:
        raise ValueError(f"start_step must be >= 0, got {start_step}.")
    if not start_step:
        return ds
    if not repeating:
        raise ValueError("start_step needs a repeating pipeline (repeat or endless_epochs).")
    # Skipping before the gather/scale map costs only the index batches; the shuffles are
    # seeded, so batch n of a fresh pipeline is batch n of the run that was interrupted.
    return ds.skip(start_step)


def domain_steps(dataset_a, dataset_b, batch_size):
    """Batches in one epoch of `make_domain_pipeline`: the larger domain read once."""
    return max(len(dataset_a), len(dataset_b)) // batch_size


def _check_batchable(dataset, batch_size, with_labels, drop_remainder):
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
    if with_labels and dataset.y is None:
        raise ValueError(f"dataset '{dataset.name}' has no labels; conditional models need "
                         "a labelled dataset such as mnist")
    if drop_remainder and len(dataset) < batch_size:
        raise ValueError(f"dataset '{dataset.name}' has {len(dataset)} examples, fewer than "
                         f"one batch of {batch_size}: lower --batch-size or add data")


def to_model_range(x):
    """Data units -> model range: images (rank 4) in [0, 1] map to x_model = 2 x - 1 in
    [-1, 1]; points (any other rank) pass through. Accepts numpy arrays and tensors."""
    if len(x.shape) != 4:
        return x
    return x * 2.0 - 1.0


def from_model_range(x, is_image: bool):
    """Model range -> data units, the inverse of `to_model_range`: images map to
    (x_model + 1) / 2, clipped to [0, 1] since a generator's tanh can be rounded past it;
    points pass through. Returns numpy for numpy input, a tensor otherwise."""
    if not is_image:
        return x
    if isinstance(x, np.ndarray):
        return np.clip((x + 1.0) / 2.0, 0.0, 1.0)
    return keras.ops.clip((x + 1.0) / 2.0, 0.0, 1.0)
