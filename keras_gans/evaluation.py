"""What a trained model is worth, measured the same way everywhere.

`evaluate(model, data)` picks the measurements that fit the model and its data, and
`evaluate_run(run_dir)` applies it to a run directory (or a shipped pretrained model) and
writes `metrics.json`; `keras-gans evaluate`, the `EvaluateEvery` callback
(`keras_gans.callbacks`), `scripts/make_pretrained.py` and the benchmarks all call them.

    digit images (28x28x1)   samples judged by the project's classifier: FID on its features
                             against held-out real digits, the fraction classified with
                             confidence > 0.9, the class histogram; conditional models: the
                             agreement with the requested label; InfoGAN: the categorical
                             code's accuracy after matching code values to digits
    autoencoders             held-out reconstruction error, FID and recognised fraction
    BiGAN                    1-NN digit accuracy of its codes, G(E(x)) recognised
    ring8 / grid25           the PacGAN protocol: modes captured, high-quality fraction,
                             reverse KL (2,500 samples)
    stacked_mnist            the 1,000-mode count of the samples (each channel labelled by the
                             classifier) and the KL of the mode histogram to uniform
    ratings                  P@k, NDCG@k, MAP, MRR on each user's held-out positives
    translation              class kept in each direction (judged by the target domain's
                             classifier) and the cycle error

Digit data of the MNIST family (mnist, mnist_train, mnist_test) is judged against the 1,000
digits of `mnist_test` with the MNIST classifier (held out from `mnist_train` and from the
classifier's training; a model trained on all of `mnist` has seen them); the digits28 family
against `digits28_test` with the digits28 classifier.
"""

import json
from pathlib import Path

import numpy as np

from keras_gans.io_utils import atomic_path

#: samples drawn when the caller gives no count: the PacGAN protocol's 2,500 points for the
#: 2D mixtures, 26,000 images for stacked MNIST's 1,000 modes (PacGAN), 1,000 otherwise
DEFAULT_NUM_SAMPLES = {"mixture": 2500, "stacked_mnist": 26_000, "digits": 1000}

#: held-out data and classifier of each family of digit data sets
DIGIT_FAMILIES = {
    "mnist": ("mnist_test", "mnist"),
    "mnist_train": ("mnist_test", "mnist"),
    "mnist_test": ("mnist_test", "mnist"),
    "digits28": ("digits28_test", "digits28"),
    "digits28_train": ("digits28_test", "digits28"),
    "digits28_test": ("digits28_test", "digits28"),
}

CONFIDENCE = 0.9


def load_classifier(family):
    """The shipped classifier of a digit family: "mnist" or "digits28"."""
    from keras_gans.metrics import load_mnist_classifier
    from keras_gans.metrics.translation import load_digits28_classifier

    return {"mnist": load_mnist_classifier, "digits28": load_digits28_classifier}[family]()


def _heldout(name):
    """(held-out Dataset, classifier family) of a digit data set name, or (None, None)."""
    from keras_gans.data import load_dataset

    if name not in DIGIT_FAMILIES:
        return None, None
    heldout, family = DIGIT_FAMILIES[name]
    return load_dataset(heldout), family


