"""--strategy multiworker: 2 worker processes on 127.0.0.1 train what one process trains, only
the chief writes the run, and a job whose worker is killed resumes to the uninterrupted
weights. Each test starts real `keras-gans` processes (loopback ports only)."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from keras_gans.cli import main
from keras_gans.distribute import loopback_tf_configs
from keras_gans.training import load_run

# 56 steps per epoch: long enough to kill a worker between two checkpoints. Two epochs only: a
# GAN amplifies the ~1e-8 per-step reduction-order difference from one process over hundreds
# of steps (5e-8 after 84 steps, 1e-2 after 336: benchmarks/results/multiworker.md).
TRAIN = ["train", "gan", "--dataset", "digits", "--batch-size", "32", "--epochs", "2", "--seed", "1",
         "--set", "hidden_units=32,32"]


def worker_env(scratch, config=None):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TMPDIR": str(scratch)}
    env.pop("TF_CONFIG", None)
    if config is not None:
        env["TF_CONFIG"] = config
    return env


def start_workers(args, scratch, tmp_path, name):
    return [subprocess.Popen([sys.executable, "-m", "keras_gans", *args], env=worker_env(scratch, config),
                             stdout=open(tmp_path / f"{name}-{i}.log", "w"), stderr=subprocess.STDOUT)
            for i, config in enumerate(loopback_tf_configs(2))]


def finish(workers, tmp_path, name, timeout=300):
    for i, worker in enumerate(workers):
        code = worker.wait(timeout=timeout)
        assert code == 0, (tmp_path / f"{name}-{i}.log").read_text()[-3000:]


def weights(run_dir):
    return load_run(run_dir).get_weights()


@pytest.fixture()
def scratch(tmp_path):
    path = tmp_path / "worker-tmp"
    path.mkdir()
    return path


@pytest.mark.slow
def test_two_workers_train_what_one_process_trains_and_only_the_chief_writes(tmp_path, scratch):
    two = tmp_path / "two-workers"
    workers = start_workers([*TRAIN, "--strategy", "multiworker", "--out", str(two)], scratch, tmp_path, "two")
    single = subprocess.run([sys.executable, "-m", "keras_gans", *TRAIN, "--out", str(tmp_path / "one")],
                            env=worker_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert single.returncode == 0, single.stderr[-3000:]
    finish(workers, tmp_path, "two")

    config = json.loads((two / "config.json").read_text())
    assert config["status"] == "finished" and config["replicas"] == 2 and config["strategy"] == "multiworker"
    assert list(scratch.iterdir()) == []  # worker 1 trained in a temporary directory and deleted it
    assert "the chief saves the run to" in (tmp_path / "two-1.log").read_text()
    # the same global batches, and per-replica noise equal to one device's: the same weights,
    # up to the order in which the all-reduce sums the two halves of each batch
    for a, b in zip(weights(two), weights(tmp_path / "one")):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)


@pytest.mark.slow
def test_a_job_whose_worker_is_killed_resumes_to_the_uninterrupted_weights(tmp_path, scratch):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    args = [*TRAIN, "--strategy", "multiworker", "--checkpoint-every", "20"]
    finish(start_workers([*args, "--out", str(whole)], scratch, tmp_path, "whole"), tmp_path, "whole")

    workers = start_workers([*args, "--out", str(killed)], scratch, tmp_path, "killed")
    deadline = time.monotonic() + 240
    while not list((killed / "checkpoints").glob("ckpt-*")):
        assert time.monotonic() < deadline and workers[0].poll() is None, "no checkpoint written"
        time.sleep(0.02)
    workers[1].send_signal(signal.SIGKILL)  # a lost machine ...
    time.sleep(1.0)
    workers[0].send_signal(signal.SIGKILL)  # ... and the job controller restarting the job
    for worker in workers:
        worker.wait(timeout=60)
    assert not (killed / "model.keras").exists()

    finish(start_workers(["train", "--resume", str(killed)], scratch, tmp_path, "resumed"),
           tmp_path, "resumed")
    for a, b in zip(weights(whole), weights(killed)):
        np.testing.assert_array_equal(a, b)
    assert (whole / "history.csv").read_text() == (killed / "history.csv").read_text()


@pytest.mark.parametrize("config, says", [
    (None, "needs the cluster in the environment variable TF_CONFIG"),
    ("{not json", "TF_CONFIG is not valid JSON"),
    ('{"cluster": {"worker": ["127.0.0.1:1"]}, "task": {"type": "worker", "index": 3}}', "index must be"),
    ('{"cluster": {"ps": ["127.0.0.1:1"]}, "task": {"type": "ps", "index": 0}}', 'takes "worker"'),
])
def test_multiworker_without_a_valid_tf_config_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys,
                                                                              config, says):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    if config is not None:
        monkeypatch.setenv("TF_CONFIG", config)
    out = tmp_path / "run"
    assert main([*TRAIN, "--strategy", "multiworker", "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0]
    assert not out.exists()
