"""GAN: the original generative adversarial network."""

import keras
import tensorflow as tf

from keras_gans import augment, losses, networks
from keras_gans.losses import penalties
from keras_gans.models.adversarial import AdversarialModel
from keras_gans.core.ema import checked_ema_momentum, ema_options
from keras_gans.registry import register_model

GENERATOR_LOSSES = ("non_saturating", "minimax")


@register_model("gan")
class GAN(AdversarialModel):
    """Generative adversarial network with MLP players (Goodfellow et al. 2014).

    The two players play min_G max_D V(D, G) with
        V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D(x) = sigmoid(logit(x)).
    Algorithm 1: for k steps, sample a minibatch of m priors z and m examples x and ascend
    V in D; then sample m priors and descend in G, either E[log(1 - D(G(z)))] ("minimax") or,
    as the paper recommends in practice, -E[log D(G(z))] ("non_saturating").
    A fit batch holds the k real minibatches: batch size = k * m.

    Args:
        data_shape: tuple. Shape of one example, (D,) vectors or (H, W, C) images.
        latent_dim: int. Dimension of z. Defaults to 100.
        generator_loss: "non_saturating" or "minimax". Defaults to "non_saturating".
        discriminator_steps: int. k, discriminator updates per generator update. Defaults to 1.
        prior: "normal" or "uniform" (U[-1, 1]). Defaults to "normal".
        learning_rate: float. Adam learning rate (beta_1 = 0.5) of both players. Defaults to 2e-4.
        generator_ema: float. Momentum of an exponential moving average of the generator's
            weights, swapped in when `fit` ends (0 disables). Averaging smooths the
            oscillation of the adversarial game (Yazici et al. 2019, arXiv:1806.04498).
            Defaults to 0.
        augmentation: str or None. DiffAugment policy applied to real and fake images before
            the discriminator, e.g. "translation,cutout" (Zhao et al. 2020,
            arXiv:2006.10738). Defaults to None.
        zero_gp_weight: float. lambda of the zero-centred gradient penalty (0-GP, Thanh-Tung
            et al. 2019, arXiv:1902.03984) added to D's loss:
                lambda * E_{x_hat}[||grad_{x_hat} D(x_hat)||_2^2],  x_hat = a x + (1 - a) G(z),
            a ~ U[0, 1] once per example (per pack with packing), D(x_hat) D's raw output
            (the logit; a WGAN critic's score, an EBGAN energy). It keeps D's
            slope small on the paths between the data and the samples, so D cannot carve deep
            valleys between modes and G's gradient still moves mass towards a mode it has
            thinned. Not in the GAN paper: 0 (off) by default. With it on, the default
            convolutional discriminator uses layer norm instead of batch norm (the penalty is
            per example), and models whose discriminator loss is not GAN's refuse it.
        zero_gp_decay: None or (start, end), generator updates. None keeps lambda constant;
            (start, end) holds it until update `start`, lowers it linearly to 0 at update
            `end` and leaves it 0 after: the penalty evens the modes' masses early, and D needs
            updates without it to pull the samples into the modes. Not in the 0-GP paper.
            Defaults to None.
        num_classes, hidden_units, base_filters, discriminator_dropout, packing, generator,
            discriminator, seed: see `AdversarialModel`. With packing m (PacGAN), D's outputs
            are one per pack of m consecutive examples and every loss averages over packs.

    Example:
        >>> data = keras_gans.data.load_dataset("ring8")
        >>> gan = keras_gans.models.GAN(data_shape=(2,), latent_dim=16)
        >>> gan.compile()
        >>> gan.fit(keras_gans.data.make_pipeline(data, 256), epochs=5)
        >>> points = gan.sample(2500, seed=1)

    Reference: Goodfellow et al. 2014, "Generative Adversarial Nets", arXiv:1406.2661.
    """

    metric_names = ("discriminator_loss", "generator_loss")
    network_family = "mlp"

    def __init__(
        self,
        data_shape,
        latent_dim=100,
        generator_loss="non_saturating",
        discriminator_steps=1,
        prior="normal",
        learning_rate=2e-4,
        generator_ema=0.0,
        num_classes=None,
        hidden_units=(256, 256),
        base_filters=64,
        discriminator_dropout=0.0,
        augmentation=None,
        zero_gp_weight=0.0,
        zero_gp_decay=None,
        generator=None,
        discriminator=None,
        seed=0,
        **kwargs,
    ):
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {GENERATOR_LOSSES}, got {generator_loss!r}.")
        if int(discriminator_steps) < 1:
            raise ValueError(f"discriminator_steps must be >= 1, got {discriminator_steps}.")
        self.generator_loss_type = generator_loss
        self.discriminator_steps = int(discriminator_steps)
        self.learning_rate = float(learning_rate)
        self.generator_ema = checked_ema_momentum(generator_ema, "generator_ema")
        self.augmentation = augmentation or None
        self._augmentation_policy = augment.parse_policy(augmentation)
        self.zero_gp_weight = zero_gp_weight
        penalties_on = self._prepare_input_gradient_penalties()
        self.zero_gp_decay = self._checked_zero_gp_decay(zero_gp_decay)
        super().__init__(
            data_shape=data_shape, latent_dim=latent_dim, num_classes=num_classes, prior=prior,
            hidden_units=hidden_units, base_filters=base_filters,
            discriminator_dropout=discriminator_dropout, generator=generator,
            discriminator=discriminator, seed=seed, **kwargs,
        )
        for argument, penalty in penalties_on.items():
            networks.refuse_batch_normalization(
                self.discriminator, type(self).__name__, f"{penalty} ({argument}={getattr(self, argument)})")
        self.finish_init()

    #: each penalty on D's input gradient this model can add to D's loss, as the constructor
    #: argument holding its weight -> (its logged name, what it is, for messages). One that is
    #: on (weight > 0) is logged, gives the default discriminator layer norm instead of batch
    #: norm, and refuses a given discriminator with batch norm: the penalty is per example,
    #: and batch statistics would mix the examples. A subclass with its own penalty sets the
    #: weight attribute before calling GAN's constructor.
    input_gradient_penalties = {"zero_gp_weight": ("zero_gp", "the 0-GP")}

    #: a subclass whose discriminator objective adds to GAN's (calls it) sets True, so that
    #: zero_gp_weight is accepted there; one that replaces it refuses the penalty, not drops it
    extends_gan_discriminator_objective = False

    def _prepare_input_gradient_penalties(self):
        """Check the penalty weights; log the penalties that are on and give the default
        discriminator layer norm (before it is built). Returns {argument: what it is} of those on."""
        penalties_on = {}
        for argument, (metric, penalty) in {**GAN.input_gradient_penalties, **self.input_gradient_penalties}.items():
            weight = getattr(self, argument)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight >= 0:
                raise ValueError(f"{argument} must be a number >= 0 (0 disables {penalty}), got {weight!r}.")
            setattr(self, argument, float(weight))
            if weight:
                penalties_on[argument] = penalty
                if metric not in self.metric_names:
                    self.metric_names = (*self.metric_names, metric)
        replaced = (type(self).discriminator_objective is not GAN.discriminator_objective
                    and not self.extends_gan_discriminator_objective) or type(self).train_step is not GAN.train_step
        if self.zero_gp_weight and (replaced or "zero_gp_weight" not in self.input_gradient_penalties):
            raise ValueError(f"zero_gp_weight is added to GAN's discriminator loss, which {type(self).__name__} "
                             "replaces with its own; leave it 0 here.")
        if penalties_on:
            self.discriminator_normalization = "layer"
        return penalties_on

    def _checked_zero_gp_decay(self, decay):
        if decay is None:
            return None
        pair = tuple(decay) if isinstance(decay, (list, tuple)) else ()
        if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair) \
                or not 0 <= pair[0] <= pair[1]:
            raise ValueError("zero_gp_decay must be None or (start, end): whole generator updates with "
                             f"0 <= start <= end, e.g. (60000, 100000); got {decay!r}.")
        if not self.zero_gp_weight:
            raise ValueError(f"zero_gp_decay={decay!r} decays the 0-GP, which is off: set zero_gp_weight > 0 too.")
        return pair

    def zero_gp_lambda(self):
        """The 0-GP's lambda at this step: zero_gp_weight, decayed as `zero_gp_decay` says."""
        if self.zero_gp_decay is None:
            return self.zero_gp_weight
        start, end = self.zero_gp_decay
        updates = tf.cast(self.step_counter, tf.float32)  # generator updates before this one
        return self.zero_gp_weight * tf.clip_by_value((end - updates) / max(end - start, 1), 0.0, 1.0)

    @property
    def generator_loss(self):  # the constructor argument, under its own name, for get_config
        return self.generator_loss_type

    def generator_ema_options(self):
        """Optimizer keyword arguments that keep the generator's weight average (if asked)."""
        return ema_options(self.generator_ema)

    def default_optimizers(self):
        return {
            "generator": keras.optimizers.Adam(self.learning_rate, beta_1=0.5, **self.generator_ema_options()),
            "discriminator": keras.optimizers.Adam(self.learning_rate, beta_1=0.5),
        }

    # ------------------------------------------------------------------ objectives
    # A model of this family writes its players' objectives (`discriminator_objective`,
    # `generator_objective`, or just the loss pair `discriminator_loss` /
    # `adversarial_generator_loss` when only that changes); `train_step` below is the
    # schedule of Algorithm 1 they share. Each objective returns (loss, {logged name: value}).

    #: the name D's loss is logged under (WGAN's critic: "critic_loss")
    discriminator_metric = "discriminator_loss"

    def augmented(self, x):
        """x through the DiffAugment policy (unchanged without one): D sees real and fake alike."""
        if self._augmentation_policy:
            x = augment.diff_augment(x, self._augmentation_policy, self.random_uniform)
        return x

    def judge(self, x, labels=None):
        """D's outputs on (augmented, when a DiffAugment policy is set) inputs."""
        return self.discriminator_forward(self.augmented(x), labels, training=True)

    def fake_condition(self, z, labels):
        """The condition of G(z) and of D on it: the real minibatch's labels, y ~ p_data(y)."""
        return labels

    def fake_batch(self, batch_size, labels=None):
        """(G(z), its condition) for `batch_size` fresh priors z ~ p(z)."""
        z = self.sample_prior(batch_size)
        y_fake = self.fake_condition(z, labels)
        return self.generator_forward(z, y_fake, training=True), y_fake

    def discriminator_loss(self, real_outputs, fake_outputs):
        """-V(D, G) from D's logits on a real and a generated minibatch."""
        return losses.minimax_discriminator_loss(real_outputs, fake_outputs)

    def adversarial_generator_loss(self, fake_outputs):
        """The generator's loss from D's logits on generated data."""
        if self.generator_loss_type == "minimax":
            return losses.minimax_generator_loss(fake_outputs)
        return losses.non_saturating_generator_loss(fake_outputs)

    def discriminator_objective(self, x, labels=None):
        """D's loss on one real minibatch x and as many fresh priors (plus the 0-GP when on)."""
        x_fake, y_fake = self.fake_batch(tf.shape(x)[0], labels)
        loss = self.discriminator_loss(self.judge(x, labels), self.judge(x_fake, y_fake))
        terms = {self.discriminator_metric: loss}
        if self.zero_gp_weight:
            zero_gp = self.zero_gp_lambda() * self.interpolate_penalty(x, x_fake, labels, target=0.0)
            loss, terms = loss + zero_gp, {**terms, "zero_gp": zero_gp}
        return loss, terms

    def interpolate_penalty(self, x, x_fake, labels=None, target=1.0, critic=None):
        """E[(||grad D(x_hat)||_2 - target)^2] at x_hat = e x + (1 - e) x_fake, e ~ U[0, 1] once
        per example (per pack with packing): WGAN-GP's penalty (target 1), or the 0-GP
        (target 0). `critic` maps x_hat to D's outputs; None judges it as the loss does."""
        epsilon = self.random_uniform([tf.shape(x)[0] // self.packing], 0.0, 1.0)
        return penalties.gradient_penalty(
            critic or (lambda x_hat: self.judge(x_hat, labels)), x, x_fake, epsilon, target=target,
            scale_loss=self.role_optimizers["discriminator"].scale_loss,  # the inner gradient too
            packing=self.packing,
        )

    def generator_objective(self, batch_size, labels=None):
        """G's loss on `batch_size` fresh priors."""
        x_fake, y_fake = self.fake_batch(batch_size, labels)
        loss = self.adversarial_generator_loss(self.judge(x_fake, y_fake))
        return loss, {"generator_loss": loss}

    def after_discriminator_update(self):
        """A constraint applied after every discriminator update (WGAN clips its weights)."""

    def train_step(self, data):
        # Algorithm 1: k discriminator updates, each on a fresh real minibatch (a fit batch
        # holds k of them) and fresh priors, then one generator update on fresh priors.
        self.begin_step()
        x, labels = self.split_batch(data)
        if self.num_classes and labels is None:
            raise ValueError(f"{type(self).__name__} is conditional: the dataset must yield (images, labels).")
        labels = labels if self.num_classes else None
        for x_real, y_real in self.split_real_batches(x, labels, self.discriminator_steps):
            _, d_terms = self.minimize(
                "discriminator", lambda x_real=x_real, y_real=y_real: self.discriminator_objective(x_real, y_real)
            )
            self.after_discriminator_update()
        # G conditions on labels drawn from the data (the last real minibatch's): y ~ p(y).
        _, g_terms = self.minimize("generator", lambda: self.generator_objective(tf.shape(x_real)[0], y_real))
        return self.end_step(**d_terms, **g_terms)
