"""AdversarialModel: a generator, a discriminator (or critic), a latent prior, optional labels."""

import tensorflow as tf
from keras import ops

from keras_gans import networks
from keras_gans.components import priors
from keras_gans.components.packing import PackedInputs
from keras_gans.core.randomness import stateless_seed
from keras_gans.networks.layers import Maxout, check_maxout_pieces
from keras_gans.models.base import GenerativeModel



class AdversarialModel(PackedInputs, GenerativeModel):
    """Shared plumbing of the generator/discriminator models (not registered itself).

    Subclasses write the losses and `train_step`; this class owns the networks, the prior
    p(z), one-hot conditioning (done once, here), and the inference and serving API.

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) images or (D,) vectors.
        latent_dim: int. Dimension of z. Defaults to 100.
        num_classes: int or None. Condition both players on class labels when set.
        prior: "normal" (z ~ N(0, I)) or "uniform" (z ~ U[-1, 1]^d). Defaults to "normal".
        hidden_units: tuple of int. Hidden widths of default MLP players. Defaults to (256, 256).
        generator_hidden_units: tuple of int or None. Hidden widths of the default MLP
            generator alone; None takes `hidden_units`. Defaults to None.
        generator_batch_norm: bool. Batch norm after each hidden layer of the default MLP
            generator (PacGAN's 2D generator has it; the convolutional generator always
            does). Normalised layers let the map fold the latent plane into sharply separated
            modes sooner. Defaults to False.
        base_filters: int. Filters of the default convolutional players' outermost layer
            (doubling at each lower resolution). Defaults to 64.
        discriminator_dropout: float. Dropout rate after each hidden layer of the default
            discriminator; it slows the discriminator's memorising of small data sets. Defaults to 0.
        discriminator_maxout_pieces: int. 0 keeps the default MLP discriminator's LeakyReLU
            units; k > 0 makes each of its hidden layers maxout units of k linear pieces
            (Goodfellow et al. 2013), the units of PacGAN's 2D discriminator, which is 3 x 200
            units of 5 pieces. Only the default MLP discriminator has this option. Defaults to 0.
        discriminator_init_std: float or None. The default MLP discriminator's weights drawn
            from N(0, std^2), as DCGAN and PacGAN initialise theirs (0.02); None keeps Keras'
            Glorot-uniform weights. Only the default MLP discriminator has this option.
            Defaults to None.
        packing: int. m of PacGAN (Lin et al. 2018, arXiv:1712.04086): the discriminator judges
            packs of m samples, all real or all generated, concatenated along channels (images)
            or features (vectors) with their conditions; only its input layer widens, and a
            minibatch of B examples makes B / m packs (B must be a multiple of m). See
            `keras_gans.components.packing`. Defaults to 1 (no packing).
        generator, discriminator: keras.Model or None. Networks to use instead of the default
            ones (MLP for vectors, DCGAN-style convolutions for images).
        seed: int. Seed of the training noise. Defaults to 0.
    """

    optimizer_roles = {"generator": ("generator",), "discriminator": ("discriminator",)}
    #: default players: "mlp", "conv", or "auto" (convolutional for images, MLP for vectors)
    network_family = "auto"
    #: normalisation of the default convolutional discriminator: True (batch norm), False, "layer"
    discriminator_normalization = True

    def __init__(
        self,
        data_shape,
        latent_dim=100,
        num_classes=None,
        prior="normal",
        hidden_units=(256, 256),
        generator_hidden_units=None,
        generator_batch_norm=False,
        base_filters=64,
        discriminator_dropout=0.0,
        discriminator_maxout_pieces=0,
        discriminator_init_std=None,
        packing=1,
        generator=None,
        discriminator=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(data_shape=data_shape, seed=seed, **kwargs)
        self.set_packing(packing)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.generator_hidden_units = tuple(int(u) for u in generator_hidden_units) if generator_hidden_units else None
        if generator_batch_norm not in (True, False):
            raise ValueError(f"generator_batch_norm must be True or False, got {generator_batch_norm!r}.")
        self.generator_batch_norm = bool(generator_batch_norm)
        self.base_filters = int(base_filters)
        self.discriminator_dropout = float(discriminator_dropout)
        self.discriminator_maxout_pieces = discriminator_maxout_pieces
        self.discriminator_init_std = discriminator_init_std
        self._check_mlp_discriminator_options(discriminator)
        priors.check_prior(prior, supported=("normal", "uniform"))
        self.latent_dim = int(latent_dim)
        self.num_classes = int(num_classes) if num_classes else None
        self.prior = prior
        self.generator = generator or self.build_generator()
        self.discriminator = discriminator or self.build_discriminator()
        self._check_generator_shape()
        self._check_network_inputs()

    # ------------------------------------------------------------------ networks
    def uses_conv_networks(self):
        """Convolutional players for "conv", MLPs for "mlp", by data shape for "auto"."""
        return self.network_family == "conv" or (self.network_family == "auto" and self.is_image)

    def conditioning_width(self):
        """Width of the one-hot condition both players take (0: unconditional)."""
        return self.num_classes or 0

    def build_generator(self):
        """Default generator for `data_shape`; subclasses override to change architecture."""
        labels = self.conditioning_width()
        if self.uses_conv_networks():
            return networks.build_conv_generator(
                self.latent_dim, self.data_shape, self.base_filters, labels
            )
        return networks.build_mlp_generator(
            self.latent_dim, self.data_shape, self.generator_hidden_units or self.hidden_units, labels,
            output_activation="tanh" if self.is_image else None, batch_norm=self.generator_batch_norm,
        )

    def build_discriminator(self):
        labels = self.conditioning_width() * self.packing  # a pack carries its members' conditions
        if self.uses_conv_networks():
            return networks.build_conv_discriminator(
                self.discriminator_input_shape(), self.base_filters, labels,
                batch_norm=self.discriminator_normalization, dropout=self.discriminator_dropout,
            )
        return networks.build_mlp_discriminator(
            self.discriminator_input_shape(), self.hidden_units, labels, dropout=self.discriminator_dropout,
            maxout_pieces=self.discriminator_maxout_pieces, init_std=self.discriminator_init_std,
        )

    def _check_mlp_discriminator_options(self, discriminator):
        """Refuse `discriminator_maxout_pieces` / `discriminator_init_std` where no default MLP
        discriminator uses them (a restored model passes its saved discriminator back in)."""
        pieces, std = self.discriminator_maxout_pieces, self.discriminator_init_std
        check_maxout_pieces(pieces, "discriminator_maxout_pieces")
        if std is not None and (isinstance(std, bool) or not isinstance(std, (int, float)) or not std > 0):
            raise ValueError(f"discriminator_init_std must be None (Keras' Glorot-uniform weights) or a "
                             f"positive standard deviation, got {std!r}.")
        asked = [f"discriminator_maxout_pieces={pieces}"] * bool(pieces) + [f"discriminator_init_std={std}"] * (std is not None)
        if not asked:
            return
        own_network = type(self).build_discriminator is not AdversarialModel.build_discriminator
        if discriminator is not None:
            if not pieces or any(isinstance(layer, Maxout) and layer.pieces == pieces
                                 for layer in getattr(discriminator, "layers", ())):
                return
            which = "the discriminator passed has no maxout units of that many pieces"
        elif own_network:
            which = f"{type(self).__name__} builds its own discriminator"
        elif self.uses_conv_networks():
            which = "image data get the convolutional discriminator"
        else:
            return
        raise ValueError(
            f"{' and '.join(asked)} set(s) the default MLP discriminator, but {which}: leave "
            "it unset, or build your own network (keras_gans.networks.layers.Maxout, "
            "keras.initializers.RandomNormal)."
        )

    def _check_network_inputs(self):
        """A conditioned model's players take [input, one-hot condition]: refuse others early."""
        expected = 2 if self.conditioning_width() else 1
        for role, network in (("generator", self.generator), ("discriminator", self.discriminator)):
            taken = len(network.inputs) if getattr(network, "inputs", None) else None
            if taken is not None and taken != expected:
                raise ValueError(
                    f"{type(self).__name__} conditions its players on {self.conditioning_width()} "
                    f"classes or clusters, so its {role} must take {expected} input(s) "
                    f"({'[x or z, one-hot condition]' if expected == 2 else 'x or z only'}); "
                    f"the {role} passed takes {taken}. Build it with the matching num_classes "
                    "(e.g. networks.build_conv_generator(..., num_classes=...)), or change the "
                    "model's num_classes / clusters."
                )
        if self.packing > 1 and getattr(self.discriminator, "inputs", None):
            taken = tuple(self.discriminator.inputs[0].shape[1:])
            if taken != self.discriminator_input_shape():
                raise ValueError(
                    f"With packing={self.packing} the discriminator judges packs of {self.packing} "
                    f"examples of shape {self.data_shape}, so its input must have shape "
                    f"{self.discriminator_input_shape()}; the discriminator passed takes {taken}. "
                    "Build it for keras_gans.components.packing.packed_shape(data_shape, packing), "
                    "or leave it out to get the default one."
                )

    def _check_generator_shape(self):
        produced = tuple(self.generator.outputs[0].shape[1:]) if hasattr(self.generator, "outputs") else None
        if produced is not None and produced != self.data_shape:
            raise ValueError(
                f"Generator output shape {produced} must match the data shape {self.data_shape}:"
                " pass a generator that produces the data's shape, or resize the data."
            )

    # ------------------------------------------------------------------ players
    def _with_labels(self, primary, labels):
        width = self.conditioning_width()
        if not width:
            return primary
        if labels is None:
            raise ValueError(f"{type(self).__name__} is conditioned on {width} classes: pass labels.")
        return [primary, self.one_hot(labels, width)]

    def generator_forward(self, z, labels=None, training=False):
        """G(z[, y]) in the model's range (tanh images in [-1, 1])."""
        return self.generator(self._with_labels(z, labels), training=training)

    def discriminator_forward(self, x, labels=None, training=False):
        """D(x[, y]) as logits (or critic scores): one per example, or per pack of `packing`
        consecutive examples (and their conditions)."""
        inputs = tf.nest.map_structure(self.pack_examples, self._with_labels(x, labels))
        return self.discriminator(inputs, training=training)

    def sample_prior(self, batch_size):
        """z ~ p(z) for this training step: N(0, I) or U[-1, 1]^d (Goodfellow et al. 2014)."""
        if self.prior == "uniform":
            return self.random_uniform([batch_size, self.latent_dim], -1.0, 1.0)
        return self.random_normal([batch_size, self.latent_dim])

    def call(self, inputs, training=False):
        """z, or (z, labels) for conditional models -> generator output in the model's range."""
        if self.num_classes:
            z, labels = inputs
            return self.generator_forward(z, labels, training=training)
        return self.generator_forward(inputs, training=training)

    @staticmethod
    def split_real_batches(x, labels, num_batches):
        """Cut one fit batch into `num_batches` real minibatches, one per critic step.

        Algorithm 1 of Goodfellow et al. (and of WGAN/WGAN-GP) samples a *fresh* real
        minibatch for each of the k discriminator steps; reusing one batch is a known peer
        bug. A fit batch therefore holds k minibatches of m examples.

        Minibatch j takes examples j, j + k, j + 2k, ... (strided, not contiguous): a replica
        holds a contiguous slice of the global batch, so with strides the union of the
        replicas' j-th minibatches is exactly one device's j-th minibatch, and N replicas
        make the same k updates as one device.
        """
        batch = x.shape[0]
        if num_batches == 1:
            return [(x, labels)]
        if batch is not None and batch % num_batches:
            raise ValueError(
                f"The batch of {batch} examples cannot be split into {num_batches} equal real "
                f"minibatches (one per discriminator step): use a batch size divisible by {num_batches}."
            )
        def strided(t):
            t = tf.reshape(t, tf.concat([[-1, num_batches], tf.shape(t)[1:]], axis=0))
            return tf.unstack(t, num=num_batches, axis=1)

        ys = strided(labels) if labels is not None else [None] * num_batches
        return list(zip(strided(x), ys))

    # ------------------------------------------------------------------ inference API
    def generate(self, z, labels=None):
        """Map latent vectors (and labels) to samples in data units (images in [0, 1])."""
        return self.to_data_units(self.generator_forward(z, labels, training=False))

    def draw_prior(self, num_samples, seed):
        """num_samples draws of p(z) from an explicit stateless seed (an int or a [2] tensor)."""
        seed = stateless_seed(seed)
        shape = tf.stack([num_samples, self.latent_dim])
        if self.prior == "uniform":
            return tf.random.stateless_uniform(shape, seed, -1.0, 1.0)
        return tf.random.stateless_normal(shape, seed)

    def sample(self, num_samples, seed=0, labels=None):
        """Draw `num_samples` samples in data units; `labels` (ints) for conditional models."""
        z = self.draw_prior(num_samples, tf.constant(seed, tf.int64))
        if self.num_classes and labels is None:
            raise ValueError(f"{type(self).__name__} needs labels: pass labels=[...] (0..{self.num_classes - 1}).")
        if labels is not None:
            labels = ops.broadcast_to(ops.convert_to_tensor(labels, "int32"), [num_samples])
        return self.generate(z, labels)

    def serving_endpoints(self):
        z_spec = tf.TensorSpec([None, self.latent_dim], tf.float32, name="z")
        count_spec = tf.TensorSpec([], tf.int32, name="count")
        seed_spec = tf.TensorSpec([], tf.int64, name="seed")
        if self.num_classes:
            labels_spec = tf.TensorSpec([None], tf.int32, name="labels")
            return {
                "serving_default": (
                    lambda z, labels: {"samples": self.generate(z, labels)},
                    [z_spec, labels_spec],
                ),
                "sample": (
                    lambda count, seed, labels: {
                        "samples": self.generate(self.draw_prior(count, seed), labels)
                    },
                    [count_spec, seed_spec, labels_spec],
                ),
            }
        return {
            "serving_default": (lambda z: {"samples": self.generate(z)}, [z_spec]),
            "sample": (
                lambda count, seed: {"samples": self.generate(self.draw_prior(count, seed))},
                [count_spec, seed_spec],
            ),
        }
