"""BiGAN / ALI: the pair game on hand cases, where E and G get their gradients, the stochastic
encoder, served encode/reconstruct in a fresh process, bad input, and a learning test."""

import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_test_case import ModelChecks

from keras_gans import BiGAN, inference
from keras_gans.export import export_model

SHAPE = (8, 8, 1)
LATENT = 4
TINY = {"data_shape": SHAPE, "latent_dim": LATENT, "base_filters": 4,
        "discriminator_latent_units": (8,), "discriminator_joint_units": (8,), "seed": 3}


def tiny_bigan(**kwargs):
    return BiGAN(**{**TINY, **kwargs})


def tiny_images(count=8, seed=0):
    """Images in the model's [-1, 1] range, as `fit` and the objectives receive them."""
    return np.random.default_rng(seed).uniform(-1, 1, size=(count, *SHAPE)).astype(np.float32)


def mlp_bigan(**kwargs):
    """Vector data, MLPs only: no batch statistics anywhere (the two-replica check)."""
    return BiGAN(data_shape=(2,), latent_dim=LATENT, hidden_units=(8,), discriminator_latent_units=(8,),
                 discriminator_joint_units=(8,), seed=3, **kwargs)


def softplus(v):
    return np.log1p(np.exp(-np.abs(v))) + np.maximum(v, 0)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


class TestBiGANChecks(ModelChecks):
    model_name = "bigan"
    init_kwargs = {}

    def make_model(self, **kwargs):
        return tiny_bigan(**self.init_kwargs, **kwargs)

    def make_mirrorable(self, **kwargs):
        return mlp_bigan(**self.init_kwargs, **kwargs)

    def make_batch(self):
        return tiny_images()

    def test_two_replicas_give_the_same_update_as_one_device(self, two_cpu_strategy):
        # The mirrorable BiGAN is the MLP one (the conv generator has batch norm): 2D points.
        self.make_batch = lambda: np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
        super().test_two_replicas_give_the_same_update_as_one_device(two_cpu_strategy)


class TestALIChecks(TestBiGANChecks):
    """The stochastic (ALI) encoder draws step noise: resume and replicas must still agree."""

    init_kwargs = {"stochastic_encoder": True}


# ---------------------------------------------------------------------- the objective on hand cases
def linear_pair_discriminator(weights, bias):
    """A stub D(x, z) = w_x . flatten(x) + w_z . z + b with the given weights."""
    x = keras.Input(SHAPE, name="x")
    z = keras.Input((LATENT,), name="z")
    pair = keras.layers.Concatenate()([keras.layers.Flatten()(x), z])
    dense = keras.layers.Dense(1, name="logits")
    model = keras.Model([x, z], dense(pair), name="discriminator")
    dense.set_weights([weights.reshape(-1, 1).astype(np.float32), np.array([bias], np.float32)])
    return model


def stub_model(generator_loss="non_saturating", seed=0):
    weights = np.random.default_rng(seed).normal(scale=0.3, size=np.prod(SHAPE) + LATENT)
    model = tiny_bigan(discriminator=linear_pair_discriminator(weights, 0.2), generator_loss=generator_loss)
    return model, weights


def hand_logits(model, weights, x):
    """D's logits on (x, E(x)) and (G(z), z), recomputed in float64 from the stub's weights,
    with the same z the objective drew at this step."""
    model.begin_step()
    z = np.asarray(model.sample_prior(len(x)), np.float64)
    codes = np.asarray(model.encoder(x, training=True), np.float64)
    x_fake = np.asarray(model.generator(z.astype(np.float32), training=True), np.float64)
    w_x, w_z = weights[:-LATENT], weights[-LATENT:]
    real = x.reshape(len(x), -1) @ w_x + codes @ w_z + 0.2
    fake = x_fake.reshape(len(x), -1) @ w_x + z @ w_z + 0.2
    return real, fake, z


