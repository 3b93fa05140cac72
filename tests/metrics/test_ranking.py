"""Tests for keras_gans.metrics.ranking: hand-computed rankings, exclusion, ties, baselines."""

import math

import numpy as np
import pytest

from keras_gans.metrics.ranking import (average_precision, dcg_at_k, format_ranking_table,
                                        ndcg_at_k, popularity_scores, precision_at_k,
                                        rank_items, ranking_report, reciprocal_rank)

REL = [0, 1, 1, 0, 1]  # relevant items at ranks 2, 3 and 5


def test_precision_at_k_by_hand():
    assert precision_at_k(REL, 1) == 0.0
    assert precision_at_k(REL, 3) == pytest.approx(2 / 3)
    assert precision_at_k(REL, 5) == pytest.approx(3 / 5)
    assert precision_at_k(REL, 10) == pytest.approx(3 / 10)  # past the end: irrelevant


def test_dcg_and_ndcg_by_hand():
    assert dcg_at_k(REL, 3) == pytest.approx(1 / math.log2(3) + 1 / math.log2(4))
    assert dcg_at_k(REL, 5) == pytest.approx(1 / math.log2(3) + 1 / math.log2(4)
                                             + 1 / math.log2(6))
    # Three relevant items: the ideal top 3 holds three of them.
    assert ndcg_at_k(REL, 3) == pytest.approx(
        (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3) + 1 / math.log2(4)))
    # The brief's example: ideal DCG from two relevant items (num_relevant=2).
    assert ndcg_at_k(REL, 3, num_relevant=2) == pytest.approx(
        (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    # A relevant item not in the list lowers NDCG@5 (ideal has 4 at the top of 5).
    ideal4 = 1 + 1 / math.log2(3) + 1 / math.log2(4) + 1 / math.log2(5)
    assert ndcg_at_k(REL, 5, num_relevant=4) == pytest.approx(dcg_at_k(REL, 5) / ideal4)
    assert ndcg_at_k([1, 1, 0], 2) == pytest.approx(1.0)
    assert ndcg_at_k([0, 0, 0], 3) == 0.0


def test_average_precision_and_reciprocal_rank_by_hand():
    assert average_precision(REL) == pytest.approx((1 / 2 + 2 / 3 + 3 / 5) / 3)
    assert average_precision(REL, num_relevant=4) == pytest.approx((1 / 2 + 2 / 3 + 3 / 5) / 4)
    assert average_precision([0, 0]) == 0.0
    assert average_precision([1, 1, 1]) == pytest.approx(1.0)
    assert reciprocal_rank(REL) == pytest.approx(1 / 2)
    assert reciprocal_rank([0, 0, 0, 1]) == pytest.approx(1 / 4)
    assert reciprocal_rank([0, 0]) == 0.0


def test_per_list_input_errors():
    with pytest.raises(ValueError, match="k must be a positive integer"):
        precision_at_k(REL, 0)
    with pytest.raises(ValueError, match="0/1"):
        dcg_at_k([0, 2, 1], 3)
    with pytest.raises(ValueError, match="1-D"):
        reciprocal_rank([[0, 1]])


def test_rank_items_ties_and_exclusion():
    scores = np.array([[0.5, 0.9, 0.5, 0.1, 0.9],
                       [1.0, 1.0, 1.0, 1.0, 1.0]])
    # Ties go to the lower item index.
    np.testing.assert_array_equal(rank_items(scores), [[1, 4, 0, 2, 3], [0, 1, 2, 3, 4]])
    exclude = np.array([[0, 1, 0, 0, 0],
                        [1, 0, 0, 1, 0]], bool)
    ranked = rank_items(scores, exclude=exclude)
    np.testing.assert_array_equal(ranked, [[4, 0, 2, 3, 1], [1, 2, 4, 0, 3]])
    assert ranked.dtype == np.int64
    with pytest.raises(ValueError, match="NaN or infinite"):
        rank_items(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="exclude has shape"):
        rank_items(scores, exclude=np.zeros((2, 3), bool))


def test_ranking_report_by_hand():
    # User 0: item 0 is a training positive (excluded, although it scores highest). The
    # ranking of the rest is 1, 2, 3, 4, 5 with held-out positives 2 and 5 -> [0,1,0,0,1].
    # User 1: no held-out positive -> skipped. User 2: ranking 5, 4, 3, ... with held-out
    # positive 5 -> relevance [1,0,0,0,0,0].
    scores = np.array([[9, 6, 5, 4, 3, 2],
                       [1, 2, 3, 4, 5, 6],
                       [1, 2, 3, 4, 5, 6]], np.float32)
    train = np.zeros((3, 6), np.float32)
    test = np.zeros((3, 6), np.float32)
    train[0, 0] = 1
    test[0, [2, 5]] = 1
    train[1, 3] = 1
    test[2, 5] = 1
    report = ranking_report(scores, train, test, ks=(1, 3, 5))
    assert report["users"] == 2
    user0 = [0, 1, 0, 0, 1]
    user2 = [1, 0, 0, 0, 0, 0]
    assert report["P@1"] == pytest.approx((0 + 1) / 2)
    assert report["P@3"] == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert report["P@5"] == pytest.approx((2 / 5 + 1 / 5) / 2)
    ndcg3_user0 = (1 / math.log2(3)) / (1 + 1 / math.log2(3))  # hit at rank 2
    assert report["NDCG@3"] == pytest.approx((ndcg3_user0 + 1.0) / 2)
    ndcg5_user0 = (1 / math.log2(3) + 1 / math.log2(6)) / (1 + 1 / math.log2(3))  # ranks 2, 5
    assert report["NDCG@5"] == pytest.approx((ndcg5_user0 + 1.0) / 2)
    assert report["MAP"] == pytest.approx(((1 / 2 + 2 / 5) / 2 + 1.0) / 2)
    assert report["MRR"] == pytest.approx((1 / 2 + 1) / 2)
    # The per-list functions agree with the vectorised report.
    assert report["NDCG@5"] == pytest.approx((ndcg_at_k(user0, 5) + ndcg_at_k(user2, 5)) / 2)
    assert report["MAP"] == pytest.approx((average_precision(user0)
                                           + average_precision(user2)) / 2)
    assert list(report) == ["P@1", "P@3", "P@5", "NDCG@1", "NDCG@3", "NDCG@5", "MAP", "MRR",
                            "users"]


def test_ranking_report_matches_per_list_functions_on_random_data():
    rng = np.random.default_rng(0)
    users, items = 30, 25
    scores = rng.integers(0, 6, (users, items)).astype(np.float64)  # many ties
    positives = rng.random((users, items)) < 0.3
    train = positives & (rng.random((users, items)) < 0.6)
    test = positives & ~train
    report = ranking_report(scores, train, test)
    expected = {key: [] for key in report if key != "users"}
    for u in range(users):
        if not test[u].any():
            continue
        order = [i for i in np.argsort(-scores[u], kind="stable") if not train[u, i]]
        rel = test[u, order].astype(int)
        for k in (3, 5, 10):
            expected[f"P@{k}"].append(precision_at_k(rel, k))
            expected[f"NDCG@{k}"].append(ndcg_at_k(rel, k))
        expected["MAP"].append(average_precision(rel))
        expected["MRR"].append(reciprocal_rank(rel))
    assert report["users"] == len(expected["MAP"]) == int(test.any(axis=1).sum())
    for key, values in expected.items():
        assert report[key] == pytest.approx(np.mean(values)), key


def test_ranking_report_perfect_and_errors():
    test = np.eye(4, dtype=np.float32)
    train = np.roll(test, 1, axis=1)
    report = ranking_report(test * 10, train, test, ks=(1,))
    assert report["P@1"] == report["NDCG@1"] == report["MAP"] == report["MRR"] == 1.0
    with pytest.raises(ValueError, match="No user has a held-out positive"):
        ranking_report(test, train, np.zeros_like(test))
    with pytest.raises(ValueError, match="same"):
        ranking_report(test[:3], train, test)


def test_popularity_scores():
    train = np.array([[1, 0, 1, 0],
                      [1, 0, 0, 0],
                      [1, 1, 0, 0]], np.float32)
    scores = popularity_scores(train)
    assert scores.shape == (3, 4) and scores.dtype == np.float32
    np.testing.assert_array_equal(scores, [[3, 1, 1, 0]] * 3)
    assert popularity_scores(train, num_users=5).shape == (5, 4)
    # Popularity ranks unseen items by count, ties to the lower index.
    np.testing.assert_array_equal(rank_items(scores, exclude=train > 0)[1], [1, 2, 3, 0])
    test = np.array([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], np.float32)
    report = ranking_report(scores, train, test, ks=(1,))
    assert report["P@1"] == pytest.approx(1 / 3)  # user 0 gets item 1 first: a hit
    assert report["MRR"] == pytest.approx((1 + 1 / 2 + 1 / 2) / 3)


def test_format_ranking_table():
    rows = {"popularity": {"P@5": 0.05, "MAP": 0.1234567, "users": 580},
            "BPR-MF": {"P@5": 0.2, "MAP": 0.3, "users": 580}}
    table = format_ranking_table(rows)
    lines = table.splitlines()
    assert lines[0].split() == ["model", "P@5", "MAP", "users"]
    assert lines[2].split() == ["popularity", "0.0500", "0.1235", "580"]
    assert lines[3].split() == ["BPR-MF", "0.2000", "0.3000", "580"]
    assert len({len(line) for line in lines[:3]}) == 1  # aligned columns
    with pytest.raises(ValueError, match="at least one"):
        format_ranking_table({})
