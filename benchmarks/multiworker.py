"""Two `--strategy multiworker` workers on this machine's loopback against one process: the
training time per step, the per-step overhead of the cross-worker all-reduce, and how far
the two runs' weights end apart.

    python benchmarks/multiworker.py                          # gan on digits, 3 epochs
    python benchmarks/multiworker.py -- dcgan --dataset mnist --epochs 1 --num-samples 2048

Runs `keras-gans train ARGS --seed 0` once as one process (default strategy) and once as two
worker processes (TF_CONFIG on 127.0.0.1), `--repeats` times each, and prints the medians of
the training seconds each run recorded in config.json (model building and start-up excluded).
On one machine two workers share its cores, so they cannot be faster than one process; the
difference per step is what synchronising the replicas costs (gradient all-reduce of every
role, the metrics' reduction), the figure that carries over to a real cluster.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

COMPARE = r"""
import sys, numpy as np, keras_gans.models
from keras_gans.training import load_run
a, b = (load_run(p).get_weights() for p in sys.argv[1:3])
print(max(float(np.abs(x - y).max()) for x, y in zip(a, b)))
"""


def train_seconds(run_dir):
    return json.loads((Path(run_dir) / "config.json").read_text())["train_seconds"]


def run_one(args, out):
    subprocess.run([sys.executable, "-m", "keras_gans", "train", *args, "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return train_seconds(out)


def run_two(args, out):
    from keras_gans.distribute import loopback_tf_configs

    workers = [subprocess.Popen(
        [sys.executable, "-m", "keras_gans", "train", *args, "--strategy", "multiworker", "--out", str(out)],
        env={**os.environ, "TF_CONFIG": config}, stdout=subprocess.DEVNULL) for config in loopback_tf_configs(2)]
    if any(worker.wait() for worker in workers):
        raise SystemExit("a worker failed")
    return train_seconds(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("train_args", nargs="*", default=["gan", "--dataset", "digits", "--epochs", "3"])
    options = parser.parse_args()
    args = [*options.train_args, "--seed", "0"]
    work = Path(tempfile.mkdtemp(prefix="multiworker-bench-"))
    one, two = [], []
    for repeat in range(options.repeats):
        one.append(run_one(args, work / f"one-{repeat}"))
        two.append(run_two(args, work / f"two-{repeat}"))
    record = json.loads((work / "one-0" / "config.json").read_text())
    history_rows = len((work / "one-0" / "history.csv").read_text().strip().splitlines()) - 1
    batch = record["batch_size"]
    steps = record["steps_per_epoch"] * history_rows if record["steps_per_epoch"] else None
    if steps is None:
        from keras_gans.data import load_dataset

        size = len(load_dataset(record["dataset"], num_samples=record["num_samples"]))
        steps = (size // batch) * history_rows
    gap = subprocess.run([sys.executable, "-c", COMPARE, str(work / "one-0"), str(work / "two-0")],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    m1, m2 = statistics.median(one), statistics.median(two)
    print(f"keras-gans train {' '.join(args)}: {steps} steps of global batch {batch}, {options.repeats} runs each")
    print(f"one process : median {m1:.2f} s training ({1000 * m1 / steps:.2f} ms/step)  runs {one}")
    print(f"two workers : median {m2:.2f} s training ({1000 * m2 / steps:.2f} ms/step)  runs {two}")
    print(f"overhead    : {1000 * (m2 - m1) / steps:+.2f} ms/step ({m2 / m1:.2f}x); "
          f"largest weight difference, one process vs two workers: {gap}")
    print(f"runs kept in {work}")


if __name__ == "__main__":
    main()
