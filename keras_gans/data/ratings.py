"""Implicit feedback from explicit ratings, for item recommendation (IRGAN, Wang et al. 2017).

IRGAN's MovieLens experiment keeps 5-star ratings as positives and treats every other item
as unknown; each user's positives are split, seeded, into training and held-out positives.
Sources: a MovieLens `u.data` style file (user, item, rating[, timestamp] separated by
whitespace, tabs or `::`), a CSV with a header naming user/item/rating columns, a prepared
`tfds:movielens/100k-ratings`, and the offline `synthetic_ratings` set with planted latent
factors (its true relevance is known). Pure numpy: no TensorFlow outside the TFDS branch.
"""

import dataclasses
import os

import numpy as np

from keras_gans.data.sources import Dataset, parse_tfds_name

#: IRGAN's choice: only 5-star ratings are positives (everything else is unknown).
DEFAULT_THRESHOLD = 5.0
#: share of each rating 1..5 among the synthetic set's given ratings (close to MovieLens-100k)
SYNTHETIC_RATING_SHARES = (0.06, 0.11, 0.27, 0.34, 0.22)
_USER_COLUMNS = ("user", "userid", "user_id")
_ITEM_COLUMNS = ("item", "itemid", "item_id", "movieid", "movie_id")
_RATING_COLUMNS = ("rating", "user_rating")


@dataclasses.dataclass(kw_only=True)
class RatingsDataset(Dataset):
    """Users' positives as multi-hot rows, with the held-out split and the id maps.

    Inherited fields: `x`, float32 [N, num_items], the multi-hot training positives of each
    user with at least one training positive (one row per such user, in user-index order);
    `y`, int64 [N], the dense user index of each row; `num_classes` = num_users (the user is
    the model's condition); `name`, what was loaded. `data_shape` is (num_items,).

    Args:
        train_positives: float32 [num_users, num_items]; 1 = training positive.
        test_positives: float32 [num_users, num_items]; 1 = held-out positive (disjoint).
        user_ids: int64 [num_users]; original id of each dense user index (sorted ascending).
        item_ids: int64 [num_items]; original id of each dense item index (sorted ascending).
        threshold: float. Ratings >= threshold are positives.
        true_relevance: float32 [num_users, num_items] or None. The noiseless planted score
            of the synthetic set; None for real data.
    """

    train_positives: np.ndarray
    test_positives: np.ndarray
    user_ids: np.ndarray
    item_ids: np.ndarray
    threshold: float
    true_relevance: np.ndarray | None = None

    @property
    def num_users(self) -> int:
        return int(self.train_positives.shape[0])

    @property
    def num_items(self) -> int:
        return int(self.train_positives.shape[1])


# ---------------------------------------------------------------------------- ids


def remap_ids(raw_ids):
    """Original ids -> (dense int64 index of each, the sorted unique ids); dense = 0..K-1."""
    raw_ids = np.asarray(raw_ids)
    unique, dense = np.unique(raw_ids, return_inverse=True)
    return dense.reshape(-1).astype(np.int64), unique.astype(np.int64)


def original_ids(dense, unique):
    """Dense indices -> the original ids they stand for (the inverse of `remap_ids`)."""
    dense, unique = np.asarray(dense), np.asarray(unique)
    if dense.size and (not np.issubdtype(dense.dtype, np.integer)
                       or dense.min() < 0 or dense.max() >= len(unique)):
        raise ValueError(f"Dense indices must be integers in 0..{len(unique) - 1}; "
                         f"got values like {dense.reshape(-1)[:5].tolist()}.")
    return unique[dense]


def dense_index(raw_ids, unique, what="user"):
    """Original ids -> dense indices; an id that the data set never saw is a clear error.

    `what` ("user" or "item") names the ids in the message.
    """
    raw_ids, unique = np.asarray(raw_ids).reshape(-1), np.asarray(unique)
    position = np.clip(np.searchsorted(unique, raw_ids), 0, max(len(unique) - 1, 0))
    known = (unique[position] == raw_ids) if len(unique) else np.zeros(len(raw_ids), bool)
    if not np.all(known):
        missing = raw_ids[~known][:5].tolist()
        raise ValueError(f"Unknown {what} id(s) {missing}: the data set has {len(unique)} "
                         f"{what}s with ids from {unique.min() if len(unique) else '-'} to "
                         f"{unique.max() if len(unique) else '-'}. Ask only for {what}s that "
                         "appear in the ratings the model was trained on.")
    return position.astype(np.int64)


