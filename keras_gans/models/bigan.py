"""BiGAN / ALI: a GAN whose discriminator judges (data, code) pairs, with an encoder."""

import keras
import tensorflow as tf
from keras import ops

from keras_gans import losses
from keras_gans.data.pipeline import to_model_range
from keras_gans.models.adversarial import AdversarialModel
from keras_gans.networks import build_conv_encoder, build_mlp_discriminator, build_pair_discriminator
from keras_gans.registry import register_model

GENERATOR_LOSSES = ("non_saturating", "minimax")


@register_model("bigan")
class BiGAN(AdversarialModel):
    """Bidirectional GAN / adversarially learned inference: an encoder E learns x -> z while
    a generator G learns z -> x, because a discriminator judges (x, z) pairs.

    Real pairs are (x, E(x)), x ~ p_data; fake pairs are (G(z), z), z ~ p(z). With
    D(x, z) = sigmoid(logit(x, z)) the three players play min_{E,G} max_D V(D, E, G),
        V(D, E, G) = E_x[log D(x, E(x))] + E_z[log(1 - D(G(z), z))].
    At the optimum the joint distributions of the two kinds of pairs match, so E inverts G:
    G(E(x)) = x and E(G(z)) = z (Donahue et al. 2016, theorems 1-2).
    Each step: D descends -V (binary cross-entropy from logits) on a real minibatch and as
    many fresh priors; then E and G together (one optimizer) descend, by default, the
    non-saturating loss with the labels swapped,
        -E_z[log D(G(z), z)] - E_x[log(1 - D(x, E(x)))]   ("non_saturating", section 3.4),
    or V itself ("minimax").
    The encoder is deterministic (BiGAN) or, with `stochastic_encoder`, ALI's Gaussian
    posterior: it outputs a mean and a log-variance (clipped) and E(x) = mu + sigma * eps,
    eps ~ N(0, I), by reparameterisation, so the adversarial gradient reaches mu and sigma.
    `encode` returns the mean; `reconstruct` is G(E(x)).

    Networks: a DCGAN-rule generator; an encoder of the same strided-conv trunk without
    batch norm (the codes D matched in training are the codes `encode` gives); the pair
    discriminator of `networks.build_pair_discriminator`, with layer norm instead of batch
    norm. Vectors: MLPs. Paper (MNIST): fully connected players of 1,024 units and
    z ~ U[-1, 1]^50; here DCGAN-rule convolutions (as the paper's ImageNet model and ALI)
    and z ~ N(0, I), which ALI uses and an encoder's linear output can match everywhere;
    `prior="uniform"` restores the paper's prior.

    Args:
        data_shape: tuple. Shape of one example, (H, W, C) images or (D,) vectors.
        latent_dim: int. Dimension of z. Defaults to 50 (the BiGAN paper's MNIST model).
        stochastic_encoder: bool. ALI's reparameterised Gaussian encoder (True) or BiGAN's
            deterministic one (False). Defaults to False.
        generator_loss: "non_saturating" or "minimax": the loss E and G minimise. Defaults
            to "non_saturating".
        prior: "normal" (z ~ N(0, I)) or "uniform" (z ~ U[-1, 1]^d). Defaults to "normal".
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of D and of E and G.
            Defaults to 2e-4 (the BiGAN paper's).
        hidden_units: tuple of int. Hidden widths of the default MLP generator, encoder and
            D's x branch (vector data). Defaults to (256, 256).
        base_filters: int. Filters of the convolutional networks' outermost layer (images).
            Defaults to 64.
        discriminator_latent_units: tuple of int. Hidden widths of D's z branch. Defaults to (512,).
        discriminator_joint_units: tuple of int. Hidden widths of D's head on the
            concatenated x and z features. Defaults to (512,).
        discriminator_dropout: float. Dropout rate after every hidden layer of D (ALI uses
            0.2). Defaults to 0.
        encoder: keras.Model or None. E: x -> latent_dim values (2 * latent_dim, mean then
            log-variance, when stochastic_encoder=True).
        generator: keras.Model or None. G: z -> an example of data_shape, in [-1, 1] for images.
        discriminator: keras.Model or None. D: [x, z] -> one logit.
        seed: int. Seed of the training noise. Defaults to 0.
        generator_hidden_units, generator_batch_norm: see `AdversarialModel`.

    Example:
        >>> data = keras_gans.data.load_dataset("mnist_train")
        >>> model = keras_gans.models.BiGAN(data_shape=data.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_pipeline(data, 64), epochs=20)
        >>> codes = model.encode(data.x[:500])         # (500, 50) features
        >>> pairs = model.reconstruct(data.x[:8])      # G(E(x)), images in [0, 1]

    References: Donahue, Kraehenbuehl & Darrell 2016, "Adversarial Feature Learning",
    arXiv:1605.09782; Dumoulin, Belghazi, Poole, Mastropietro, Lamb, Arjovsky & Courville
    2016, "Adversarially Learned Inference", arXiv:1606.00704.
    """

    optimizer_roles = {"generator": ("generator", "encoder"), "discriminator": ("discriminator",)}
    metric_names = ("discriminator_loss", "generator_loss")
    #: an unconditional model: AdversarialModel's num_classes is always None here
    derived_arguments = ("num_classes",)

    def __init__(
        self,
        data_shape,
        latent_dim=50,
        stochastic_encoder=False,
        generator_loss="non_saturating",
        prior="normal",
        learning_rate=2e-4,
        hidden_units=(256, 256),
        base_filters=64,
        discriminator_latent_units=(512,),
        discriminator_joint_units=(512,),
        discriminator_dropout=0.0,
        encoder=None,
        generator=None,
        discriminator=None,
        seed=0,
        **kwargs,
    ):
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {GENERATOR_LOSSES}, got {generator_loss!r}.")
        if stochastic_encoder not in (True, False):
            raise ValueError(f"stochastic_encoder must be True or False, got {stochastic_encoder!r}.")
        if kwargs.get("num_classes"):
            raise ValueError("BiGAN is unconditional: drop num_classes.")
        kwargs.pop("num_classes", None)
        self.stochastic_encoder = bool(stochastic_encoder)
        self.generator_loss_type = generator_loss
        self.learning_rate = float(learning_rate)
        self.discriminator_latent_units = tuple(int(u) for u in discriminator_latent_units)
        self.discriminator_joint_units = tuple(int(u) for u in discriminator_joint_units)
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, prior=prior, hidden_units=hidden_units,
            base_filters=base_filters, discriminator_dropout=discriminator_dropout,
            generator=generator, discriminator=discriminator, seed=seed, **kwargs,
        )
        self.encoder = encoder or self.build_encoder()
        self._check_pair_networks()
        self.finish_init()

    @property
    def generator_loss(self):  # the constructor argument, under its own name, for get_config
        return self.generator_loss_type

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate, beta_1=0.5) for role in self.optimizer_roles}

    # ------------------------------------------------------------------ networks
    def encoder_outputs(self):
        """Width of E's output: the code, or its mean and log-variance (stochastic)."""
        return self.latent_dim * (2 if self.stochastic_encoder else 1)

    def build_encoder(self):
        if self.uses_conv_networks():
            return build_conv_encoder(self.data_shape, self.encoder_outputs(), self.base_filters,
                                      batch_norm=False, name="encoder")
        return build_mlp_discriminator(self.data_shape, self.hidden_units,
                                       output_units=self.encoder_outputs(), name="encoder")

    def build_discriminator(self):
        return build_pair_discriminator(
            self.discriminator_input_shape(), self.latent_dim * self.packing, self.hidden_units, self.base_filters,
            self.discriminator_latent_units, self.discriminator_joint_units,
            self.discriminator_dropout,
        )

    def _check_network_inputs(self):
        """G takes z alone; D takes the pair [x, z] (checked with shapes in _check_pair_networks)."""
        taken = len(self.generator.inputs) if getattr(self.generator, "inputs", None) else None
        if taken not in (None, 1):
            raise ValueError(f"BiGAN's generator must take one input (z); the one passed takes {taken}.")

    def _check_pair_networks(self):
        def shapes(tensors):
            return [tuple(t.shape[1:]) for t in tensors]

        expected_d = [self.discriminator_input_shape(), (self.latent_dim * self.packing,)]
        d_inputs = getattr(self.discriminator, "inputs", None)
        if d_inputs is not None and shapes(d_inputs) != expected_d:
            raise ValueError(
                f"BiGAN's discriminator must take the pair [x, z] with shapes {expected_d}"
                f"{f' (packs of {self.packing} pairs)' if self.packing > 1 else ''}; the one "
                f"passed takes {shapes(d_inputs)}. Build it with "
                "keras_gans.networks.build_pair_discriminator(data_shape, latent_dim, ...) (for "
                "packs: packing.packed_shape(data_shape, m), m * latent_dim) or give your "
                "keras.Model the inputs [x, z]."
            )
        d_outputs = getattr(self.discriminator, "outputs", None)
        if d_outputs is not None and shapes(d_outputs) != [(1,)]:
            raise ValueError(
                f"BiGAN's discriminator must output one logit per pair, shape (None, 1); the one "
                f"passed outputs {shapes(d_outputs)}."
            )
        e_inputs = getattr(self.encoder, "inputs", None)
        if e_inputs is not None and shapes(e_inputs) != [self.data_shape]:
            raise ValueError(
                f"BiGAN's encoder must take x of shape {self.data_shape}; the one passed takes "
                f"{shapes(e_inputs)}."
            )
        e_outputs = getattr(self.encoder, "outputs", None)
        if e_outputs is not None and shapes(e_outputs) != [(self.encoder_outputs(),)]:
            what = ("2 * latent_dim: mean, then log-variance" if self.stochastic_encoder
                    else "latent_dim")
            raise ValueError(
                f"BiGAN's encoder output shape {shapes(e_outputs)} must be "
                f"[({self.encoder_outputs()},)] ({what}, stochastic_encoder="
                f"{self.stochastic_encoder}): pass an encoder with that many outputs or change "
                "latent_dim / stochastic_encoder."
            )

    # ------------------------------------------------------------------ players (model range)
    def posterior(self, x, training=False):
        """(z_mean, z_log_var) of E(x); z_log_var is None for the deterministic encoder."""
        outputs = ops.cast(self.encoder(x, training=training), "float32")
        if not self.stochastic_encoder:
            return outputs, None
        z_mean, z_log_var = ops.split(outputs, 2, axis=-1)
        return z_mean, losses.divergences.clip_log_variance(z_log_var)

    def encode_sample(self, x, training=False):
        """E(x) for this training step: the code, or mu + sigma * eps (ALI) with step noise."""
        z_mean, z_log_var = self.posterior(x, training=training)
        if z_log_var is None:
            return z_mean
        return losses.reparameterize(z_mean, z_log_var, self.random_normal(ops.shape(z_mean)))

    def discriminator_forward(self, x, z, training=False):
        """D(x, z) as logits: one per pair, or per pack of `packing` consecutive pairs (their x
        concatenated along channels or features, their z along features)."""
        x, z = ops.convert_to_tensor(x), ops.convert_to_tensor(z)
        return self.discriminator([self.pack_examples(x), self.pack_examples(z)], training=training)

    # ------------------------------------------------------------------ objectives
    def pair_logits(self, x):
        """D's logits on the real pairs (x, E(x)) and on as many fake pairs (G(z), z) of
        fresh priors z ~ p(z), each kind in its own pass."""
        z_hat = self.encode_sample(x, training=True)
        z = self.sample_prior(tf.shape(x)[0])
        x_fake = self.generator_forward(z, training=True)
        return (self.discriminator_forward(x, z_hat, training=True),
                self.discriminator_forward(x_fake, z, training=True))

    def discriminator_loss(self, real_logits, fake_logits):
        """-V(D, E, G): -log D(x, E(x)) - log(1 - D(G(z), z))."""
        return losses.minimax_discriminator_loss(real_logits, fake_logits)

    def generator_encoder_loss(self, real_logits, fake_logits):
        """E and G's loss: V itself ("minimax"), or D's loss with the pairs' labels swapped
        ("non_saturating"): -log D(G(z), z) - log(1 - D(x, E(x)))."""
        if self.generator_loss_type == "minimax":
            return -losses.minimax_discriminator_loss(real_logits, fake_logits)
        return losses.minimax_discriminator_loss(real_logits=fake_logits, fake_logits=real_logits)

    def discriminator_objective(self, x):
        loss = self.discriminator_loss(*self.pair_logits(x))
        return loss, {"discriminator_loss": loss}

    def generator_objective(self, x):
        loss = self.generator_encoder_loss(*self.pair_logits(x))
        return loss, {"generator_loss": loss}

    def train_step(self, data):
        # Donahue et al. section 3.4: alternate one D update and one joint E/G update, each
        # on the real minibatch and its own fresh priors (labels of a labelled set unused).
        self.begin_step()
        x, _ = self.split_batch(data)
        _, d_terms = self.minimize("discriminator", lambda: self.discriminator_objective(x))
        _, g_terms = self.minimize("generator", lambda: self.generator_objective(x))
        return self.end_step(**d_terms, **g_terms)

    # ------------------------------------------------------------------ inference API (data units)
    def _model_input(self, x, what):
        x = ops.convert_to_tensor(x, "float32")
        if tuple(x.shape[1:]) != self.data_shape:
            raise ValueError(
                f"BiGAN.{what} takes examples shaped (N, {', '.join(map(str, self.data_shape))}), "
                f"got an array of shape {tuple(x.shape)}: reshape the data (add the channel axis "
                "of grayscale images) or resize it to the model's shape."
            )
        return to_model_range(x) if self.is_image else x

    @staticmethod
    def _no_labels(labels):
        if labels is not None:
            raise ValueError("BiGAN is not conditional: drop the labels.")

    def encode(self, x, labels=None):
        """E(x) of examples in data units (images in [0, 1]): the code, or the posterior
        mean of the stochastic encoder."""
        self._no_labels(labels)
        return self.posterior(self._model_input(x, "encode"))[0]

    def reconstruct(self, x, labels=None):
        """G(E(x)) in data units. BiGAN never trains this map directly: it is as close to x
        as the learned inverse is."""
        self._no_labels(labels)
        return self.generate(self.encode(x))

    def interpolate(self, x1, x2, t):
        """G((1 - t) E(x1) + t E(x2)) for each row, t of shape (N,), in data units."""
        z1 = self.posterior(self._model_input(x1, "interpolate"))[0]
        z2 = self.posterior(self._model_input(x2, "interpolate"))[0]
        t = ops.reshape(ops.cast(t, "float32"), [-1, 1])
        return self.generate((1.0 - t) * z1 + t * z2)

    def serving_endpoints(self):
        """serving_default (z -> samples) and sample, as every GAN's; encode, reconstruct and
        interpolate, named as the autoencoders name them."""
        x_spec = lambda name: tf.TensorSpec([None, *self.data_shape], tf.float32, name=name)  # noqa: E731
        return {
            **super().serving_endpoints(),
            "encode": (lambda x: {"codes": self.encode(x)}, [x_spec("x")]),
            "reconstruct": (lambda x: {"reconstructions": self.reconstruct(x)}, [x_spec("x")]),
            "interpolate": (
                lambda x1, x2, t: {"images": self.interpolate(x1, x2, t)},
                [x_spec("x1"), x_spec("x2"), tf.TensorSpec([None], tf.float32, name="t")],
            ),
        }
