"""make_pipeline under MirroredStrategy on two logical CPU devices.

tests/conftest.py configures the two logical devices at import time (before any TF op) and
provides the session's one `two_cpu_strategy` (a second MirroredStrategy in the process would
collide with its collective keys); the fixture skips with the reason if TF started with fewer.
"""

import numpy as np

from keras_gans.data import Dataset, make_pipeline


def test_each_replica_gets_half_the_global_batch_in_order(two_cpu_strategy):
    strategy = two_cpu_strategy
    n, global_batch = 32, 8
    x = np.repeat(np.arange(n, dtype=np.float32) / n, 4).reshape(n, 2, 2, 1)
    data = Dataset(x, np.arange(n, dtype=np.int64), n, "indexed")
    plain = list(make_pipeline(data, global_batch, with_labels=True, seed=3))
    distributed = strategy.experimental_distribute_dataset(
        make_pipeline(data, global_batch, with_labels=True, seed=3))
    steps = 0
    for (x_global, y_global), (x_dist, y_dist) in zip(plain, distributed):
        y_replicas = [y.numpy() for y in strategy.experimental_local_results(y_dist)]
        x_replicas = [x.numpy() for x in strategy.experimental_local_results(x_dist)]
        assert [len(y) for y in y_replicas] == [global_batch // 2] * 2
        # Replica 0 holds the first half of the global batch, replica 1 the second.
        np.testing.assert_array_equal(np.concatenate(y_replicas), y_global.numpy())
        np.testing.assert_array_equal(np.concatenate(x_replicas), x_global.numpy())
        assert x_replicas[0].shape == (global_batch // 2, 2, 2, 1)
        steps += 1
    assert steps == n // global_batch