# -------------------------------------------------------------------------- split


def split_positives(users, items, num_users, num_items, test_fraction=0.2, seed=0):
    """Holds out, per user and seeded, round(test_fraction * n) of its n positives.

    A user with n >= 2 positives keeps at least one training positive and, when
    test_fraction > 0, holds out at least one; a user with one positive holds out none.
    Rounding is half up. The result depends on the (user, item) pairs, not on their order.

    Args:
        users, items: int arrays of the dense (user, item) index of each positive.
        num_users, num_items: int. Shape of the matrices.
        test_fraction: float in [0, 1).
        seed: int.

    Returns:
        (train_positives, test_positives): float32 [num_users, num_items], disjoint 0/1
        matrices whose union is the set of positives.
    """
    _check_test_fraction(test_fraction)
    users, items = np.asarray(users, np.int64), np.asarray(items, np.int64)
    pairs = np.unique(users * num_items + items)  # sorted, duplicates dropped
    users, items = pairs // num_items, pairs % num_items
    keys = np.random.default_rng(seed).random(len(pairs))
    order = np.lexsort((keys, users))  # by user, then a random order inside each user
    users, items = users[order], items[order]
    counts = np.bincount(users, minlength=num_users)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank_in_user = np.arange(len(users)) - starts[users]
    held_out = np.floor(test_fraction * counts + 0.5).astype(np.int64)
    if test_fraction > 0:
        held_out = np.maximum(held_out, 1)
    held_out = np.where(counts >= 2, np.minimum(held_out, counts - 1), 0)
    test = rank_in_user < held_out[users]
    train_positives = np.zeros((num_users, num_items), np.float32)
    test_positives = np.zeros((num_users, num_items), np.float32)
    train_positives[users[~test], items[~test]] = 1.0
    test_positives[users[test], items[test]] = 1.0
    return train_positives, test_positives


def _check_test_fraction(test_fraction):
    if not (0.0 <= test_fraction < 1.0):
        raise ValueError(f"test_fraction must lie in [0, 1), got {test_fraction}: it is the "
                         "share of each user's positives held out for evaluation (e.g. 0.2); "
                         "0 holds out nothing.")


# ------------------------------------------------------------------------ loading


def load_ratings(name_or_path, *, seed=0, threshold=None, test_fraction=0.2,
                 data_dir=None) -> RatingsDataset:
    """Loads `synthetic_ratings`, a ratings file or `tfds:movielens/...-ratings`.

    Args:
        name_or_path: str. "synthetic_ratings"; a whitespace/tab/`::` separated file with
            user, item, rating[, timestamp, ...] per line and no header (MovieLens `u.data`,
            `ratings.dat`); a `.csv` whose header names user, item and rating columns
            (`userId`, `movieId`, `rating` as in MovieLens' ratings.csv; other columns are
            ignored); or `tfds:movielens/100k-ratings[:SPLIT]`, already prepared in
            `data_dir` (keras_gans never downloads).
        seed: int. Seeds the held-out split (and the synthetic set).
        threshold: float or None. Ratings >= threshold are positives; None takes 5 (IRGAN's
            choice) for files and TFDS, the synthetic set's own default for it.
        test_fraction: float in [0, 1). Share of each user's positives held out.
        data_dir: str or None. Where TFDS finds prepared data.
    """
    _check_test_fraction(test_fraction)
    name = str(name_or_path)
    if name == "synthetic_ratings":
        kwargs = {} if threshold is None else {"threshold": threshold}
        return synthetic_ratings(seed=seed, test_fraction=test_fraction, **kwargs)
    if name.startswith("tfds:"):
        users, items, ratings = _read_tfds_ratings(name, data_dir)
    else:
        users, items, ratings = read_ratings_file(name)
    return ratings_dataset(users, items, ratings, name=name, seed=seed,
                           threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
                           test_fraction=test_fraction)