def test_losses_on_chosen_logits_equal_the_closed_forms():
    model = tiny_bigan()
    real, fake = np.array([[2.0], [-1.0], [0.3]]), np.array([[0.5], [-3.0], [1.5]])
    # D: -log sigmoid(real) - log(1 - sigmoid(fake)) = softplus(-real) + softplus(fake)
    d_expected = np.mean(-np.log(sigmoid(real))) + np.mean(-np.log(1 - sigmoid(fake)))
    assert float(model.discriminator_loss(real, fake)) == pytest.approx(d_expected, rel=1e-6)
    # by hand: (0.12693 + 1.31326 + 0.55436) / 3 + (0.97408 + 0.04859 + 1.70141) / 3
    assert d_expected == pytest.approx(1.57287, abs=1e-5)
    # E and G, non-saturating: -log sigmoid(fake) - log(1 - sigmoid(real))
    g_expected = np.mean(-np.log(sigmoid(fake))) + np.mean(-np.log(1 - sigmoid(real)))
    assert float(model.generator_encoder_loss(real, fake)) == pytest.approx(g_expected, rel=1e-6)
    # by hand: (0.47408 + 3.04859 + 0.20141) / 3 + (2.12693 + 0.31326 + 0.85436) / 3
    assert g_expected == pytest.approx(2.33954, abs=1e-5)
    minimax = tiny_bigan(generator_loss="minimax")
    assert float(minimax.generator_encoder_loss(real, fake)) == pytest.approx(-d_expected, rel=1e-6)


@pytest.mark.parametrize("generator_loss", ["non_saturating", "minimax"])
def test_objectives_judge_real_pairs_x_E_x_and_fake_pairs_G_z_z(generator_loss):
    model, weights = stub_model(generator_loss)
    x = tiny_images(6)
    model.begin_step()
    d_loss = float(model.discriminator_objective(x)[0])
    real, fake, _ = hand_logits(model, weights, x)
    assert d_loss == pytest.approx(np.mean(softplus(-real)) + np.mean(softplus(fake)), rel=1e-5)
    model.begin_step()
    g_loss = float(model.generator_objective(x)[0])
    if generator_loss == "minimax":
        expected = -np.mean(softplus(-real)) - np.mean(softplus(fake))
    else:
        expected = np.mean(softplus(-fake)) + np.mean(softplus(real))
    assert g_loss == pytest.approx(expected, rel=1e-5)


def test_discriminator_output_changes_with_z_alone():
    model = tiny_bigan()
    x = np.repeat(tiny_images(1), 3, axis=0)
    z = np.random.default_rng(1).normal(size=(3, LATENT)).astype(np.float32)
    logits = np.asarray(model.discriminator_forward(x, z)).ravel()
    assert np.ptp(logits) > 1e-4, logits


def test_encoder_and_generator_gradients_come_only_from_the_pair_loss():
    """With D a linear stub, L = mean softplus(-D(G(z), z)) + mean softplus(D(x, E(x))):
    dL/dE(x_i) = sigmoid(D(x_i, E(x_i))) w_z / N and dL/dG(z_i) = -sigmoid(-D(G(z_i), z_i)) w_x / N,
    chained through each network by hand here; the model's gradients must equal them."""
    model, weights = stub_model()
    x = tiny_images(6)
    encoder_vars = model.encoder.trainable_variables
    generator_vars = model.generator.trainable_variables
    model.begin_step()
    with tf.GradientTape() as tape:
        loss = model.generator_objective(x)[0]
    model_grads = tape.gradient(loss, encoder_vars + generator_vars)

    real, fake, z = hand_logits(model, weights, x)
    n, w_x, w_z = len(x), weights[:-LATENT], weights[-LATENT:]
    with tf.GradientTape(persistent=True) as tape:
        codes = model.encoder(x, training=True)
        x_fake = model.generator(z.astype(np.float32), training=True)
    d_codes = (sigmoid(real)[:, None] * w_z[None, :] / n).astype(np.float32)
    d_fakes = (-sigmoid(-fake)[:, None] * w_x[None, :] / n).reshape(x_fake.shape).astype(np.float32)
    hand = tape.gradient(codes, encoder_vars, output_gradients=d_codes) + tape.gradient(
        x_fake, generator_vars, output_gradients=d_fakes)
    for variable, got, expected in zip(encoder_vars + generator_vars, model_grads, hand):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-4, atol=1e-6,
                                   err_msg=variable.path)
    assert np.abs(np.asarray(model_grads[0])).max() > 0  # the encoder's first kernel learns


