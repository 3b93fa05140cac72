"""CycleGAN: the shared checks (pool state included), its objective on a hand case, the pool
in the step, domains of different channel counts, and a learning test."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_test_case import ModelChecks, fit_one_step

from keras_gans import CycleGAN

SHAPE = (16, 16, 1)
TINY = {"data_shape": SHAPE, "base_filters": 2, "residual_blocks": 0, "pool_size": 4, "seed": 3}


def tiny_cyclegan(**kwargs):
    model = CycleGAN(**{**TINY, **kwargs})
    rng = np.random.default_rng(5)
    model.set_preview_inputs(rng.uniform(size=(3, *model.data_shape)), rng.uniform(size=(3, *model.data_shape_b)))
    return model


def two_domain_batch(count=8, shape_b=SHAPE, seed=0):
    """(x_a, x_b) in the model's [-1, 1] range, as `fit` receives a batch."""
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, size=(count, *SHAPE)).astype(np.float32),
            rng.uniform(-1, 1, size=(count, *shape_b)).astype(np.float32))


class TestCycleGANChecks(ModelChecks):
    model_name = "cyclegan"

    def make_model(self, **kwargs):
        return tiny_cyclegan(**kwargs)

    def make_batch(self):
        # 8 images of each domain through pools of 4: the step fills them and swaps.
        return two_domain_batch()


def test_gray_to_rgb_trains_and_previews_in_rgb():
    model = tiny_cyclegan(data_shape_b=(16, 16, 3))
    model.compile()
    history = fit_one_step(model, two_domain_batch(shape_b=(16, 16, 3)))
    assert all(np.isfinite(v[-1]) for v in history.values())
    assert history["identity_loss_x"][-1] == history["identity_loss_y"][-1] == 0.0
    # 2 inputs of each domain, each row input | translation | cycle, gray repeated to RGB
    preview = model.preview(2)
    assert preview.shape == (12, 16, 16, 3)
    np.testing.assert_array_equal(preview[0, ..., 0], preview[0, ..., 2])


# ---------------------------------------------------------------------- the objective on hand cases
def pointwise(name, weight, bias, channels_in=1, channels_out=1):
    """A 1x1 convolution v -> weight * v + bias: a generator or a per-pixel PatchGAN."""
    x = keras.Input((16, 16, channels_in))
    conv = keras.layers.Conv2D(channels_out, 1, name="conv")
    model = keras.Model(x, conv(x), name=name)
    conv.set_weights([np.full((1, 1, channels_in, channels_out), weight, np.float32),
                      np.full((channels_out,), bias, np.float32)])
    return model


def stub_cyclegan(**kwargs):
    return CycleGAN(SHAPE, generator_ab=pointwise("g", 0.5, 0.1), generator_ba=pointwise("f", -1.5, 0.2),
                    discriminator_a=pointwise("d_x", 0.8, -0.3), discriminator_b=pointwise("d_y", -0.6, 0.4),
                    **kwargs)


