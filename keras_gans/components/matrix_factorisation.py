"""Matrix factorisation: the scoring network of the recommenders (BPR-MF, both IRGAN players).

s(u, i) = p_u . q_i + b_i, with user factors p_u, item factors q_i and an item bias b_i, as in
IRGAN's item-recommendation players and BPR-MF. Scores are computed in float32 whatever the
dtype policy: a softmax over a whole catalogue in float16 loses the tail.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class MatrixFactorisation(keras.layers.Layer):
    """User and item embeddings plus an item bias.

    Args:
        num_users: int. Rows of the user factor matrix (dense user indices 0..U-1).
        num_items: int. Rows of the item factor matrix (dense item indices 0..I-1).
        embedding_dim: int. k, the factors' dimension. Defaults to 5 (IRGAN's MovieLens code).
        init_scale: float. Factors start U(-init_scale, init_scale), biases at 0. Defaults to
            0.05 (the IRGAN authors' code).
    """

    def __init__(self, num_users, num_items, embedding_dim=5, init_scale=0.05, **kwargs):
        kwargs.setdefault("dtype", "float32")  # see the module docstring
        super().__init__(**kwargs)
        self.num_users, self.num_items = int(num_users), int(num_items)
        self.embedding_dim, self.init_scale = int(embedding_dim), float(init_scale)
        initializer = keras.initializers.RandomUniform(-self.init_scale, self.init_scale)
        self.user_factors = self.add_weight(shape=(self.num_users, self.embedding_dim),
                                            initializer=initializer, name="user_factors")
        self.item_factors = self.add_weight(shape=(self.num_items, self.embedding_dim),
                                            initializer=initializer, name="item_factors")
        self.item_bias = self.add_weight(shape=(self.num_items,), initializer="zeros", name="item_bias")
        self.built = True

    def call(self, users):
        """Scores of every item for each user: [B] user indices -> [B, num_items]."""
        return self.all_scores(users)

    def all_scores(self, users):
        p_u = ops.take(self.user_factors, ops.cast(users, "int32"), axis=0)
        return ops.matmul(p_u, ops.transpose(self.item_factors)) + self.item_bias

    def pair_scores(self, users, items):
        """s(u, i) for each user and each of its items: [B], [B, K] -> [B, K]."""
        p_u = ops.take(self.user_factors, ops.cast(users, "int32"), axis=0)
        q_i = ops.take(self.item_factors, ops.cast(items, "int32"), axis=0)
        b_i = ops.take(self.item_bias, ops.cast(items, "int32"), axis=0)
        return ops.einsum("bk,bnk->bn", p_u, q_i) + b_i

    def squared_norms(self, users):
        """(||p_u||^2 [B], ||q_i||^2 + b_i^2 [I]): the L2 terms of the used parameters."""
        p_u = ops.take(self.user_factors, ops.cast(users, "int32"), axis=0)
        return (ops.sum(ops.square(p_u), axis=-1),
                ops.sum(ops.square(self.item_factors), axis=-1) + ops.square(self.item_bias))

    def get_config(self):
        return {**super().get_config(), "num_users": self.num_users, "num_items": self.num_items,
                "embedding_dim": self.embedding_dim, "init_scale": self.init_scale}
