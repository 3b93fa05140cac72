"""Train autoencoder-family models with their CLI defaults and judge them on held-out MNIST.

    python benchmarks/autoencoders.py ae vae aae vae_gan cvae_gan double_gan unified_ae_gan
    python benchmarks/autoencoders.py vae --epochs 5 --set kl_weight=0.5 --out table.md

Each model trains exactly as `keras-gans train MODEL` does (default dataset mnist_train: the
4,000 digits the project's MNIST classifier trained on), then `keras_gans.evaluation.evaluate`
(what `keras-gans evaluate RUN_DIR` prints; for autoencoders `autoencoder_report`) judges it
on the 1,000 digits of mnist_test, which neither the model nor the classifier has seen:
reconstruction error and classifier accuracy, classifier-feature FID of reconstructions and of
1,000 prior samples, the fraction of samples classified with confidence > 0.9 (and, for
conditional models, of the asked class), and the training wall time.
"""

import argparse
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras_gans import get_model_class  # noqa: E402
from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.io_utils import atomic_path  # noqa: E402
from keras_gans.evaluation import evaluate  # noqa: E402
from keras_gans.training import parse_overrides, train  # noqa: E402

COLUMNS = ("model", "epochs", "seconds", "recon MSE", "recon acc", "recon FID",
           "sample conf>0.9", "sample FID", "asked class")


def row(name, epochs, seconds, report):
    def fmt(key, spec):
        return format(report[key], spec) if key in report else "-"

    return [name, str(epochs), f"{seconds:.0f}", fmt("reconstruction_mse", ".4f"),
            fmt("reconstruction_accuracy", ".3f"), fmt("reconstruction_fid", ".1f"),
            fmt("sample_confident_fraction", ".3f"), fmt("sample_fid", ".1f"),
            fmt("sample_label_agreement", ".3f")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--epochs", type=int, default=None, help="default: the model's own")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out", help="also write the table as Markdown to this file")
    args = parser.parse_args()

    train_data = load_dataset("mnist_train")
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    print(" ".join(f"{c:>12}" for c in COLUMNS), flush=True)
    for name in args.models:
        overrides = parse_overrides(args.set, get_model_class(name))
        with tempfile.TemporaryDirectory() as workdir:
            result = train(name, epochs=args.epochs, batch_size=args.batch_size,
                           out=f"{workdir}/run", seed=args.seed, overrides=overrides, verbose=0)
        report = evaluate(result.model, train_data)
        epochs = len(next(iter(result.history.values())))
        cells = row(name, epochs, result.wall_time, report)
        print(" ".join(f"{c:>12}" for c in cells), flush=True)
        if "sample_class_histogram" in report:
            print(f"{'':>12} sample class histogram {report['sample_class_histogram']}", flush=True)
        lines.append("| " + " | ".join(cells) + " |")
    if args.out:
        with atomic_path(args.out) as tmp:
            with open(tmp, "w") as f:
                f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
