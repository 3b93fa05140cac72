"""The image pool on a hand-traced sequence, its replicated form, and its saved state."""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.components.image_pool import ImagePool


def images(*values):
    """One 1x1x1 image per value: the pool's answers can be read as numbers."""
    return np.array(values, np.float32).reshape(-1, 1, 1, 1)


def query(pool, values, replace, index, compiled=None):
    """`pool.query` eagerly (compiled=None) or in a tf.function, with XLA (compiled="xla") or not."""
    call = pool.query if compiled is None else tf.function(pool.query, jit_compile=compiled == "xla")
    out = call(images(*values), np.array(replace, np.float32), np.array(index, np.float32))
    return np.asarray(out).ravel().tolist()


@pytest.mark.parametrize("compiled", [None, "graph", "xla"])
def test_a_fixed_sequence_of_inserts_and_draws_gives_the_traced_answers(compiled):
    pool = ImagePool((1, 1, 1), pool_size=3)
    ask = functools.partial(query, compiled=compiled)
    # Filling: the first three images are stored and returned whatever the draws say.
    assert ask(pool, [1, 2], [0.9, 0.9], [0.0, 0.0]) == [1, 2]
    # 3 fills the last slot; 4 finds the pool full: draw 0.7 > 0.5 swaps slot floor(0.5*3) = 1
    # (image 2) for 4; 5 draws 0.2: returned as it is, pool unchanged.
    assert ask(pool, [3, 4, 5], [0.1, 0.7, 0.2], [0.9, 0.5, 0.0]) == [3, 2, 5]
    assert np.asarray(pool.images).ravel().tolist() == [1, 4, 3]
    # 6 swaps slot 1 (4, stored by the previous batch); 7 then swaps slot 1 again and gets 6,
    # the image inserted earlier in the same batch; 8 swaps slot floor(0.1 * 3) = 0 and gets 1.
    assert ask(pool, [6, 7, 8], [0.6, 0.8, 0.51], [0.4, 0.6, 0.1]) == [4, 6, 1]
    assert np.asarray(pool.images).ravel().tolist() == [8, 7, 3]
    assert int(pool.count) == 3
    # The last index draw below 1 maps to the last slot.
    assert ask(pool, [9], [0.9], [0.999]) == [3]


def test_a_pool_of_size_zero_returns_its_input():
    pool = ImagePool((1, 1, 1), pool_size=0)
    assert query(pool, [1, 2], [0.9, 0.9], [0.0, 0.5]) == [1, 2]


def test_no_gradient_flows_through_the_pool():
    pool = ImagePool((1, 1, 1), pool_size=2)
    x = tf.Variable(images(1, 2, 3))
    with tf.GradientTape() as tape:
        out = pool.query(x * 2.0, np.ones(3, np.float32), np.zeros(3, np.float32))
        total = tf.reduce_sum(out)
    assert tape.gradient(total, x) is None


def test_two_replicas_answer_and_store_as_one_device(two_cpu_strategy):
    values, replace, index = [1, 2, 3, 4], [0.9, 0.9, 0.9, 0.9], [0.0, 0.6, 0.0, 0.9]
    single = ImagePool((1, 1, 1), pool_size=2)
    expected = query(single, values, replace, index)
    with two_cpu_strategy.scope():
        mirrored = ImagePool((1, 1, 1), pool_size=2)

    @tf.function
    def step(x, r, i):
        return mirrored.query(x, r, i)

    def per_replica(array):
        halves = np.split(np.asarray(array, np.float32), 2)
        return two_cpu_strategy.experimental_distribute_values_from_function(
            lambda context: tf.constant(halves[context.replica_id_in_sync_group]))

    answers = two_cpu_strategy.run(step, (per_replica(images(*values)), per_replica(replace), per_replica(index)))
    got = np.concatenate([np.asarray(a) for a in two_cpu_strategy.experimental_local_results(answers)]).ravel()
    assert got.tolist() == expected == [1, 2, 1, 2]
    assert np.asarray(mirrored.images).ravel().tolist() == np.asarray(single.images).ravel().tolist()


def test_the_pool_state_survives_save_and_load(tmp_path):
    inputs = keras.Input((1, 1, 1))
    holder = keras.Model(inputs, inputs)
    holder.image_pool = ImagePool((1, 1, 1), pool_size=3)
    query(holder.image_pool, [5, 6, 7, 8], [0.9] * 4, [0.2] * 4)
    holder.save_weights(tmp_path / "pool.weights.h5")
    fresh = keras.Model(inputs, inputs)
    fresh.image_pool = ImagePool((1, 1, 1), pool_size=3)
    fresh.load_weights(tmp_path / "pool.weights.h5")
    assert np.asarray(fresh.image_pool.images).ravel().tolist() == [8, 6, 7]
    assert int(fresh.image_pool.count) == 3
    # ... and answers the next query as the original does.
    assert query(fresh.image_pool, [9], [0.9], [0.5]) == query(holder.image_pool, [9], [0.9], [0.5]) == [6]


def test_negative_size_is_refused():
    with pytest.raises(ValueError, match="pool_size"):
        ImagePool((1, 1, 1), pool_size=-1)
