"""IRGAN: the paper's objectives on hand cases, REINFORCE against the exact gradient, checks."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.core.randomness import categorical_from_uniform
from keras_gans.models.bpr_mf import BPRMF
from keras_gans.models.irgan import IRGAN
from tests.model_test_case import ModelChecks, fit_one_step
from tests.models.recommender_cases import catalogue_batch, tiny_catalogue


def softplus(x):
    return np.log1p(np.exp(x))


def tiny_irgan(**kwargs):
    catalogue = tiny_catalogue()
    model = IRGAN(catalogue.num_users, catalogue.num_items, embedding_dim=3, init_scale=0.5, **kwargs)
    model.prepare(catalogue)
    return model


class TestIRGANChecks(ModelChecks):
    model_name = "irgan"

    def make_model(self, **kwargs):
        return tiny_irgan(**kwargs)

    def make_batch(self):
        return catalogue_batch(tiny_catalogue())


def set_factors(layer, user, item, bias):
    layer.set_weights([np.asarray(user, np.float32), np.asarray(item, np.float32), np.asarray(bias, np.float32)])


def test_discriminator_loss_matches_the_paper_on_a_hand_case():
    model = IRGAN(1, 3, embedding_dim=1, discriminator_l2=0.1)
    set_factors(model.discriminator, [[2.0]], [[1.0], [-0.5], [0.25]], [0.0, 0.5, -1.0])
    f = np.array([2.0, -0.5, -0.5])  # f(u, i) = 2 q_i + b_i
    positives = tf.constant([[1.0, 0.0, 1.0]])
    generated = tf.constant([[1, 1, 0, 1]])
    loss, terms = model.discriminator_objective(positives, tf.constant([0]), generated)
    real = (softplus(-f[0]) + softplus(-f[2])) / 2
    fake = (3 * softplus(f[1]) + softplus(f[0])) / 4
    item_norm = np.array([1.0, 0.25 + 0.25, 0.0625 + 1.0])
    pairs = 2 * 4.0 + (item_norm[0] + item_norm[2]) / 2 + (3 * item_norm[1] + item_norm[0]) / 4
    assert float(terms["discriminator_loss"]) == pytest.approx(real + fake, rel=1e-6)
    assert float(loss) == pytest.approx(real + fake + 0.1 * 0.5 * pairs, rel=1e-6)


def test_reward_is_softplus_of_the_discriminator_score():
    model = IRGAN(1, 3, embedding_dim=1)
    set_factors(model.discriminator, [[2.0]], [[1.0], [-0.5], [0.25]], [0.0, 0.5, -1.0])
    reward = model.reward(tf.constant([0]), tf.constant([[0, 1, 2]]))
    np.testing.assert_allclose(np.asarray(reward)[0], softplus(np.array([2.0, -0.5, -0.5])), rtol=1e-6)


def exact_and_estimated_generator_gradients(importance_mixture, samples=200_000, weighted=True):
    """d J_G / d theta on a 5-item catalogue: exactly (sum over items) and by REINFORCE."""
    model = IRGAN(1, 5, embedding_dim=2, init_scale=0.8, temperature=0.5,
                  importance_mixture=importance_mixture, seed=3)
    rng = np.random.default_rng(5)
    for player in (model.generator, model.discriminator):
        set_factors(player, rng.normal(size=(1, 2)), rng.normal(size=(5, 2)), rng.normal(size=5))
    users = tf.constant([0])
    positives = tf.constant([[0.0, 1.0, 0.0, 0.0, 1.0]])
    rewards_all = model.reward(users, tf.constant([[0, 1, 2, 3, 4]]))

    variables = model.generator.trainable_variables
    with tf.GradientTape() as tape:  # J_G = sum_i p_theta(i|u) reward(u, i), exactly
        exact_objective = tf.reduce_sum(tf.exp(model.generator_log_probabilities(users)) * rewards_all)
    exact = tape.gradient(exact_objective, variables)

    p_theta = tf.exp(model.generator_log_probabilities(users))
    p_n = model.importance_proposal(positives, p_theta)
    uniform = np.random.default_rng(0).uniform(size=(1, samples))
    items = categorical_from_uniform(p_n, uniform)
    rewards = model.reward(users, items)
    weights = tf.gather(p_theta[0], items[0])[None] / tf.gather(p_n[0], items[0])[None]
    with tf.GradientTape() as tape:
        surrogate, _ = model.reinforce_objective(users, items, weights * rewards if weighted else rewards)
    estimate = [-g for g in tape.gradient(surrogate, variables)]  # L_G descends -J_G
    dense = lambda grads: [np.asarray(tf.convert_to_tensor(g)) for g in grads]  # noqa: E731
    return dense(exact), dense(estimate)


@pytest.mark.parametrize("importance_mixture", [0.0, 0.2])
def test_reinforce_estimate_converges_to_the_exact_gradient(importance_mixture):
    exact, estimate = exact_and_estimated_generator_gradients(importance_mixture)
    scale = max(np.abs(g).max() for g in exact)
    assert scale > 1e-3
    for e, s in zip(exact, estimate):
        np.testing.assert_allclose(s, e, atol=0.02 * scale)


def test_importance_weights_are_what_keeps_the_estimate_unbiased():
    exact, estimate = exact_and_estimated_generator_gradients(0.5, weighted=False)
    scale = max(np.abs(g).max() for g in exact)
    error = max(np.abs(s - e).max() for e, s in zip(exact, estimate))
    assert error > 0.1 * scale


def test_categorical_draws_follow_the_weights_and_never_pick_a_zero_weight():
    weights = tf.constant([[0.0, 1.0, 3.0, 0.0, 4.0], [5.0, 0.0, 0.0, 0.0, 0.0]])
    uniform = np.random.default_rng(1).uniform(size=(2, 40_000))
    draws = np.asarray(categorical_from_uniform(weights, uniform))
    frequencies = np.bincount(draws[0], minlength=5) / draws.shape[1]
    np.testing.assert_allclose(frequencies, [0, 0.125, 0.375, 0, 0.5], atol=0.01)
    assert np.all(draws[1] == 0)


def test_discriminator_step_draws_its_negatives_from_the_generator():
    """With the generator's mass on item 2, every generated negative is item 2: its bias in
    the discriminator falls, the positive's rises, the other items' do not move."""
    catalogue = tiny_catalogue(num_users=2, num_items=4)
    catalogue.train_positives[:] = [[1, 0, 0, 0], [1, 0, 0, 0]]
    model = IRGAN(2, 4, embedding_dim=1, temperature=0.01, discriminator_l2=0.0)
    model.prepare(catalogue)
    set_factors(model.generator, [[1.0], [1.0]], [[0.0], [0.0], [1.0], [0.0]], [0.0] * 4)
    model.compile()
    before = np.array(model.discriminator.item_bias)
    fit_one_step(model, (catalogue.train_positives, np.arange(2, dtype=np.int32)))
    change = np.array(model.discriminator.item_bias) - before
    assert change[2] < -1e-4 and change[0] > 1e-4
    np.testing.assert_array_equal(change[[1, 3]], 0.0)


def test_recommend_leaves_out_training_items_and_answers_in_original_ids():
    model = tiny_irgan()
    catalogue = tiny_catalogue()
    items, scores = model.recommend([7, 27], k=3)
    assert items.shape == scores.shape == (2, 3)
    for row, user in zip(items, (0, 2)):
        seen = set((np.flatnonzero(catalogue.train_positives[user]) + 100).tolist())
        assert not seen & set(row.tolist())
        assert set(row.tolist()) <= set(catalogue.item_ids.tolist())
    assert np.all(np.diff(scores, axis=1) <= 0)
    with pytest.raises(ValueError, match="Unknown user id"):
        model.recommend([8], k=3)
    with pytest.raises(ValueError, match="k must be in 1.."):
        model.recommend([7], k=9)


def test_initialise_from_starts_both_players_from_the_pretrained_factorisation():
    catalogue = tiny_catalogue()
    bpr = BPRMF(catalogue.num_users, catalogue.num_items, embedding_dim=3, seed=1)
    model = tiny_irgan()
    model.initialise_from(bpr)
    for player in (model.discriminator, model.generator):
        for a, b in zip(player.get_weights(), bpr.factorisation.get_weights()):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="shapes do not match"):
        tiny_irgan().initialise_from(BPRMF(catalogue.num_users, catalogue.num_items, embedding_dim=4))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="temperature"):
        IRGAN(3, 4, temperature=0)
    with pytest.raises(ValueError, match="importance_mixture"):
        IRGAN(3, 4, importance_mixture=1.0)
    with pytest.raises(ValueError, match="at least 1 user and 2 items"):
        IRGAN(3, 1)