def ratings_dataset(users, items, ratings, *, name, seed=0, threshold=DEFAULT_THRESHOLD,
                    test_fraction=0.2, true_relevance=None, catalogue=None) -> RatingsDataset:
    """Builds the dataset from (original user id, original item id, rating) triples.

    Every user and item that appears in a rating is in the catalogue, positive or not;
    `catalogue` = (user ids, item ids), sorted unique, fixes it instead (e.g. to keep items
    nobody rated, as `true_relevance` covers them).
    """
    _check_test_fraction(test_fraction)
    ratings = np.asarray(ratings, np.float64)
    if ratings.size == 0:
        raise ValueError(f"'{name}' holds no ratings: give at least one line "
                         "user, item, rating.")
    low, high = float(ratings.min()), float(ratings.max())
    threshold = float(threshold)
    if not np.isfinite(threshold) or threshold > high:
        raise ValueError(f"No user in '{name}' has a positive: no rating is >= the threshold "
                         f"{threshold:g} (ratings range over [{low:g}, {high:g}]). Pass a lower "
                         f"threshold, e.g. --rating-threshold {high:g} (threshold={high:g} in "
                         "Python).")
    if threshold < low:
        raise ValueError(f"threshold {threshold:g} lies outside the ratings range "
                         f"[{low:g}, {high:g}] of '{name}': every rating would be a positive. "
                         f"Pick a threshold in [{low:g}, {high:g}].")
    if catalogue is None:
        user_index, user_ids = remap_ids(users)
        item_index, item_ids = remap_ids(items)
    else:
        user_ids, item_ids = (np.asarray(ids, np.int64) for ids in catalogue)
        user_index = dense_index(users, user_ids, "user")
        item_index = dense_index(items, item_ids, "item")
    num_users, num_items = len(user_ids), len(item_ids)
    positive = ratings >= threshold
    pos_users, pos_items = user_index[positive], item_index[positive]
    all_positive = np.bincount(np.unique(pos_users * num_items + pos_items) // num_items,
                               minlength=num_users) == num_items
    if np.any(all_positive):
        which = user_ids[np.flatnonzero(all_positive)][:5].tolist()
        raise ValueError(f"User(s) {which} in '{name}' have every one of the {num_items} items "
                         f"as a positive (rating >= {threshold:g}), so no negative can be "
                         "sampled for them. Raise the threshold, or remove those users or add "
                         "items they have not rated positively.")
    train, test = split_positives(pos_users, pos_items, num_users, num_items,
                                  test_fraction, seed)
    rows = np.flatnonzero(train.any(axis=1)).astype(np.int64)
    return RatingsDataset(
        x=train[rows], y=rows, num_classes=num_users, name=name,
        train_positives=train, test_positives=test, user_ids=user_ids, item_ids=item_ids,
        threshold=threshold,
        true_relevance=None if true_relevance is None else np.asarray(true_relevance,
                                                                      np.float32))


def first_users(data: RatingsDataset, num_users: int) -> RatingsDataset:
    """Keeps the first `num_users` dense users (all items stay in the catalogue)."""
    if num_users < 1:
        raise ValueError(f"num_users must be at least 1, got {num_users}.")
    n = min(num_users, data.num_users)
    keep = data.y < n
    if not np.any(keep):
        raise ValueError(f"None of the first {num_users} users of '{data.name}' has a training "
                         "positive: keep more users.")
    return dataclasses.replace(
        data, x=data.x[keep], y=data.y[keep], num_classes=n,
        train_positives=data.train_positives[:n], test_positives=data.test_positives[:n],
        user_ids=data.user_ids[:n],
        true_relevance=None if data.true_relevance is None else data.true_relevance[:n])


def read_ratings_file(path):
    """(user ids int64, item ids int64, ratings float64) from a ratings file.

    `.csv`: a header with user/item/rating columns (case-insensitive; `userId`, `movieId`,
    `user_id`, `item_id`, `movie_id` and `user_rating` also work). Any other file: one
    rating per line, fields separated by whitespace, tabs or `::`, no header; the first
    three fields are user, item, rating.
    """
    if not os.path.isfile(path):
        raise ValueError(f"No such ratings file: '{path}'. Check the path, or use the built-in "
                         "synthetic_ratings.")
    if path.lower().endswith(".csv"):
        return _read_csv(path)
    users, items, ratings = [], [], []
    with open(path, encoding="utf-8", errors="replace") as file:
        for line_number, line in enumerate(file, start=1):
            fields = line.replace("::", " ").split()
            if not fields:
                continue
            if len(fields) < 3:
                raise ValueError(
                    f"Line {line_number} of '{path}' has {len(fields)} field(s) ({line.strip()!r});"
                    " a ratings file needs user, item, rating[, timestamp] on every line, "
                    "separated by tabs, spaces or '::' (a CSV needs a header and a .csv name).")
            users.append(_integer_id(fields[0], "user id", f"line {line_number}", path))
            items.append(_integer_id(fields[1], "item id", f"line {line_number}", path))
            ratings.append(_number(fields[2], f"line {line_number}", path))
    return (np.asarray(users, np.int64), np.asarray(items, np.int64),
            np.asarray(ratings, np.float64))


