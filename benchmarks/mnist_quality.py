"""Train image models with their CLI defaults on the offline MNIST and judge the digits.

    python benchmarks/mnist_quality.py dcgan wgan_gp least_squares_gan ebgan began
    python benchmarks/mnist_quality.py began --epochs 10 --set gamma=0.7

For each model: `keras_gans.training.train` (exactly what the printed `keras-gans train MODEL
...` command runs: the model's recipe in `keras_gans.recipes`), then
`keras_gans.evaluation.evaluate` (what `keras-gans evaluate RUN_DIR` prints): 1,000 samples
judged by the project's MNIST classifier (saved_models/mnist_classifier), the fraction
labelled with confidence > 0.9, the classifier-feature FID against the 1,000 digits of
`mnist_test`, the class histogram; and the training wall time.
"""

import argparse
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras_gans import get_model_class  # noqa: E402
from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.evaluation import evaluate  # noqa: E402
from keras_gans.training import parse_overrides, train  # noqa: E402


def command(name, args):
    """The `keras-gans train` command that trains exactly this run."""
    options = [f"--seed {args.seed}"] if args.seed else []
    options += [f"--epochs {args.epochs}"] if args.epochs else []
    options += [f"--batch-size {args.batch_size}"] if args.batch_size else []
    options += [f"--set {pair}" for pair in args.set]
    return " ".join(["keras-gans train", name, *options])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--epochs", type=int, default=None, help="default: the model's own")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()

    print(f"{'model':<20} {'epochs':>6} {'seconds':>8} {'confident':>10} {'FID':>7}  class histogram")
    for name in args.models:
        overrides = parse_overrides(args.set, get_model_class(name))
        with tempfile.TemporaryDirectory() as workdir:
            result = train(name, epochs=args.epochs, batch_size=args.batch_size,
                           out=f"{workdir}/run", seed=args.seed, overrides=overrides, verbose=0)
        report = evaluate(result.model, load_dataset("mnist"))
        epochs = len(next(iter(result.history.values())))
        print(f"{name:<20} {epochs:>6} {result.wall_time:>8.0f} {report['confident_fraction']:>10.3f} "
              f"{report['fid']:>7.1f}  {report['class_histogram']}", flush=True)
        print(f"{'':<20} command: {command(name, args)}", flush=True)


if __name__ == "__main__":
    main()
