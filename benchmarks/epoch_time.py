"""Where an epoch's wall time goes: before its first step, in its steps, after its last step.

    python benchmarks/epoch_time.py                      # DCGAN's recipe, 10 epochs, both inputs
    python benchmarks/epoch_time.py --epochs 5 --input finite

For each input pipeline, trains the model's recipe (`keras_gans.recipes`) with `fit` and
times every epoch in three parts: from `on_epoch_begin` to the first step, the steps, and
from the last step to the end of `on_epoch_end` (sample grids and logs). "finite" is the data
set read once per epoch (Keras starts a new input iterator every epoch, and a second one
it then discards); "endless" repeats each epoch's batches behind one iterator and passes
`steps_per_epoch` (what `keras_gans.training.train` does): the same batches, one iterator.
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from keras_gans import recipes  # noqa: E402
from keras_gans.callbacks import SampleGrid  # noqa: E402
from keras_gans.data import load_dataset, make_pipeline  # noqa: E402
from keras_gans.training import build_model  # noqa: E402


class EpochTimer(keras.callbacks.Callback):
    """Per epoch: (seconds before the first step, in the steps, after the last step)."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def on_epoch_begin(self, epoch, logs=None):
        self.begin, self.first = time.perf_counter(), None

    def on_train_batch_begin(self, batch, logs=None):
        if self.first is None:
            self.first = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.last = time.perf_counter()

    def close_epoch(self):
        self.rows.append((self.first - self.begin, self.last - self.first, time.perf_counter() - self.last))


class CloseEpoch(keras.callbacks.Callback):
    """Placed after every other callback: the epoch's end is after theirs."""

    def __init__(self, timer):
        super().__init__()
        self.timer = timer

    def on_epoch_end(self, epoch, logs=None):
        self.timer.close_epoch()


def run(model_name, epochs, endless, out_dir):
    recipe = recipes.resolve(model_name, epochs=epochs)
    data = load_dataset(recipe.dataset, seed=0)
    keras.utils.set_random_seed(0)
    model = build_model(model_name, data, 0, recipe.hyperparameters)
    model.compile()
    steps = len(data) // recipe.batch_size
    pipeline = make_pipeline(data, recipe.batch_size, with_labels=model.reads_labels, seed=0, endless_epochs=endless)
    timer = EpochTimer()
    grids = SampleGrid(out_dir, every=max(1, epochs // 10))
    model.fit(pipeline, epochs=epochs, steps_per_epoch=steps if endless else None, verbose=0,
              callbacks=[timer, grids, CloseEpoch(timer)])
    return timer.rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--input", choices=("finite", "endless", "both"), default="both")
    parser.add_argument("--out", default="/tmp/epoch_time_grids")
    args = parser.parse_args()
    for endless in {"finite": [False], "endless": [True], "both": [False, True]}[args.input]:
        name = "endless" if endless else "finite"
        rows = run(args.model, args.epochs, endless, args.out)
        print(f"{args.model}, {name} input: seconds per epoch (before first step / steps / after last step)")
        for epoch, (before, steps, after) in enumerate(rows, 1):
            print(f"  epoch {epoch:>3}: {before:6.2f} {steps:7.2f} {after:6.2f}")
        totals = [sum(column) for column in zip(*rows)]
        print(f"  total    : {totals[0]:6.2f} {totals[1]:7.2f} {totals[2]:6.2f}   ({sum(totals):.1f} s)", flush=True)


if __name__ == "__main__":
    main()
