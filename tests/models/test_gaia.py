"""GAIA: each loss term and the balancing rule on hand cases, the balanced learning rates of
one training step; shared checks. The local-structure regulariser's hand cases are in
tests/losses/test_interpolative.py."""

import keras
import numpy as np
import pytest
from autoencoder_cases import LATENT, SHAPE, TinyAutoencoderChecks, sync_networks, tiny_images
from model_test_case import ModelChecks

from keras_gans import GAIA, networks
from keras_gans.losses import interpolative


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def sync_discriminator():
    return networks.build_autoencoder_discriminator(SHAPE, code_dim=3, base_filters=4, batch_norm="sync")


class TestGAIAChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "gaia"
    model_class = GAIA
    init_kwargs = {"code_dim": 3, "density_components": 2}

    # R is a statistic of each replica's own batch (all its pairs): N replicas match one
    # device exactly only without it, and log a different R by design.
    replica_batch_statistics = ("distance_loss",)

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(GAIA), discriminator=sync_discriminator(),
                               distance_weight=0.0, **kwargs)


def test_spherical_option_trains_and_interpolates_on_the_arc():
    model = GAIA(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, code_dim=3, interpolation="spherical")
    model.compile()
    logs = model.train_on_batch(tiny_images(8), return_dict=True)
    assert all(np.isfinite(v) for v in logs.values())
    z1, z2 = np.array([[1.0, 0.0, 0.0]], np.float32), np.array([[0.0, 1.0, 0.0]], np.float32)
    np.testing.assert_allclose(np.asarray(model.latent_path(z1, z2, np.array([[0.5]], np.float32))),
                               [[np.sqrt(0.5), np.sqrt(0.5), 0.0]], atol=1e-5)


def test_loss_terms_on_a_hand_case():
    # ||x - D(x)|| = 0.1, ||G(x) - D(G(x))|| = 0.3, ||G(z_i) - D(G(z_i))|| = 0.5
    assert float(interpolative.gaia_discriminator_loss([0.1], [0.3], [0.5])) == pytest.approx(-0.7)
    # ||x - D(G(x))|| = 0.2
    assert float(interpolative.gaia_generator_adversarial_loss([0.2, 0.4], [0.5, 0.7])) == pytest.approx(0.9)


def test_balance_is_a_zero_centred_sigmoid_of_the_error_gap():
    # Real error equal to the mean generated error: a tie, both players at half speed.
    assert float(interpolative.discriminator_balance(0.3, 0.2, 0.4, 20.0)) == pytest.approx(0.5)
    # D autoencodes real data worse (0.5) than generated (0.1, 0.3): D is losing, speeds up.
    assert float(interpolative.discriminator_balance(0.5, 0.1, 0.3, 20.0)) == pytest.approx(sigmoid(20 * 0.3))
    assert float(interpolative.discriminator_balance(0.1, 0.3, 0.5, 5.0)) == pytest.approx(sigmoid(5 * -0.3))


def test_spherical_path_keeps_the_ends_and_follows_the_arc():
    z1, z2 = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    for t in (0.0, 0.3, 1.0):
        point = np.asarray(interpolative.spherical_interpolation(z1, z2, np.array([[t]])))[0]
        np.testing.assert_allclose(point, [np.cos(t * np.pi / 2), np.sin(t * np.pi / 2)], atol=1e-5)


def test_objectives_match_the_formulas_and_leave_the_balance_alone():
    model = GAIA(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, code_dim=3, seed=1,
                 distance_weight=0.5, reconstruction_weight=2.0, learning_rate=1e-2)
    model.compile()
    x = tiny_images(4)
    model.begin_step()
    losses, terms = model.objectives(x)
    # Recompute by hand with the same step noise (the interpolation coefficients).
    model.begin_step()
    a = np.asarray(model.interpolation_coefficients(2))
    x1, x2 = x[0::2], x[1::2]
    pairs = np.concatenate([x1, x2])
    encode = lambda v: np.asarray(model.encoder(v, training=True))                           # noqa: E731
    decode = lambda z: np.tanh(0.5 * np.asarray(model.decoder(z, training=True), np.float64))  # noqa: E731
    disc = lambda v: np.asarray(model.discriminator(v.astype(np.float32), training=True)[0], np.float64)  # noqa: E731
    l1 = lambda u, v: np.mean(np.abs(u - v).reshape(len(u), -1), axis=1)                     # noqa: E731
    z1, z2 = encode(x1), encode(x2)
    x_g = decode(np.concatenate([z1, z2]))
    x_i = decode(((1 - a) * z1 + a * z2).astype(np.float32))
    real, gen, target, interp = l1(pairs, disc(pairs)), l1(x_g, disc(x_g)), l1(pairs, disc(x_g)), l1(x_i, disc(x_i))
    rec = np.mean(l1(pairs, x_g))

    def normalised_distances(v):  # all ordered pairs of the batch, over their mean
        v = v.reshape(len(v), -1).astype(np.float64)
        d = np.sum((v[:, None] - v[None]) ** 2, axis=2)
        return d / d.mean()

    dist = np.mean((np.log1p(normalised_distances(pairs))
                    - np.log1p(normalised_distances(np.concatenate([z1, z2])))) ** 2)
    assert float(losses["discriminator"]) == pytest.approx(real.mean() - gen.mean() - interp.mean(), rel=1e-4, abs=1e-5)
    assert float(losses["generator"]) == pytest.approx(
        target.mean() + interp.mean() + 2.0 * rec + 0.5 * dist, rel=1e-4)
    assert float(terms["distance_loss"]) == pytest.approx(dist, rel=1e-3)
    for key, errors in (("real_error", real), ("target_error", target), ("interpolation_error", interp)):
        assert float(terms[key]) == pytest.approx(errors.mean(), rel=1e-4)
    # An objective computes losses and nothing else: the balance and the rates are untouched.
    assert float(model.discriminator_balance) == float(model.generator_balance) == 0.5
    for optimizer in model.role_optimizers.values():
        assert float(optimizer.learning_rate) == pytest.approx(1e-2)


