"""Training callbacks: sample grids, a stop on non-finite losses, TensorBoard images."""

import math
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gans.plotting import save_samples


class NonFiniteLossError(RuntimeError):
    """Raised when a tracked loss becomes NaN or infinite; training stops, nothing is saved."""


class StopOnNonFinite(keras.callbacks.Callback):
    """Stop training with a clear message as soon as any logged value is NaN or infinite.

    It raises rather than setting `stop_training`, so no later callback (or the caller's
    save) can write a model whose weights are no longer finite.
    """

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = float(np.asarray(value).reshape(-1)[0])
            if not math.isfinite(value):
                step = int(self.model.step_counter.numpy()) if hasattr(self.model, "step_counter") else batch
                raise NonFiniteLossError(
                    f"Training stopped: {name} became {value} at step {step} (batch {batch}). "
                    "No model was saved. Lower the learning rates (--set learning_rate=...), "
                    "check the data for NaNs, or use float32 precision."
                )


def fixed_sample_inputs(model, num_samples, seed):
    """Fixed latent vectors (and cycling labels for conditional models) for sample grids."""
    z = model.prior_sample(num_samples, tf.constant(seed, tf.int64))
    labels = np.arange(num_samples) % model.num_classes if getattr(model, "num_classes", None) else None
    return z, labels


class SampleGrid(keras.callbacks.Callback):
    """Write a PNG of samples from fixed latent vectors after every `every` epochs.

    Files are `samples_epoch_NNN.png` in `out_dir` (images as a grid, 2D points as a scatter
    plot over the mixture modes), each written atomically.
    """

    def __init__(self, out_dir, num_samples=64, seed=1234, every=1, reference=None):
        super().__init__()
        self.out_dir = Path(out_dir)
        self.num_samples = num_samples
        self.seed = seed
        self.every = every
        self.reference = reference
        self._inputs = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        if self._inputs is None:
            self._inputs = fixed_sample_inputs(self.model, self.num_samples, self.seed)
        samples = np.asarray(self.model.generate(*self._inputs))
        save_samples(
            samples, self.out_dir / f"samples_epoch_{epoch + 1:03d}.png",
            reference=self.reference, title=f"epoch {epoch + 1}",
        )


class TensorBoardSamples(keras.callbacks.Callback):
    """Write image summaries of fixed-latent samples to TensorBoard every epoch."""

    def __init__(self, log_dir, num_samples=16, seed=1234):
        super().__init__()
        self.writer = tf.summary.create_file_writer(str(Path(log_dir) / "samples"))
        self.num_samples = num_samples
        self.seed = seed

    def on_epoch_end(self, epoch, logs=None):
        samples = self.model.generate(*fixed_sample_inputs(self.model, self.num_samples, self.seed))
        if len(samples.shape) != 4:
            return  # scalar logs cover vector data; images only for image models
        with self.writer.as_default():
            tf.summary.image("samples", samples, step=epoch, max_outputs=self.num_samples)
        self.writer.flush()
