"""Checkpoints of a training run, exact resume, and a graceful stop on SIGINT/SIGTERM.

A checkpoint is a directory RUN_DIR/checkpoints/ckpt-STEP/ holding a `tf.train.Checkpoint` of
everything that defines the training state and a state.json:
- every variable of the model: weights, the step counter the training noise is derived from
  (core/randomness.py), EMA weights, BEGAN's k_t, GAIA's balance, cluster centroids, the image
  pool, ... (all of them are model variables);
- every role optimizer's variables (moments, iteration count, hence learning-rate schedules);
- the running means of the epoch's losses (so an epoch resumed mid-way logs what an
  uninterrupted one would);
- state.json: the global step, the per-epoch logs so far and the training seconds.
The position of the input is the global step itself: the pipeline is a pure function of
(seed, step) (`make_pipeline(..., start_step=step)`), so a resumed run reads the same batches.

Writes are atomic and durable: the checkpoint is written into a hidden temporary directory,
every file and the directory are fsynced, and it is renamed into place, then the parent is
fsynced. A directory named ckpt-STEP is therefore always complete; a SIGKILL during a write
leaves only a hidden `.tmp-*` directory, which the next start removes. The last `keep` (2)
checkpoints are kept, so a checkpoint found corrupt falls back to the one before.
"""

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gans.io_utils import default_mode, fsync_directory, fsync_tree

CHECKPOINT_DIR = "checkpoints"
PREFIX = "ckpt-"


class TrainingInterrupted(Exception):
    """Training stopped on SIGINT or SIGTERM after writing a checkpoint; resume it with
    `keras-gans train --resume RUN_DIR` (or `keras_gans.training.resume`)."""

    def __init__(self, signal_name, run_dir, step, saved=True):
        self.signal_name, self.run_dir, self.step = signal_name, Path(run_dir), step
        if saved:
            what = f"checkpoint of step {step} saved in {self.run_dir}"
        else:
            what = f"nothing was trained yet in {self.run_dir}"
        super().__init__(f"Training interrupted by {signal_name}; {what}. "
                         f"Resume with: keras-gans train --resume {self.run_dir}")

    @property
    def exit_code(self):
        """The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + int(getattr(signal, self.signal_name, signal.SIGINT))


class CorruptCheckpointError(RuntimeError):
    """No checkpoint of a run could be read."""


def metric_variables(model):
    """The variables of the model's metrics: the epoch's running means."""
    return [v for metric in model.metrics for v in metric.variables]


def state_variables(model):
    """{group: [variables]} of everything `model`'s training state consists of."""
    groups = {"model": list(model.variables), "metrics": metric_variables(model)}
    for role, optimizer in model.role_optimizers.items():
        groups[f"optimizer_{role}"] = list(optimizer.variables)
    return groups