def _integer_id(text, what, where, path):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not np.isfinite(value) or value != round(value):
        raise ValueError(f"The {what} {text!r} on {where} of '{path}' is not an integer; "
                         "ratings need numeric user and item ids (remap string ids to "
                         "integers first).")
    return int(value)


def _number(text, where, path):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise ValueError(f"The rating {text!r} on {where} of '{path}' is not a finite number; "
                         "ratings must be numbers such as 1..5.")
    return value


def _read_csv(path):
    import csv

    with open(path, newline="", encoding="utf-8", errors="replace") as file:
        reader = csv.reader(file, skipinitialspace=True)
        try:
            header = next(reader, [])
        except csv.Error as error:
            raise ValueError(f"Cannot read '{path}' as a CSV ({error}); write a header "
                             "user,item,rating[,timestamp] and one rating per line.") from error
        lowered = [column.strip().lower() for column in header]
        found = {role: next((lowered.index(alias) for alias in aliases if alias in lowered),
                            None)
                 for role, aliases in (("user", _USER_COLUMNS), ("item", _ITEM_COLUMNS),
                                       ("rating", _RATING_COLUMNS))}
        missing = [role for role, column in found.items() if column is None]
        if missing:
            raise ValueError(f"'{path}' has no {', '.join(missing)} column(s) (columns found: "
                             f"{header}). Its header must name user, item and rating columns "
                             "(or userId, movieId, rating as MovieLens' ratings.csv); a file "
                             "without a header must not end in .csv.")
        width = max(found.values()) + 1
        users, items, ratings = [], [], []
        try:
            for row_number, row in enumerate((row for row in reader if row), start=1):
                where = f"data row {row_number} (line {reader.line_num})"
                if len(row) < width:
                    raise ValueError(f"The {where} of '{path}' has {len(row)} field(s) "
                                     f"({','.join(row)!r}) but the header has {len(header)}; "
                                     "give user, item and rating on every row.")
                users.append(_integer_id(row[found["user"]].strip(), "user id", where, path))
                items.append(_integer_id(row[found["item"]].strip(), "item id", where, path))
                ratings.append(_number(row[found["rating"]].strip(), where, path))
        except csv.Error as error:
            raise ValueError(f"Cannot read line {reader.line_num} of '{path}' as CSV "
                             f"({error}).") from error
    return (np.asarray(users, np.int64), np.asarray(items, np.int64),
            np.asarray(ratings, np.float64))


def _read_tfds_ratings(name, data_dir):
    """(user ids, item ids, ratings) of a prepared `tfds:movielens/*-ratings` set."""
    import tensorflow_datasets as tfds

    builder_name, split = parse_tfds_name(name)
    try:  # download=False: nothing may reach the network at run time
        ds, info = tfds.load(builder_name, split=split, data_dir=data_dir, with_info=True,
                             download=False)
    except AssertionError as error:  # what tfds raises for data that is not prepared
        raise ValueError(f"TFDS dataset '{builder_name}' is not prepared in data_dir "
                         f"{data_dir or '~/tensorflow_datasets'} and keras_gans never downloads: "
                         f"run `tfds build {builder_name.split(':')[0]} --data_dir DIR` once where "
                         f"there is internet, then pass data_dir=DIR. ({error})") from error
    needed = ("user_id", "movie_id", "user_rating")
    missing = [key for key in needed if key not in info.features]
    if missing:
        raise ValueError(f"TFDS dataset '{builder_name}' has no {missing} feature(s) "
                         f"(features: {list(info.features.keys())}); use a MovieLens "
                         "'-ratings' set such as tfds:movielens/100k-ratings.")
    ds = ds.map(lambda example: tuple(example[key] for key in needed))
    users, items, ratings = [], [], []
    for user, item, rating in tfds.as_numpy(ds.batch(8192)):
        users.append(user)
        items.append(item)
        ratings.append(rating)
    if not users:
        raise ValueError(f"TFDS dataset '{name}' holds no ratings in split '{split}'.")
    columns = []
    for what, parts in (("user id", users), ("item id", items)):
        values = np.concatenate(parts)
        columns.append(np.asarray([_integer_id(v.decode() if isinstance(v, bytes) else str(v),
                                               what, f"example {i}", name)
                                   for i, v in enumerate(values)], np.int64))
    ratings = np.concatenate(ratings).astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(ratings))
    if len(bad):
        raise ValueError(f"The rating on example {bad[0]} of '{name}' is not finite.")
    return columns[0], columns[1], ratings