def test_discriminator_step_leaves_encoder_and_generator_alone_and_vice_versa():
    model = tiny_bigan()
    model.compile()
    x = tiny_images()
    names = ("encoder", "generator", "discriminator")

    def trainable():  # (batch-norm moving statistics move in any training-mode pass)
        return {name: [np.array(v) for v in getattr(model, name).trainable_variables] for name in names}

    def changed(old, new):
        return {name: any(not np.array_equal(a, b) for a, b in zip(old[name], new[name])) for name in names}

    start = trainable()
    model.begin_step()
    model.minimize("discriminator", lambda: model.discriminator_objective(x))
    after_d = trainable()
    assert changed(start, after_d) == {"encoder": False, "generator": False, "discriminator": True}
    model.minimize("generator", lambda: model.generator_objective(x))
    assert changed(after_d, trainable()) == {"encoder": True, "generator": True, "discriminator": False}


# ---------------------------------------------------------------------- ALI's stochastic encoder
def constant_encoder(log_variance):
    """E(x) = [0, ..., 0 | log_variance, ...]: a mean of zeros and the given log-variance."""
    x = keras.Input(SHAPE, name="x")
    dense = keras.layers.Dense(2 * LATENT, kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant([0.0] * LATENT + [log_variance] * LATENT))
    return keras.Model(x, dense(keras.layers.Flatten()(x)), name="encoder")


def test_stochastic_encoder_outputs_mean_and_log_variance_and_draws_fresh_noise_each_step():
    model = tiny_bigan(stochastic_encoder=True)
    assert tuple(model.encoder.outputs[0].shape) == (None, 2 * LATENT)
    x = tiny_images(4)
    model.begin_step()
    first = np.asarray(model.encode_sample(x, training=True))
    model.begin_step()
    again = np.asarray(model.encode_sample(x, training=True))
    model.advance_step()
    model.begin_step()
    later = np.asarray(model.encode_sample(x, training=True))
    np.testing.assert_array_equal(first, again)  # the noise is the step's, reproducible
    assert np.abs(first - later).min() > 0  # a new step, new noise in every coordinate
    z_mean = np.asarray(model.posterior(x)[0])
    np.testing.assert_allclose(np.asarray(model.encode(x * 0.5 + 0.5)), z_mean, atol=1e-6)
    assert np.abs(first - z_mean).mean() > 0.05  # the draws scatter around the mean


@pytest.mark.parametrize("log_variance, clipped", [(50.0, 10.0), (-50.0, -10.0)])
def test_stochastic_encoder_clips_its_log_variance(log_variance, clipped):
    model = tiny_bigan(stochastic_encoder=True, encoder=constant_encoder(log_variance))
    x = tiny_images(512)
    _, z_log_var = model.posterior(x)
    np.testing.assert_allclose(np.asarray(z_log_var), clipped)
    model.begin_step()
    z = np.asarray(model.encode_sample(x, training=True))
    assert np.all(np.isfinite(z))
    assert np.std(z) == pytest.approx(np.exp(clipped / 2), rel=0.1)


# ---------------------------------------------------------------------- serving in a fresh process
FRESH_PROCESS = textwrap.dedent("""
    import json, sys
    import numpy as np
    import tensorflow as tf
    path, inputs = sys.argv[1], sys.argv[2]
    x = np.load(inputs)
    restored = tf.saved_model.load(path)
    out = {
        "codes": restored.signatures["encode"](x=tf.constant(x))["codes"].numpy().tolist(),
        "reconstructions": restored.signatures["reconstruct"](x=tf.constant(x))["reconstructions"].numpy().tolist(),
    }
    print(json.dumps(out))
""")


