"""CycleGAN (Zhu, Park, Isola & Efros 2017)."""

import keras
from keras import ops

from keras_gans import losses
from keras_gans.components.image_pool import ImagePool
from keras_gans.components.schedules import ConstantThenLinearDecay
from keras_gans.models.translation import TranslationModel
from keras_gans.networks.translation import build_patch_discriminator, build_resnet_generator
from keras_gans.registry import register_model


@register_model("cyclegan")
class CycleGAN(TranslationModel):
    """CycleGAN: unpaired translation X <-> Y kept honest by cycle consistency (Zhu et al. 2017).

    G: X -> Y (`generator_ab`), F: Y -> X (`generator_ba`), D_X and D_Y (`discriminator_a`,
    `discriminator_b`); X is domain A of the fit batches (x_a, x_b), Y is domain B.
    The full objective (eq. 3, with the least-squares GAN loss of section 4 and the identity
    loss of section 5.2):
        L(G, F, D_X, D_Y) = L_GAN(G, D_Y, X, Y) + L_GAN(F, D_X, Y, X) + lambda L_cyc(G, F)
                            + lambda_id L_identity(G, F)
        L_cyc = E_x ||F(G(x)) - x||_1 + E_y ||G(F(y)) - y||_1
        L_identity = E_y ||G(y) - y||_1 + E_x ||F(x) - x||_1   (only when X and Y have the
                                                               same channel count)
    G and F (one optimizer) minimise
        E_x[(D_Y(G(x)) - 1)^2] + E_y[(D_X(F(y)) - 1)^2] + lambda L_cyc + lambda_id L_identity;
    then D_Y and D_X (one optimizer) minimise
        1/2 E_y[(D_Y(y) - 1)^2] + 1/2 E[D_Y(y_hist)^2]  and the same for D_X,
    where y_hist are G's images of this step passed through a history of 50 earlier ones
    (the image pool, section 4). D outputs one value per patch (PatchGAN); every loss
    averages over patches and pixels (the authors' code: ||.||_1 is a per-pixel mean, so
    lambda = 10 is on that scale). Logged: adversarial_loss_g, adversarial_loss_f,
    cycle_loss_x (||F(G(x)) - x||), cycle_loss_y, identity_loss_x (||F(x) - x||),
    identity_loss_y (||G(y) - y||), generator_loss (the total), discriminator_x_loss,
    discriminator_y_loss.

    Args:
        data_shape: tuple. (H, W, C) of domain X (A); H and W multiples of 4, >= 16.
        data_shape_b: tuple or None. (H, W, C') of domain Y (B); None takes `data_shape`.
        cycle_weight: float. lambda, the weight of the cycle-consistency loss. Defaults to 10.
        identity_weight: float. lambda_id as a fraction of lambda (the paper's 0.5: lambda_id =
            5); 0 drops the term, which is also dropped when the channel counts differ.
            Defaults to 0.5.
        pool_size: int. Generated images each discriminator's history holds; 0 trains D on
            the newest images only. Defaults to 50.
        residual_blocks: int or None. Residual blocks of the generators; None takes the
            paper's 6 (up to 128 px) or 9. Defaults to None.
        base_filters: int. Filters k of the generators' first layer and the discriminators'
            first layer. Defaults to 32 (the paper's 64; halved for CPU budgets).
        learning_rate: float. Adam rate (beta_1 = 0.5) of both optimizers. Defaults to 2e-4.
        constant_steps, decay_steps: int. The paper's schedule in optimizer updates: the rate
            is held for `constant_steps`, then decays linearly to 0 over `decay_steps`
            (paper: 100 epochs each). decay_steps=0 keeps the rate constant. Defaults to 0
            (`keras-gans train` sets the schedule from its epochs: half constant, half decay).
        generator_ab, generator_ba, discriminator_a, discriminator_b: keras.Model or None.
            G, F, D_X, D_Y to use instead of the ResNet generators and PatchGANs.
        seed: int. Seed of the training noise (the pool's draws). Defaults to 0.
        packing: int. PacGAN's m for D_A and D_B (see `TranslationModel`). Defaults to 1 (off).

    Example:
        >>> mnist = keras_gans.data.load_dataset("mnist_train")
        >>> digits = keras_gans.data.load_dataset("digits28")
        >>> model = keras_gans.models.CycleGAN(mnist.data_shape, digits.data_shape)
        >>> model.compile()
        >>> model.fit(keras_gans.data.make_domain_pipeline(mnist, digits, 16), epochs=5)
        >>> model.translate(mnist.x[:8], "a_to_b")      # MNIST digits drawn as 8x8 digits

    Reference: Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", arXiv:1703.10593.
    """

    metric_names = ("discriminator_x_loss", "discriminator_y_loss", "adversarial_loss_g",
                    "adversarial_loss_f", "cycle_loss_x", "cycle_loss_y", "identity_loss_x",
                    "identity_loss_y", "generator_loss")

    def __init__(self, data_shape, data_shape_b=None, cycle_weight=10.0, identity_weight=0.5,
                 pool_size=50, residual_blocks=None, base_filters=32, learning_rate=2e-4,
                 constant_steps=0, decay_steps=0, generator_ab=None, generator_ba=None,
                 discriminator_a=None, discriminator_b=None, seed=0, **kwargs):
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.pool_size = int(pool_size)
        self.residual_blocks = None if residual_blocks is None else int(residual_blocks)
        self.constant_steps = int(constant_steps)
        self.decay_steps = int(decay_steps)
        super().__init__(data_shape=data_shape, data_shape_b=data_shape_b, base_filters=base_filters,
                         learning_rate=learning_rate, generator_ab=generator_ab, generator_ba=generator_ba,
                         discriminator_a=discriminator_a, discriminator_b=discriminator_b, seed=seed, **kwargs)
        self.image_pool_a = ImagePool(self.data_shape, self.pool_size, name="image_pool_a")
        self.image_pool_b = ImagePool(self.data_shape_b, self.pool_size, name="image_pool_b")
        self.finish_init()

    def build_generator(self, input_shape, output_channels):
        return build_resnet_generator(input_shape, output_channels, self.base_filters, self.residual_blocks)

    def build_discriminator(self, image_shape):
        return build_patch_discriminator(image_shape, self.base_filters)

    def default_optimizers(self):
        rate = self.learning_rate
        if self.decay_steps:
            rate = ConstantThenLinearDecay(rate, self.constant_steps, self.decay_steps)
        return {role: keras.optimizers.Adam(rate, beta_1=0.5) for role in self.optimizer_roles}

    @property
    def uses_identity_loss(self):
        return self.identity_weight > 0 and self.data_shape[-1] == self.data_shape_b[-1]

    # ------------------------------------------------------------------ objectives
    def generator_objective(self, x, y):
        """G and F's loss on real x and y (model range), its named terms, and (G(x), F(y))
        for the discriminators' pools."""
        G, F = self.generator_ab, self.generator_ba
        fake_y, fake_x = G(x, training=True), F(y, training=True)
        terms = {
            # Mao et al.'s generator loss is 1/2 E[(D - 1)^2]; the paper's is E[(D - 1)^2].
            "adversarial_loss_g": 2.0 * losses.least_squares_generator_loss(self.judge_b(fake_y)),
            "adversarial_loss_f": 2.0 * losses.least_squares_generator_loss(self.judge_a(fake_x)),
            "cycle_loss_x": losses.cycle_consistency_loss(x, F(fake_y, training=True)),
            "cycle_loss_y": losses.cycle_consistency_loss(y, G(fake_x, training=True)),
        }
        if self.uses_identity_loss:
            terms["identity_loss_x"] = losses.identity_loss(x, F(x, training=True))
            terms["identity_loss_y"] = losses.identity_loss(y, G(y, training=True))
        else:
            terms["identity_loss_x"] = terms["identity_loss_y"] = ops.zeros(())
        loss = (terms["adversarial_loss_g"] + terms["adversarial_loss_f"]
                + self.cycle_weight * (terms["cycle_loss_x"] + terms["cycle_loss_y"])
                + self.identity_weight * self.cycle_weight * (terms["identity_loss_x"] + terms["identity_loss_y"]))
        terms["generator_loss"] = loss
        return loss, terms, (fake_y, fake_x)

    def discriminator_objective(self, x, y, x_history, y_history):
        """D_X and D_Y's least-squares losses: real images against the pools' images."""
        terms = {
            "discriminator_x_loss": losses.least_squares_discriminator_loss(
                self.judge_a(x), self.judge_a(x_history)),
            "discriminator_y_loss": losses.least_squares_discriminator_loss(
                self.judge_b(y), self.judge_b(y_history)),
        }
        return terms["discriminator_x_loss"] + terms["discriminator_y_loss"], terms

    def from_history(self, pool, images):
        """The images D trains on: this step's through `pool`, with this step's draws."""
        batch = ops.shape(images)[0]
        return pool.query(images, self.random_uniform([batch]), self.random_uniform([batch]))

    def train_step(self, data):
        # Zhu et al. section 4 (the authors' loop): a G/F step on the batch, then a D_X/D_Y
        # step on the real batch and the pools' answers to this step's translations.
        self.begin_step()
        x, y = self.split_domains(data)
        _, g_terms, (fake_y, fake_x) = self.minimize("generator", lambda: self.generator_objective(x, y))
        y_history = self.from_history(self.image_pool_b, fake_y)
        x_history = self.from_history(self.image_pool_a, fake_x)
        _, d_terms = self.minimize("discriminator", lambda: self.discriminator_objective(x, y, x_history, y_history))
        return self.end_step(**g_terms, **d_terms)
