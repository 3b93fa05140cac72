"""Judging a translation model on labelled domains: is the class kept, does the cycle close?

For the default task (MNIST <-> digits28) each direction's translations are classified by
the classifier of the TARGET domain: G_AB(an MNIST "3") should be a digits28 "3" to the
digits28 classifier (`scripts/train_digits28_classifier.py`), G_BA(a digits28 "3") an MNIST
"3" to the MNIST classifier.
"""

import numpy as np

from keras_gans.inference import translate
from keras_gans.metrics.classifier import classify, load_mnist_classifier
from keras_gans.shipped import saved_model_dir


def load_digits28_classifier(path=None):
    """The shipped classifier of the digits28 domain (same interface as the MNIST one)."""
    return load_mnist_classifier(path or saved_model_dir("digits28_classifier") / "model.keras")


def translation_report(model, x_a, y_a, x_b, y_b, classifier_a, classifier_b):
    """{"class_kept_a_to_b", "class_kept_b_to_a", "cycle_l1_a", "cycle_l1_b"}.

    Args:
        model: a translation model (cyclegan, discogan).
        x_a, y_a: held-out images of domain A in [0, 1] and their classes.
        x_b, y_b: the same for domain B.
        classifier_a, classifier_b: classifiers of domain A and of domain B (logits models
            as `load_mnist_classifier` returns).
    Returns:
        The fraction of G_AB(x_a) that classifier_b assigns to y_a (and of G_BA(x_b) that
        classifier_a assigns to y_b), and the mean absolute error |G_BA(G_AB(x_a)) - x_a|
        per pixel in [0, 1] units (and the other cycle).
    """
    report = {}
    for direction, x, y, judge, domain in (("a_to_b", x_a, y_a, classifier_b, "a"),
                                           ("b_to_a", x_b, y_b, classifier_a, "b")):
        translations, cycles = translate(model, np.asarray(x, np.float32), direction)
        predicted, _ = classify(judge, translations)
        report[f"class_kept_{direction}"] = float(np.mean(predicted == np.asarray(y)))
        report[f"cycle_l1_{domain}"] = float(np.mean(np.abs(cycles - x)))
    return report
