"""BPR-MF: matrix factorisation trained by Bayesian personalised ranking (IRGAN's baseline)."""

import keras
from keras import ops

from keras_gans.components.matrix_factorisation import MatrixFactorisation
from keras_gans.core.randomness import categorical_from_uniform
from keras_gans.models.recommender import Recommender
from keras_gans.registry import register_model


@register_model("bpr_mf")
class BPRMF(Recommender):
    """Matrix factorisation ranked by BPR (Rendle et al. 2009): the baseline IRGAN is measured
    against, and the pretraining that starts both IRGAN players.

    Objective, for each user u of the batch, over `pairs_per_user` pairs (i, j) with i drawn
    uniformly from u's training positives and j uniformly from the other items:
        min  E_(u,i,j) [ -log sigmoid(s(u, i) - s(u, j)) ]
             + lambda / 2 E_(u,i,j) [ ||p_u||^2 + ||q_i||^2 + b_i^2 + ||q_j||^2 + b_j^2 ]
    with s(u, i) = p_u . q_i + b_i (`MatrixFactorisation`); -log sigmoid(d) is computed as
    softplus(-d), stable for any score difference.

    Args:
        num_users, num_items: int. The catalogue (see `Recommender`).
        embedding_dim: int. k, the factors' dimension. Defaults to 5 (IRGAN's MovieLens
            players, so that BPR-MF can start them).
        init_scale: float. Factors start U(-init_scale, init_scale). Defaults to 0.05.
        pairs_per_user: int. (i, j) pairs drawn for each user in a step. Defaults to 16.
        l2: float. lambda, the L2 weight of the parameters each pair uses. Defaults to 0.01.
        learning_rate: float. Adam learning rate. Defaults to 1e-2 (Rendle et al. use SGD;
            Adam reaches the same ranking in fewer passes).
        seed: int. Seed of the pair sampling. Defaults to 0.

    Reference: Rendle et al. 2009, "BPR: Bayesian Personalized Ranking from Implicit
    Feedback", UAI, arXiv:1205.2618.
    """

    optimizer_roles = {"ranking": ("factorisation",)}
    metric_names = ("bpr_loss",)
    ranking_network = "factorisation"

    def __init__(self, num_users, num_items, embedding_dim=5, init_scale=0.05, pairs_per_user=16,
                 l2=0.01, learning_rate=1e-2, seed=0, **kwargs):
        super().__init__(num_users, num_items, seed=seed, **kwargs)
        self.embedding_dim, self.init_scale = int(embedding_dim), float(init_scale)
        self.pairs_per_user, self.l2 = int(pairs_per_user), float(l2)
        self.learning_rate = float(learning_rate)
        self.factorisation = MatrixFactorisation(num_users, num_items, embedding_dim, init_scale,
                                                 name="factorisation")
        self.finish_init()

    def default_optimizers(self):
        return {"ranking": keras.optimizers.Adam(self.learning_rate)}

    def bpr_objective(self, positives, users):
        """(loss, {"bpr_loss": ranking term}) of one batch: the equation above."""
        batch = ops.shape(users)[0]
        draws = (batch, self.pairs_per_user)
        i = categorical_from_uniform(positives, self.random_uniform(draws))
        j = categorical_from_uniform(1.0 - positives, self.random_uniform(draws))
        difference = (self.factorisation.pair_scores(users, i)
                      - self.factorisation.pair_scores(users, j))
        ranking = ops.mean(ops.softplus(-difference))
        user_norm, item_norm = self.factorisation.squared_norms(users)
        used = user_norm[:, None] + ops.take(item_norm, i) + ops.take(item_norm, j)
        return ranking + 0.5 * self.l2 * ops.mean(used), {"bpr_loss": ranking}

    def train_step(self, data):
        self.begin_step()
        positives, users = self.split_ratings_batch(data)
        _, terms = self.minimize("ranking", lambda: self.bpr_objective(positives, users))
        return self.end_step(**terms)
