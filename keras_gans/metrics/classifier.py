"""Judge generated digits with the project's own small MNIST classifier.

The classifier (`saved_models/mnist_classifier/model.keras`, made by
`scripts/train_mnist_classifier.py`) is a plain functional Keras model: input
(28, 28, 1) in [0, 1], a penultimate "features" layer (Dense 128, ReLU) and a
"logits" layer (Dense 10, no activation). It answers three questions about a
batch of samples:

- do they look like digits?      `confident_fraction`, `mean_confidence`
- which digits, how balanced?    `classify`, the class histogram in `digit_report`
- how close to real digits as a set?  `classifier_fid`: the Fréchet distance
  (Heusel et al., 2017) between Gaussians fitted to the "features" activations
  of real and generated images. It is *not* comparable with Inception FID.

Example:
    >>> clf = load_mnist_classifier()
    >>> report = digit_report(clf, fake_images, real_images=real_images)
"""

import weakref
from pathlib import Path

import keras
import numpy as np

from keras_gans.metrics.frechet import frechet_distance_from_features
from keras_gans.shipped import saved_model_dir, saved_model_roots

__all__ = [
    "default_classifier_path",
    "load_mnist_classifier",
    "classify",
    "classifier_features",
    "confident_fraction",
    "label_agreement",
    "classifier_fid",
    "digit_report",
]

CLASSIFIER_NAME = "mnist_classifier"
FEATURES_LAYER = "features"
BATCH_SIZE = 500
NUM_CLASSES = 10
_RANGE_TOLERANCE = 1e-3  # float round-off of a sigmoid / rescaled tanh output


def default_classifier_path():
    """The shipped classifier's `model.keras`: the repository's `saved_models/mnist_classifier/`,
    or its copy inside an installed package (see `keras_gans.shipped`)."""
    try:
        return saved_model_dir(CLASSIFIER_NAME) / "model.keras"
    except FileNotFoundError:
        return saved_model_roots()[-1] / CLASSIFIER_NAME / "model.keras"


def load_mnist_classifier(path=None):
    """Load the MNIST classifier saved by `scripts/train_mnist_classifier.py`.

    Args:
        path: str or Path. A `.keras` file. Defaults to `default_classifier_path()`.

    Returns:
        keras.Model mapping (N, 28, 28, 1) images in [0, 1] to (N, 10) logits.
    """
    path = Path(default_classifier_path() if path is None else path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No MNIST classifier at {path}. Create it with "
            f"`python scripts/train_mnist_classifier.py` (from the repository root; "
            f"about 1-2 minutes on CPU), or pass the path of an existing model.keras."
        )
    return keras.saving.load_model(path, compile=False)


def _check_images(images, name="images"):
    """Return `images` as float32 (N, 28, 28, 1) in [0, 1] or raise ValueError."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim != 4 or x.shape[1:] != (28, 28, 1):
        hint = " Add the channel axis with x[..., None]." if x.shape[1:] == (28, 28) else ""
        raise ValueError(
            f"{name} must have shape (N, 28, 28, 1) (MNIST-sized, one channel), "
            f"got {x.shape}.{hint}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"{name} is empty; pass at least one image.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contain NaN or inf.")
    low, high = float(x.min()), float(x.max())
    if low < -_RANGE_TOLERANCE or high > 1.0 + _RANGE_TOLERANCE:
        raise ValueError(
            f"{name} must be in [0, 1], got values in [{low:.3g}, {high:.3g}]. Rescale "
            f"tanh outputs with (x + 1) / 2 and 0..255 pixels with x / 255."
        )
    return np.clip(x, 0.0, 1.0)


# classifier -> its (features, logits) model, so repeated calls reuse one
# compiled predict function instead of retracing a new model each time.
_PROBES = weakref.WeakKeyDictionary()


def _probe(classifier):
    """A model returning the (features, logits) of `classifier` in one pass."""
    probe = _PROBES.get(classifier)
    if probe is None:
        probe = _PROBES[classifier] = _build_probe(classifier)
    return probe


def _build_probe(classifier):
    try:
        features = classifier.get_layer(FEATURES_LAYER).output
    except ValueError as error:
        raise ValueError(
            f"The classifier {classifier.name!r} has no layer named {FEATURES_LAYER!r}; "
            f"use the model made by scripts/train_mnist_classifier.py."
        ) from error
    return keras.Model(classifier.inputs, [features, classifier.outputs[0]])


def _predict(classifier, images, name="images"):
    """(features (N, F) float32, probabilities (N, 10) float32) of `images`."""
    x = _check_images(images, name)
    features, logits = _probe(classifier).predict(x, batch_size=BATCH_SIZE, verbose=0)
    logits = np.asarray(logits, dtype=np.float64)
    # Stable softmax: the classifier outputs logits (no activation).
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return np.asarray(features, dtype=np.float32), probabilities.astype(np.float32)


def _labels_and_confidence(probabilities):
    labels = np.argmax(probabilities, axis=1).astype(np.int64)
    return labels, probabilities.max(axis=1).astype(np.float32)


def classify(classifier, images):
    """Predicted digit and its softmax probability for each image.

    Args:
        classifier: keras.Model from `load_mnist_classifier`.
        images: array (N, 28, 28, 1) in [0, 1].

    Returns:
        (labels, confidence): int64 (N,) argmax classes and float32 (N,) max
        softmax probabilities.
    """
    _, probabilities = _predict(classifier, images)
    return _labels_and_confidence(probabilities)


def classifier_features(classifier, images):
    """Activations of the classifier's "features" layer, float32 (N, F)."""
    features, _ = _predict(classifier, images)
    return features


