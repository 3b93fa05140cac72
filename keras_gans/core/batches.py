"""What a `fit` batch is, and a bounded sample of examples read from training data."""

import numpy as np
import tensorflow as tf


def split_batch(data):
    """A fit batch is x, (x,) or (x, y): return (x, y or None)."""
    if isinstance(data, (tuple, list)):
        return data[0], (data[1] if len(data) > 1 else None)
    return data, None


def take_examples(data, max_examples):
    """Up to `max_examples` examples of fit data as numpy arrays (x, y or None).

    `data` is what `fit` takes: a tf.data.Dataset of x, (x,) or (x, y) batches (read until
    `max_examples`, so a repeating or streaming pipeline is fine) or an array of x.
    """
    if not isinstance(data, tf.data.Dataset):
        return np.asarray(data)[:max_examples], None
    xs, ys, count = [], [], 0
    for batch in data:
        x, y = split_batch(batch)
        xs.append(np.asarray(x))
        ys.append(None if y is None else np.asarray(y))
        count += len(xs[-1])
        if count >= max_examples:
            break
    if not xs:
        raise ValueError("The training data is empty: no batch to read examples from.")
    labels = None if ys[0] is None else np.concatenate(ys)[:max_examples]
    return np.concatenate(xs)[:max_examples], labels