def evaluate(model, data, num_samples=None, seed=123, data_b=None):
    """Measure `model` against `data` (a `keras_gans.data.Dataset`, as training read it).

    Args:
        model: a trained keras_gans model.
        data: the Dataset the model trained on (its name picks the held-out data and the
            classifier: see the module docstring); for a recommender the RatingsDataset with
            its held-out positives.
        num_samples: int. Samples to draw; None: 2,500 for 2D mixtures, 26,000 for
            stacked_mnist, 1,000 otherwise.
        seed: int. Seed of the samples (the same seed measures the same samples).
        data_b: the second domain of a translation model.

    Returns:
        dict: scalar metrics (floats, ints) and histograms (lists), plus "evaluated_on" (the
        data judged against) and "num_samples".

    Raises:
        ValueError: when nothing known measures this model on this data (e.g. images that
            are not digits): the message lists what `evaluate` knows.
    """
    from keras_gans.models.autoencoding import AutoencodingModel
    from keras_gans.models.bigan import BiGAN
    from keras_gans.models.infogan import InfoGAN
    from keras_gans.models.recommender import Recommender
    from keras_gans.models.translation import TranslationModel

    if num_samples is not None and num_samples < 1:
        raise ValueError(f"num_samples must be at least 1, got {num_samples}.")
    if isinstance(model, Recommender):
        return _ranking(model, data)
    if isinstance(model, TranslationModel):
        return _translation(model, data, data_b)
    if data.modes is not None:
        return _mixture(model, data, num_samples or DEFAULT_NUM_SAMPLES["mixture"], seed)
    if data.name == "stacked_mnist":
        return _stacked_mnist(model, num_samples or DEFAULT_NUM_SAMPLES["stacked_mnist"], seed)
    heldout, family = _heldout(data.name)
    if heldout is None:
        raise ValueError(
            f"No evaluation for {type(model).__name__} on {data.name!r}: evaluate measures digit "
            f"images ({', '.join(DIGIT_FAMILIES)}), the 2D mixtures (ring8, grid25), stacked_mnist, "
            "ratings and MNIST <-> digits28 translation. Pass --dataset with one of those, or "
            "measure your own data with keras_gans.metrics (frechet_distance_from_features, "
            "mode_coverage).")
    classifier = load_classifier(family)
    num_samples = num_samples or DEFAULT_NUM_SAMPLES["digits"]
    report = {"evaluated_on": heldout.name, "num_samples": num_samples}
    if isinstance(model, AutoencodingModel):
        from keras_gans.metrics import autoencoder_report

        report.update(autoencoder_report(model, classifier, heldout.x, heldout.y,
                                         num_samples=num_samples, seed=seed, threshold=CONFIDENCE))
        return report
    report.update(_digit_samples(model, classifier, heldout, num_samples, seed))
    if isinstance(model, InfoGAN) and model.sample_label_count:
        from keras_gans.metrics.codes import categorical_code_report

        codes = categorical_code_report(model, classifier, per_code=num_samples, seed=seed)
        report["code_matched_accuracy"] = codes["accuracy"]
    if isinstance(model, BiGAN):
        from keras_gans.data import load_dataset
        from keras_gans.metrics.codes import encoder_report

        train_name = {"mnist": "mnist_train", "digits28": "digits28_train"}[family]
        report.update(encoder_report(model, classifier, load_dataset(train_name), heldout))
    return report


def _digit_samples(model, classifier, heldout, num_samples, seed):
    """Samples judged by the classifier; labels asked only of a model conditioned on the
    data's classes (its `num_classes`), not of InfoGAN's codes or DCGAN's clusters."""
    from keras_gans.metrics import digit_report

    classes = getattr(model, "num_classes", None) or 0
    labels = np.arange(num_samples) % classes if classes else None
    samples = np.asarray(model.sample(num_samples, seed=seed, labels=labels))
    report = digit_report(classifier, samples, real_images=heldout.x, labels=labels, threshold=CONFIDENCE)
    report.pop("num_images")
    report["classes_present"] = int(np.sum(np.asarray(report["class_histogram"]) > 0))
    return report


def _mixture(model, data, num_samples, seed):
    from keras_gans.mixtures import judge_samples

    report = judge_samples(model.sample(num_samples, seed=seed), data)
    return {"evaluated_on": data.name, "num_samples": num_samples, **report}


def stacked_mnist_modes(classifier, images):
    """{"modes_covered", "kl_to_uniform"} of stacked MNIST images (N, 28, 28, 3): each
    channel labelled by the MNIST classifier, mode = 100 d_R + 10 d_G + d_B, KL of the mode
    histogram (over all 1,000) to uniform (the PacGAN / VEEGAN protocol)."""
    from keras_gans.metrics import classify
    from keras_gans.metrics.mode_coverage import kl_to_uniform

    images = np.asarray(images, np.float32)
    if images.ndim != 4 or images.shape[1:] != (28, 28, 3):
        raise ValueError(f"stacked MNIST images are (N, 28, 28, 3), got {images.shape}.")
    digits = [classify(classifier, images[..., c:c + 1])[0] for c in range(3)]
    modes = 100 * digits[0] + 10 * digits[1] + digits[2]
    counts = np.bincount(modes, minlength=1000)
    return {"modes_covered": int(np.count_nonzero(counts)), "kl_to_uniform": kl_to_uniform(counts)}


def _stacked_mnist(model, num_samples, seed):
    classifier = load_classifier("mnist")
    samples = np.concatenate([np.asarray(model.sample(min(2000, num_samples - start), seed=[seed, start]))
                              for start in range(0, num_samples, 2000)])
    return {"evaluated_on": "stacked_mnist", "num_samples": num_samples,
            **stacked_mnist_modes(classifier, samples)}


