"""BPR-MF: the BPR objective on a hand case, a learning check, the shared checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.models.bpr_mf import BPRMF
from tests.model_test_case import ModelChecks
from tests.models.recommender_cases import catalogue_batch, tiny_catalogue


class TestBPRMFChecks(ModelChecks):
    model_name = "bpr_mf"

    def make_model(self, **kwargs):
        catalogue = tiny_catalogue()
        model = BPRMF(catalogue.num_users, catalogue.num_items, embedding_dim=3, init_scale=0.5, **kwargs)
        model.prepare(catalogue)
        return model

    def make_batch(self):
        return catalogue_batch(tiny_catalogue())


def test_bpr_objective_matches_its_closed_form_when_each_user_has_one_positive_and_one_negative():
    model = BPRMF(1, 2, embedding_dim=1, pairs_per_user=4, l2=0.2)
    model.factorisation.set_weights([np.array([[1.5]], np.float32), np.array([[1.0], [-1.0]], np.float32),
                                     np.array([0.5, 0.0], np.float32)])
    model.begin_step()
    loss, terms = model.bpr_objective(tf.constant([[1.0, 0.0]]), tf.constant([0]))
    difference = (1.5 + 0.5) - (-1.5)  # s(u, i) - s(u, j)
    ranking = np.log1p(np.exp(-difference))
    regulariser = 0.5 * 0.2 * (1.5 ** 2 + (1.0 + 0.25) + 1.0)
    assert float(terms["bpr_loss"]) == pytest.approx(ranking, rel=1e-6)
    assert float(loss) == pytest.approx(ranking + regulariser, rel=1e-6)


def test_bpr_learns_to_rank_each_users_positives_first():
    """12 users, two tastes: users of taste A like items 0-3, of taste B items 4-7, each user
    with one liked item held out. After training, every user's held-out item outranks the
    other taste's items on average, and (all but at most one user) every one of them; an
    untrained model ranks at random."""
    users, items = 12, 9
    positives = np.zeros((users, items), np.float32)
    taste = np.arange(users) % 2
    for u in range(users):
        liked = np.arange(4) + 4 * taste[u]
        positives[u, liked[liked != liked[u % 4]]] = 1.0  # one liked item held out
    keras.utils.set_random_seed(0)  # the initial factors; the pair draws follow seed=0
    model = BPRMF(users, items, embedding_dim=2, seed=0, learning_rate=0.05)
    model.compile()
    data = tf.data.Dataset.from_tensor_slices((positives, np.arange(users, dtype=np.int32))).batch(12)
    model.fit(data.repeat(200), epochs=1, verbose=0)
    scores = model.scores()
    above_all = above_mean = 0
    for u in range(users):
        held_out = 4 * taste[u] + u % 4
        other = np.arange(4) + 4 * (1 - taste[u])
        above_all += scores[u, held_out] > scores[u, other].max()
        above_mean += scores[u, held_out] > scores[u, other].mean()
    # BPR also samples each user's held-out item as a negative; only the other users of the
    # same taste lift it, so allow one user whose item ties with the other taste's best
    assert above_mean == users and above_all >= users - 1, (above_mean, above_all)
