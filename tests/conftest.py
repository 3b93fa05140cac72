"""Test session set-up: two logical CPU devices (for the MirroredStrategy checks), float32,
and an order: the long learning tests first, the tests that train under MirroredStrategy last.

The logical devices must be configured before TensorFlow initialises its devices, i.e.
before any test module runs a TF op, so it happens here at import time.
"""

import gc
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# xdist's workers share the cores: TensorFlow's default thread pools (one thread per core in
# every worker) oversubscribe them, so each worker gets its share. Set in the environment
# (read by TensorFlow at start-up) so that the processes a test starts (CLI, multi-worker)
# inherit it (figures: docs/DESIGN.md section 8).
_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_threads = str(max(1, _cores // _workers))
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", _threads)
os.environ.setdefault("TF_NUM_INTEROP_THREADS", _threads)

# Each test leaves thousands of long-lived objects (traced functions, Keras layers), so the
# default thresholds (700, 10, 10) rescan a heap that reaches a million objects many times a
# test; fewer, larger young collections save time (figures: docs/DESIGN.md section 8).
gc.set_threshold(50_000, 20, 100)

import keras  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

_cpu = tf.config.list_physical_devices("CPU")[0]
try:
    tf.config.set_logical_device_configuration(_cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
except RuntimeError:  # devices already initialised by an earlier import: keep what exists
    pass


def pytest_collection_modifyitems(items):
    """Order the tests (a stable sort, the same on every xdist worker): `slow` ones first,
    those that train under MirroredStrategy last.

    - A test process slows down as it runs, so the long learning tests run while their
      worker is fresh; starting them first also leaves no long test alone at the end.
      setup.cfg's `--maxschedchunk=1` makes xdist hand out one test at a time; its default
      chunks of consecutive tests gave every `slow` test to the first worker.
    - Once a process has iterated a distributed dataset over the two logical CPU devices,
      every later `fit` in it runs several times slower (docs/DESIGN.md section 8); with one
      strategy test in every model file, most of the suite ran after one of them.
    """
    def rank(item):
        mirrored = "two_cpu_strategy" in item.fixturenames or item.get_closest_marker("mirrored") is not None
        return (mirrored, item.get_closest_marker("slow") is None)

    items.sort(key=rank)


REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _float32_policy():
    """Tests that change the global dtype policy must not leak it into the next test."""
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture(scope="session")
def two_cpu_strategy():
    """One strategy for the whole session: a second MirroredStrategy in the same process
    restarts collective instance keys and its ops collide with the first one's."""
    from keras_gans.distribute import get_strategy

    strategy = get_strategy("mirrored")  # the same instance `keras-gans train --strategy mirrored` uses
    if strategy.num_replicas_in_sync != 2:
        pytest.skip("two logical CPU devices could not be configured in this process")
    return strategy


@pytest.fixture(scope="session")
def installed_package(tmp_path_factory):
    """The wheel of the tracked files, installed (non-editable) in a fresh virtualenv; built
    once per test process (see tests/installed.py)."""
    from installed import install_fresh

    return install_fresh(tmp_path_factory.mktemp("installed"))
