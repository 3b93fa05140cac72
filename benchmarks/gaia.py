"""GAIA against the plain AE on held-out MNIST: reconstructions, midpoints, attribute edits.

    python benchmarks/gaia.py                   # both models with their CLI defaults
    python benchmarks/gaia.py --epochs 5        # a quick look

Both models train exactly as `keras-gans train gaia` / `keras-gans train ae` do (dataset
mnist_train), then, on the 1,000 held-out digits of mnist_test:
1. reconstructions: classifier accuracy and per-pixel error;
2. midpoints: 500 pairs of held-out digits of DIFFERENT classes, decoded at t = 0.5 through
   each model's latent space; the classifier's mean confidence, the fraction it is > 0.9 sure
   about, and the sharpness (variance of the Laplacian) of the midpoints -- the paper's claim
   is that GAIA's midpoints look like data while an autoencoder's are blurry overlays;
3. attribute edits: directions for ink, slant and the ten class one-hots fitted on the
   held-out codes by least squares (the paper's method) and by mean difference; each ink and
   slant direction is walked over [-2, 2] code-space standard deviations; reported: whether
   the target attribute rises monotonically, its change, and how much the OTHER attributes
   move per unit of target change (entanglement; the classifier's probability of the
   starting class is one of the "other" attributes).
"""

import argparse
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.metrics import classify, label_agreement, load_mnist_classifier  # noqa: E402
from keras_gans.metrics import latent_attributes as la  # noqa: E402
from keras_gans.training import train  # noqa: E402

PAIRS = 500


def different_class_pairs(y, count, seed=0):
    rng = np.random.default_rng(seed)
    first, second = [], []
    while len(first) < count:
        i, j = rng.integers(len(y), size=2)
        if y[i] != y[j]:
            first.append(i)
            second.append(j)
    return np.array(first), np.array(second)


def midpoint_report(model, classifier, x, pairs):
    i, j = pairs
    midpoints = np.asarray(model.interpolate(x[i], x[j], np.full(len(i), 0.5, np.float32)))
    _, confidence = classify(classifier, midpoints)
    return {"mean_confidence": float(confidence.mean()),
            "confident_fraction": float(np.mean(confidence > 0.9)),
            "sharpness": float(la.sharpness(midpoints).mean())}


def attribute_report(model, classifier, x, y):
    codes = np.asarray(model.encode(x), np.float64)
    attributes = np.column_stack([la.ink_amount(x), la.slant(x), np.eye(10)[y]])
    scale = codes.std(0).mean()
    start_class = y

    def class_probability(images):
        import keras

        probabilities = keras.ops.softmax(classifier.predict(images, verbose=0, batch_size=500))
        return np.asarray(probabilities)[np.arange(len(images)), start_class]

    fns = {"ink": la.ink_amount, "slant": la.slant, "p(start class)": class_probability}
    rows = {}
    for method, directions in (("regression", la.regression_directions(codes, attributes)),
                               ("mean difference", la.mean_difference_directions(codes, attributes))):
        for index, target in ((0, "ink"), (1, "slant")):
            report = la.edit_report(lambda z: model.decode(z), codes, directions[index], fns, target,
                                    np.linspace(-2, 2, 5) * scale)
            rows[(method, target)] = report
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None, help="default: each model's own")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    classifier = load_mnist_classifier()
    test = load_dataset("mnist_test")
    pairs = different_class_pairs(test.y, PAIRS)
    for name in ("gaia", "ae"):
        with tempfile.TemporaryDirectory() as workdir:
            result = train(name, epochs=args.epochs, out=f"{workdir}/run", seed=args.seed, verbose=0)
        model = result.model
        reconstructions = np.asarray(model.reconstruct(test.x))
        print(f"\n== {name}: {len(result.history['reconstruction_loss'])} epochs, {result.wall_time:.0f} s")
        print(f"held-out reconstructions: classifier accuracy {label_agreement(classifier, reconstructions, test.y):.3f}, "
              f"per-pixel MSE {np.mean((reconstructions - test.x) ** 2):.4f}")
        mid = midpoint_report(model, classifier, test.x, pairs)
        print(f"midpoints of {PAIRS} different-class pairs: mean confidence {mid['mean_confidence']:.3f}, "
              f"confident > 0.9 {mid['confident_fraction']:.3f}, sharpness {mid['sharpness']:.4f} "
              f"(real digits: {la.sharpness(test.x).mean():.4f})")
        for (method, target), report in attribute_report(model, classifier, test.x, test.y).items():
            others = ", ".join(f"{k} {v:.2f}" for k, v in report["entanglement"].items())
            print(f"edit {target:<5} along {method:<15}: monotonic {report['monotonic']}, "
                  f"change {report['target_change']:+.4f}; other attributes per unit change: {others}")


if __name__ == "__main__":
    main()
