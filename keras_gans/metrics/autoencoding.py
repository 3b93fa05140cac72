"""Judge an autoencoder-family model on held-out MNIST digits with the project's classifier.

`autoencoder_report` answers, on digits neither the model nor the classifier trained on
(dataset "mnist_test"):
- do reconstructions keep the digit?     "reconstruction_accuracy" (classifier label == true label)
- how close are they, pixel by pixel?    "reconstruction_mse" (per pixel, [0, 1] units)
- do they look like real digits as a set? "reconstruction_fid" (classifier-feature FID)
- do samples from the prior look like digits? "sample_confident_fraction", "sample_fid",
  and for conditional models "sample_label_agreement" (samples of class c classified as c).
"""

import numpy as np

from keras_gans.metrics.classifier import classifier_fid, digit_report, label_agreement

BATCH = 500


def _batched(fn, *arrays):
    count = len(arrays[0])
    return np.concatenate([
        np.asarray(fn(*(None if a is None else a[i:i + BATCH] for a in arrays)))
        for i in range(0, count, BATCH)
    ])


def autoencoder_report(model, classifier, x, y, num_samples=1000, seed=123, threshold=0.9):
    """Reconstruction and sample quality of `model` on held-out digits.

    Args:
        model: an `AutoencodingModel` trained on 28x28x1 images.
        classifier: keras.Model from `load_mnist_classifier`.
        x: array (N, 28, 28, 1) in [0, 1]. Held-out digits. y: int array (N,), their classes.
        num_samples: int. Prior samples to judge (0 skips them). Defaults to 1,000.
        seed: int. Seed of the prior samples. threshold: confidence threshold.

    Returns:
        dict of floats (see the module docstring); sample entries only when num_samples > 0.
    """
    x = np.asarray(x, np.float32)
    y = np.asarray(y)
    conditional = bool(getattr(model, "num_classes", None))
    labels = y if conditional else None
    reconstructions = _batched(model.reconstruct, x, labels)
    report = {
        "reconstruction_mse": float(np.mean((reconstructions - x) ** 2)),
        "reconstruction_accuracy": label_agreement(classifier, reconstructions, y),
        "reconstruction_fid": classifier_fid(classifier, x, reconstructions),
    }
    if num_samples:
        sample_labels = np.arange(num_samples) % model.num_classes if conditional else None
        samples = np.asarray(model.sample(num_samples, seed=seed, labels=sample_labels))
        digits = digit_report(classifier, samples, real_images=x, labels=sample_labels,
                              threshold=threshold)
        report.update({
            "sample_confident_fraction": digits["confident_fraction"],
            "sample_mean_confidence": digits["mean_confidence"],
            "sample_fid": digits["fid"],
            "sample_class_histogram": digits["class_histogram"],
        })
        if conditional:
            report["sample_label_agreement"] = digits["label_agreement"]
    return report