class RunCheckpoints:
    """The checkpoints of one run directory.

    Args:
        run_dir: the run directory; checkpoints go to run_dir/checkpoints/.
        model: the compiled model whose state is saved and restored (None to list only).
        keep: how many checkpoints to keep (default 2: a corrupt newest one falls back to
            the one before).
        restore_from: the run directory whose checkpoints `restore_latest` reads (default
            `run_dir`): a non-chief worker restores the chief's and writes its own elsewhere.
    """

    def __init__(self, run_dir, model, keep=2, restore_from=None):
        if keep < 1:
            raise ValueError(f"keep must be at least 1, got {keep}.")
        self.directory = Path(run_dir) / CHECKPOINT_DIR
        self.restore_directory = Path(restore_from) / CHECKPOINT_DIR if restore_from else self.directory
        self.model = model
        self.keep = keep
        self._tf_checkpoint = None
        self.notes = []  # what a restore fell back from, for the user

    @property
    def _checkpoint(self):
        if self._tf_checkpoint is None:  # built on first use: listing paths needs no model
            self._tf_checkpoint = tf.train.Checkpoint(**state_variables(self.model))
        return self._tf_checkpoint

    def paths(self, directory=None):
        """Complete checkpoints in `directory` (default: where this run writes them), newest first."""
        directory = directory or self.directory
        if not directory.is_dir():
            return []
        found = [p for p in directory.iterdir() if p.is_dir() and p.name.startswith(PREFIX)
                 and p.name[len(PREFIX):].isdigit()]
        return sorted(found, key=lambda p: int(p.name[len(PREFIX):]), reverse=True)

    def remove_partial_writes(self):
        """Delete the hidden temporary directories of writes a kill interrupted."""
        if self.directory.is_dir():
            for leftover in self.directory.glob(".tmp-*"):
                shutil.rmtree(leftover, ignore_errors=True)

    def save(self, state):
        """Write the model's state and `state` (JSON-able, with an int "step") as a checkpoint."""
        step = int(state["step"])
        target = self.directory / f"{PREFIX}{step:09d}"
        if target.exists():  # already saved at this step (e.g. an interrupt right at an epoch's end)
            return target
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.directory))
        try:
            self._checkpoint.write(str(tmp / "ckpt"))
            (tmp / "state.json").write_text(json.dumps(state, indent=1))
            os.chmod(tmp, default_mode(0o777))  # mkdtemp makes 0700
            fsync_tree(tmp)
            os.replace(tmp, target)
            fsync_directory(self.directory)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        for old in self.paths()[self.keep:]:
            shutil.rmtree(old, ignore_errors=True)
        return target

    def restore_latest(self):
        """Restore the newest readable checkpoint into the model; return its state, or None
        when the run has no checkpoint. A checkpoint that cannot be read is skipped (and
        said in `self.notes`); when none can be read, raises CorruptCheckpointError."""
        paths = self.paths(self.restore_directory)
        for path in paths:
            try:
                state = json.loads((path / "state.json").read_text())
                self._checkpoint.read(str(path / "ckpt")).assert_existing_objects_matched()
            except Exception as error:  # noqa: BLE001 (TF reports a damaged file by many types)
                reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
                self.notes.append(f"checkpoint {path.name} could not be read ({reason}); "
                                  "falling back to the previous one")
                continue
            return state
        if paths:
            raise CorruptCheckpointError(
                f"No checkpoint in {self.restore_directory} could be read ({'; '.join(self.notes)}). "
                "Start the run again with --overwrite.")
        return None


def metric_values(model):
    """The current values of the model's metric variables (the epoch's running means)."""
    return [np.array(v) for v in metric_variables(model)]


def set_metric_values(model, values):
    for variable, value in zip(metric_variables(model), values):
        variable.assign(value)


class StopSignals:
    """While active (a context manager), SIGINT and SIGTERM ask training to stop after the
    current step instead of killing it; a second signal stops at once (KeyboardInterrupt).

    Installs nothing outside the main thread (where Python cannot take signals).
    """

    SIGNALS = ("SIGINT", "SIGTERM")

    def __init__(self):
        self.received = None
        self.model = None
        self._previous = {}

    def _handle(self, signum, frame):
        if self.received is not None:
            raise KeyboardInterrupt(f"second {signal.Signals(signum).name}: stopping at once")
        self.received = signal.Signals(signum).name
        if self.model is not None:
            self.model.stop_training = True  # Keras checks it after every batch

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for name in self.SIGNALS:
                number = getattr(signal, name)
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc):
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        return False


class CheckpointGuard(keras.callbacks.Callback):
    """The FIRST callback of a checkpointed fit: restores the epoch's running means when a
    run resumes mid-epoch, and on a stop signal in the middle of an epoch saves a checkpoint
    and raises TrainingInterrupted before any later callback sees the cut-short epoch."""

    def __init__(self, saver, signals, resume_metrics=None):
        super().__init__()
        self.saver, self.signals = saver, signals
        self.resume_metrics = resume_metrics

    def on_train_begin(self, logs=None):
        self.signals.model = self.model
        if self.signals.received:  # signalled between two fit calls
            self.model.stop_training = True

    def on_epoch_begin(self, epoch, logs=None):
        if self.resume_metrics is not None:  # fit reset them just before this hook
            set_metric_values(self.model, self.resume_metrics)
            self.resume_metrics = None

    def on_epoch_end(self, epoch, logs=None):
        if self.signals.received and not self.saver.at_epoch_end():
            self.saver.save_now()
            self.saver.raise_interrupted()


