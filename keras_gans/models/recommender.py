"""Recommender: what the item recommenders share (not registered itself).

A recommender reads batches of (positives, users): each user's training positives as a
multi-hot row over the catalogue and the user's dense index, the condition of the model
(`keras_gans.data.ratings`). It keeps its catalogue with its weights, so a saved or exported
model answers in the data's own ids: the original user and item ids and each user's training
positives, which `recommend` leaves out of the ranking.
"""

import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans.models.base import GenerativeModel


def _arange_initializer(shape, dtype=None):
    return ops.arange(shape[0], dtype=dtype)


class Recommender(GenerativeModel):
    """Base class of the item recommenders.

    Args:
        num_users: int. Users in the catalogue (dense indices 0..U-1).
        num_items: int. Items in the catalogue (dense indices 0..I-1).
        seed: int. Seed of the training noise. Defaults to 0.
    """

    conditional = True
    derived_arguments = ("data_shape",)
    #: the network attribute whose scores rank items in `recommend`, `preview` and exports
    ranking_network = None

    def __init__(self, num_users, num_items, seed=0, **kwargs):
        super().__init__(data_shape=(int(num_items),), seed=seed, **kwargs)
        self.num_users, self.num_items = int(num_users), int(num_items)
        if self.num_users < 1 or self.num_items < 2:
            raise ValueError(f"A recommender needs at least 1 user and 2 items, got {num_users} "
                             f"users and {num_items} items.")
        # The catalogue, set from the training data by `prepare`; until then ids are indices.
        self.catalogue_user_ids = self.add_weight(
            shape=(self.num_users,), dtype="int64", initializer=_arange_initializer,
            trainable=False, name="user_ids")
        self.catalogue_item_ids = self.add_weight(
            shape=(self.num_items,), dtype="int64", initializer=_arange_initializer,
            trainable=False, name="item_ids")
        self.seen_items = self.add_weight(
            shape=(self.num_users, self.num_items), dtype="float32", initializer="zeros",
            trainable=False, name="seen_items")

    # ------------------------------------------------------------------ data
    @property
    def reads_labels(self):
        return True

    @classmethod
    def dataset_arguments(cls, dataset):
        if not hasattr(dataset, "train_positives"):
            raise ValueError(
                f"{cls.registry_name} recommends items and trains on ratings (synthetic_ratings, "
                f"a u.data/.csv ratings file or tfds:movielens/100k-ratings), not on '{dataset.name}'.")
        return {"num_users": dataset.num_users, "num_items": dataset.num_items}

    def prepare(self, dataset):
        """Take the catalogue of a `RatingsDataset`: original ids and training positives."""
        if (dataset.num_users, dataset.num_items) != (self.num_users, self.num_items):
            raise ValueError(
                f"The data has {dataset.num_users} users and {dataset.num_items} items; this "
                f"model was built for {self.num_users} and {self.num_items}.")
        self.catalogue_user_ids.assign(np.asarray(dataset.user_ids, np.int64))
        self.catalogue_item_ids.assign(np.asarray(dataset.item_ids, np.int64))
        self.seen_items.assign(np.asarray(dataset.train_positives, np.float32))

    @staticmethod
    def split_ratings_batch(data):
        """A fit batch (positives [B, I] multi-hot, users [B]) -> (positives, users)."""
        positives, users = data
        return ops.cast(positives, "float32"), ops.cast(ops.reshape(users, [-1]), "int32")

    # ------------------------------------------------------------------ scores and rankings
    def scores(self, users=None, network=None, batch_size=1024):
        """Scores [len(users), I] of `network` (default: the ranking network) as numpy; all
        users by default, taken as dense indices."""
        users = np.arange(self.num_users) if users is None else np.asarray(users)
        layer = getattr(self, network or self.ranking_network)
        return np.concatenate([np.asarray(layer.all_scores(users[start:start + batch_size]))
                               for start in range(0, len(users), batch_size)] or
                              [np.zeros((0, self.num_items), np.float32)])

    def user_indices(self, user_ids):
        """Original user ids -> dense indices; a ValueError names unknown ids."""
        user_ids = np.asarray(user_ids).reshape(-1)
        if user_ids.dtype.kind not in "iu":
            raise ValueError(f"User ids must be integers, got {user_ids.dtype} ({user_ids[:3].tolist()}).")
        known = np.asarray(self.catalogue_user_ids)
        position = np.clip(np.searchsorted(known, user_ids), 0, len(known) - 1)
        unknown = user_ids[known[position] != user_ids]
        if unknown.size:
            raise ValueError(f"Unknown user id(s) {sorted(set(unknown.tolist()))[:10]}: this model "
                             f"knows {len(known)} users with ids {known[0]}..{known[-1]}.")
        return position

    def recommend(self, user_ids, k=10):
        """Top-k unseen items for each user: (item ids [B, k], scores [B, k]) as numpy, in
        the data's original ids."""
        k = int(k)
        unseen = self.num_items - int(np.asarray(self.seen_items).sum(axis=1).max())
        if not 1 <= k <= unseen:
            raise ValueError(f"k must be in 1..{unseen} (the items left after each user's training "
                             f"items, out of {self.num_items}), got {k}.")
        items, scores = self._top_k(tf.constant(self.user_indices(user_ids), tf.int32), k)
        return np.asarray(items), np.asarray(scores)

    def _top_k(self, users, k):
        layer = getattr(self, self.ranking_network)
        scores = layer.all_scores(users)
        seen = ops.take(self.seen_items, users, axis=0)
        scores = ops.where(seen > 0, ops.full_like(scores, -np.inf), scores)
        top_scores, top_items = tf.math.top_k(scores, k=k)
        return ops.take(self.catalogue_item_ids, top_items, axis=0), top_scores

    # ------------------------------------------------------------------ what it shows and serves
    def preview(self, num_samples=None, seed=1234):
        """Ranking scores [n, I] of the first `num_samples` users (default 16): what sample
        grids draw (a heat map) and the save/load checks compare. `seed` is unused: a ranking
        is deterministic."""
        return self.scores(np.arange(min(num_samples or 16, self.num_users)))

    @property
    def sample_label_count(self):
        return 0

    def sample(self, num_samples, seed=0, labels=None):
        raise ValueError(f"{type(self).__name__} recommends items rather than drawing samples: use "
                         "`keras-gans recommend RUN --users 1,2 --k 10 --out top.json` "
                         "(or model.recommend(user_ids, k)).")

    def serving_endpoints(self):
        """`recommend(user_ids, k)` -> {"items", "scores"} (also `serving_default`): the
        ranking network's top-k unseen items in original ids. An unknown user id or a k
        beyond the catalogue fails the request with a message saying so."""

        def recommend(user_ids, k):
            known = self.catalogue_user_ids
            position = tf.clip_by_value(tf.searchsorted(known, user_ids), 0, self.num_users - 1)
            found = tf.gather(known, position)
            checks = [
                tf.debugging.assert_equal(found, user_ids, message="unknown user id: not in the catalogue"),
                tf.debugging.assert_less_equal(k, tf.constant(self.num_items, tf.int32),
                                               message="k is larger than the catalogue"),
                tf.debugging.assert_positive(k, message="k must be at least 1"),
            ]
            with tf.control_dependencies(checks):
                items, scores = self._top_k(tf.cast(position, tf.int32), k)
            return {"items": items, "scores": scores}

        specs = [tf.TensorSpec([None], tf.int64, name="user_ids"), tf.TensorSpec([], tf.int32, name="k")]
        return {"serving_default": (recommend, specs), "recommend": (recommend, specs)}