def test_generator_objective_is_the_paper_full_objective_on_a_hand_case():
    model = stub_cyclegan()
    x, y = two_domain_batch(4, seed=1)
    G = lambda v: 0.5 * v + 0.1     # noqa: E731
    F = lambda v: -1.5 * v + 0.2    # noqa: E731
    D_X = lambda v: 0.8 * v - 0.3   # noqa: E731
    D_Y = lambda v: -0.6 * v + 0.4  # noqa: E731
    expected = {
        "adversarial_loss_g": np.mean((D_Y(G(x)) - 1) ** 2),
        "adversarial_loss_f": np.mean((D_X(F(y)) - 1) ** 2),
        "cycle_loss_x": np.mean(np.abs(F(G(x)) - x)),
        "cycle_loss_y": np.mean(np.abs(G(F(y)) - y)),
        "identity_loss_x": np.mean(np.abs(F(x) - x)),
        "identity_loss_y": np.mean(np.abs(G(y) - y)),
    }
    total = (expected["adversarial_loss_g"] + expected["adversarial_loss_f"]
             + 10 * (expected["cycle_loss_x"] + expected["cycle_loss_y"])
             + 5 * (expected["identity_loss_x"] + expected["identity_loss_y"]))
    loss, terms, (fake_y, fake_x) = model.generator_objective(x, y)
    assert float(loss) == pytest.approx(total, rel=1e-5)
    for name, value in expected.items():
        assert float(terms[name]) == pytest.approx(value, rel=1e-5), name
    np.testing.assert_allclose(fake_y, G(x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fake_x, F(y), rtol=1e-5, atol=1e-6)
    # lambda and the identity fraction enter as the paper writes them
    loss, _, _ = stub_cyclegan(cycle_weight=2.0, identity_weight=0.0).generator_objective(x, y)
    assert float(loss) == pytest.approx(expected["adversarial_loss_g"] + expected["adversarial_loss_f"]
                                        + 2 * (expected["cycle_loss_x"] + expected["cycle_loss_y"]), rel=1e-5)


def test_discriminator_objective_is_least_squares_on_real_and_history_images():
    model = stub_cyclegan()
    x, y = two_domain_batch(4, seed=2)
    x_hist, y_hist = two_domain_batch(4, seed=3)
    D_X = lambda v: 0.8 * v - 0.3   # noqa: E731
    D_Y = lambda v: -0.6 * v + 0.4  # noqa: E731
    d_x = 0.5 * np.mean((D_X(x) - 1) ** 2) + 0.5 * np.mean(D_X(x_hist) ** 2)
    d_y = 0.5 * np.mean((D_Y(y) - 1) ** 2) + 0.5 * np.mean(D_Y(y_hist) ** 2)
    loss, terms = model.discriminator_objective(x, y, x_hist, y_hist)
    assert float(terms["discriminator_x_loss"]) == pytest.approx(d_x, rel=1e-5)
    assert float(terms["discriminator_y_loss"]) == pytest.approx(d_y, rel=1e-5)
    assert float(loss) == pytest.approx(d_x + d_y, rel=1e-5)


def test_no_identity_loss_when_the_channel_counts_differ():
    model = CycleGAN(SHAPE, (16, 16, 3), generator_ab=pointwise("g", 0.5, 0.1, 1, 3),
                     generator_ba=pointwise("f", -1.5, 0.2, 3, 1), discriminator_a=pointwise("d_x", 0.8, -0.3),
                     discriminator_b=pointwise("d_y", -0.6, 0.4, 3, 1))
    x, y = two_domain_batch(4, shape_b=(16, 16, 3), seed=1)
    _, terms, _ = model.generator_objective(x, y)
    assert float(terms["identity_loss_x"]) == float(terms["identity_loss_y"]) == 0.0
    assert float(terms["cycle_loss_x"]) > 0


def test_the_step_fills_the_pools_with_the_step_translations_and_saves_them(tmp_path):
    model = tiny_cyclegan()
    model.compile()
    x, y = two_domain_batch(3)
    fake_y = np.asarray(model.generator_ab(x))
    fit_one_step(model, (x, y))
    # Three translations into a pool of four: stored in order, the last slot still empty.
    assert int(model.image_pool_b.count) == 3
    np.testing.assert_allclose(np.asarray(model.image_pool_b.images)[:3], fake_y, atol=1e-6)
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert int(loaded.image_pool_b.count) == 3
    np.testing.assert_array_equal(np.asarray(loaded.image_pool_b.images), np.asarray(model.image_pool_b.images))


def test_networks_of_the_wrong_shape_and_images_of_two_sizes_are_refused():
    with pytest.raises(ValueError, match="one size"):
        CycleGAN(SHAPE, (32, 32, 1))
    with pytest.raises(ValueError, match="multiples of 4"):
        CycleGAN((18, 18, 1))
    with pytest.raises(ValueError, match="generator_ab must map"):
        CycleGAN(SHAPE, generator_ab=pointwise("g", 1, 0, 1, 3))


def test_the_schedule_holds_then_decays_the_rate():
    model = tiny_cyclegan(constant_steps=2, decay_steps=4)
    model.compile()
    optimizer = model.role_optimizers["generator"]
    optimizer.iterations.assign(4)
    assert float(optimizer.learning_rate) == pytest.approx(1e-4)


def test_translate_checks_the_direction_and_the_input_shape():
    model = tiny_cyclegan(data_shape_b=(16, 16, 3))
    assert np.asarray(model.translate(np.zeros((2, *SHAPE)), "a_to_b")).shape == (2, 16, 16, 3)
    with pytest.raises(ValueError, match="direction"):
        model.translate(np.zeros((2, *SHAPE)), "x_to_y")
    with pytest.raises(ValueError, match="domain B"):
        model.translate(np.zeros((2, *SHAPE)), "b_to_a")


# ---------------------------------------------------------------------- learning
def squares(count, rng):
    """Bright squares of random size and place on a dark 16x16 background, in [0, 1]."""
    images = np.zeros((count, *SHAPE), np.float32)
    for image in images:
        size = rng.integers(4, 9)
        top, left = rng.integers(0, 16 - size, size=2)
        image[top:top + size, left:left + size] = 1.0
    return images


@pytest.mark.slow
def test_learns_the_colour_inverse_between_unpaired_domains():
    """Domain A: bright squares on black; domain B: OTHER squares, inverted (dark on white).
    The mapping the data implies is 1 - x; an untrained generator is far from it."""
    rng = np.random.default_rng(0)
    x_a, x_b = squares(512, rng), 1.0 - squares(512, rng)
    held_out = squares(64, rng)
    keras.utils.set_random_seed(0)
    # identity_weight=0: the identity loss asks G(y) = y, which the inverse mapping is not.
    model = CycleGAN(SHAPE, base_filters=8, residual_blocks=2, identity_weight=0.0, learning_rate=1e-3, seed=0)
    model.compile()
    error = lambda: float(np.mean(np.abs(np.asarray(model.translate(held_out)) - (1.0 - held_out))))  # noqa: E731
    untrained = error()
    data = tf.data.Dataset.from_tensor_slices((x_a * 2 - 1, x_b * 2 - 1)).shuffle(512, seed=0).batch(16).repeat()
    model.fit(data, steps_per_epoch=150, epochs=1, verbose=0)
    assert untrained > 0.3
    assert error() < 0.1, (untrained, error())