class CheckpointSaver(keras.callbacks.Callback):
    """The LAST callback of a checkpointed fit: records each epoch's logs in history.csv and
    writes a checkpoint after every epoch (after every other callback wrote its files) and,
    with `every_steps`, every that many steps.

    Args:
        checkpoints: RunCheckpoints.
        steps_per_epoch: int. Steps in a whole epoch.
        history: list of {name: value} per finished epoch so far (a resumed run's).
        every_steps: int or None. Also checkpoint every this many steps.
        seconds: training seconds before this process (a resumed run's).
        history_file: path of the CSV the epochs' logs go to, or None.
    """

    def __init__(self, checkpoints, steps_per_epoch, history=(), every_steps=None, seconds=0.0,
                 history_file=None, signals=None, clock=None):
        super().__init__()
        self.checkpoints = checkpoints
        self.steps_per_epoch = steps_per_epoch
        self.history = [dict(row) for row in history]
        self.every_steps = every_steps
        self.seconds_before = seconds
        self.history_file = None if history_file is None else Path(history_file)
        self.signals = signals
        self.clock = clock
        self.checkpoint_seconds = 0.0  # spent writing checkpoints in this process
        if every_steps:
            # Defined per instance: Keras runs batch hooks asynchronously only when no
            # callback overrides them, so runs without step checkpoints keep that speed.
            self.on_train_batch_end = self._maybe_save_step

    def step(self):
        return int(self.model.step_counter.numpy())

    def at_epoch_end(self):
        return self.step() % self.steps_per_epoch == 0

    def seconds(self):
        return self.seconds_before + (self.clock() if self.clock else 0.0)

    def save_now(self):
        began = time.perf_counter()
        path = self.checkpoints.save({"step": self.step(), "history": self.history,
                                      "train_seconds": round(self.seconds(), 3)})
        self.checkpoint_seconds += time.perf_counter() - began
        return path

    def raise_interrupted(self):
        raise TrainingInterrupted(self.signals.received, self.checkpoints.directory.parent, self.step())

    def _maybe_save_step(self, batch, logs=None):
        step = self.step()
        if step % self.every_steps == 0 and step % self.steps_per_epoch:
            self.save_now()  # epoch ends are saved by on_epoch_end, after the other callbacks

    def on_epoch_end(self, epoch, logs=None):
        self.history.append({"epoch": epoch, **{k: float(np.asarray(v)) for k, v in (logs or {}).items()}})
        if self.history_file is not None:
            write_history_csv(self.history, self.history_file)
        self.save_now()
        if self.signals is not None and self.signals.received:
            self.raise_interrupted()


def write_history_csv(history, path):
    """Per-epoch logs as `keras.callbacks.CSVLogger` writes them (epoch, then sorted keys),
    rewritten whole and atomically, so the file always matches the newest checkpoint."""
    from keras_gans.io_utils import atomic_path

    keys = sorted({k for row in history for k in row if k != "epoch"})
    lines = [",".join(["epoch", *keys])]
    for row in history:
        lines.append(",".join([str(row["epoch"]), *(_csv_number(row.get(k, "")) for k in keys)]))
    with atomic_path(path) as tmp:
        Path(tmp).write_text("\n".join(lines) + "\n")


def _csv_number(value):
    return value if isinstance(value, str) else repr(float(value))


def history_dict(history):
    """[{epoch, name: value}] -> {name: [values]} as `keras.callbacks.History.history`."""
    keys = sorted({k for row in history for k in row if k != "epoch"})
    return {k: [row[k] for row in history if k in row] for k in keys}


def print_notes(checkpoints):
    for note in checkpoints.notes:
        print(f"keras-gans: {note}", file=sys.stderr)
