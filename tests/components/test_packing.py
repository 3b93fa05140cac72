"""PacGAN packing on hand cases: which samples land in which pack, the widened input layer,
the losses on packs, the gradient penalty on packed interpolates, and the refusals."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import get_model_class
from keras_gans.components import packing
from keras_gans.losses import penalties


def unpack(packs, m):
    """The inverse of `packing.pack`, written independently: member j of a pack is channel
    (feature) block j."""
    packs = np.asarray(packs)
    channels = packs.shape[-1] // m
    members = [packs[..., j * channels:(j + 1) * channels] for j in range(m)]
    return np.stack(members, axis=1).reshape(-1, *packs.shape[1:-1], channels)


def tiny(name, **kwargs):
    kwargs = {"data_shape": (2,), "latent_dim": 2, "hidden_units": (), "seed": 3, **kwargs}
    return get_model_class(name)(**kwargs)


# ---------------------------------------------------------------- which sample lands where
def test_vector_packs_are_consecutive_examples_side_by_side():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)  # example i = (2i, 2i + 1)
    packs = np.asarray(packing.pack(x, 3))
    np.testing.assert_array_equal(packs, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    np.testing.assert_array_equal(np.asarray(unpack(packs, 3)), x)
    assert packing.pack(x, 1) is x


def test_image_packs_stack_members_along_channels_in_order():
    # 4 RGB images of 2x3 pixels; image i has the value 10 i + c in channel c everywhere
    images = np.stack([np.broadcast_to(10 * i + np.arange(3), (2, 3, 3)) for i in range(4)]).astype(np.float32)
    packs = np.asarray(packing.pack(images, 2))
    assert packs.shape == (2, 2, 3, 6)
    # pack 0 = [image 0's channels, image 1's channels]; pack 1 = images 2 and 3
    np.testing.assert_array_equal(packs[0, 1, 2], [0, 1, 2, 10, 11, 12])
    np.testing.assert_array_equal(packs[1, 0, 0], [20, 21, 22, 30, 31, 32])
    # each pixel of each member lands in its own slot: nothing is mixed across positions
    rng = np.random.default_rng(0)
    random_images = rng.normal(size=(6, 4, 5, 2)).astype(np.float32)
    random_packs = np.asarray(packing.pack(random_images, 3))
    np.testing.assert_array_equal(random_packs[1, 2, 3, 4:6], random_images[5, 2, 3])
    np.testing.assert_array_equal(np.asarray(unpack(random_packs, 3)), random_images)


def test_packed_shape_widens_only_the_last_axis():
    assert packing.packed_shape((28, 28, 1), 4) == (28, 28, 4)
    assert packing.packed_shape((2,), 3) == (6,)
    assert packing.packed_shape((32, 32, 3), 1) == (32, 32, 3)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_packing_must_be_a_positive_integer(bad):
    with pytest.raises((ValueError, TypeError), match="packing"):
        packing.checked_packing(bad)


def test_a_minibatch_that_packing_does_not_divide_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"multiple of 4; got 6 examples.*divisible by 4"):
        packing.check_divisible(np.zeros((6, 2)), 4)
    packing.check_divisible(np.zeros((8, 2)), 4)
    model = tiny("gan", packing=4)
    model.compile()
    with pytest.raises(ValueError, match="multiple of 4"):
        model.fit(tf.data.Dataset.from_tensors(np.zeros((6, 2), np.float32)), epochs=1, verbose=0)
    # a batch of unknown static size (drop_remainder=False) meets the assertion in the graph
    ragged = tf.data.Dataset.from_tensor_slices(np.zeros((6, 2), np.float32)).batch(6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of 4; got a minibatch that is not"):
        model.fit(ragged, epochs=1, verbose=0)


# ---------------------------------------------------------------- the widened networks
def test_only_the_discriminators_input_widens():
    plain, packed = tiny("gan", hidden_units=(8,)), tiny("gan", hidden_units=(8,), packing=4)
    assert tuple(packed.discriminator.inputs[0].shape[1:]) == (8,)
    assert packed.discriminator.count_params() - plain.discriminator.count_params() == 3 * 2 * 8
    assert packed.generator.count_params() == plain.generator.count_params()
    image = get_model_class("dcgan")(data_shape=(8, 8, 1), latent_dim=4, base_filters=4, clusters=3, packing=2)
    assert [tuple(t.shape[1:]) for t in image.discriminator.inputs] == [(8, 8, 2), (6,)]
    energy = tiny("ebgan", hidden_units=(8,), code_dim=3, packing=2)
    # the autoencoder discriminator reconstructs packs: its output widens with its input
    assert [tuple(t.shape[1:]) for t in energy.discriminator.outputs] == [(4,), (3,)]
    bigan = tiny("bigan", hidden_units=(8,), packing=3)
    assert [tuple(t.shape[1:]) for t in bigan.discriminator.inputs] == [(6,), (6,)]
    aae = get_model_class("aae")(data_shape=(2,), latent_dim=3, hidden_units=(8,), discriminator_units=(8,),
                                 packing=4)
    assert tuple(aae.latent_discriminator.inputs[0].shape[1:]) == (12,)
    cyclegan = get_model_class("cyclegan")(data_shape=(16, 16, 1), data_shape_b=(16, 16, 3), base_filters=4,
                                           residual_blocks=1, packing=2)
    assert tuple(cyclegan.discriminator_a.inputs[0].shape[1:]) == (16, 16, 2)
    assert tuple(cyclegan.discriminator_b.inputs[0].shape[1:]) == (16, 16, 6)
    assert tuple(cyclegan.generator_ab.inputs[0].shape[1:]) == (16, 16, 1)  # generators unchanged


def test_a_passed_discriminator_of_the_unpacked_shape_is_refused():
    from keras_gans import networks

    with pytest.raises(ValueError, match=r"packing=2.*input must have shape \(4,\)"):
        tiny("gan", packing=2, discriminator=networks.build_mlp_discriminator((2,), (8,)))


def test_infogan_refuses_packing_and_says_why():
    with pytest.raises(ValueError, match="recognition network Q"):
        get_model_class("infogan")(data_shape=(8, 8, 1), base_filters=4, packing=2)


# ---------------------------------------------------------------- losses on packs
def linear_packed_gan(**kwargs):
    """G(z) = (1, 0) for every z; D(pack) = w . pack with w = (2, 0, 0, 1) (packing 2)."""
    model = tiny("gan", packing=2, **kwargs)
    model.generator.get_layer("output").set_weights([np.zeros((2, 2)), np.array([1.0, 0.0])])
    model.discriminator.get_layer("logits").set_weights([np.array([[2.0], [0.0], [0.0], [1.0]]), np.zeros(1)])
    return model


def test_gan_value_function_is_taken_over_packs():
    model = linear_packed_gan()
    x = np.array([[0.0, 0.0], [1.0, 5.0], [1.0, 1.0], [0.0, 3.0]], np.float32)
    # real packs (0, 0, 1, 5) and (1, 1, 0, 3): logits 5 and 5; fake packs (1, 0, 1, 0): 2
    softplus = lambda v: math.log1p(math.exp(v))  # noqa: E731  -log sigmoid(-v)
    expected = softplus(-5.0) + softplus(2.0)  # -log D(real) - log(1 - D(fake)), mean over 2 packs
    assert float(model.discriminator_objective(x)[0]) == pytest.approx(expected, rel=1e-6)
    assert float(model.generator_objective(4)[0]) == pytest.approx(softplus(-2.0), rel=1e-6)


def test_conditional_packs_carry_their_members_conditions():
    model = tiny("gan", packing=2, num_classes=3, hidden_units=(4,))
    seen = []
    model.discriminator = _Spy(model.discriminator, seen)
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    model.discriminator_forward(x, np.array([2, 0, 1, 1]))
    packs, conditions = (np.asarray(t) for t in seen[0])
    np.testing.assert_array_equal(packs, [[0, 1, 2, 3], [4, 5, 6, 7]])
    np.testing.assert_array_equal(conditions, [[0, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 0]])


class _Spy:
    def __init__(self, network, seen):
        self.network, self.seen = network, seen

    def __call__(self, inputs, training=False):
        self.seen.append(inputs)
        return self.network(inputs, training=training)


def test_loss_sensitive_margin_is_between_a_real_and_a_fake_pack():
    model = tiny("loss_sensitive_gan", packing=2)
    model.generator.get_layer("output").set_weights([np.zeros((2, 2)), np.array([1.0, 0.0])])
    model.discriminator.get_layer("logits").set_weights([np.zeros((4, 1)), np.zeros(1)])  # L = 0
    x = np.array([[0.0, 0.0], [1.0, 5.0], [1.0, 1.0], [0.0, 3.0]], np.float32)
    # Delta = ||real pack - (1, 0, 1, 0)||_1: (1 + 0 + 0 + 5) = 6 and (0 + 1 + 1 + 3) = 5
    assert float(model.discriminator_objective(x)[0]) == pytest.approx((6.0 + 5.0) / 2, rel=1e-6)


def test_energy_is_the_reconstruction_error_of_the_pack():
    model = tiny("ebgan", packing=2, hidden_units=(4,), code_dim=2)
    x = np.random.default_rng(1).normal(size=(4, 2)).astype(np.float32)
    energy, code = model.energy_and_code(x)
    packs = np.asarray(packing.pack(x, 2))
    reconstruction, _ = model.discriminator(packs, training=True)
    np.testing.assert_allclose(np.asarray(energy), np.mean((packs - np.asarray(reconstruction)) ** 2, axis=1),
                               rtol=1e-5)
    assert code.shape == (2, 2)


# ---------------------------------------------------------------- the penalty on packed interpolates
def test_gradient_penalty_interpolates_whole_packs_and_takes_the_packs_norm():
    w = np.array([3.0, 0.0, 0.0, 4.0], np.float32)  # critic(pack) = w . pack: ||grad|| = 5
    critic = lambda x: tf.reduce_sum(packing.pack(x, 2) * w, axis=1)  # noqa: E731
    x_real = np.ones((4, 2), np.float32)
    x_fake = np.zeros((4, 2), np.float32)
    # one epsilon per pack, shared by its two members
    x_hat = np.asarray(penalties.interpolate(x_real, x_fake, np.array([0.25, 0.75]), packing=2))
    np.testing.assert_allclose(x_hat[:, 0], [0.25, 0.25, 0.75, 0.75])
    gp = float(penalties.gradient_penalty(critic, x_real, x_fake, np.array([0.25, 0.75]), packing=2))
    assert gp == pytest.approx((5.0 - 1.0) ** 2, rel=1e-6)
    # per example the members' norms would be 3 and 4: (2^2 + 3^2) / 2, not the pack's 16
    r1 = float(penalties.r1_penalty(critic, x_real, packing=2))
    assert r1 == pytest.approx(25.0, rel=1e-6)


def test_wgan_gp_draws_one_epsilon_per_pack(monkeypatch):
    captured = []
    real_penalty = penalties.gradient_penalty

    def spy(critic_fn, x_real, x_fake, epsilon, **kwargs):
        captured.append((np.array(epsilon), kwargs.get("packing")))
        return real_penalty(critic_fn, x_real, x_fake, epsilon, **kwargs)

    monkeypatch.setattr(penalties, "gradient_penalty", spy)
    model = tiny("wgan_gp", hidden_units=(8,), critic_steps=1, packing=4)
    model.compile()
    model.begin_step()
    loss, terms = model.discriminator_objective(tf.zeros((40, 2)))
    ((epsilon, pack_size),) = captured
    assert epsilon.shape == (10,) and pack_size == 4
    assert np.isfinite(float(terms["gradient_penalty"]))


def test_packing_survives_save_and_load(tmp_path):
    model = tiny("wgan_gp", hidden_units=(8,), critic_steps=1, packing=2)
    model.compile()
    model.fit(tf.data.Dataset.from_tensors(np.ones((8, 2), np.float32)), epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.packing == 2 and tuple(loaded.discriminator.inputs[0].shape[1:]) == (4,)
    x = np.random.default_rng(0).normal(size=(6, 2)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(loaded.discriminator_forward(x)),
                               np.asarray(model.discriminator_forward(x)), rtol=1e-6)


@pytest.mark.parametrize("name, reason", [
    ("vae_gan", "one example's features"), ("irgan", "single \\(user, item\\) pairs"),
    ("vae", "no discriminator or critic"), ("double_gan", "as in VAE-GAN"),
])
def test_set_packing_on_a_model_that_cannot_pack_says_why(name, reason):
    from keras_gans.training import parse_overrides

    with pytest.raises(ValueError, match=f"{name} does not pack its discriminator's inputs.*{reason}"):
        parse_overrides(["packing=2"], get_model_class(name))
    assert parse_overrides(["packing=4"], get_model_class("wgan_gp")) == {"packing": 4}


def test_the_command_line_refuses_a_batch_packing_does_not_divide_before_training(tmp_path):
    from keras_gans.training import train

    with pytest.raises(ValueError, match=r"--batch-size divisible by 6 \(packing x discriminator steps"):
        train("wgan", dataset="ring8", overrides={"packing": 3, "critic_steps": 2}, batch_size=64,
              out=tmp_path / "run", verbose=0)
    assert not (tmp_path / "run").exists()  # refused before anything was written


@pytest.mark.parametrize("name", ["aae", "cyclegan", "discogan"])
def test_packed_autoencoder_and_translation_models_train_a_finite_step(name):
    rng = np.random.default_rng(0)
    if name == "aae":
        model = get_model_class(name)(data_shape=(8, 8, 1), latent_dim=3, base_filters=4, packing=2)
        batch = rng.uniform(-1, 1, (8, 8, 8, 1)).astype(np.float32)
    else:
        extra = {"residual_blocks": 1} if name == "cyclegan" else {}
        model = get_model_class(name)(data_shape=(16, 16, 1), base_filters=4, packing=2, **extra)
        batch = tuple(rng.uniform(-1, 1, (8, 16, 16, 1)).astype(np.float32) for _ in range(2))
    model.compile()
    history = model.fit(tf.data.Dataset.from_tensors(batch), epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values()), history
