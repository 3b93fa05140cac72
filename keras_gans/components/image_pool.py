"""A history of generated images that a discriminator is trained on (CycleGAN's image pool).

Shrivastava et al. 2017 (arXiv:1612.07828, section 2.3) update the discriminator on a buffer
of earlier generated images as well as the newest, so it does not forget the generator's
past mistakes and the two players oscillate less; Zhu et al. 2017 (CycleGAN, section 4) keep
the 50 latest. The rule of the CycleGAN authors' `ImagePool.query`, image by image:
    while fewer than `pool_size` images are stored: store the new image and return it;
    once full: with probability 1/2 return a uniformly chosen stored image and store the
    new one in its place, else return the new image.

The stored images and their count are non-trainable variables: saved with the model (a
resumed run continues its history) and identical on every replica. Under a distribution
strategy each replica sees the whole global batch (gathered in replica order, the order of
one device's batch), updates the pool identically, and keeps its own slice of the answer, so
N replicas draw exactly what one device would.
"""

import keras
import tensorflow as tf
from keras import ops

from keras_gans.core.replicas import num_replicas_and_id


def _all_gather(value):
    """`value` of every replica concatenated along axis 0, in replica order."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_gather(value, axis=0)


@keras.saving.register_keras_serializable(package="keras_gans")
class ImagePool(keras.layers.Layer):
    """The image history of one discriminator.

    Args:
        image_shape: tuple. (H, W, C) of the images stored.
        pool_size: int. How many images the history holds; 0 disables it (`query` returns
            its input). Defaults to 50 (Zhu et al. 2017, section 4).
    """

    def __init__(self, image_shape, pool_size=50, **kwargs):
        super().__init__(**kwargs)
        pool_size = int(pool_size)
        if pool_size < 0:
            raise ValueError(f"pool_size must be 0 (no history) or positive, got {pool_size}.")
        self.image_shape = tuple(int(d) for d in image_shape)
        self.pool_size = pool_size
        # "only_first_replica": every replica computes the same new state; one writes it.
        self.images = self.add_weight(
            shape=(max(pool_size, 1), *self.image_shape), dtype="float32", initializer="zeros",
            trainable=False, aggregation="only_first_replica", name="images",
        )
        self.count = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False,
            aggregation="only_first_replica", name="count",
        )
        self.built = True

    def get_config(self):
        return {**super().get_config(), "image_shape": self.image_shape, "pool_size": self.pool_size}

    def query(self, images, replace_draws, index_draws):
        """Insert this step's `images` and return as many images for the discriminator.

        Args:
            images: (batch, H, W, C), this replica's generated images (no gradient flows).
            replace_draws: (batch,) U[0, 1) draws: a full pool swaps where a draw is > 0.5.
            index_draws: (batch,) U[0, 1) draws: the stored image swapped is
                floor(draw * pool_size).
        Returns:
            (batch, H, W, C) float32 images: new ones, or stored ones they replaced.
        """
        images = ops.stop_gradient(ops.cast(images, "float32"))
        if self.pool_size == 0:
            return images
        num_replicas, replica_id = num_replicas_and_id()
        local_batch = tf.shape(images)[0]
        every_image = _all_gather(images)
        replace = _all_gather(ops.cast(replace_draws, "float32")) > 0.5
        slots = ops.minimum(ops.cast(_all_gather(ops.cast(index_draws, "float32")) * self.pool_size, "int32"),
                            self.pool_size - 1)

        # Reads and writes select with one-hot masks rather than indexing and scattering:
        # XLA's CPU backend runs a gather or scatter inside a while loop ~200x slower, while
        # without XLA the masks cost only a little more than indexing, a small share of a
        # CycleGAN step (figures: benchmarks/image_pool.py, docs/DESIGN.md section 8).
        slot_ids = tf.reshape(tf.range(self.pool_size), (-1, 1, 1, 1))
        image_ids = tf.reshape(tf.range(tf.shape(every_image)[0]), (-1, 1, 1, 1))

        def insert(i, pool, count, returned):
            image = every_image[i]
            filling = count < self.pool_size
            swapping = tf.logical_and(tf.logical_not(filling), replace[i])
            slot = tf.where(filling, count, slots[i])
            at_slot = tf.equal(slot_ids, slot)
            stored = tf.reduce_sum(tf.where(at_slot, pool, 0.0), axis=0)
            keep_new = tf.logical_or(filling, swapping)
            pool = tf.ensure_shape(tf.where(tf.logical_and(at_slot, keep_new), image, pool), pool.shape)
            returned = tf.ensure_shape(
                tf.where(tf.equal(image_ids, i), tf.where(swapping, stored, image), returned), returned.shape)
            return i + 1, pool, count + tf.cast(filling, "int32"), returned

        _, pool, count, returned = tf.while_loop(
            lambda i, *_: i < tf.shape(every_image)[0], insert,
            (tf.constant(0), self.images.value, self.count.value, tf.zeros_like(every_image)),
        )
        self.images.assign(pool)
        self.count.assign(count)
        if num_replicas == 1:
            return returned
        return returned[replica_id * local_batch:(replica_id + 1) * local_batch]
