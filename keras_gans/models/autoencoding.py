"""AutoencodingModel: an encoder, a decoder, a latent prior, and the autoencoder inference API."""

import keras
import tensorflow as tf
from keras import ops

from keras_gans import losses, networks
from keras_gans.data.pipeline import to_model_range
from keras_gans.core.gradients import loss_and_terms
from keras_gans.core.randomness import stateless_seed
from keras_gans.models.base import GenerativeModel
from keras_gans.components.code_density import CodeDensity

SAMPLERS = ("prior", "ex_post")


class AutoencodingModel(CodeDensity, GenerativeModel):
    """Shared plumbing of the autoencoder family (not registered itself).

    The encoder maps an example to a code z (or, when `variational`, to the mean and
    log-variance of a Gaussian posterior q(z|x), log-variance clipped); the decoder maps z
    (and a one-hot label, for decoders conditioned on classes) to pre-activations `a`:
    images are x_hat = tanh(a / 2) = 2 sigmoid(a) - 1 in the model's [-1, 1] range, so `a`
    are also the logits of a Bernoulli decoder of the [0, 1] pixel intensities; vectors are
    x_hat = a. Subclasses write the objectives and `train_step`.

    Public methods take and return data units (images in [0, 1]): `encode`, `decode`,
    `reconstruct`, `interpolate`, `sample`; `serving_endpoints` exports them.

    Args:
        data_shape: tuple. Shape of one example: (H, W, C) images or (D,) vectors.
        latent_dim: int. Dimension of z. Defaults to 16.
        num_classes: int or None. Condition the decoder (and, for models with
            `encoder_conditional`, the encoder) on one-hot class labels. Defaults to None.
        reconstruction: "bernoulli", "l2" or "l1": -log p(x|z) of a Bernoulli decoder from
            logits (images only), or the summed squared / absolute error. Defaults to
            "bernoulli" for images, "l2" for vectors.
        learning_rate: float. Adam learning rate of every role. Defaults to 1e-3.
        hidden_units: tuple of int. Widths of default MLP networks (vector data). Defaults to (256, 256).
        base_filters: int. Filters of the default convolutional networks' outermost layer.
            Defaults to 32.
        sampler: "prior" (decode z ~ p(z)) or "ex_post" (decode draws of a Gaussian mixture
            fitted to the training codes when `fit` ends, Ghosh et al. 2020; the only
            choice for models without a prior). Defaults to "prior" where there is one.
        density_components: int. Components of the ex-post mixture. Defaults to 30. Ghosh
            et al.: 10; more components follow the codes' clusters more closely, so fewer
            draws fall between them. `--set density_components=10` restores it.
        encoder, decoder: keras.Model or None. Networks to use instead of the defaults. The
            encoder outputs latent_dim values (2 * latent_dim when variational); the decoder
            outputs pre-activations `a` of the data's shape.
        seed: int. Seed of the training noise. Defaults to 0.
    """

    optimizer_roles = {"autoencoder": ("encoder", "decoder")}
    metric_names = ("reconstruction_loss",)
    #: the encoder outputs a Gaussian posterior (mean, log-variance) rather than a code
    variational = False
    #: labels condition the encoder as well as the decoder (CVAE-GAN)
    encoder_conditional = False
    #: False for autoencoders without a latent prior: they sample ex post
    has_prior = True
    #: batch norm in the default convolutional encoder and decoder
    encoder_batch_norm = True
    decoder_batch_norm = True

    def __init__(
        self,
        data_shape,
        latent_dim=16,
        num_classes=None,
        reconstruction=None,
        learning_rate=1e-3,
        hidden_units=(256, 256),
        base_filters=32,
        sampler=None,
        density_components=30,
        encoder=None,
        decoder=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(data_shape=data_shape, seed=seed, **kwargs)
        self.latent_dim = int(latent_dim)
        self.sampler = sampler or ("prior" if self.has_prior else "ex_post")
        if self.sampler not in SAMPLERS or (self.sampler == "prior" and not self.has_prior):
            choices = SAMPLERS if self.has_prior else ("ex_post",)
            raise ValueError(f"{type(self).__name__} sampler must be one of {choices}, got {sampler!r}.")
        self.density_components = int(density_components)
        if self.sampler == "ex_post":
            self.add_code_density(self.density_components)
        self.num_classes = int(num_classes) if num_classes else None
        self.reconstruction = reconstruction or ("bernoulli" if self.is_image else "l2")
        if self.reconstruction not in losses.RECONSTRUCTION_LOSSES:
            raise ValueError(
                f"reconstruction must be one of {losses.RECONSTRUCTION_LOSSES}, got {reconstruction!r}."
            )
        if self.reconstruction == "bernoulli" and not self.is_image:
            raise ValueError(
                "The Bernoulli reconstruction loss models pixel intensities in [0, 1]; for vector "
                "data use reconstruction='l2'."
            )
        self.learning_rate = float(learning_rate)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.base_filters = int(base_filters)
        self.encoder = encoder or self.build_encoder()
        self.decoder = decoder or self.build_decoder()

    def default_optimizers(self):
        return {role: keras.optimizers.Adam(self.learning_rate) for role in self.optimizer_roles}

    # ------------------------------------------------------------------ networks
    def build_encoder(self):
        outputs = self.latent_dim * (2 if self.variational else 1)
        labels = self.num_classes if (self.num_classes and self.encoder_conditional) else 0
        if self.is_image:
            return networks.build_conv_encoder(
                self.data_shape, outputs, self.base_filters, num_classes=labels,
                batch_norm=self.encoder_batch_norm, name="encoder",
            )
        return networks.build_mlp_discriminator(
            self.data_shape, self.hidden_units, labels, output_units=outputs, name="encoder"
        )

    def build_decoder(self):
        labels = self.num_classes or 0
        if self.is_image:
            return networks.build_conv_generator(
                self.latent_dim, self.data_shape, self.base_filters, labels,
                batch_norm=self.decoder_batch_norm, output_activation=None, name="decoder",
            )
        return networks.build_mlp_generator(
            self.latent_dim, self.data_shape, self.hidden_units, labels, name="decoder"
        )

    # ------------------------------------------------------------------ labels
    def label_codes(self, labels):
        """Integer labels -> one-hot rows (None for unconditional models)."""
        if not self.num_classes:
            return None
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} is conditioned on {self.num_classes} classes: pass labels "
                "(train on a labelled dataset, e.g. mnist_train)."
            )
        return self.one_hot(labels)

    @staticmethod
    def _with(primary, y):
        return primary if y is None else [primary, y]

    # ------------------------------------------------------------------ forward passes (model range)
    def posterior(self, x, y=None, training=False):
        """(z_mean, z_log_var) of q(z|x[, y]); z_log_var is None for deterministic encoders."""
        outputs = ops.cast(
            self.encoder(self._with(x, y if self.encoder_conditional else None), training=training),
            "float32",
        )
        if not self.variational:
            return outputs, None
        z_mean, z_log_var = ops.split(outputs, 2, axis=-1)
        return z_mean, losses.divergences.clip_log_variance(z_log_var)

    def encode_sample(self, x, y=None, training=False):
        """(z, z_mean, z_log_var): z ~ q(z|x) by reparameterisation (z = z_mean when
        deterministic), with this step's noise."""
        z_mean, z_log_var = self.posterior(x, y, training=training)
        if z_log_var is None:
            return z_mean, z_mean, None
        epsilon = self.random_normal(ops.shape(z_mean))
        return losses.reparameterize(z_mean, z_log_var, epsilon), z_mean, z_log_var

    def decoder_logits(self, z, y=None, training=False):
        """The decoder's pre-activations a (Bernoulli logits for images)."""
        return ops.cast(self.decoder(self._with(z, y), training=training), "float32")

    def activate(self, a):
        """Pre-activations -> the model's range: tanh(a / 2) = 2 sigmoid(a) - 1 for images."""
        return ops.tanh(0.5 * a) if self.is_image else a

    def decoder_forward(self, z, y=None, training=False):
        """Dec(z[, y]) in the model's range."""
        return self.activate(self.decoder_logits(z, y, training=training))

    def reconstruction_term(self, x, a):
        """-log p(x|z) (batch mean) from the decoder's pre-activations a for inputs x."""
        return losses.reconstruction_loss(x, self.activate(a), self.reconstruction, logits=a)

    # ------------------------------------------------------------------ autoencoder-GAN hybrids
    def decode_pair(self, z, z_p, y=None):
        """Decoder pre-activations of the codes z and the prior draws z_p, decoded in one batch
        (VAE-GAN, Double GAN): (a_tilde, a_p)."""
        both = None if y is None else ops.concatenate([y, y], axis=0)
        a = self.decoder_logits(ops.concatenate([z, z_p], axis=0), both, training=True)
        return ops.split(a, 2, axis=0)

    @staticmethod
    def judge_each(discriminator, *batches):
        """A [logits, features] discriminator on each batch as a batch of its own (batch
        statistics of each its own, as in DCGAN): ([logits, ...], [features, ...]) in float32.
        Batch statistics of a mixed real/fake batch let the discriminator tell them apart by
        the statistics alone."""
        outputs = [discriminator(batch, training=True) for batch in batches]
        return ([ops.cast(logits, "float32") for logits, _ in outputs],
                [ops.cast(features, "float32") for _, features in outputs])

    # ------------------------------------------------------------------ prior
    def draw_latents(self, num_samples, seed):
        """The num_samples latent vectors `sample` decodes, from an explicit stateless seed (an
        int or a [2] tensor): draws of p(z), or of the ex-post code mixture (sampler="ex_post")."""
        if self.sampler == "ex_post":
            return self.mixture_sample(num_samples, seed)
        return self.draw_prior(num_samples, seed)

    def draw_prior(self, num_samples, seed):
        """num_samples draws of p(z) = N(0, I) from an explicit stateless seed."""
        return tf.random.stateless_normal(tf.stack([num_samples, self.latent_dim]), stateless_seed(seed))

    def finish_training(self, data):  # GenerativeModel's hook, after the last fit
        super().finish_training(data)
        if self.sampler == "ex_post":
            self.fit_code_density(data)

    def sample_prior(self, batch_size):
        """z ~ p(z) for this training step (this replica's slice of the global draw)."""
        return self.random_normal([batch_size, self.latent_dim])

    # ------------------------------------------------------------------ training
    def autoencoder_objective(self, x, y=None):
        """(loss, terms) of the autoencoder role on one batch; subclasses extend it."""
        z, _, _ = self.encode_sample(x, y, training=True)
        reconstruction_loss = self.reconstruction_term(x, self.decoder_logits(z, y, training=True))
        return reconstruction_loss, {"reconstruction_loss": reconstruction_loss}

    def objectives(self, x, y=None):
        """({role: loss}, logged terms) of one step from one forward pass. Models whose roles
        all learn from one forward pass (VAE-GAN, CVAE-GAN, Double GAN, GAIA) override this
        and share `train_step`; the default is the autoencoder role's objective."""
        loss, terms = loss_and_terms(self.autoencoder_objective(x, y))
        return {"autoencoder": loss}, terms

    def train_step(self, data):
        self.begin_step()
        x, labels = self.split_batch(data)
        y = self.label_codes(labels)
        _, terms = self.minimize_each(lambda: self.objectives(x, y))
        return self.end_step(**terms)

    # ------------------------------------------------------------------ inference API (data units)
    def _labels_or_none(self, labels, count):
        if not self.num_classes:
            if labels is not None:
                raise ValueError(f"{type(self).__name__} is not conditional: drop the labels.")
            return None
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} needs labels: pass labels=[...] (0..{self.num_classes - 1})."
            )
        return self.one_hot(ops.broadcast_to(ops.convert_to_tensor(labels, "int32"), [count]))

    def _model_input(self, x):
        x = ops.convert_to_tensor(x, "float32")
        return to_model_range(x) if self.is_image else x

    def encode(self, x, labels=None):
        """Codes of `x` (data units): the posterior mean for variational encoders."""
        x = self._model_input(x)
        return self.posterior(x, self._labels_or_none(labels, ops.shape(x)[0]))[0]

    def decode(self, z, labels=None):
        """Decode latent vectors to examples in data units (images in [0, 1])."""
        z = ops.convert_to_tensor(z, "float32")
        return self.to_data_units(self.decoder_forward(z, self._labels_or_none(labels, ops.shape(z)[0])))

    def generate(self, z, labels=None):
        """Alias of `decode`: the name every model's sampling callbacks use."""
        return self.decode(z, labels)

    def reconstruct(self, x, labels=None):
        """Dec(Enc(x)) in data units, through the posterior mean."""
        return self.decode(self.encode(x, labels), labels)

    def interpolate(self, x1, x2, t, labels=None, labels2=None):
        """Decode z = (1 - t) z1 + t z2 for each row: z1 = Enc(x1), z2 = Enc(x2), t of shape (N,).

        For conditional decoders the one-hot labels are interpolated alike (labels2
        defaults to labels). A strip between two examples: repeat them and pass
        t = linspace(0, 1, steps).
        """
        x1 = self._model_input(x1)
        count = ops.shape(x1)[0]
        y1 = self._labels_or_none(labels, count)
        y2 = y1 if labels2 is None else self._labels_or_none(labels2, count)
        z1 = self.posterior(x1, y1)[0]
        z2 = self.posterior(self._model_input(x2), y2)[0]
        t = ops.reshape(ops.cast(t, "float32"), [-1, 1])
        y = None if y1 is None else (1.0 - t) * y1 + t * y2
        return self.to_data_units(self.decoder_forward(self.latent_path(z1, z2, t), y))

    @staticmethod
    def latent_path(z1, z2, t):
        """The point at fraction t of the way from z1 to z2 (linear; GAIA adds spherical)."""
        return (1.0 - t) * z1 + t * z2

    def sample(self, num_samples, seed=0, labels=None):
        """Decode `num_samples` draws of the prior p(z) (data units)."""
        z = self.draw_latents(num_samples, tf.constant(seed, tf.int64))
        return self.decode(z, labels)

    def serving_endpoints(self):
        """reconstruct (also serving_default), encode, decode, interpolate and sample; each
        takes a trailing `labels` input when the decoder is conditioned on classes."""
        x_spec = lambda name: tf.TensorSpec([None, *self.data_shape], tf.float32, name=name)  # noqa: E731
        endpoints = {
            "reconstruct": (lambda x, labels=None: {"reconstructions": self.reconstruct(x, labels)},
                            [x_spec("x")]),
            "encode": (lambda x, labels=None: {"codes": self.encode(x, labels)}, [x_spec("x")]),
            "decode": (lambda z, labels=None: {"images": self.decode(z, labels)},
                       [tf.TensorSpec([None, self.latent_dim], tf.float32, name="z")]),
            "interpolate": (
                lambda x1, x2, t, labels=None: {"images": self.interpolate(x1, x2, t, labels)},
                [x_spec("x1"), x_spec("x2"), tf.TensorSpec([None], tf.float32, name="t")],
            ),
            "sample": (
                lambda count, seed, labels=None: {
                    "samples": self.decode(self.draw_latents(count, seed), labels)
                },
                [tf.TensorSpec([], tf.int32, name="count"), tf.TensorSpec([], tf.int64, name="seed")],
            ),
        }
        if self.num_classes:
            labels_spec = tf.TensorSpec([None], tf.int32, name="labels")
            endpoints = {name: (fn, [*specs, labels_spec]) for name, (fn, specs) in endpoints.items()}
        endpoints["serving_default"] = endpoints["reconstruct"]
        return endpoints
