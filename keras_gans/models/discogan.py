"""DiscoGAN (Kim, Cha, Kim, Lee & Kim 2017)."""

from keras import ops

from keras_gans import losses
from keras_gans.models.translation import TranslationModel
from keras_gans.networks.conv import build_conv_discriminator
from keras_gans.networks.translation import build_encoder_decoder_generator
from keras_gans.registry import register_model


@register_model("discogan")
class DiscoGAN(TranslationModel):
    """DiscoGAN: two GANs coupled by reconstruction, discovering cross-domain relations
    (Kim et al. 2017).

    G_AB: A -> B, G_BA: B -> A, D_A, D_B. With x_AB = G_AB(x_A) and x_ABA = G_BA(x_AB)
    (section 3.2, eqs. 1-5):
        L_CONST_A = d(x_ABA, x_A)                     (reconstruction, a distance d)
        L_GAN_B = -E_xA[log D_B(G_AB(x_A))]           (G_AB fools D_B)
        L_G = L_GAB + L_GBA,  L_GAB = L_GAN_B + L_CONST_A,  L_GBA = L_GAN_A + L_CONST_B
        L_D = L_DA + L_DB,  L_DB = -E_xB[log D_B(x_B)] - E_xA[log(1 - D_B(G_AB(x_A)))]
    As in the authors' code, the generators weigh the two kinds of term by a rate r:
        L_G = (1 - r)(L_GAN_A + L_GAN_B) + r (L_CONST_A + L_CONST_B),
    r = `initial_reconstruction_weight` (0.01: mostly GAN) for the first `curriculum_steps`
    steps, then `reconstruction_weight` (0.5), and d is the mean squared error per pixel.
    Losses are binary cross-entropy from D's logits. Each step: one D update (D_A and D_B,
    one optimizer), then one G update (G_AB and G_BA, one optimizer), each on a fresh pass.
    Logged: gan_loss_a (L_GAN_A), gan_loss_b, reconstruction_loss_a (L_CONST_A),
    reconstruction_loss_b, reconstruction_weight (r), generator_loss, discriminator_a_loss,
    discriminator_b_loss.

    Networks (the authors' code): generators of 4x4 stride-2 convolutions down to a 3-7 px
    base and transposed ones back (batch norm, LeakyReLU 0.2 / ReLU), DCGAN-rule
    discriminators. Departures from the authors' code, which the paper does not describe:
    no feature-matching term in the generators' GAN loss (their code mixes 0.1 GAN + 0.9
    feature matching), one G update per D update (theirs: two), Adam without their weight
    decay of 1e-5, D's loss without their factor 1/2 (the paper's eq.), and tanh images in
    [-1, 1] (theirs: sigmoid, [0, 1]), the library's range.

    Args:
        data_shape: tuple. (H, W, C) of domain A; square, halving to a 3-7 px base (28, 32,
            64, ...).
        data_shape_b: tuple or None. (H, W, C') of domain B; None takes `data_shape`.
        reconstruction_distance: "l2" (mean squared error, the authors' code) or "l1".
            Defaults to "l2".
        reconstruction_weight: float. r after the curriculum. Defaults to 0.5 (the authors').
        initial_reconstruction_weight: float. r during the curriculum. Defaults to 0.01.
        curriculum_steps: int. Training steps at the initial weight. Defaults to 10,000.
        base_filters: int. Filters of the networks' outermost layers, doubling per
            resolution. Defaults to 32 (the authors' 64; halved for CPU budgets).
        batch_norm: True, False, "sync" or "layer": normalisation of the hidden layers of
            all four networks. Defaults to True (the authors' batch norm).
        learning_rate: float. Adam rate (beta_1 = 0.5) of both optimizers. Defaults to 2e-4.
        generator_ab, generator_ba, discriminator_a, discriminator_b: keras.Model or None.
            Networks to use instead of the defaults (D outputs one logit per image).
        seed: int. Seed of the training noise. Defaults to 0.
        packing: int. PacGAN's m for D_A and D_B (see `TranslationModel`). Defaults to 1 (off).

    Example:
        >>> mnist = keras_gans.data.load_dataset("mnist_train")
        >>> digits = keras_gans.data.load_dataset("digits28")
        >>> model = keras_gans.models.DiscoGAN(mnist.data_shape, digits.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_domain_pipeline(mnist, digits, 64), epochs=5)
        >>> model.translate(digits.x[:8], "b_to_a")

    Reference: Kim, Cha, Kim, Lee & Kim 2017, "Learning to Discover Cross-Domain Relations
    with Generative Adversarial Networks", arXiv:1703.05192; the authors' code,
    github.com/SKTBrain/DiscoGAN.
    """

    metric_names = ("discriminator_a_loss", "discriminator_b_loss", "gan_loss_a", "gan_loss_b",
                    "reconstruction_loss_a", "reconstruction_loss_b", "reconstruction_weight",
                    "generator_loss")

    def __init__(self, data_shape, data_shape_b=None, reconstruction_distance="l2",
                 reconstruction_weight=0.5, initial_reconstruction_weight=0.01, curriculum_steps=10_000,
                 base_filters=32, batch_norm=True, learning_rate=2e-4, generator_ab=None,
                 generator_ba=None, discriminator_a=None, discriminator_b=None, seed=0, **kwargs):
        if reconstruction_distance not in losses.CYCLE_NORMS:
            raise ValueError(f"reconstruction_distance must be one of {losses.CYCLE_NORMS}, "
                             f"got {reconstruction_distance!r}.")
        self.reconstruction_distance = reconstruction_distance
        self.reconstruction_weight = float(reconstruction_weight)
        self.initial_reconstruction_weight = float(initial_reconstruction_weight)
        self.curriculum_steps = int(curriculum_steps)
        self.batch_norm = batch_norm
        super().__init__(data_shape=data_shape, data_shape_b=data_shape_b, base_filters=base_filters,
                         learning_rate=learning_rate, generator_ab=generator_ab, generator_ba=generator_ba,
                         discriminator_a=discriminator_a, discriminator_b=discriminator_b, seed=seed, **kwargs)
        self.finish_init()

    def build_generator(self, input_shape, output_channels):
        return build_encoder_decoder_generator(input_shape, output_channels, self.base_filters, self.batch_norm)

    def build_discriminator(self, image_shape):
        return build_conv_discriminator(image_shape, self.base_filters, batch_norm=self.batch_norm)

    def current_reconstruction_weight(self):
        """r of this step: the curriculum's weight before `curriculum_steps`, then the other."""
        in_curriculum = ops.less(self.step_counter, self.curriculum_steps)
        return ops.where(in_curriculum, self.initial_reconstruction_weight, self.reconstruction_weight)

    # ------------------------------------------------------------------ objectives
    def discriminator_objective(self, x_a, x_b):
        """L_D = L_DA + L_DB on real images and this step's translations."""
        x_ba, x_ab = self.generator_ba(x_b, training=True), self.generator_ab(x_a, training=True)
        terms = {
            "discriminator_a_loss": losses.minimax_discriminator_loss(
                self.judge_a(x_a), self.judge_a(x_ba)),
            "discriminator_b_loss": losses.minimax_discriminator_loss(
                self.judge_b(x_b), self.judge_b(x_ab)),
        }
        return terms["discriminator_a_loss"] + terms["discriminator_b_loss"], terms

    def generator_objective(self, x_a, x_b, reconstruction_weight):
        """L_G = (1 - r)(L_GAN_A + L_GAN_B) + r (L_CONST_A + L_CONST_B)."""
        x_ab, x_ba = self.generator_ab(x_a, training=True), self.generator_ba(x_b, training=True)
        x_aba, x_bab = self.generator_ba(x_ab, training=True), self.generator_ab(x_ba, training=True)
        terms = {
            "gan_loss_a": losses.non_saturating_generator_loss(self.judge_a(x_ba)),
            "gan_loss_b": losses.non_saturating_generator_loss(self.judge_b(x_ab)),
            "reconstruction_loss_a": losses.cycle_consistency_loss(x_a, x_aba, self.reconstruction_distance),
            "reconstruction_loss_b": losses.cycle_consistency_loss(x_b, x_bab, self.reconstruction_distance),
        }
        r = ops.cast(reconstruction_weight, "float32")
        loss = ((1.0 - r) * (terms["gan_loss_a"] + terms["gan_loss_b"])
                + r * (terms["reconstruction_loss_a"] + terms["reconstruction_loss_b"]))
        return loss, {**terms, "reconstruction_weight": r, "generator_loss": loss}

    def train_step(self, data):
        self.begin_step()
        x_a, x_b = self.split_domains(data)
        r = self.current_reconstruction_weight()
        _, d_terms = self.minimize("discriminator", lambda: self.discriminator_objective(x_a, x_b))
        _, g_terms = self.minimize("generator", lambda: self.generator_objective(x_a, x_b, r))
        return self.end_step(**d_terms, **g_terms)
