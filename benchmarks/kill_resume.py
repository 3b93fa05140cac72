"""Kill a training run at random moments, resume it, and check it ends where an uninterrupted
run ends: bitwise the same weights and the same history.csv.

    python benchmarks/kill_resume.py                # keras-gans train dcgan --epochs 3 --deterministic, 10 kills
    python benchmarks/kill_resume.py --kills 4 -- gan --dataset ring8 --epochs 3

Runs `keras-gans train MODEL ARGS --seed 0` once without interruption (the reference), then
until `--kills` runs were killed: starts the same command in a fresh directory, kills it with SIGKILL (and,
with --signal, SIGINT instead), resumes with `keras-gans train --resume` until it finishes,
and compares. Most kills fall at a uniformly random moment of the training (timed from when
the run directory appears, i.e. after start-up); every third waits for a checkpoint write to
begin (its hidden temporary directory to appear) and kills the process inside it. A run that
finishes before its kill is not counted. Prints one line per kill and a summary: how many of
the killed runs end identical, and the checkpoint overhead (seconds per epoch spent writing checkpoints, from
the reference run's config.json).

The default runs pass --deterministic (docs/checkpoints.md): with oneDNN's kernels, TensorFlow's
CPU default, convolutions round differently when a step's timing changes, so even two
uninterrupted runs of a convolutional model differ in the last bits. Leave it out of the
train arguments to measure that.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ENV = dict(os.environ)

COMPARE = r"""
import sys, numpy as np, keras_gans.models
from keras_gans.training import load_run
a, b = load_run(sys.argv[1]), load_run(sys.argv[2])
same = len(a.variables) == len(b.variables) and all(
    np.array_equal(x.numpy(), y.numpy()) for x, y in zip(a.variables, b.variables))
print("identical" if same else "different")
"""


def command(args, out):
    return ["keras-gans", "train", *args, "--seed", "0", "--out", str(out)]


def run_to_end(args, out):
    """Run (or resume) until the run finishes; return how many resumes it took."""
    subprocess.run(command(args, out), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return 0


def killed_then_resumed(args, out, moment, in_write, kill_signal):
    """Start the run, kill it, resume until finished. Returns (what happened, resumes)."""
    process = subprocess.Popen(command(args, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    while process.poll() is None and not (out / "config.json").exists():
        time.sleep(0.01)  # the run directory appears once the model is built and training starts
    began = time.perf_counter()
    checkpoints = out / "checkpoints"
    while process.poll() is None:
        if in_write:
            if checkpoints.is_dir() and any(p.name.startswith(".tmp-") for p in checkpoints.iterdir()):
                break
            time.sleep(0.0005)
        elif time.perf_counter() - began >= moment:
            break
        else:
            time.sleep(0.01)
    if process.poll() is not None:
        return "finished before the kill", 0
    process.send_signal(kill_signal)
    process.wait()
    saved = sorted(p.name for p in checkpoints.iterdir()) if checkpoints.is_dir() else []
    what = f"killed {time.perf_counter() - began:5.1f} s into training{' (in a checkpoint write)' if in_write else ''}, " \
           f"left {saved or 'no checkpoint'}"
    resumes = 0
    while not (out / "model.keras").exists():
        resumes += 1
        result = subprocess.run(["keras-gans", "train", "--resume", str(out)], capture_output=True, text=True,
                                env=ENV)
        if result.returncode and not (out / "model.keras").exists():
            return what + f"; resume failed: {result.stderr.strip().splitlines()[-1:]}", resumes
    return what, resumes


def compare(a, b):
    result = subprocess.run([sys.executable, "-c", COMPARE, str(a), str(b)], capture_output=True, text=True)
    weights = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else f"error: {result.stderr[-300:]}"
    history = (a / "history.csv").read_text() == (b / "history.csv").read_text()
    return weights == "identical" and history, weights, history


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0, help="seed of the kill moments")
    parser.add_argument("--signal", choices=["SIGKILL", "SIGINT", "SIGTERM"], default="SIGKILL")
    parser.add_argument("--keep", help="keep the runs in this directory (default: a temporary one)")
    parser.add_argument("train_args", nargs="*", default=["dcgan", "--epochs", "3", "--deterministic"],
                        help="MODEL and options of `keras-gans train` (after --)")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="kill_resume-"))
    root.mkdir(parents=True, exist_ok=True)
    reference = root / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    began = time.perf_counter()
    run_to_end(args.train_args, reference)
    duration = time.perf_counter() - began
    config = json.loads((reference / "config.json").read_text())
    print(f"reference: `keras-gans train {' '.join(args.train_args)} --seed 0` in {duration:.1f} s "
          f"(training {config['train_seconds']:.1f} s, writing checkpoints {config['checkpoint_seconds']:.2f} s "
          f"over {config['epochs']} epochs)", flush=True)
    rng = random.Random(args.seed)
    identical = killed = 0
    for kill in range(2 * args.kills):  # until --kills runs were killed (a run may finish first)
        if killed == args.kills:
            break
        out = root / f"kill-{kill}"
        shutil.rmtree(out, ignore_errors=True)
        in_write = kill % 3 == 2
        moment = rng.uniform(0.0, 0.8) * config["train_seconds"]  # its clock starts after the model is built
        what, resumes = killed_then_resumed(args.train_args, out, moment, in_write, getattr(signal, args.signal))
        ok, weights, history = compare(reference, out) if (out / "model.keras").exists() else (False, "-", False)
        if what == "finished before the kill":
            print(f"kill {kill + 1:2d}: {what} (not counted)", flush=True)
            continue
        killed += 1
        identical += ok
        print(f"kill {kill + 1:2d}: {what}; {resumes} resume(s); weights {weights}, history.csv "
              f"{'identical' if history else 'different'}", flush=True)
    overhead = config["checkpoint_seconds"] / config["epochs"]
    print(f"\n{identical} of {killed} killed-and-resumed runs ended identical to the uninterrupted one; "
          f"checkpoint overhead {overhead:.2f} s per epoch ({100 * overhead * config['epochs'] / config['train_seconds']:.1f}% "
          "of training time)")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if identical == killed else 1


if __name__ == "__main__":
    sys.exit(main())
