"""Class preservation and cycle error of the translation models on MNIST <-> digits28.

Trains `keras-gans train MODEL` with its recipe (or reads a finished run) and reports, on
the 1,000 held-out images of each domain (mnist_test, digits28_test), the fraction of
translations the TARGET domain's classifier assigns to the source image's class, both
directions, the cycle L1 error per pixel, and the wall time. Beside them, two model-free
references judged the same way: the identity map (no translation), and for a_to_b a
translation that changes the style only: each MNIST digit reduced to 8x8 the way the
scikit-learn digits were made (its square bounding box averaged into 8x8 blocks), then
framed as digits28 is. The second is what the digits28 classifier can read of MNIST's
digit shapes at all; the report also gives how often the model's a_to_b translation loses
the digit where that reference loses it and where it keeps it.

Usage:
    python benchmarks/translation.py cyclegan [--run RUN_DIR] [--seed N] [--epochs N]
                                              [--num-samples N]
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", choices=("cyclegan", "discogan"))
    parser.add_argument("--run", help="evaluate this run directory instead of training one")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, help="default: the recipe's")
    parser.add_argument("--num-samples", type=int, help="training images of each domain (quick checks)")
    args = parser.parse_args(argv)

    from keras_gans.data import load_dataset
    from keras_gans.evaluation import evaluate
    from keras_gans.training import load_run, train

    if args.run:
        model, wall_time = load_run(args.run), json.loads((Path(args.run) / "config.json").read_text())["train_seconds"]
    else:
        out = Path(tempfile.mkdtemp(prefix=f"{args.model}-")) / "run"
        result = train(args.model, out=out, seed=args.seed, epochs=args.epochs, num_samples=args.num_samples,
                       verbose=2)
        model, wall_time = result.model, result.wall_time
    report = evaluate(model, load_dataset("mnist_train"), data_b=load_dataset("digits28_train"))
    report.update(references(model))
    report["train_seconds"] = round(float(wall_time), 1)
    report["model"], report["seed"] = args.model, args.seed
    print(json.dumps(report, indent=2))
    return report


def style_only_a_to_b(x):
    """MNIST digits (N, 28, 28, 1) -> digits28 style by construction: each digit's square
    bounding box averaged into 8x8 blocks (how the 8x8 digits were made from 32x32 bitmaps),
    scaled to a maximum of 1, then framed as digits28 (`mnist_framed`)."""
    import numpy as np
    import tensorflow as tf

    from keras_gans.data.sources import mnist_framed

    reduced = []
    for image in np.asarray(x)[..., 0]:
        rows, cols = np.nonzero(image > 0.1)
        side = max(np.ptp(rows), np.ptp(cols)) + 1
        top = int(round((rows.min() + rows.max() + 1 - side) / 2)) + 28
        left = int(round((cols.min() + cols.max() + 1 - side) / 2)) + 28
        square = np.pad(image, 28)[top:top + side, left:left + side]
        block = tf.image.resize(square[..., None], (8, 8), method="area").numpy()[..., 0]
        reduced.append(block / block.max())
    return mnist_framed(np.stack(reduced))


def references(model):
    """The identity map's class kept both ways, the style-only a_to_b translation's, and how
    often the model's a_to_b loses the digit where the style-only translation loses / keeps it."""
    import numpy as np

    from keras_gans.data import load_dataset
    from keras_gans.evaluation import load_classifier
    from keras_gans.inference import translate
    from keras_gans.metrics.classifier import classify

    mnist, digits = load_dataset("mnist_test"), load_dataset("digits28_test")
    judge_a, judge_b = load_classifier("mnist"), load_classifier("digits28")
    kept = lambda judge, x, y: classify(judge, x)[0] == y  # noqa: E731
    style_only = kept(judge_b, style_only_a_to_b(mnist.x), mnist.y)
    translated = kept(judge_b, translate(model, mnist.x, "a_to_b")[0], mnist.y)
    return {"identity_a_to_b": float(np.mean(kept(judge_b, mnist.x, mnist.y))),
            "identity_b_to_a": float(np.mean(kept(judge_a, digits.x, digits.y))),
            "style_only_a_to_b": float(np.mean(style_only)),
            "a_to_b_lost_where_style_only_lost": float(np.mean(~translated[~style_only])),
            "a_to_b_lost_where_style_only_kept": float(np.mean(~translated[style_only]))}


if __name__ == "__main__":
    sys.exit(main() and 0)
