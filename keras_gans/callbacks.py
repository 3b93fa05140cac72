"""Training callbacks: sample grids, a stop on non-finite losses, TensorBoard images, evaluation
every few epochs."""

import json
import math
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gans.plotting import image_grid, save_samples


class NonFiniteLossError(RuntimeError):
    """Raised when a tracked loss becomes NaN or infinite; training stops, nothing is saved."""


class StopOnNonFinite(keras.callbacks.Callback):
    """Stop training with a clear message when any logged value is NaN or infinite.

    It raises rather than setting `stop_training`, so no later callback (or the caller's
    save) can write a model whose weights are no longer finite.

    Args:
        every_batch: also check after every batch (default False: at each epoch's end). The
            logs are running means over the epoch, so a non-finite value in any step is still
            non-finite at the epoch's end and the end-of-epoch check misses none; checking every
            batch stops sooner but reads the logs back from the device each step and turns
            off Keras's asynchronous batch callbacks, which slows runs of short steps.
    """

    def __init__(self, every_batch=False):
        super().__init__()
        if every_batch:
            # Defined per instance: Keras dispatches batch hooks asynchronously only when no
            # callback overrides them.
            self.on_train_batch_end = lambda batch, logs=None: self._check(logs, f"batch {batch}")

    def on_epoch_end(self, epoch, logs=None):
        self._check(logs, f"epoch {epoch + 1}")

    def _check(self, logs, where):
        for name, value in (logs or {}).items():
            value = float(np.asarray(value).reshape(-1)[0])
            if not math.isfinite(value):
                step = int(self.model.step_counter.numpy()) if hasattr(self.model, "step_counter") else None
                at = f"by step {step} ({where})" if step is not None else f"in {where}"
                raise NonFiniteLossError(
                    f"Training stopped: {name} became {value} {at}. "
                    "No model was saved. Lower the learning rates (--set learning_rate=...), "
                    "check the data for NaNs, or use float32 precision."
                )


class SampleGrid(keras.callbacks.Callback):
    """Write a PNG of the model's `preview` (fixed seed) after every `every` epochs and the last
    (the run's `total_epochs`; None: the last of this `fit`).

    Files are `samples_epoch_NNN.png` in `out_dir` (images as a grid, 2D points as a scatter
    plot over `reference`, e.g. the mixture modes), each written atomically.
    """

    def __init__(self, out_dir, seed=1234, every=1, reference=None, total_epochs=None):
        super().__init__()
        self.out_dir = Path(out_dir)
        self.seed = seed
        self.every = every
        self.reference = reference
        self.total_epochs = total_epochs

    def on_epoch_end(self, epoch, logs=None):
        last = epoch + 1 == _total_epochs(self)
        if (epoch + 1) % self.every and not last:
            return
        save_samples(
            self.model.preview(seed=self.seed), self.out_dir / f"samples_epoch_{epoch + 1:03d}.png",
            reference=self.reference, title=f"epoch {epoch + 1}", columns=self.model.preview_columns,
        )


class TensorBoardSamples(keras.callbacks.Callback):
    """Write the model's `preview` images (fixed seed) to TensorBoard every epoch."""

    def __init__(self, log_dir, seed=1234):
        super().__init__()
        self.writer = tf.summary.create_file_writer(str(Path(log_dir) / "samples"))
        self.seed = seed

    def on_epoch_end(self, epoch, logs=None):
        shown = self.model.preview(seed=self.seed)
        if shown.ndim != 4:
            return  # scalar logs cover vector data; images only for image models
        grid = image_grid(shown, self.model.preview_columns)
        with self.writer.as_default():
            tf.summary.image("preview", grid[None], step=epoch)
        self.writer.flush()


class EvaluateEvery(keras.callbacks.Callback):
    """Measure the model with `keras_gans.evaluation.evaluate` every `every` epochs and after
    the last one.

    Each evaluation's numbers go to TensorBoard as scalars `evaluation/NAME` (when `log_dir`
    is given), as one JSON line {"epoch": e, ...metrics} to `out_dir/evaluation.jsonl` (when
    `out_dir` is given), and to `self.results` ({epoch: metrics}); the last one also to
    `out_dir/metrics.json`, as `keras-gans evaluate` writes it.

    Args:
        data: the Dataset the model trains on (see `evaluate`). data_b: a translation
            model's second domain.
        every: int. Epochs between evaluations (default 5).
        num_samples, seed: as `evaluate` (None: its default count; 123).
        log_dir: TensorBoard log directory, or None.
        out_dir: directory for evaluation.jsonl and metrics.json, or None.
        total_epochs: int. The run's last epoch (None: the last of this `fit`; a run trained
            in several `fit` calls passes its own).
    """

    def __init__(self, data, every=5, num_samples=None, seed=123, log_dir=None, out_dir=None, data_b=None,
                 total_epochs=None):
        super().__init__()
        self.total_epochs = total_epochs
        if every < 1:
            raise ValueError(f"every must be a positive number of epochs, got {every}.")
        self.data, self.data_b, self.every = data, data_b, every
        self.num_samples, self.seed = num_samples, seed
        self.log_dir = None if log_dir is None else Path(log_dir)
        self.out_dir = None if out_dir is None else Path(out_dir)
        self.results = {}
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        from keras_gans.evaluation import evaluate, scalar_metrics, write_metrics

        last = epoch + 1 == _total_epochs(self)
        if (epoch + 1) % self.every and not last:
            return
        metrics = evaluate(self.model, self.data, num_samples=self.num_samples, seed=self.seed, data_b=self.data_b)
        self.results[epoch + 1] = metrics
        if self.log_dir is not None:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(str(self.log_dir / "evaluation"))
            with self._writer.as_default():
                for name, value in scalar_metrics(metrics).items():
                    tf.summary.scalar(f"evaluation/{name}", value, step=epoch)
            self._writer.flush()
        if self.out_dir is not None:
            with open(self.out_dir / "evaluation.jsonl", "a") as f:
                f.write(json.dumps({"epoch": epoch + 1, **metrics}) + "\n")
            if last:
                write_metrics(metrics, self.out_dir / "metrics.json")

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _total_epochs(callback):
    return callback.total_epochs or (callback.params or {}).get("epochs")
