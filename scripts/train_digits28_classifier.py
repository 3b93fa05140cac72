"""Train the small classifier of the digits28 domain (scikit-learn's 8x8 digits at 28x28,
framed as MNIST).

It judges the translations MNIST -> digits28 of the translation models (CycleGAN,
DiscoGAN): does G(an MNIST "3") look like a digits28 "3"? The network, augmentation and
outlier exposure are the MNIST classifier's (scripts/train_mnist_classifier.py); the data
is `keras_gans.data.sources.digits28_split()`: 797 training digits, 1,000 held out
(stratified) and read once, for the accuracy written to metadata.json.

Usage:
    python scripts/train_digits28_classifier.py [--out saved_models/digits28_classifier]
                                                [--epochs N] [--seed N]
"""

import argparse
import datetime
import json
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_mnist_classifier import (  # noqa: E402
    atomic_write_bytes_via,
    build_classifier,
    build_training_model,
    make_training_batches,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "saved_models" / "digits28_classifier"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    parser.add_argument("--epochs", type=int, default=60, help="passes over the 797 digits")
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--batch-size", type=int, default=64, help="digits per batch")
    parser.add_argument("--outliers-per-batch", type=int, default=16,
                        help="non-digit images per batch for outlier exposure (0: none)")
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    from keras_gans.data.sources import DIGITS28_SPLIT_SEED, digits28_split

    keras.utils.set_random_seed(args.seed)
    split = digits28_split(DIGITS28_SPLIT_SEED)  # the datasets digits28_train / digits28_test
    (x_train, y_train), (x_test, y_test) = split["train"], split["test"]

    classifier = build_classifier()
    classifier.name = "digits28_classifier"
    trainer = build_training_model(classifier, args.seed)
    steps = args.epochs * int(np.ceil(len(x_train) / args.batch_size))
    trainer.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps, alpha=0.02)),
                    loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    batches = make_training_batches(x_train, y_train, args.batch_size, args.outliers_per_batch, args.seed)
    load_at_start = os.getloadavg()
    start = time.perf_counter()
    trainer.fit(batches, epochs=args.epochs, verbose=2)
    train_seconds = time.perf_counter() - start

    logits = classifier.predict(x_test, batch_size=500, verbose=0)
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y_test))
    print(f"held-out accuracy: {accuracy:.4f} on {len(x_test)} digits; trained in {train_seconds:.1f} s")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes_via(out / "model.keras", classifier.save, suffix=".keras")
    metadata = {
        "description": "Small CNN classifier of the digits28 domain (scikit-learn 8x8 digits "
                       "at 28x28, framed as MNIST) for judging translations into it; the MNIST "
                       "classifier's network, augmentation and outlier exposure.",
        "dataset": "sklearn.datasets.load_digits() in MNIST's framing: resized into a 20x20 box, "
                   "centred by mass in 28x28 (keras_gans digits28_train)",
        "held_out_accuracy": accuracy,
        "held_out_count": int(len(x_test)),
        "training_count": int(len(x_train)),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "outliers_per_batch": args.outliers_per_batch,
        "seed": args.seed,
        "command": shlex.join(["python", *(sys.argv if argv is None
                                           else ["scripts/train_digits28_classifier.py", *argv])]),
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "train_wall_time_seconds": round(train_seconds, 1),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(v, 2) for v in load_at_start],
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