def constant_networks(discriminator_output):
    """Encoder: a random linear code. Decoder: logits 0, so G(anything) = tanh(0) = 0.
    Discriminator: D(anything) = `discriminator_output` (zero kernel, that bias)."""
    size = int(np.prod(SHAPE))
    x = keras.Input(SHAPE)
    encoder = keras.Model(x, keras.layers.Dense(LATENT)(keras.layers.Flatten()(x)), name="encoder")
    z = keras.Input((LATENT,))
    logits = keras.layers.Dense(size, kernel_initializer="zeros", name="output")(z)
    decoder = keras.Model(z, keras.layers.Reshape(SHAPE)(logits), name="decoder")
    flat = keras.layers.Flatten()(x)
    reconstruction = keras.layers.Dense(size, kernel_initializer="zeros", name="output",
                                        bias_initializer=keras.initializers.Constant(discriminator_output))(flat)
    discriminator = keras.Model(x, [keras.layers.Reshape(SHAPE)(reconstruction), keras.layers.Dense(3)(flat)],
                                name="discriminator")
    return {"encoder": encoder, "decoder": decoder, "discriminator": discriminator}


def test_one_step_uses_the_balanced_learning_rates_of_its_own_errors():
    # Images of constant value 0.4, 0.6, 0.8, 1.0; D returns 0.2 everywhere and G returns 0:
    # ||x - D(x)|| = ||x - D(G(x))|| = mean(x) - 0.2 = 0.5, ||G(z_i) - D(G(z_i))|| = 0.2,
    # gap = 0.5 - (0.5 + 0.2) / 2 = 0.15, delta_Disc = sigmoid(10 * 0.15) = sigmoid(1.5).
    model = GAIA(data_shape=SHAPE, latent_dim=LATENT, balance_slope=10.0, learning_rate=1e-2,
                 seed=1, **constant_networks(0.2))
    model.compile()
    x = np.concatenate([np.full((1, *SHAPE), v, np.float32) for v in (0.4, 0.6, 0.8, 1.0)])
    logs = model.train_on_batch(x, return_dict=True)
    delta = 1.0 / (1.0 + np.exp(-1.5))
    assert delta == pytest.approx(0.817574, rel=1e-5)
    assert float(model.discriminator_balance) == pytest.approx(delta, rel=1e-5)
    assert float(model.generator_balance) == pytest.approx(1 - delta, rel=1e-5)
    assert logs["discriminator_balance"] == pytest.approx(delta, rel=1e-5)
    assert float(model.role_optimizers["discriminator"].learning_rate) == pytest.approx(1e-2 * delta, rel=1e-5)
    assert float(model.role_optimizers["generator"].learning_rate) == pytest.approx(1e-2 * (1 - delta), rel=1e-5)
    # The step itself ran at these rates: Adam's first step moves every parameter with a
    # gradient by the learning rate. D's output bias rises (its loss falls as it moves
    # towards the real pixels and away from G's 0), and so does G's output logit (towards
    # the real pixels, away from D's 0.2).
    d_bias = np.asarray(model.discriminator.get_layer("output").bias)
    np.testing.assert_allclose(d_bias, 0.2 + 1e-2 * delta, rtol=1e-5)
    g_bias = np.asarray(model.decoder.get_layer("output").bias)
    np.testing.assert_allclose(g_bias, 1e-2 * (1 - delta), rtol=1e-4)


def test_odd_batches_and_bad_options_are_refused():
    with pytest.raises(ValueError, match="interpolation must be"):
        GAIA(data_shape=SHAPE, interpolation="cubic")
    model = GAIA(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, code_dim=3)
    model.compile()
    with pytest.raises(ValueError, match="must be even"):
        model.train_on_batch(tiny_images(5))