def confident_fraction(classifier, images, threshold=0.9):
    """Fraction of images whose max softmax probability exceeds `threshold`.

    Real digits score near 1; noise and blurry mixtures of digits score low.
    """
    _, confidence = classify(classifier, images)
    return float(np.mean(confidence > threshold))


def _check_labels(labels, num_images):
    labels = np.asarray(labels)
    if labels.shape != (num_images,):
        raise ValueError(
            f"labels must have shape ({num_images},), one class per image, got {labels.shape}."
        )
    if not np.issubdtype(labels.dtype, np.integer) and not np.all(labels == np.round(labels)):
        raise ValueError("labels must be integer class ids 0..9 (not one-hot, not scores).")
    return labels.astype(np.int64)


def label_agreement(classifier, images, labels):
    """Fraction of images the classifier assigns to the class in `labels`.

    For a class-conditional generator: how often the requested digit is the one
    produced.
    """
    predicted, _ = classify(classifier, images)
    return float(np.mean(predicted == _check_labels(labels, len(predicted))))


def classifier_fid(classifier, real_images, fake_images):
    """Fréchet distance between real and fake images in the "features" space.

    d^2 = ||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2)), see
    `keras_gans.metrics.frechet`. Lower is better; it needs enough samples on
    both sides for a stable covariance (>= a few hundred; values shrink with N,
    so compare only at equal sample counts).
    """
    real_features, _ = _predict(classifier, real_images, "real_images")
    fake_features, _ = _predict(classifier, fake_images, "fake_images")
    return frechet_distance_from_features(real_features, fake_features)


def digit_report(classifier, images, real_images=None, labels=None, threshold=0.9):
    """Summary of how digit-like a set of generated images is.

    Args:
        classifier: keras.Model from `load_mnist_classifier`.
        images: array (N, 28, 28, 1) in [0, 1]. Generated images.
        real_images: optional array (M, 28, 28, 1) in [0, 1]. Adds "fid".
        labels: optional int array (N,). Requested classes; adds "label_agreement".
        threshold: float. Confidence threshold of "confident_fraction". Defaults to 0.9.

    Returns:
        dict with "confident_fraction", "mean_confidence", "class_histogram"
        (list of 10 ints), and "fid" / "label_agreement" when asked for.
    """
    features, probabilities = _predict(classifier, images)
    predicted, confidence = _labels_and_confidence(probabilities)
    report = {
        "num_images": int(len(predicted)),
        "confident_fraction": float(np.mean(confidence > threshold)),
        "mean_confidence": float(np.mean(confidence)),
        "class_histogram": [int(c) for c in np.bincount(predicted, minlength=NUM_CLASSES)],
    }
    if real_images is not None:
        real_features, _ = _predict(classifier, real_images, "real_images")
        report["fid"] = frechet_distance_from_features(real_features, features)
    if labels is not None:
        report["label_agreement"] = float(
            np.mean(predicted == _check_labels(labels, len(predicted)))
        )
    return report
