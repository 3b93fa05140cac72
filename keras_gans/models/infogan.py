"""InfoGAN: a GAN whose latent codes are made to mean something by maximising I(c; G(z, c))."""

import types

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from keras_gans import augment, losses, networks
from keras_gans.core.randomness import stateless_seed
from keras_gans.data.pipeline import to_model_range
from keras_gans.networks.layers import apply, normalization, output_layer
from keras_gans.models.gan import GAN
from keras_gans.registry import register_model


def _checked_codes(categorical_codes, continuous_codes, noise_dim):
    if isinstance(categorical_codes, (int, np.integer)):
        categorical_codes = (categorical_codes,)
    categorical = tuple(int(k) for k in categorical_codes or ())
    if any(k < 2 for k in categorical):
        raise ValueError(
            f"categorical_codes must list the number of values of each categorical code, each "
            f">= 2 (a code with one value carries no information), got {tuple(categorical_codes)}.")
    if int(continuous_codes) < 0 or int(noise_dim) < 0:
        raise ValueError(f"continuous_codes and noise_dim must be >= 0, got {continuous_codes} and {noise_dim}.")
    if not categorical and not int(continuous_codes):
        raise ValueError("InfoGAN needs at least one code: set categorical_codes and/or continuous_codes.")
    return categorical, int(continuous_codes), int(noise_dim)


