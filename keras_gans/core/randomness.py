"""Seeded, saved, per-replica randomness for training steps (docs/DESIGN.md §8).

A bare `keras.random.SeedGenerator` gives every replica the same noise and restarts after a
load. Instead every draw is a stateless op whose seed folds (model seed, draw index within
the step, saved step counter); the GLOBAL batch is drawn and each replica keeps its slice, so
N replicas see exactly the noise one device would on the same global batch.
"""

import threading

import tensorflow as tf

from keras_gans.core.replicas import num_replicas_and_id

#: name of the variable counting training steps; step noise is derived from it.
STEP_VARIABLE = "train_step_counter"


def stateless_seed(seed):
    """An int or a [2] integer tensor -> the [2] int64 seed of TensorFlow's stateless ops."""
    seed = tf.cast(seed, tf.int64)
    if seed.shape.rank == 0:
        seed = tf.stack([seed, tf.constant(0, tf.int64)])
    return seed


class StepNoise:
    """Mixin of `GenerativeModel`: `random_normal` / `random_uniform` for the current step.

    The host sets `self.seed` and calls `add_step_counter()` in its constructor, and calls
    `begin_step()` at the start of every `train_step` and `advance_step()` at its end.
    """

    def add_step_counter(self):
        # Saved with the weights, so noise continues (not restarts) after a load, and
        # ONLY_FIRST_REPLICA so every replica can increment it inside the step.
        self.step_counter = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False,
            aggregation="only_first_replica", name=STEP_VARIABLE,
        )
        # MirroredStrategy traces each replica's step in its own thread, interleaved at every
        # cross-replica sync: the draw counter must be per thread or replicas skew each other.
        self._draws = threading.local()

    def begin_step(self):
        """Start a step's noise sequence."""
        self._draws.index = 0

    def advance_step(self):
        self.step_counter.assign_add(1)

    def _draw_seed(self):
        """A stateless seed unique to (model seed, training step, draw site in the step)."""
        self._draws.index = getattr(self._draws, "index", 0) + 1
        base = tf.constant([self.seed, self._draws.index], dtype=tf.int64)
        return tf.random.experimental.stateless_fold_in(base, self.step_counter.value)

    def _draw(self, sampler, shape, dtype):
        num_replicas, replica_id = num_replicas_and_id()
        local_batch, rest = shape[0], list(shape[1:])
        noise = sampler([num_replicas * local_batch, *rest], self._draw_seed(), dtype)
        if num_replicas == 1:
            return noise
        return tf.gather(tf.reshape(noise, [num_replicas, local_batch, *rest]), replica_id)

    def random_normal(self, shape, dtype="float32"):
        """Standard normal noise for the current training step (shape[0] = local batch)."""
        return self._draw(
            lambda s, seed, d: tf.random.stateless_normal(s, seed, dtype=d), shape, dtype
        )

    def random_uniform(self, shape, minval=0.0, maxval=1.0, dtype="float32"):
        """U[minval, maxval) noise for the current training step (shape[0] = local batch)."""
        return self._draw(
            lambda s, seed, d: tf.random.stateless_uniform(s, seed, minval, maxval, dtype=d),
            shape, dtype,
        )


def categorical_from_uniform(weights, uniform):
    """Draws from categorical distributions by inverting their CDFs.

    Args:
        weights: [B, N] non-negative, unnormalised probabilities of N categories per row
            (each row with a positive sum).
        uniform: [B, K] U[0, 1) draws, e.g. `model.random_uniform([B, K])`: the randomness
            then follows the model's seeded, per-replica, reload-continuing rules.

    Returns:
        [B, K] int32 category indices; a category of weight 0 is never drawn. Built from
        comparisons rather than a sort or a search, so it compiles under XLA; it holds a
        [B, K, N] boolean, fine for catalogues of thousands of items.
    """
    weights = tf.cast(weights, tf.float32)
    cdf = tf.cumsum(weights, axis=-1)
    target = tf.cast(uniform, tf.float32) * cdf[:, -1:]
    below = tf.cast(cdf[:, None, :] <= target[:, :, None], tf.int32)
    return tf.minimum(tf.reduce_sum(below, axis=-1), tf.shape(weights)[-1] - 1)
