"""DiscoGAN: the shared checks, its objective on a hand case, the GAN-vs-reconstruction
curriculum, and a learning test."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_test_case import ModelChecks, fit_one_step

from keras_gans import DiscoGAN
from test_cyclegan import SHAPE, pointwise, squares, two_domain_batch

TINY = {"data_shape": SHAPE, "base_filters": 2, "seed": 3}


def tiny_discogan(**kwargs):
    model = DiscoGAN(**{**TINY, **kwargs})
    rng = np.random.default_rng(5)
    model.set_preview_inputs(rng.uniform(size=(3, *model.data_shape)), rng.uniform(size=(3, *model.data_shape_b)))
    return model


class TestDiscoGANChecks(ModelChecks):
    model_name = "discogan"

    def make_model(self, **kwargs):
        return tiny_discogan(**kwargs)

    def make_mirrorable(self, **kwargs):
        # batch norm normalises each replica's own half-batch: compare without it
        return tiny_discogan(batch_norm=False, **kwargs)

    def make_batch(self):
        return two_domain_batch()


def softplus(v):
    return np.log1p(np.exp(-np.abs(v))) + np.maximum(v, 0)


def mean_logit(name, weight, bias):
    """D(v) = weight * mean(v) + bias: one logit per image."""
    x = keras.Input(SHAPE)
    pooled = keras.layers.GlobalAveragePooling2D()(x)
    dense = keras.layers.Dense(1, name="logit")
    model = keras.Model(x, dense(pooled), name=name)
    dense.set_weights([np.full((1, 1), weight, np.float32), np.full((1,), bias, np.float32)])
    return model


def stub_discogan(**kwargs):
    return DiscoGAN(SHAPE, generator_ab=pointwise("g_ab", 0.5, 0.1), generator_ba=pointwise("g_ba", -1.5, 0.2),
                    discriminator_a=mean_logit("d_a", 2.0, -0.3), discriminator_b=mean_logit("d_b", -1.0, 0.4),
                    **kwargs)


G_AB = lambda v: 0.5 * v + 0.1   # noqa: E731
G_BA = lambda v: -1.5 * v + 0.2  # noqa: E731
D_A = lambda v: 2.0 * v.mean(axis=(1, 2, 3)) - 0.3   # noqa: E731
D_B = lambda v: -1.0 * v.mean(axis=(1, 2, 3)) + 0.4  # noqa: E731


def test_generator_objective_is_the_weighted_paper_objective_on_a_hand_case():
    x_a, x_b = two_domain_batch(4, seed=1)
    gan_a = np.mean(softplus(-D_A(G_BA(x_b))))   # -log sigmoid(D_A(x_BA))
    gan_b = np.mean(softplus(-D_B(G_AB(x_a))))
    const_a = np.mean((G_BA(G_AB(x_a)) - x_a) ** 2)
    const_b = np.mean((G_AB(G_BA(x_b)) - x_b) ** 2)
    loss, terms = stub_discogan().generator_objective(x_a, x_b, 0.25)
    assert float(terms["gan_loss_a"]) == pytest.approx(gan_a, rel=1e-5)
    assert float(terms["gan_loss_b"]) == pytest.approx(gan_b, rel=1e-5)
    assert float(terms["reconstruction_loss_a"]) == pytest.approx(const_a, rel=1e-5)
    assert float(terms["reconstruction_loss_b"]) == pytest.approx(const_b, rel=1e-5)
    assert float(loss) == pytest.approx(0.75 * (gan_a + gan_b) + 0.25 * (const_a + const_b), rel=1e-5)
    _, l1_terms = stub_discogan(reconstruction_distance="l1").generator_objective(x_a, x_b, 0.25)
    assert float(l1_terms["reconstruction_loss_a"]) == pytest.approx(np.mean(np.abs(G_BA(G_AB(x_a)) - x_a)), rel=1e-5)


def test_discriminator_objective_is_binary_cross_entropy_on_real_and_translated():
    x_a, x_b = two_domain_batch(4, seed=2)
    d_a = np.mean(softplus(-D_A(x_a))) + np.mean(softplus(D_A(G_BA(x_b))))
    d_b = np.mean(softplus(-D_B(x_b))) + np.mean(softplus(D_B(G_AB(x_a))))
    loss, terms = stub_discogan().discriminator_objective(x_a, x_b)
    assert float(terms["discriminator_a_loss"]) == pytest.approx(d_a, rel=1e-5)
    assert float(terms["discriminator_b_loss"]) == pytest.approx(d_b, rel=1e-5)
    assert float(loss) == pytest.approx(d_a + d_b, rel=1e-5)


def test_the_curriculum_switches_the_reconstruction_weight_after_its_steps():
    model = tiny_discogan(curriculum_steps=2, initial_reconstruction_weight=0.01, reconstruction_weight=0.5)
    model.compile()
    batch = two_domain_batch(4)
    logged = [fit_one_step(model, batch)["reconstruction_weight"][-1] for _ in range(3)]
    assert logged == pytest.approx([0.01, 0.01, 0.5])


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="reconstruction_distance"):
        DiscoGAN(SHAPE, reconstruction_distance="huber")
    with pytest.raises(ValueError, match="3-7 px base"):
        DiscoGAN((18, 18, 1))


@pytest.mark.slow
def test_learns_the_colour_inverse_between_unpaired_domains():
    """As CycleGAN's test: B is A's colour inverse, unpaired; G_AB must learn 1 - x."""
    rng = np.random.default_rng(0)
    x_a, x_b = squares(512, rng), 1.0 - squares(512, rng)
    held_out = squares(64, rng)
    keras.utils.set_random_seed(0)
    model = DiscoGAN(SHAPE, base_filters=16, curriculum_steps=0, learning_rate=1e-3, seed=0)
    model.compile()
    error = lambda: float(np.mean(np.abs(np.asarray(model.translate(held_out)) - (1.0 - held_out))))  # noqa: E731
    untrained = error()
    data = tf.data.Dataset.from_tensor_slices((x_a * 2 - 1, x_b * 2 - 1)).shuffle(512, seed=0).batch(16).repeat()
    model.fit(data, steps_per_epoch=200, epochs=1, verbose=0)
    assert untrained > 0.3
    assert error() < 0.15, (untrained, error())