@pytest.mark.parametrize("stochastic_encoder", [False, True])
def test_served_encode_and_reconstruct_match_keras_in_a_fresh_process(tmp_path, stochastic_encoder):
    model = tiny_bigan(stochastic_encoder=stochastic_encoder)
    model.compile()
    model.fit(tiny_images(), batch_size=8, epochs=1, verbose=0)
    path = export_model(model, tmp_path / "export")
    x = np.random.default_rng(4).uniform(size=(5, *SHAPE)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(path), str(tmp_path / "x.npy")],
        capture_output=True, text=True, timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "2", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    served = json.loads(result.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(np.array(served["codes"]), np.asarray(model.encode(x)), atol=1e-5)
    np.testing.assert_allclose(np.array(served["reconstructions"]), np.asarray(model.reconstruct(x)), atol=1e-5)
    assert np.array(served["codes"]).shape == (5, LATENT)


# ---------------------------------------------------------------------- bad input and bad networks
def test_wrong_shapes_and_labels_are_refused_with_clear_messages():
    model = tiny_bigan()
    with pytest.raises(ValueError, match=r"takes examples shaped \(N, 8, 8, 1\), got an array of shape \(2, 16, 16, 1\)"):
        model.encode(np.zeros((2, 16, 16, 1), np.float32))
    with pytest.raises(ValueError, match=r"takes examples shaped \(N, 8, 8, 1\)"):
        model.reconstruct(np.zeros((2, 8, 8), np.float32))
    with pytest.raises(ValueError, match="not conditional"):
        model.reconstruct(np.zeros((2, *SHAPE), np.float32), labels=[0, 1])
    with pytest.raises(ValueError, match=r"shape \(3, 16, 16, 1\); the model takes \(N, 8, 8, 1\)"):
        inference.check_images_for(model, np.zeros((3, 16, 16)), "x.npy")
    # the CLI's path: checked images, then batched reconstruction in data units
    images = inference.check_images_for(model, np.full((3, 8, 8), 0.5), "x.npy")
    reconstructions = inference.reconstruct(model, images)
    assert reconstructions.shape == (3, *SHAPE) and 0 <= reconstructions.min() <= reconstructions.max() <= 1


def test_networks_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match=r"encoder output shape \[\(4,\)\] must be \[\(8,\)\]"):
        tiny_bigan(stochastic_encoder=True, encoder=tiny_bigan().encoder)
    image_only = keras.Sequential([keras.Input(SHAPE), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"must take the pair \[x, z\]"):
        tiny_bigan(discriminator=image_only)
    with pytest.raises(ValueError, match="unconditional"):
        tiny_bigan(num_classes=3)
    with pytest.raises(ValueError, match="generator_loss must be one of"):
        tiny_bigan(generator_loss="wasserstein")


# ---------------------------------------------------------------------- learning
RING_CENTRES = np.stack([np.cos(np.arange(8) * np.pi / 4), np.sin(np.arange(8) * np.pi / 4)], axis=1)


def same_mode_reconstructions(model, x):
    """Fraction of ring points whose G(E(x)) is nearest to the centre of x's own mode."""
    def nearest(points):
        return np.argmin(((np.asarray(points)[:, None] - RING_CENTRES) ** 2).sum(-1), axis=1)

    return float(np.mean(nearest(model.reconstruct(x)) == nearest(x)))


@pytest.mark.slow
def test_encoder_inverts_the_generator_on_the_ring():
    """The ring8 recipe (`keras-gans train bigan --dataset ring8`) on half its budget: every
    mode is drawn (>= 6 of 8, the bar of tests/models/test_mixture_coverage.py, which leaves
    bigan to this test), and G(E(x)) of held-out points lands on x's own mode although no loss
    ever compares G(E(x)) with x. Measured at this budget: 8/8 modes, same-mode 1.00 (seed 0)
    and 0.76 (seed 1); an untrained model: about one mode in eight."""
    from keras_gans import mixtures
    from keras_gans.data import load_dataset
    from keras_gans.recipes import resolve

    held_out = load_dataset("ring8", seed=99, num_samples=2000).x
    untrained = BiGAN(data_shape=(2,), seed=0, **resolve("bigan", "ring8").hyperparameters)
    assert same_mode_reconstructions(untrained, held_out) < 0.3
    steps = mixtures.recipe("bigan", "ring8").steps // 2
    model, data, _ = mixtures.train_mixture_model("bigan", "ring8", seed=0, steps=steps)
    report = mixtures.judge_samples(model.sample(2500, seed=1000), data)
    assert report["modes_captured"] >= 6, report
    fraction = same_mode_reconstructions(model, held_out)
    assert fraction >= 0.5, f"{fraction:.1%} of reconstructions on their own mode"