def _ranking(model, data):
    from keras_gans.metrics import ranking_report

    if not hasattr(data, "test_positives"):
        raise ValueError(f"{type(model).__name__} is a recommender: evaluate it on ratings data, not {data.name!r}.")
    scores = model.scores()
    if scores.shape != data.test_positives.shape:
        raise ValueError(f"{data.name!r} has {data.test_positives.shape} users x items, the model "
                         f"{scores.shape}: evaluate on the ratings (and seed) it trained on.")
    report = ranking_report(scores, data.train_positives, data.test_positives)
    return {"evaluated_on": f"{data.name} (held-out positives)", **report}


def _translation(model, data, data_b):
    from keras_gans.metrics.translation import translation_report

    if data_b is None:
        raise ValueError(f"{type(model).__name__} translates between two domains: give the second one.")
    (heldout_a, family_a), (heldout_b, family_b) = _heldout(data.name), _heldout(data_b.name)
    if heldout_a is None or heldout_b is None:
        raise ValueError(f"No evaluation for translation between {data.name!r} and {data_b.name!r}: "
                         f"both domains must be digit data sets ({', '.join(DIGIT_FAMILIES)}).")
    report = translation_report(model, heldout_a.x, heldout_a.y, heldout_b.x, heldout_b.y,
                                classifier_a=load_classifier(family_a), classifier_b=load_classifier(family_b))
    return {"evaluated_on": f"{heldout_a.name} <-> {heldout_b.name}", **report}


def default_metrics_path(run_dir):
    """Where `evaluate_run` writes by default: RUN_DIR/metrics.json for a run directory; for
    a shipped pretrained model's name, NAME_metrics.json in the current folder (never into
    the installed package)."""
    from keras_gans.training import resolve_run_dir

    resolved = resolve_run_dir(run_dir)
    if resolved != Path(run_dir):  # found by name among the shipped models
        return Path(f"{run_dir}_metrics.json")
    return resolved / "metrics.json"


def evaluate_run(run_dir, dataset=None, num_samples=None, seed=123, out=None):
    """Evaluate the model of a run directory (or a shipped pretrained model's name, e.g.
    "dcgan_mnist") on the data its `config.json` records, and write the metrics.

    Args:
        run_dir: a directory written by `keras-gans train` (or a `saved_models/` entry).
        dataset: str. Judge against this data set instead of the run's own (its name picks
            the held-out data and classifier, see the module docstring).
        num_samples, seed: as `evaluate`.
        out: path of the JSON written; None: `default_metrics_path(run_dir)`; False: write
            nothing.

    Returns:
        The metrics dict.
    """
    from keras_gans.data import load_dataset
    from keras_gans.training import load_run, resolve_run_dir

    out = default_metrics_path(run_dir) if out is None else out
    run_dir = resolve_run_dir(run_dir)
    model = load_run(run_dir)
    config_path = run_dir / "config.json"
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    name = dataset or config.get("dataset")
    if name is None:
        raise ValueError(f"{run_dir} has no config.json naming its data set: pass --dataset.")
    from keras_gans.models.recommender import Recommender

    options = {}
    if isinstance(model, Recommender):  # only ratings need the run's split and threshold
        options = {"seed": config.get("seed", 0), "num_samples": config.get("num_samples"),
                   "rating_threshold": config.get("rating_threshold")}
    data = load_dataset(name, **options)
    data_b = load_dataset(config["dataset_b"]) if config.get("dataset_b") else None
    metrics = evaluate(model, data, num_samples=num_samples, seed=seed, data_b=data_b)
    if out is not False:
        write_metrics(metrics, Path(out))
    return metrics


def write_metrics(metrics, path):
    """Write a metrics dict as JSON to `path`, atomically (what `keras-gans evaluate` writes)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(metrics, indent=2) + "\n")


def format_metrics(metrics):
    """The metrics as an aligned two-column text table (histograms on one line each)."""
    width = max(len(key) for key in metrics)
    lines = []
    for key, value in metrics.items():
        if isinstance(value, float):
            value = f"{value:.4f}" if abs(value) < 100 else f"{value:.1f}"
        elif isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
        lines.append(f"{key:<{width}}  {value}")
    return "\n".join(lines)


def scalar_metrics(metrics):
    """The entries of a metrics dict that are numbers (what TensorBoard can plot)."""
    return {key: float(value) for key, value in metrics.items()
            if isinstance(value, (int, float, np.number)) and not isinstance(value, bool)}
