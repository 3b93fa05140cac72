"""Tests for keras_gans.data.ratings: parsing, threshold, id maps, the split, errors and the
synthetic set (whose planted factors a matrix factorisation must recover better than
popularity)."""

import numpy as np
import pytest

from keras_gans.data import DATASETS, load_dataset
from keras_gans.data.ratings import (RatingsDataset, dense_index, load_ratings, original_ids,
                                     remap_ids, split_positives, synthetic_ratings)
from keras_gans.metrics.ranking import popularity_scores, ranking_report

# user, item, rating, timestamp (MovieLens u.data: tab separated, no header)
U_DATA = """\
196\t242\t3\t881250949
186\t302\t5\t891717742
22\t377\t5\t878887116
196\t302\t5\t881250950
22\t51\t2\t884182806
186\t242\t4\t891717743
186\t51\t5\t891717744
22\t302\t5\t878887117
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _pairs(matrix, data):
    users, items = np.nonzero(matrix)
    return {(int(data.user_ids[u]), int(data.item_ids[i])) for u, i in zip(users, items)}


def test_u_data_file(tmp_path):
    data = load_ratings(_write(tmp_path, "u.data", U_DATA), test_fraction=0.5)
    assert isinstance(data, RatingsDataset)
    np.testing.assert_array_equal(data.user_ids, [22, 186, 196])
    np.testing.assert_array_equal(data.item_ids, [51, 242, 302, 377])
    assert data.user_ids.dtype == data.item_ids.dtype == np.int64
    assert data.num_users == data.num_classes == 3 and data.num_items == 4
    assert data.threshold == 5.0 and data.true_relevance is None
    positives = {(186, 302), (22, 377), (196, 302), (186, 51), (22, 302)}
    assert _pairs(data.train_positives, data) | _pairs(data.test_positives, data) == positives
    # Users 22 and 186 have 2 positives each: one held out; user 196 has 1: none held out.
    np.testing.assert_array_equal(data.test_positives.sum(axis=1), [1, 1, 0])
    np.testing.assert_array_equal(data.train_positives.sum(axis=1), [1, 1, 1])
    assert data.x.dtype == np.float32 and data.x.shape == (3, 4) and data.data_shape == (4,)
    np.testing.assert_array_equal(data.y, [0, 1, 2])
    np.testing.assert_array_equal(data.x, data.train_positives)


def test_threshold_and_other_separators(tmp_path):
    text = U_DATA.replace("\t", "::")  # MovieLens-1M ratings.dat style
    data = load_ratings(_write(tmp_path, "ratings.dat", text), threshold=4, test_fraction=0)
    assert data.test_positives.sum() == 0
    assert _pairs(data.train_positives, data) == {
        (186, 302), (22, 377), (196, 302), (186, 51), (22, 302), (186, 242)}
    spaced = load_ratings(_write(tmp_path, "r.tsv", U_DATA.replace("\t", "  ")),
                          threshold=4, test_fraction=0)
    np.testing.assert_array_equal(spaced.train_positives, data.train_positives)


def test_csv_with_header(tmp_path):
    csv = ("userId,movieId,rating,timestamp\n"
           "1,31,2.5,1260759144\n1,1029,5.0,1260759179\n"
           "2,10,4.0,835355493\n2,31,5.0,835355681\n2,1029,5,835355682\n")
    data = load_ratings(_write(tmp_path, "ratings.csv", csv), test_fraction=0)
    np.testing.assert_array_equal(data.user_ids, [1, 2])
    np.testing.assert_array_equal(data.item_ids, [10, 31, 1029])
    assert _pairs(data.train_positives, data) == {(1, 1029), (2, 31), (2, 1029)}
    plain = load_ratings(_write(tmp_path, "plain.csv", "Item, User ,rating\n31,1,5\n10,1,1\n"),
                         test_fraction=0)
    assert _pairs(plain.train_positives, plain) == {(1, 31)}


def test_remap_ids_round_trip():
    raw = np.array([1029, 31, 7, 31, 1029, 5000])
    dense, unique = remap_ids(raw)
    np.testing.assert_array_equal(unique, [7, 31, 1029, 5000])
    np.testing.assert_array_equal(dense, [2, 1, 0, 1, 2, 3])
    assert dense.dtype == unique.dtype == np.int64
    np.testing.assert_array_equal(original_ids(dense, unique), raw)
    np.testing.assert_array_equal(dense_index(raw, unique), dense)
    with pytest.raises(ValueError, match=r"Unknown user id\(s\) \[8\]"):
        dense_index([7, 8], unique, "user")
    with pytest.raises(ValueError, match="Dense indices must be integers in 0..3"):
        original_ids([4], unique)


def test_split_is_per_user_seeded_disjoint_and_complete():
    rng = np.random.default_rng(1)
    num_users, num_items = 50, 40
    positives = rng.random((num_users, num_items)) < 0.25
    positives[0] = False
    positives[0, 3] = True  # one positive: stays in training
    positives[1] = False  # no positive at all
    users, items = np.nonzero(positives)
    train, test = split_positives(users, items, num_users, num_items, 0.2, seed=3)
    assert train.dtype == test.dtype == np.float32
    assert not np.any((train > 0) & (test > 0))
    np.testing.assert_array_equal((train + test) > 0, positives)
    counts = positives.sum(axis=1)
    expected = np.where(counts >= 2, np.clip(np.floor(0.2 * counts + 0.5), 1, counts - 1), 0)
    np.testing.assert_array_equal(test.sum(axis=1), expected)
    assert test[0].sum() == 0 and train[0, 3] == 1
    # Seeded, independent of the order of the pairs; another seed holds out other items.
    order = rng.permutation(len(users))
    again = split_positives(users[order], items[order], num_users, num_items, 0.2, seed=3)
    np.testing.assert_array_equal(again[1], test)
    other = split_positives(users, items, num_users, num_items, 0.2, seed=4)
    assert not np.array_equal(other[1], test)
    np.testing.assert_array_equal(other[1].sum(axis=1), expected)
    # A tiny fraction still holds one out of every user with >= 2 positives.
    tiny = split_positives(users, items, num_users, num_items, 0.01, seed=0)[1]
    np.testing.assert_array_equal(tiny.sum(axis=1), np.where(counts >= 2, 1, 0))


@pytest.mark.parametrize("text, match", [
    ("1\t2\n", r"Line 1 of .* has 2 field\(s\)"),
    ("1\t2\t5\nabc\t2\t5\n", r"user id 'abc' on line 2 .* is not an integer"),
    ("1\t2\t5\n1\tx7\t5\n", r"item id 'x7' on line 2"),
    ("1\t2\t5\n1\t3\tgood\n", r"rating 'good' on line 2 .* not a finite number"),
    ("", r"holds no ratings"),
])
def test_bad_u_data_files(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        load_ratings(_write(tmp_path, "u.data", text))


@pytest.mark.parametrize("text, match", [
    ("user,movie,stars\n1,2,5\n",
     r"no item, rating column\(s\) \(columns found: \['user', 'movie', 'stars'\]\)"),
    ("userId,movieId\n1,2\n", r"no rating column\(s\) \(columns found: \['userId', 'movieId'\]\)"),
    ("1,31,2.5\n1,10,5\n",
     r"no user, item, rating column\(s\) \(columns found: \['1', '31', '2.5'\]\)"),
    ("user,item,rating\n1,2,5\n\n1,b,4\n", r"item id 'b' on data row 2 \(line 4\) .* not an"),
    ("user,item,rating\n1.5,2,5\n", r"user id '1.5' on data row 1 \(line 2\)"),
    ("user,item,rating\n1,2,\n", r"rating '' on data row 1 \(line 2\) .* not a finite"),
    ("user,item,rating,timestamp\n1,2\n", r"data row 1 \(line 2\) .* has 2 field\(s\)"),
])
def test_bad_csv_files(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        load_ratings(_write(tmp_path, "ratings.csv", text))


def test_threshold_and_fraction_errors(tmp_path):
    path = _write(tmp_path, "u.data", "1\t1\t1\n1\t2\t3\n2\t1\t4\n")
    with pytest.raises(ValueError, match=r"No user .* has a positive.*range over \[1, 4\].*"
                                         r"threshold=4"):
        load_ratings(path)  # default threshold 5: no 5-star rating
    with pytest.raises(ValueError, match=r"threshold 0.5 lies outside the ratings range \[1, 4\]"):
        load_ratings(path, threshold=0.5)
    for fraction in (1.0, -0.1):
        with pytest.raises(ValueError, match=r"test_fraction must lie in \[0, 1\)"):
            load_ratings(path, threshold=3, test_fraction=fraction)
    data = load_ratings(path, threshold=3, test_fraction=0)
    assert data.train_positives.sum() == 2


def test_user_with_every_item_positive(tmp_path):
    path = _write(tmp_path, "u.data", "1\t10\t5\n1\t20\t5\n2\t10\t5\n2\t20\t1\n")
    with pytest.raises(ValueError, match=r"User\(s\) \[1\] .* every one of the 2 items"):
        load_ratings(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="No such ratings file: .*nope.data"):
        load_ratings(str(tmp_path / "nope.data"))
    with pytest.raises(ValueError, match="No such ratings file"):
        load_dataset(str(tmp_path / "nope.csv"))


def test_tfds_movielens_not_prepared(tmp_path):
    with pytest.raises(ValueError, match="not prepared in data_dir.*never downloads"):
        load_ratings("tfds:movielens/100k-ratings", data_dir=str(tmp_path))


# ------------------------------------------------------------------------- synthetic


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_ratings(seed=0)


def test_synthetic_shapes_and_determinism(synthetic):
    data = synthetic
    assert data.num_users == 600 and data.num_items == 400 and data.num_classes == 600
    for matrix in (data.train_positives, data.test_positives, data.true_relevance):
        assert matrix.shape == (600, 400) and matrix.dtype == np.float32
    np.testing.assert_array_equal(data.user_ids, np.arange(600))
    np.testing.assert_array_equal(data.item_ids, np.arange(400))
    assert not np.any((data.train_positives > 0) & (data.test_positives > 0))
    # 22% of ~60 ratings per user are 5s; 20% of those held out.
    per_user = (data.train_positives + data.test_positives).sum(axis=1)
    assert 11 < per_user.mean() < 15
    assert 0.15 < data.test_positives.sum() / per_user.sum() < 0.25
    rows = np.flatnonzero(data.train_positives.any(axis=1))
    np.testing.assert_array_equal(data.y, rows)
    np.testing.assert_array_equal(data.x, data.train_positives[rows])
    again = synthetic_ratings(seed=0)
    for field in ("x", "y", "train_positives", "test_positives", "true_relevance"):
        np.testing.assert_array_equal(getattr(again, field), getattr(data, field))
    other = synthetic_ratings(seed=1)
    assert not np.array_equal(other.train_positives, data.train_positives)
    small = synthetic_ratings(seed=0, num_users=20, num_items=30, ratings_per_user=10)
    assert small.train_positives.shape == (20, 30)


def test_synthetic_matrix_factorisation_beats_popularity(synthetic):
    data = synthetic
    train, test = data.train_positives, data.test_positives
    u, s, vt = np.linalg.svd(train, full_matrices=False)
    rank = 8
    mf = (u[:, :rank] * s[:rank]) @ vt[:rank]
    mf_report = ranking_report(mf, train, test)
    pop_report = ranking_report(popularity_scores(train), train, test)
    oracle = ranking_report(data.true_relevance, train, test)
    random = ranking_report(np.random.default_rng(0).random(train.shape), train, test)
    # Popularity is a real but weak baseline; MF is clearly better; the truth is better still.
    assert pop_report["P@5"] > 3 * random["P@5"]
    assert mf_report["P@5"] > 2 * pop_report["P@5"]
    assert mf_report["NDCG@5"] > 2 * pop_report["NDCG@5"]
    assert oracle["P@5"] > 1.5 * mf_report["P@5"]


def test_load_dataset_routes_ratings(tmp_path):
    data = load_dataset("synthetic_ratings", seed=2)
    assert isinstance(data, RatingsDataset) and data.data_shape == (400,)
    rows = np.flatnonzero(data.train_positives.any(axis=1))
    np.testing.assert_array_equal(data.y, rows)
    np.testing.assert_array_equal(data.x, data.train_positives[rows])
    np.testing.assert_array_equal(data.x, load_ratings("synthetic_ratings", seed=2).x)
    few = load_dataset("synthetic_ratings", seed=2, num_samples=50)
    assert few.num_users == few.num_classes == 50 and few.num_items == 400
    np.testing.assert_array_equal(few.train_positives, data.train_positives[:50])
    assert np.all(few.y < 50)
    with pytest.raises(ValueError, match="holds ratings .* not images: drop image_size"):
        load_dataset("synthetic_ratings", image_size=28)
    path = _write(tmp_path, "u.data", U_DATA)
    from_file = load_dataset(path)
    assert isinstance(from_file, RatingsDataset) and from_file.num_items == 4
    assert DATASETS["synthetic_ratings"] and DATASETS["PATH/u.data|PATH.csv"]
    assert "tfds:movielens/100k-ratings" in DATASETS["tfds:NAME"]


def test_tfds_movielens_with_mock_data():
    # mock_data builds the builder's features from tfds' own code: no download, no files.
    import tensorflow as tf
    import tensorflow_datasets as tfds

    def as_dataset(*args, **kwargs):
        return tf.data.Dataset.from_tensor_slices({
            "user_id": [b"1", b"1", b"2", b"2", b"3"],
            "movie_id": [b"10", b"20", b"10", b"30", b"20"],
            "user_rating": [5.0, 5.0, 5.0, 1.0, 4.0]})

    policy = tfds.testing.MockPolicy.USE_CODE
    with tfds.testing.mock_data(num_examples=5, as_dataset_fn=as_dataset, policy=policy):
        data = load_dataset("tfds:movielens/100k-ratings", seed=0)
    assert isinstance(data, RatingsDataset)
    np.testing.assert_array_equal(data.user_ids, [1, 2, 3])
    np.testing.assert_array_equal(data.item_ids, [10, 20, 30])
    assert _pairs(data.train_positives + data.test_positives, data) == {(1, 10), (1, 20), (2, 10)}
    with tfds.testing.mock_data(num_examples=5, policy=policy):  # random strings as ids
        with pytest.raises(ValueError, match="user id .* on example 0 .* is not an integer"):
            load_ratings("tfds:movielens/100k-ratings")
