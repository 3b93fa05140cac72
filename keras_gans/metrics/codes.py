"""How much a model's latent codes mean: matched code-to-class accuracy, and monotone sweeps.

InfoGAN's protocol (Chen et al. 2016, section 7.1): draw images with the categorical code
fixed to each of its values, label them with a classifier, match code values to classes
one-to-one (the code's values come in no particular order) and report the accuracy after
matching. Continuous codes are swept with everything else fixed and an image attribute
(slant, stroke mass) is checked to change monotonically with the code.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import spearmanr


def matched_accuracy(codes, labels, num_codes=None, num_classes=None):
    """Accuracy of `codes` as predictions of `labels` under the best one-to-one matching.

    Builds the confusion counts C[code, label] and finds the assignment code -> label that
    maximises the matched count (Hungarian algorithm, scipy's `linear_sum_assignment`); with
    more code values than classes the extra values stay unmatched (their images count as
    errors).

    Returns (accuracy in [0, 1], {code value: matched label}).
    """
    codes = np.asarray(codes).reshape(-1).astype(int)
    labels = np.asarray(labels).reshape(-1).astype(int)
    if codes.shape != labels.shape or codes.size == 0:
        raise ValueError(f"codes and labels must be equally long and non-empty, got {codes.size} and {labels.size}.")
    if codes.min() < 0 or labels.min() < 0:
        raise ValueError("codes and labels must be non-negative integers.")
    num_codes = num_codes or codes.max() + 1
    num_classes = num_classes or labels.max() + 1
    counts = np.zeros((num_codes, num_classes), np.int64)
    np.add.at(counts, (codes, labels), 1)
    rows, columns = linear_sum_assignment(counts, maximize=True)
    return counts[rows, columns].sum() / codes.size, {int(r): int(c) for r, c in zip(rows, columns)}


def sweep_rank_correlation(values, attributes):
    """Spearman rank correlation between swept code values and a measured attribute.

    `values` [steps] are the swept code values; `attributes` [rows, steps] the attribute of
    each row's images (one row = one fixed noise and categorical code). Returns the mean over
    rows of each row's rank correlation (rows whose attribute is constant count as 0).
    """
    attributes = np.asarray(attributes, np.float64)
    values = np.asarray(values, np.float64)
    if attributes.ndim != 2 or attributes.shape[1] != values.size:
        raise ValueError(f"attributes must be [rows, {values.size}], got {attributes.shape}.")
    correlations = []
    for row in attributes:
        if np.ptp(row) == 0:
            correlations.append(0.0)
            continue
        correlations.append(spearmanr(values, row).statistic)
    return float(np.mean(correlations))


def categorical_code_report(model, classifier, per_code=1000, seed=0):
    """InfoGAN's first categorical code against the classifier's digits: {"accuracy",
    "assignment" (code -> digit), "per_code" (the fraction of each code's images that are
    its matched digit)}."""
    from keras_gans.metrics.classifier import classify

    num_codes = model.sample_label_count
    codes = np.repeat(np.arange(num_codes), per_code)
    images = np.concatenate([
        np.asarray(model.sample(per_code, seed=[seed, code], labels=code)) for code in range(num_codes)
    ])
    digits, _ = classify(classifier, images)
    accuracy, assignment = matched_accuracy(codes, digits, num_codes, 10)
    per_code_accuracy = {
        code: float(np.mean(digits[codes == code] == digit)) for code, digit in assignment.items()
    }
    return {"accuracy": float(accuracy), "assignment": assignment, "per_code": per_code_accuracy}


def continuous_code_report(model, attribute_fns, code_index, values=np.linspace(-2, 2, 9), rows=100, seed=0):
    """Sweep continuous code `code_index` over `values` with noise and the other codes fixed
    per row; {attribute name: mean rank correlation} for each of `attribute_fns`
    (name -> fn(images) -> [n])."""
    values = np.asarray(values, np.float32)
    noise, categories, continuous = (np.asarray(t) for t in model.draw_codes(rows, seed))
    images = []
    for value in values:
        swept = continuous.copy()
        swept[:, code_index] = value
        z = model.join_latent(noise, categories, swept)
        images.append(np.asarray(model.generate(z)))
    images = np.stack(images, axis=1)  # [rows, steps, H, W, C]
    flat = images.reshape(-1, *images.shape[2:])
    return {
        name: sweep_rank_correlation(values, np.asarray(fn(flat)).reshape(rows, len(values)))
        for name, fn in attribute_fns.items()
    }


def nearest_neighbour_accuracy(train_features, train_labels, test_features, test_labels, metric="cosine",
                               batch_size=500):
    """1-nearest-neighbour classification accuracy of `test_features` against the labelled
    `train_features` (the BiGAN paper's feature protocol). metric: "cosine" (features
    normalised to unit length first) or "euclidean"."""
    if metric not in ("cosine", "euclidean"):
        raise ValueError(f"metric must be 'cosine' or 'euclidean', got {metric!r}.")
    train = np.asarray(train_features, np.float64).reshape(len(train_features), -1)
    test = np.asarray(test_features, np.float64).reshape(len(test_features), -1)
    if train.shape[1] != test.shape[1]:
        raise ValueError(f"train and test features differ in width: {train.shape[1]} vs {test.shape[1]}.")
    if metric == "cosine":
        train = train / np.maximum(np.linalg.norm(train, axis=1, keepdims=True), 1e-12)
        test = test / np.maximum(np.linalg.norm(test, axis=1, keepdims=True), 1e-12)
    train_labels, test_labels = np.asarray(train_labels).reshape(-1), np.asarray(test_labels).reshape(-1)
    squared_train = (train ** 2).sum(axis=1)
    correct = 0
    for start in range(0, len(test), batch_size):
        block = test[start:start + batch_size]
        distances = squared_train[None, :] - 2.0 * block @ train.T  # + |test|^2, the same per row
        correct += np.sum(train_labels[distances.argmin(axis=1)] == test_labels[start:start + batch_size])
    return correct / len(test)


def encoder_report(model, classifier, train, test, metric="cosine"):
    """A BiGAN-style encoder on labelled data: 1-NN accuracy of its codes E(x) (train ->
    test), and the fraction of test reconstructions G(E(x)) the classifier labels as the
    input's digit. `train` and `test` are `keras_gans.data` datasets with labels."""
    from keras_gans.metrics.autoencoding import _batched
    from keras_gans.metrics.classifier import label_agreement

    reconstructions = _batched(model.reconstruct, test.x)
    return {
        "code_1nn": float(nearest_neighbour_accuracy(
            _batched(model.encode, train.x), train.y, _batched(model.encode, test.x), test.y, metric)),
        "reconstruction_agreement": float(label_agreement(classifier, reconstructions, test.y)),
    }