# ---------------------------------------------------------------------- synthetic


def synthetic_ratings(seed=0, num_users=600, num_items=400, rank=8, ratings_per_user=60, *,
                      item_bias_std=0.5, preference=2.0, popularity_skew=0.5, noise=0.1,
                      rating_shares=SYNTHETIC_RATING_SHARES, threshold=DEFAULT_THRESHOLD,
                      test_fraction=0.2) -> RatingsDataset:
    """Ratings from planted latent factors: the true relevance of every pair is known.

    User factors P and item factors Q ~ N(0, variance 1/sqrt(rank)) (so u.v has unit
    variance) and an item bias b ~ N(0, item_bias_std^2); the true score is s = P Q^T + b.
    Each user rates about `ratings_per_user` items (Poisson, at least 5), drawn without
    replacement with log-weight `preference` * standardised u.v + `popularity_skew` *
    standardised b (users mostly rate what they like, with a mild popularity skew, so
    popularity is a real but weak baseline). The rating of a given pair is 1..5 from the
    quantiles of s + noise * N(0, 1) over all given ratings, in `rating_shares` (22% 5s by
    default). User and item ids are 0..num_users-1 and 0..num_items-1 (every item is in
    the catalogue, rated or not). `true_relevance` = s (float32). Deterministic in `seed`;
    the held-out split uses the same seed.
    """
    if num_users < 1 or num_items < 2 or rank < 1:
        raise ValueError(f"synthetic_ratings needs num_users >= 1, num_items >= 2 and "
                         f"rank >= 1; got {num_users}, {num_items}, {rank}.")
    if not 1 <= ratings_per_user < num_items:
        raise ValueError(f"ratings_per_user must lie in [1, num_items), got {ratings_per_user} "
                         f"with {num_items} items.")
    shares = np.asarray(rating_shares, np.float64)
    if shares.ndim != 1 or len(shares) < 2 or np.any(shares < 0) or abs(shares.sum() - 1) > 1e-6:
        raise ValueError(f"rating_shares must be >= 2 non-negative shares summing to 1, got "
                         f"{list(rating_shares)}.")
    rng = np.random.default_rng(seed)
    scale = rank ** -0.25
    user_factors = rng.normal(0.0, scale, (num_users, rank))
    item_factors = rng.normal(0.0, scale, (num_items, rank))
    item_bias = rng.normal(0.0, item_bias_std, num_items)
    affinity = user_factors @ item_factors.T
    true_score = affinity + item_bias
    counts = np.clip(rng.poisson(ratings_per_user, num_users), min(5, num_items - 1),
                     num_items - 1)
    log_weight = (preference * affinity / max(affinity.std(), 1e-12)
                  + popularity_skew * item_bias / max(item_bias.std(), 1e-12))
    keys = log_weight + rng.gumbel(size=(num_users, num_items))  # Gumbel top-k sampling
    order = np.argsort(-keys, axis=1, kind="stable")
    rated = np.zeros((num_users, num_items), bool)
    np.put_along_axis(rated, order, np.arange(num_items)[None, :] < counts[:, None], axis=1)
    noisy = true_score + noise * rng.standard_normal((num_users, num_items))
    users, items = np.nonzero(rated)
    given = noisy[users, items]
    cuts = np.quantile(given, np.cumsum(shares)[:-1])
    ratings = 1.0 + np.searchsorted(cuts, given, side="right")
    return ratings_dataset(users, items, ratings, name="synthetic_ratings", seed=seed,
                           threshold=threshold, test_fraction=test_fraction,
                           true_relevance=true_score,
                           catalogue=(np.arange(num_users), np.arange(num_items)))
