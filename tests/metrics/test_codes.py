"""Code-to-class matching and sweep correlations on planted cases."""

import numpy as np
import pytest

from keras_gans.metrics.codes import matched_accuracy, sweep_rank_correlation


def test_a_permuted_perfect_code_matches_fully():
    labels = np.repeat(np.arange(10), 30)
    permutation = np.random.default_rng(0).permutation(10)
    accuracy, assignment = matched_accuracy(permutation[labels], labels)
    assert accuracy == 1.0
    assert all(assignment[permutation[d]] == d for d in range(10))


def test_planted_errors_and_merged_classes_count_as_errors():
    labels = np.repeat(np.arange(4), 100)
    codes = labels.copy()
    codes[:10] = 1          # 10 of class 0 drawn under code 1
    codes[labels == 3] = 2  # classes 2 and 3 share code 2: code 3 unused
    accuracy, assignment = matched_accuracy(codes, labels, num_codes=4, num_classes=4)
    # matched: code 0 -> 0 (90), code 1 -> 1 (100), code 2 -> 2 or 3 (100); code 3 -> the other (0)
    assert accuracy == pytest.approx(290 / 400)
    assert assignment[0] == 0 and assignment[1] == 1 and {assignment[2], assignment[3]} == {2, 3}


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="equally long"):
        matched_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match="non-negative"):
        matched_accuracy([-1, 1], [0, 1])


def test_sweep_correlation_sees_monotone_and_reversed_rows():
    values = np.linspace(-2, 2, 5)
    rising = np.array([[1, 2, 3, 4, 5], [0, 1, 1.5, 9, 10]], float)
    assert sweep_rank_correlation(values, rising) == pytest.approx(1.0)
    assert sweep_rank_correlation(values, -rising) == pytest.approx(-1.0)
    assert sweep_rank_correlation(values, [[1, 1, 1, 1, 1], [1, 2, 3, 4, 5]]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="rows"):
        sweep_rank_correlation(values, np.zeros((2, 3)))


def test_nearest_neighbour_accuracy_on_planted_points():
    from keras_gans.metrics.codes import nearest_neighbour_accuracy

    train = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    labels = np.array([0, 1, 2])
    test = np.array([[2.0, 0.1], [0.1, 0.5], [-0.2, -0.1], [0.0, -1.0]])
    # nearest (euclidean): 0, 1, 2, then (0, -1) is equally far from all three -> the first, 0
    assert nearest_neighbour_accuracy(train, labels, test, [0, 1, 2, 0], "euclidean") == 1.0
    # cosine ignores length: (2, 0.1) -> 0; (0.1, 0.5) -> 1; (-0.2, -0.1) -> 2
    assert nearest_neighbour_accuracy(train, labels, test[:3], [0, 1, 1], "cosine") == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="width"):
        nearest_neighbour_accuracy(train, labels, np.zeros((1, 3)), [0])
