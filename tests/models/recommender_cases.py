"""A tiny catalogue for the recommenders' tests: planted factors, positives, a fit batch."""

import dataclasses

import numpy as np

from keras_gans.data.sources import Dataset


@dataclasses.dataclass
class TinyCatalogue(Dataset):
    """What the recommenders read off a `RatingsDataset`, for 12 users and 9 items."""

    train_positives: np.ndarray = None
    user_ids: np.ndarray = None
    item_ids: np.ndarray = None

    @property
    def num_users(self):
        return self.train_positives.shape[0]

    @property
    def num_items(self):
        return self.train_positives.shape[1]


def tiny_catalogue(num_users=12, num_items=9, seed=0):
    rng = np.random.default_rng(seed)
    positives = (rng.uniform(size=(num_users, num_items)) < 0.3).astype(np.float32)
    positives[np.arange(num_users), np.arange(num_users) % num_items] = 1.0  # >= 1 each
    positives[:, -1] = 0.0  # every user has an unseen item
    return TinyCatalogue(x=positives, y=np.arange(num_users), num_classes=num_users, name="tiny",
                         train_positives=positives, user_ids=np.arange(num_users) * 10 + 7,
                         item_ids=np.arange(num_items) + 100)


def catalogue_batch(catalogue, size=8):
    return catalogue.x[:size], catalogue.y[:size].astype(np.int32)
