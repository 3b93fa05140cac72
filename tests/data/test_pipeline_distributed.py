"""make_pipeline under MirroredStrategy on two logical CPU devices.

The logical devices must be configured before TensorFlow initialises its runtime, which any
earlier test that runs a TF op does. pytest imports every test module before running any
test, so the configuration happens here at import time; if TF was already initialised with
fewer than two CPU devices, the test skips with the reason.
"""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import Dataset, make_pipeline


def _configure_two_cpus():
    try:
        cpu = tf.config.list_physical_devices("CPU")[0]
        two = [tf.config.LogicalDeviceConfiguration()] * 2
        tf.config.set_logical_device_configuration(cpu, two)
        return None
    except RuntimeError as error:  # runtime already initialised (another test ran TF first)
        return str(error)


_CONFIG_ERROR = _configure_two_cpus()


@pytest.fixture(scope="module")
def strategy():
    cpus = tf.config.list_logical_devices("CPU")
    if len(cpus) < 2:
        pytest.skip(f"needs 2 logical CPU devices, TF was initialised with {len(cpus)} "
                    f"({_CONFIG_ERROR}); run this file on its own")
    return tf.distribute.MirroredStrategy([device.name for device in cpus[:2]])


def test_each_replica_gets_half_the_global_batch_in_order(strategy):
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