@register_model("infogan")
class InfoGAN(GAN):
    """InfoGAN (Chen et al. 2016): unsupervised codes that pick the digit and its style.

    The generator's input is z = (noise, c), c = (categorical codes, continuous codes),
    c ~ P(c) = Cat(K) x ... x U(-1, 1)^L. With Q(c | x) an auxiliary network that shares the
    discriminator's trunk (one extra head), the game is

        min_{G, Q} max_D  V_InfoGAN(D, G, Q) = V(D, G) - lambda L_I(G, Q),
        L_I(G, Q) = E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)] + H(c)  <=  I(c; G(z, c)),

    V being the GAN's value function (see `GAN`). -L_I is, up to the constant H(c), the
    cross-entropy of Q's softmax with each categorical code plus the Gaussian negative
    log-likelihood of each continuous code (`keras_gans.losses.information`), weighted by
    lambda_cat (1, the paper's value for discrete codes) and lambda_cont (smaller, as the
    paper advises, so the differential-entropy term stays on the GAN losses' scale).

    Option, not in the paper (off by default): with `invariance_rotation` / `invariance_zoom`,
    Q must also read each categorical code from a randomly rotated and zoomed copy T(x) of
    every fake x = G(z, c): the categorical term becomes
        1/2 (-E[log Q(c_cat | x)] - E[log Q(c_cat | T(x))]),
    in both players' steps. A code value that stands for a style (a slant, a size) does not
    survive T and is no longer worth information, so the code is pushed towards what T keeps:
    the digit. This is the idea of Elastic-InfoGAN (Ojha et al. 2020, arXiv:1910.01112, which
    asks for it with a contrastive loss on transformed real images) in the information term
    itself. The continuous codes (slant, stroke) keep reading the untransformed fakes.

    One step (Algorithm 1 of the GAN with the information term added on both sides, as the
    authors' released code trains it): the discriminator role (trunk, GAN head and Q head)
    descends L_D + lambda L_I-loss on a real minibatch and fresh (noise, c); the generator
    descends L_G + lambda L_I-loss on fresh (noise, c). The discriminator's GAN head sees
    only x, never c. Logged: `discriminator_loss`, `generator_loss` (GAN parts),
    `categorical_information_loss`, `continuous_information_loss` (each -log Q(c | G(z, c)),
    unweighted, from the generator step).

    Args:
        data_shape: tuple. Shape of one example. Defaults to (28, 28, 1).
        noise_dim: int. Dimension of the incompressible noise. Defaults to 62 (the paper's MNIST).
        categorical_codes: tuple of int. Number of values of each categorical code. Defaults to
            (10,): one 10-way code, as in the paper's MNIST experiment.
        continuous_codes: int. Number of continuous codes, each U(-1, 1). Defaults to 2.
        categorical_weight: float. lambda of the categorical codes. Defaults to 1.0.
        continuous_weight: float. lambda of the continuous codes. Defaults to 0.1 (the paper
            gives no number, only "smaller"; 0.1 is the usual reading).
        learn_std: bool. Q predicts the standard deviation of each continuous code (True) or
            fixes it at 1 (False, as the authors' MNIST code does). Defaults to False.
        auxiliary_network: keras.Model or None. Q's head instead of the default: features
            (the discriminator's second output) -> [code logits, means(, log sigmas)].
        q_hidden_units: int. Width of Q's hidden layer on the shared trunk. Defaults to 128
            (the paper's MNIST Q: FC 128, batch-normed for images, then the code outputs).
        dense_units: int. Width of the fully connected layer of the paper's MNIST networks
            (Appendix C.1): in G between (noise, c) and the projection to 7x7 maps, in D after
            the convolutions (Q's head reads it). Defaults to 1024 (the paper's); 0 leaves
            the DCGAN networks of `GAN`, whose categorical code, within a few thousand
            steps, takes a digit's style instead of its class. Image data only.
        invariance_rotation: float. Largest angle, in degrees, of the random rotation T that Q
            must read the categorical codes through (see above). Defaults to 0 (off, the paper).
        invariance_zoom: float. Largest relative zoom of T (scale in [1 - zoom, 1 + zoom]).
            Defaults to 0 (off, the paper). Image data and a categorical code only, as is the
            rotation.
        prior: "uniform" (noise ~ U[-1, 1], as the authors' code) or "normal". Defaults to "uniform".
        learning_rate: float. Adam rate (beta_1 0.5) of the discriminator and Q. Defaults to
            2e-4 (the paper's).
        generator_learning_rate: float. Adam rate (beta_1 0.5) of the generator. Defaults to
            1e-3 (the paper's).
        Others (generator_loss, generator_ema, hidden_units, base_filters,
            discriminator_dropout, augmentation, generator, discriminator, seed): see `GAN`.
            A custom discriminator must return [logits, features], features feeding Q.

    Example:
        >>> model = keras_gans.models.InfoGAN()
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(keras_gans.data.load_dataset("mnist"), 64), epochs=30)
        >>> sevens_or_so = model.sample(16, seed=0, labels=3)    # categorical code fixed to 3
        >>> sweep = model.sample(9, seed=0, labels=3, continuous=[[v, 0.0] for v in np.linspace(-2, 2, 9)])

    Reference: Chen, Duan, Houthooft, Schulman, Sutskever & Abbeel 2016, "InfoGAN:
    Interpretable Representation Learning by Information Maximizing Generative Adversarial
    Nets", arXiv:1606.03657.
    """

    optimizer_roles = {"generator": ("generator",), "discriminator": ("discriminator", "auxiliary_network")}
    metric_names = (
        "discriminator_loss", "generator_loss", "categorical_information_loss", "continuous_information_loss",
    )
    network_family = "auto"
    derived_arguments = ("latent_dim", "num_classes")
    packing_refused = ("its discriminator shares its body with the recognition network Q, which "
                       "must read each example's own codes; a pack would mix the codes of its members.")

    def __init__(
        self,
        data_shape=(28, 28, 1),
        noise_dim=62,
        categorical_codes=(10,),
        continuous_codes=2,
        categorical_weight=1.0,
        continuous_weight=0.1,
        learn_std=False,
        q_hidden_units=128,
        dense_units=1024,
        invariance_rotation=0.0,
        invariance_zoom=0.0,
        prior="uniform",
        generator_learning_rate=1e-3,
        auxiliary_network=None,
        **kwargs,
    ):
        if kwargs.get("num_classes"):
            raise ValueError("InfoGAN learns its codes without labels: drop num_classes (use CGAN for labelled data).")
        kwargs.pop("num_classes", None)
        kwargs.pop("latent_dim", None)
        self.categorical_codes, self.continuous_codes, self.noise_dim = _checked_codes(
            categorical_codes, continuous_codes, noise_dim)
        self.categorical_weight = float(categorical_weight)
        self.continuous_weight = float(continuous_weight)
        self.learn_std = bool(learn_std)
        self.q_hidden_units = int(q_hidden_units)
        if int(dense_units) < 0:
            raise ValueError(f"dense_units must be >= 0 (0: no fully connected layer), got {dense_units}.")
        self.dense_units = int(dense_units)
        self.generator_learning_rate = float(generator_learning_rate)
        self.invariance_rotation, self.invariance_zoom = float(invariance_rotation), float(invariance_zoom)
        if not 0 <= self.invariance_rotation <= 180 or not 0 <= self.invariance_zoom < 1:
            raise ValueError(f"invariance_rotation must be in [0, 180] degrees and invariance_zoom in [0, 1), "
                             f"got {invariance_rotation} and {invariance_zoom}.")
        if self.invariant_codes and len(tuple(data_shape)) != 3:
            raise ValueError("invariance_rotation / invariance_zoom transform images: the data has shape "
                             f"{tuple(data_shape)}, not (height, width, channels). Leave them at 0.")
        if self.invariant_codes and not self.categorical_codes:
            raise ValueError("invariance_rotation / invariance_zoom act on the categorical codes' "
                             "information term, and categorical_codes is empty: add a categorical code "
                             "(e.g. categorical_codes=(10,)) or leave them at 0.")
        # Held untracked until finish_init: a network tracked before the players would change
        # the order of `weights` between a built and a loaded model.
        self._given = types.SimpleNamespace(auxiliary_network=auxiliary_network)
        latent_dim = self.noise_dim + sum(self.categorical_codes) + self.continuous_codes
        super().__init__(data_shape=data_shape, latent_dim=latent_dim, prior=prior, **kwargs)

    def finish_init(self):
        # GAN.__init__ calls this once the players exist: Q's head goes on D's features first.
        # Q. Keras saves a sub-network under the first attribute, in sorted order, that holds
        # it, and `layers` lists them all: a name sorting after "layers" (q_network) would be
        # saved as layers/functional_N and fail to load. Hence "auxiliary" (the paper's word).
        self._check_discriminator_outputs()
        self.auxiliary_network = self._given.auxiliary_network or self.build_auxiliary_network()
        del self._given
        super().finish_init()

    def default_optimizers(self):
        """The paper's Adam (beta_1 0.5): 1e-3 for G, 2e-4 for D and Q."""
        return {
            "generator": keras.optimizers.Adam(
                self.generator_learning_rate, beta_1=0.5, **self.generator_ema_options()),
            "discriminator": keras.optimizers.Adam(self.learning_rate, beta_1=0.5),
        }

    # ------------------------------------------------------------------ networks
    @property
    def dense_layers(self):
        return (self.dense_units,) if self.dense_units else ()

    def build_generator(self):
        """The paper's MNIST G for images: (noise, c) -> FC `dense_units` -> project -> upconvs."""
        if self.uses_conv_networks():
            return networks.build_conv_generator(
                self.latent_dim, self.data_shape, self.base_filters, dense_units=self.dense_layers)
        return super().build_generator()

    def build_discriminator(self):
        """D with `return_features`: [GAN logit, the trunk's features Q reads]."""
        if self.uses_conv_networks():
            return networks.build_conv_discriminator(
                self.data_shape, self.base_filters, batch_norm=self.discriminator_normalization,
                dropout=self.discriminator_dropout, return_features=True, dense_units=self.dense_layers,
            )
        return networks.build_mlp_discriminator(
            self.data_shape, self.hidden_units, dropout=self.discriminator_dropout, return_features=True
        )

    @property
    def q_output_width(self):
        return sum(self.categorical_codes) + self.continuous_codes * (2 if self.learn_std else 1)

    def build_auxiliary_network(self):
        """Q's head on the shared trunk: features -> FC (-> batch norm, for images, as the
        paper's) -> LeakyReLU -> [code logits, means(, log sigmas)]."""
        features = keras.Input(shape=tuple(self.discriminator.outputs[1].shape[1:]), name="features")
        norm = self.discriminator_normalization if self.uses_conv_networks() else False
        h = layers.Dense(self.q_hidden_units, use_bias=not norm, name="q_hidden")(features)
        h = apply(h, normalization(norm, name="q_hidden_norm"), layers.LeakyReLU(0.2))
        codes = output_layer(self.q_output_width, name="q_codes")(h)
        return keras.Model(features, codes, name="auxiliary_network")

    def _check_discriminator_outputs(self):
        outputs = getattr(self.discriminator, "outputs", None)
        if outputs is not None and len(outputs) != 2:
            raise ValueError(
                "InfoGAN's discriminator must return [logits, features] (Q's head reads the "
                "features): build it with return_features=True, e.g. "
                "networks.build_conv_discriminator(shape, return_features=True).")
        if len(getattr(self.discriminator, "inputs", None) or [None]) != 1:
            raise ValueError("InfoGAN's discriminator takes the image alone: its GAN head never sees the codes.")

    # ------------------------------------------------------------------ codes
    def split_latent(self, z):
        """z -> (noise, [one-hot of each categorical code], continuous codes)."""
        noise = z[:, :self.noise_dim]
        start, categorical = self.noise_dim, []
        for k in self.categorical_codes:
            categorical.append(z[:, start:start + k])
            start += k
        return noise, categorical, z[:, start:]

    def join_latent(self, noise, categories, continuous):
        """(noise [n, noise_dim], category indices [n, num categorical codes] int, continuous
        [n, continuous_codes]) -> z."""
        one_hots = [ops.one_hot(ops.cast(categories[:, i], "int32"), k)
                    for i, k in enumerate(self.categorical_codes)]
        return ops.concatenate([ops.cast(noise, "float32"), *one_hots, ops.cast(continuous, "float32")], axis=-1)

    def sample_prior(self, batch_size):
        """(noise, c) ~ p(noise) P(c) for this training step."""
        if self.prior == "uniform":
            noise = self.random_uniform([batch_size, self.noise_dim], -1.0, 1.0)
        else:
            noise = self.random_normal([batch_size, self.noise_dim])
        uniform = self.random_uniform([batch_size, max(len(self.categorical_codes), 1)])
        sizes = tf.constant(self.categorical_codes or (1,), tf.float32)
        categories = tf.minimum(tf.cast(tf.floor(uniform * sizes), tf.int32), tf.cast(sizes, tf.int32) - 1)
        continuous = self.random_uniform([batch_size, self.continuous_codes], -1.0, 1.0)
        return self.join_latent(noise, categories[:, :len(self.categorical_codes)], continuous)

    def draw_codes(self, num_samples, seed):
        """(noise, categories, continuous) ~ p(noise) P(c) from an explicit stateless seed."""
        seeds = tf.random.experimental.stateless_split(stateless_seed(seed), 3)
        if self.prior == "uniform":
            noise = tf.random.stateless_uniform([num_samples, self.noise_dim], seeds[0], -1.0, 1.0)
        else:
            noise = tf.random.stateless_normal([num_samples, self.noise_dim], seeds[0])
        categories = tf.stack([
            tf.random.stateless_uniform([num_samples], tf.random.experimental.stateless_fold_in(seeds[1], i),
                                        0, k, dtype=tf.int32)
            for i, k in enumerate(self.categorical_codes)
        ], axis=1) if self.categorical_codes else tf.zeros([num_samples, 0], tf.int32)
        continuous = tf.random.stateless_uniform([num_samples, self.continuous_codes], seeds[2], -1.0, 1.0)
        return noise, categories, continuous

    def draw_prior(self, num_samples, seed):
        return self.join_latent(*self.draw_codes(num_samples, seed))

    # ------------------------------------------------------------------ players
    def discriminator_forward(self, x, labels=None, training=False):
        """D's GAN logits on x (the image alone)."""
        return self.discriminator(x, training=training)[0]

    def judge_with_codes(self, x):
        """(D's GAN logits, Q's code outputs) from one pass of the shared trunk."""
        logits, features = self.discriminator(self.augmented(x), training=True)
        return logits, self.auxiliary_network(features, training=True)

    def split_q_outputs(self, q_outputs):
        """Q's outputs -> ([logits of each categorical code], continuous means, log sigmas or
        None): the one place that knows the head's layout."""
        logits, start = [], 0
        for k in self.categorical_codes:
            logits.append(q_outputs[:, start:start + k])
            start += k
        mean = q_outputs[:, start:start + self.continuous_codes]
        log_std = q_outputs[:, start + self.continuous_codes:] if self.learn_std else None
        return logits, mean, log_std

    def information_losses(self, z, q_outputs):
        """{term: -log Q(c | x)} of the codes in z, from Q's outputs on x = G(z)."""
        _, one_hots, continuous = self.split_latent(z)
        logits, mean, log_std = self.split_q_outputs(q_outputs)
        categorical = [losses.categorical_information_loss(l, one_hot) for l, one_hot in zip(logits, one_hots)]
        return {
            "categorical_information_loss": ops.sum(ops.stack(categorical)) if categorical else ops.zeros(()),
            "continuous_information_loss": (
                losses.gaussian_information_loss(continuous, mean, log_std) if self.continuous_codes
                else ops.zeros(())),
        }

    def weighted_information_loss(self, terms):
        """lambda_cat * categorical + lambda_cont * continuous: -lambda L_I up to H(c)."""
        return (self.categorical_weight * terms["categorical_information_loss"]
                + self.continuous_weight * terms["continuous_information_loss"])

    @property
    def invariant_codes(self):
        return bool(self.invariance_rotation or self.invariance_zoom)

    def transform_for_codes(self, x):
        """T(x): each image rotated and zoomed at random within the invariance options, the
        area brought in from outside filled with the background (-1)."""
        return augment.random_similarity(
            x, self.random_uniform, self.invariance_rotation, self.invariance_zoom, fill_value=-1.0)

    def fake_with_codes(self, batch_size):
        """Fakes of fresh (noise, c): (D's GAN logits on G(z), {term: -log Q(c | G(z))})."""
        z = self.sample_prior(batch_size)
        x_fake = self.generator_forward(z, training=True)
        fake_logits, q_outputs = self.judge_with_codes(x_fake)
        information = self.information_losses(z, q_outputs)
        if self.invariant_codes and self.categorical_codes:
            _, q_transformed = self.judge_with_codes(self.transform_for_codes(x_fake))
            transformed = self.information_losses(z, q_transformed)["categorical_information_loss"]
            information["categorical_information_loss"] = 0.5 * (
                information["categorical_information_loss"] + transformed)
        return fake_logits, information

    def discriminator_objective(self, x, labels=None):
        """L_D (real minibatch x, fresh fakes) + lambda (-L_I) for Q on those fakes."""
        fake_logits, information = self.fake_with_codes(tf.shape(x)[0])
        gan_loss = self.discriminator_loss(self.judge(x), fake_logits)
        return gan_loss + self.weighted_information_loss(information), {"discriminator_loss": gan_loss}

    def generator_objective(self, batch_size, labels=None):
        """L_G + lambda (-L_I) on fresh (noise, c)."""
        fake_logits, information = self.fake_with_codes(batch_size)
        gan_loss = self.adversarial_generator_loss(fake_logits)
        return gan_loss + self.weighted_information_loss(information), {"generator_loss": gan_loss, **information}

    def predict_codes(self, x):
        """Q's reading of images x (data units): ([probabilities of each categorical code],
        continuous means). What a trained InfoGAN uses as an unsupervised classifier."""
        x = to_model_range(tf.convert_to_tensor(x, tf.float32))
        _, features = self.discriminator(x, training=False)
        logits, mean, _ = self.split_q_outputs(self.auxiliary_network(features, training=False))
        return [ops.softmax(l, axis=-1) for l in logits], mean

    # ------------------------------------------------------------------ sampling API
    @property
    def sample_label_count(self):
        """`labels` of `sample` fix the first categorical code: its number of values."""
        return self.categorical_codes[0] if self.categorical_codes else 0

    def sample(self, num_samples, seed=0, labels=None, categories=None, continuous=None):
        """`num_samples` images in data units, codes drawn from P(c) unless given.

        Args:
            labels: int or [n] ints. Value(s) of the first categorical code.
            categories: [n, len(categorical_codes)] ints. Every categorical code (wins over labels).
            continuous: [n, continuous_codes] floats (or one row, broadcast). The continuous
                codes, e.g. a sweep from -2 to 2 of one of them.
        """
        noise, drawn_categories, drawn_continuous = self.draw_codes(num_samples, tf.constant(seed, tf.int64))
        if labels is not None and categories is None and self.categorical_codes:
            labels = np.broadcast_to(np.asarray(labels, np.int32).reshape(-1), [num_samples])
            categories = np.concatenate([labels[:, None], np.asarray(drawn_categories)[:, 1:]], axis=1)
        categories = drawn_categories if categories is None else self._checked_categories(categories, num_samples)
        if continuous is None:
            continuous = drawn_continuous
        else:
            continuous = np.broadcast_to(np.asarray(continuous, np.float32).reshape(-1, self.continuous_codes),
                                         [num_samples, self.continuous_codes])
        return self.generate(self.join_latent(noise, categories, continuous))

    def _checked_categories(self, categories, num_samples):
        categories = np.broadcast_to(np.asarray(categories, np.int32).reshape(-1, len(self.categorical_codes)),
                                     [num_samples, len(self.categorical_codes)])
        for i, k in enumerate(self.categorical_codes):
            if categories[:, i].min() < 0 or categories[:, i].max() >= k:
                raise ValueError(f"categorical code {i} takes values 0..{k - 1}, got "
                                 f"{categories[:, i].min()}..{categories[:, i].max()}.")
        return categories

    @property
    def preview_columns(self):
        return self.sample_label_count or None

    def preview(self, num_samples=None, seed=1234):
        """The base preview (labels cycling through the first code's values, one column each),
        ten rows by default."""
        return super().preview(num_samples or 10 * self.sample_label_count or None, seed)

    def serving_endpoints(self):
        endpoints = super().serving_endpoints()  # serving_default: z -> samples
        categories_spec = tf.TensorSpec([None, len(self.categorical_codes)], tf.int32, name="categories")
        continuous_spec = tf.TensorSpec([None, self.continuous_codes], tf.float32, name="continuous")
        seed_spec = tf.TensorSpec([], tf.int64, name="seed")

        def sample_with_codes(seed, categories, continuous):
            noise, _, _ = self.draw_codes(tf.shape(categories)[0], seed)
            return {"samples": self.generate(self.join_latent(noise, categories, continuous))}

        endpoints["sample"] = (sample_with_codes, [seed_spec, categories_spec, continuous_spec])
        return endpoints
