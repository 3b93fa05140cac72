"""IRGAN: the minimax game of a generative and a discriminative item recommender."""

import keras
from keras import ops

from keras_gans.components.matrix_factorisation import MatrixFactorisation
from keras_gans.core.randomness import categorical_from_uniform
from keras_gans.models.recommender import Recommender
from keras_gans.registry import register_model


@register_model("irgan")
class IRGAN(Recommender):
    """IRGAN for item recommendation (Wang et al. 2017): a generator p_theta(i | u) that
    samples items for a user plays against a discriminator f_phi(u, i) that tells the user's
    true positives from the generated items.

    Players (both matrix factorisations, `MatrixFactorisation`):
        generator       g_theta(u, i) = p_u . q_i + b_i,
                        p_theta(i | u) = exp(g_theta(u, i) / tau) / sum_j exp(g_theta(u, j) / tau)
        discriminator   f_phi(u, i) = p'_u . q'_i + b'_i,   D(i | u) = sigmoid(f_phi(u, i))

    The game (the paper's eq. 1, one term per user u):
        min_theta max_phi  sum_u  E_{i ~ p_true(i|u)} [log D(i|u)]
                                + E_{i ~ p_theta(i|u)} [log(1 - D(i|u))]

    Discriminator step: maximise the game over phi with the user's training positives against
    `discriminator_negatives` items drawn from p_theta(. | u); as a loss from logits,
        L_D = E_pos [softplus(-f_phi)] + E_gen [softplus(f_phi)] + lambda_D R_D,
    R_D = 1/2 (||p'_u||^2 + ||q'_i||^2 + b'_i^2) averaged over the pairs of the loss.

    Generator step: since log(1 - D) = -log(1 + exp(f_phi)), the generator maximises
    J_G(u) = E_{i ~ p_theta(i|u)} [log(1 + exp(f_phi(u, i)))], whose gradient REINFORCE
    estimates (the paper's eq. 5),
        grad J_G = E_{i ~ p_theta} [ reward(u, i) grad log p_theta(i | u) ],
        reward(u, i) = log(1 + exp(f_phi(u, i))) = softplus(f_phi(u, i)).
    As the authors' code, the items are drawn from the importance-sampling mixture
        p_n(i | u) = (1 - mu) p_theta(i | u) + mu 1[i in pos(u)] / |pos(u)|
    (so that the generator sees the user's positives early on) and each reward is weighted
    by p_theta(i | u) / p_n(i | u), which keeps the estimate unbiased. The generator descends
        L_G = -mean_k [ stop_gradient(w_k reward_k) log p_theta(i_k | u) ] + lambda_G R_G.

    Args:
        num_users, num_items: int. The catalogue (see `Recommender`).
        embedding_dim: int. k of both factorisations. Defaults to 5 (the authors' MovieLens code).
        init_scale: float. Factors start U(-init_scale, init_scale). Defaults to 0.05 (authors').
        temperature: float. tau of p_theta. Defaults to 0.2, the authors' temperature. (The
            authors' code applies it only where it draws the discriminator's negatives and
            takes tau = 1 in the REINFORCE step; here p_theta is one distribution, as the
            paper writes it, and tau scales both.)
        discriminator_negatives: int. Items drawn from p_theta per user for each
            discriminator step. Defaults to 16 (the authors draw as many as the user has
            positives; a fixed count keeps batches rectangular, and each user's expectation
            is a mean over its draws, as in the paper's per-user sum).
        generator_samples: int. Items drawn from p_n per user for each generator step.
            Defaults to 16 (the authors: twice the user's positives).
        importance_mixture: float. mu, the weight of the user's positives in p_n. Defaults
            to 0.2 (authors'). 0 draws from p_theta alone.
        discriminator_l2: float. lambda_D. Defaults to 0.1 (authors').
        generator_l2: float. lambda_G. Defaults to 0.0 (authors').
        discriminator_learning_rate, generator_learning_rate: float. Adam learning rates.
            Default 1e-3 each (the authors: plain SGD at 1e-3 on sums over 16 pairs).
        discriminator_steps, generator_steps: int. Updates of each player per training step,
            on the same batch of users. Default 1 each (the authors alternate whole epochs).
        pretrain_epochs: int. With the training data at hand (`prepare`, which `keras-gans
            train` calls), train a BPR-MF for this many epochs and start both players from
            it, as the paper starts from a pretrained matrix factorisation. Defaults to 0
            (random start; `initialise_from(bpr_model)` does it in Python).
        seed: int. Seed of the training noise. Defaults to 0.

    Reference: Wang et al. 2017, "IRGAN: A Minimax Game for Unifying Generative and
    Discriminative Information Retrieval Models", SIGIR, arXiv:1705.10513.
    """

    packing_refused = ("its discriminator scores single (user, item) pairs for ranking; a pack of pairs has "
                       "no place in its objective.")

    optimizer_roles = {"discriminator": ("discriminator",), "generator": ("generator",)}
    metric_names = ("discriminator_loss", "generator_loss", "generator_reward")
    ranking_network = "discriminator"

    def __init__(self, num_users, num_items, embedding_dim=5, init_scale=0.05, temperature=0.2,
                 discriminator_negatives=16, generator_samples=16, importance_mixture=0.2,
                 discriminator_l2=0.1, generator_l2=0.0, discriminator_learning_rate=1e-3,
                 generator_learning_rate=1e-3, discriminator_steps=1, generator_steps=1,
                 pretrain_epochs=0, seed=0, **kwargs):
        super().__init__(num_users, num_items, seed=seed, **kwargs)
        if temperature <= 0:
            raise ValueError(f"temperature must be positive, got {temperature}.")
        if int(discriminator_steps) < 1 or int(generator_steps) < 1:
            raise ValueError(f"discriminator_steps and generator_steps must be at least 1, got "
                             f"{discriminator_steps} and {generator_steps}.")
        if not 0.0 <= importance_mixture < 1.0:
            raise ValueError(f"importance_mixture must be in [0, 1), got {importance_mixture}.")
        self.embedding_dim, self.init_scale = int(embedding_dim), float(init_scale)
        self.temperature = float(temperature)
        self.discriminator_negatives = int(discriminator_negatives)
        self.generator_samples = int(generator_samples)
        self.importance_mixture = float(importance_mixture)
        self.discriminator_l2, self.generator_l2 = float(discriminator_l2), float(generator_l2)
        self.discriminator_learning_rate = float(discriminator_learning_rate)
        self.generator_learning_rate = float(generator_learning_rate)
        self.discriminator_steps, self.generator_steps = int(discriminator_steps), int(generator_steps)
        self.pretrain_epochs = int(pretrain_epochs)
        self.discriminator = MatrixFactorisation(num_users, num_items, embedding_dim, init_scale,
                                                 name="discriminator")
        self.generator = MatrixFactorisation(num_users, num_items, embedding_dim, init_scale,
                                             name="generator")
        self.finish_init()

    def default_optimizers(self):
        return {"discriminator": keras.optimizers.Adam(self.discriminator_learning_rate),
                "generator": keras.optimizers.Adam(self.generator_learning_rate)}

    # ------------------------------------------------------------------ the two players
    def generator_log_probabilities(self, users):
        """log p_theta(. | u) over the whole catalogue: [B] -> [B, I]."""
        return ops.log_softmax(self.generator.all_scores(users) / self.temperature, axis=-1)

    def discriminator_objective(self, positives, users, generated):
        """(L_D, terms): the user's positives against the items `generated` for it."""
        f_all = self.discriminator.all_scores(users)
        f_generated = self.discriminator.pair_scores(users, generated)
        count = ops.sum(positives, axis=-1)
        real = ops.sum(positives * ops.softplus(-f_all), axis=-1) / count
        fake = ops.mean(ops.softplus(f_generated), axis=-1)
        user_norm, item_norm = self.discriminator.squared_norms(users)
        pair_norms = (2.0 * user_norm + ops.sum(positives * item_norm, axis=-1) / count
                      + ops.mean(ops.take(item_norm, generated), axis=-1))
        loss = ops.mean(real + fake) + self.discriminator_l2 * 0.5 * ops.mean(pair_norms)
        return loss, {"discriminator_loss": ops.mean(real + fake)}

    def reinforce_objective(self, users, items, weighted_rewards):
        """(L_G, terms): the REINFORCE surrogate whose gradient estimates -grad J_G."""
        log_p = ops.take_along_axis(self.generator_log_probabilities(users), items, axis=-1)
        surrogate = -ops.mean(ops.stop_gradient(weighted_rewards) * log_p)
        user_norm, item_norm = self.generator.squared_norms(users)
        pair_norms = user_norm + ops.mean(ops.take(item_norm, items), axis=-1)
        return surrogate + self.generator_l2 * 0.5 * ops.mean(pair_norms), {"generator_loss": surrogate}

    def reward(self, users, items):
        """reward(u, i) = log(1 + exp(f_phi(u, i))), the generator's payoff for item i."""
        return ops.softplus(self.discriminator.pair_scores(users, items))

    def importance_proposal(self, positives, p_theta):
        """p_n = (1 - mu) p_theta + mu 1[i in pos(u)] / |pos(u)|."""
        mu = self.importance_mixture
        return (1.0 - mu) * p_theta + mu * positives / ops.sum(positives, axis=-1, keepdims=True)

    # ------------------------------------------------------------------ training
    def train_step(self, data):
        self.begin_step()
        positives, users = self.split_ratings_batch(data)
        batch = ops.shape(users)[0]
        policy = lambda: ops.exp(ops.stop_gradient(self.generator_log_probabilities(users)))  # noqa: E731
        p_theta = policy()  # the discriminator steps do not move the generator
        for _ in range(self.discriminator_steps):
            generated = categorical_from_uniform(
                p_theta, self.random_uniform((batch, self.discriminator_negatives)))
            _, d_terms = self.minimize(
                "discriminator", lambda: self.discriminator_objective(positives, users, generated))
        for step in range(self.generator_steps):
            if step:  # the previous generator step moved p_theta
                p_theta = policy()
            p_n = self.importance_proposal(positives, p_theta)
            items = categorical_from_uniform(p_n, self.random_uniform((batch, self.generator_samples)))
            rewards = self.reward(users, items)
            weights = ops.take_along_axis(p_theta, items, axis=-1) / ops.take_along_axis(p_n, items, axis=-1)
            weighted_rewards = weights * rewards
            _, g_terms = self.minimize(
                "generator", lambda: self.reinforce_objective(users, items, weighted_rewards))
        return self.end_step(**d_terms, **g_terms, generator_reward=ops.mean(weighted_rewards))

    # ------------------------------------------------------------------ pretraining
    def initialise_from(self, factorisation_model):
        """Start both players from a trained BPR-MF (or any model with a `factorisation`
        of the same shape), as the paper starts from a pretrained matrix factorisation."""
        source = factorisation_model.factorisation
        for player in (self.discriminator, self.generator):
            if len(player.weights) != len(source.weights) or any(
                    tuple(a.shape) != tuple(b.shape) for a, b in zip(player.weights, source.weights)):
                raise ValueError("The pretrained factorisation's shapes do not match IRGAN's players: "
                                 "same users, items and embedding_dim are needed.")
            player.set_weights(source.get_weights())

    def prepare(self, dataset):
        super().prepare(dataset)
        if self.pretrain_epochs > 0:
            self.initialise_from(pretrain_bpr(dataset, self.embedding_dim, self.pretrain_epochs,
                                              seed=self.seed))


def pretrain_bpr(dataset, embedding_dim, epochs, seed=0, batch_size=64):
    """A BPR-MF trained on `dataset`'s training positives (the recipe's settings otherwise)."""
    from keras_gans.data import make_pipeline
    from keras_gans.models.bpr_mf import BPRMF

    model = BPRMF(dataset.num_users, dataset.num_items, embedding_dim=embedding_dim, seed=seed)
    model.compile()
    batch_size = min(batch_size, len(dataset))
    model.fit(make_pipeline(dataset, batch_size, with_labels=True, seed=seed), epochs=epochs, verbose=0)
    return model
