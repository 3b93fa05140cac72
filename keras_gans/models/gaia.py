"""GAIA: generative adversarial interpolative autoencoding."""

import keras
from keras import ops

from keras_gans import networks
from keras_gans.losses import interpolative
from keras_gans.losses.energy import reconstruction_energy
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.core.replicas import cross_replica_mean
from keras_gans.registry import register_model

INTERPOLATIONS = ("linear", "spherical")
#: the batch-mean discriminator errors the balance is computed from, in its argument order
BALANCE_ERRORS = ("real_error", "target_error", "interpolation_error")


@register_model("gaia")
class GAIA(AutoencodingModel):
    """Generative adversarial interpolative autoencoder (Sainburg et al. 2018).

    The generator G is an autoencoder (encoder E, decoder Dec); the discriminator D is an
    autoencoder too, and its L1 reconstruction error is the adversarial signal. Each step the
    batch is cut into pairs (x1_k, x2_k) = (x_2k, x_2k+1); z1 = E(x1), z2 = E(x2);
    z_interp = (1 - a) z1 + a z2 (or the spherical path), one a per pair drawn around the
    midpoint, a ~ N(0.5, s^2) with s = 0.25 as the authors' code draws it, clipped here to
    [0, 1] so z_interp stays between the two codes; G(x) = Dec(E(x)), G(z_interp) = Dec(z_interp).
    With ||.||_1 the per-example mean absolute error,

        discriminator: min  ||x - D(x)||_1 - ||G(x) - D(G(x))||_1 - ||G(z_interp) - D(G(z_interp))||_1
        generator:     min  ||x - D(G(x))||_1 + ||G(z_interp) - D(G(z_interp))||_1
                            + w_rec ||x - G(x)||_1 + w_dist R,
        R = mean_ij (log(1 + d^x_ij) - log(1 + d^z_ij))^2,
        d^x_ij = ||x_i - x_j||^2 / mean_kl ||x_k - x_l||^2 (d^z_ij likewise on z = E(x)),

    the discriminator's loss as the paper's pseudo-code writes it, R the local-structure
    regulariser of the authors' code over all pairs (i, j) of the batch
    (`losses.interpolative.distance_loss`). R is a batch statistic: under tf.distribute it is
    computed within each replica's batch (like per-replica batch norm), so N replicas match
    one device on the same global batch only with distance_weight=0.
    Balance: delta_Disc = sigmoid(b (||x - D(x)||_1 - (||x - D(G(x))||_1 +
    ||G(z_interp) - D(G(z_interp))||_1) / 2)), delta_Gen = 1 - delta_Disc, averaged over
    replicas, scale the two learning rates: after the objectives and before the updates,
    `train_step` stores them and sets the optimizers' rates to learning_rate * delta, so this
    step's errors set this step's rates; both live in saved variables and are logged.
    `sample` decodes draws of a Gaussian mixture fitted to the training codes after `fit`
    (GAIA has no prior; see `AE`).

    Args:
        interpolation: "linear" or "spherical". Defaults to "linear".
        interpolation_std: float. s, spread of the interpolation coefficient around 0.5.
            Defaults to 0.25.
        balance_slope: float. b, slope of the balancing sigmoid. Defaults to 20.
        reconstruction_weight: float. w_rec, weight of the generator's own reconstruction
            error. The authors' code has none (0); at 1 the adversarial terms kept the
            reconstructions blurred, so we anchor them (benchmarks/results/gaia.md). Defaults to 10.
        distance_weight: float. w_dist, weight of the local-structure regulariser.
            Defaults to 0.01.
        code_dim: int. Bottleneck of the discriminator autoencoder. Defaults to 64.
        learning_rate: float. Base Adam (beta_1 = 0.5) learning rate of both players, before
            balancing. Defaults to 1e-3.
        discriminator: keras.Model or None. D: x -> [reconstruction, code].
        data_shape, latent_dim, hidden_units, base_filters, encoder, decoder, density_components,
            seed: see `AutoencodingModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> gaia = keras_gans.models.GAIA(data_shape=data.data_shape)
        >>> gaia.compile()
        >>> gaia.fit(keras_gans.data.make_pipeline(data, 64), epochs=10)
        >>> strip = gaia.interpolate(data.x[[0] * 8], data.x[[1] * 8], np.linspace(0, 1, 8))

    Reference: Sainburg, Thielk, Theilman, Migliori & Gentner 2018, "Generative adversarial
    interpolative autoencoding: adversarial training on latent space interpolations encourages
    convex latent distributions", arXiv:1807.06650.
    """

    packing_refused = ("its discriminator is the autoencoder whose reconstruction of each single image is "
                       "the model's reconstruction and interpolation.")

    optimizer_roles = {"generator": ("encoder", "decoder"), "discriminator": ("discriminator",)}
    derived_arguments = ("reconstruction", "num_classes")
    has_prior = False
    metric_names = (
        "discriminator_loss", "generator_loss", "reconstruction_loss", "distance_loss",
        "discriminator_balance", "generator_balance",
    )

    def __init__(
        self,
        data_shape,
        latent_dim=32,
        interpolation="linear",
        interpolation_std=0.25,
        balance_slope=20.0,
        reconstruction_weight=10.0,
        distance_weight=0.01,
        code_dim=64,
        learning_rate=1e-3,
        discriminator=None,
        **kwargs,
    ):
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}.")
        if kwargs.get("num_classes"):
            raise ValueError("GAIA is unconditional: drop num_classes.")
        self.interpolation = interpolation
        self.interpolation_std = float(interpolation_std)
        self.balance_slope = float(balance_slope)
        self.reconstruction_weight = float(reconstruction_weight)
        self.distance_weight = float(distance_weight)
        self.code_dim = int(code_dim)
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, learning_rate=learning_rate,
            reconstruction="l1", **kwargs,
        )
        self.discriminator = discriminator or networks.build_autoencoder_discriminator(
            self.data_shape, self.code_dim, conv=self.is_image, hidden_units=self.hidden_units,
            base_filters=self.base_filters,
        )
        # Updated by hand every step (ONLY_FIRST_REPLICA: every replica computes the same
        # value from cross-replica means); saved with the weights.
        self.discriminator_balance = self.add_weight(
            shape=(), initializer=keras.initializers.Constant(0.5), trainable=False,
            aggregation="only_first_replica", name="discriminator_balance")
        self.generator_balance = self.add_weight(
            shape=(), initializer=keras.initializers.Constant(0.5), trainable=False,
            aggregation="only_first_replica", name="generator_balance")
        self.finish_init()

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5) for role in self.optimizer_roles}

    # ------------------------------------------------------------------ pieces
    def latent_path(self, z1, z2, t):
        if self.interpolation == "spherical":
            return interpolative.spherical_interpolation(z1, z2, t)
        return (1.0 - t) * z1 + t * z2

    def interpolation_coefficients(self, num_pairs):
        """a ~ N(0.5, s^2) clipped to [0, 1], one per pair: interpolations near the midpoint."""
        return ops.clip(0.5 + self.interpolation_std * self.random_normal([num_pairs, 1]), 0.0, 1.0)

    def discriminator_error(self, x, target=None):
        """Per-example ||target - D(x)||_1 (target defaults to x)."""
        reconstruction, _ = self.discriminator(x, training=True)
        return reconstruction_energy(x if target is None else target, reconstruction, "l1")

    def forward(self, x):
        """Every quantity of one step (the pairs are consecutive examples)."""
        x1, x2 = x[0::2], x[1::2]
        x_pairs = ops.concatenate([x1, x2], axis=0)
        z1, z2 = self.posterior(x1, training=True)[0], self.posterior(x2, training=True)[0]
        z = ops.concatenate([z1, z2], axis=0)
        x_generated = self.decoder_forward(z, training=True)
        z_interp = self.latent_path(z1, z2, self.interpolation_coefficients(ops.shape(z1)[0]))
        x_interp = self.decoder_forward(z_interp, training=True)
        d_generated, _ = self.discriminator(x_generated, training=True)
        return {
            "real_error": self.discriminator_error(x_pairs),
            "generated_error": reconstruction_energy(x_generated, d_generated, "l1"),
            "target_error": reconstruction_energy(x_pairs, d_generated, "l1"),
            "interpolation_error": self.discriminator_error(x_interp),
            "reconstruction_error": reconstruction_energy(x_pairs, x_generated, "l1"),
            "distance_loss": interpolative.distance_loss(x_pairs, z),
        }

    def objectives(self, x, y=None):
        """({role: loss}, terms) of one step, losses only: the logged terms and the batch-mean
        errors named in BALANCE_ERRORS, which `train_step` turns into the balance."""
        f = self.forward(x)
        discriminator_loss = interpolative.gaia_discriminator_loss(
            f["real_error"], f["generated_error"], f["interpolation_error"])
        reconstruction_loss = ops.mean(f["reconstruction_error"])
        generator_loss = (
            interpolative.gaia_generator_adversarial_loss(f["target_error"], f["interpolation_error"])
            + self.reconstruction_weight * reconstruction_loss
            + self.distance_weight * f["distance_loss"]
        )
        return (
            {"discriminator": discriminator_loss, "generator": generator_loss},
            {"discriminator_loss": discriminator_loss, "generator_loss": generator_loss,
             "reconstruction_loss": reconstruction_loss, "distance_loss": f["distance_loss"],
             **{key: ops.mean(f[key]) for key in BALANCE_ERRORS}},
        )

    def update_balance(self, real_error, target_error, interpolation_error):
        """delta_Disc from this step's batch-mean errors, averaged over replicas: stored in the
        balance variables and scaling both optimizers' learning rates; returned for logging."""
        means = [cross_replica_mean(error) for error in (real_error, target_error, interpolation_error)]
        delta = interpolative.discriminator_balance(*means, self.balance_slope)
        self.discriminator_balance.assign(delta)
        self.generator_balance.assign(1.0 - delta)
        self.role_optimizers["discriminator"].learning_rate = self.learning_rate * delta
        self.role_optimizers["generator"].learning_rate = self.learning_rate * (1.0 - delta)
        return delta

    def train_step(self, data):
        x, _ = self.split_batch(data)
        if x.shape[0] is not None and x.shape[0] % 2:
            raise ValueError(
                f"GAIA pairs consecutive examples: the batch of {x.shape[0]} (per replica) must be "
                "even; use an even batch size (and drop_remainder=True)."
            )
        self.begin_step()
        role_gradients, (_, terms) = self.gradients_each(lambda: self.objectives(x))
        # This step's errors set the rates of this step's updates (the authors' graph feeds
        # lr_D and lr_G, computed from the same batch, to the optimizers applying it).
        delta = self.update_balance(*[terms.pop(key) for key in BALANCE_ERRORS])
        self.apply_each(role_gradients)
        return self.end_step(**terms, discriminator_balance=delta, generator_balance=1.0 - delta)
