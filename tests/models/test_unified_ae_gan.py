"""UnifiedAEGAN: the three objectives on a hand case, the shared update (sum and PCGrad)
against gradients taken by hand, the shared checks, and a reconstruction test on MNIST."""

import time

import keras
import numpy as np
import pytest
import tensorflow as tf
from autoencoder_cases import (
    LATENT, SHAPE, TinyAutoencoderChecks, fit_on_mnist, held_out_reconstruction_accuracy, tiny_images,
)
from model_test_case import ModelChecks, fit_one_step

from keras_gans import networks
from keras_gans.components import gradient_surgery
from keras_gans.models.unified_ae_gan import UnifiedAEGAN


class TestUnifiedAEGANChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "unified_ae_gan"
    model_class = UnifiedAEGAN
    init_kwargs = {"gradient_combination": "project"}

    def make_mirrorable(self, **kwargs):
        # The shared network has no batch norm by default; the decoder gets synchronised BN.
        decoder = networks.build_conv_generator(
            LATENT, SHAPE, 4, 0, batch_norm="sync", output_activation=None, name="decoder")
        return self.make_model(decoder=decoder, **kwargs)


def softplus(v):
    return np.logaddexp(0.0, v)


def tiny(**kwargs):
    return UnifiedAEGAN(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, seed=5, **kwargs)


def test_objectives_equal_their_formulas_with_the_steps_noise():
    model = tiny(kl_weight=0.7, discriminator_weight=2.0, adversarial_weight=0.3)
    n = 4
    x = tiny_images(n)
    model.begin_step()
    role_losses, terms = model.objectives(x)
    model.begin_step()
    epsilon = np.asarray(model.random_normal([n, LATENT]))
    z_p = np.asarray(model.random_normal([n, LATENT]))

    code, real_logits = (np.asarray(o, np.float64) for o in model.encoder(x, training=True))
    mu, log_var = code[:, :LATENT], np.clip(code[:, LATENT:], -10, 10)
    z = (mu + np.exp(0.5 * log_var) * epsilon).astype(np.float32)
    a = np.asarray(model.decoder(z, training=True), np.float64)
    x_p = np.tanh(0.5 * np.asarray(model.decoder(z_p, training=True))).astype(np.float32)
    fake_logits = np.asarray(model.encoder(x_p, training=True)[1], np.float64)
    p = (x + 1) / 2
    nll = np.mean(np.sum((np.maximum(a, 0) - a * p + np.log1p(np.exp(-np.abs(a)))).reshape(n, -1), 1))
    kl = np.mean(0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, 1))

    approx = lambda v: pytest.approx(v, rel=1e-4, abs=1e-6)  # noqa: E731
    assert float(terms["reconstruction_loss"]) == approx(nll)
    assert float(terms["kl_loss"]) == approx(kl)
    assert float(role_losses["encoder"]) == approx(nll + 0.7 * kl)
    assert float(role_losses["discriminator"]) == approx(
        2.0 * (np.mean(softplus(-real_logits)) + np.mean(softplus(fake_logits))))
    assert float(role_losses["decoder"]) == approx(nll + 0.3 * np.mean(softplus(-fake_logits)))


@pytest.mark.parametrize("combination", ["sum", "project"])
def test_the_shared_update_combines_the_two_roles_gradients(combination):
    """One SGD step moves the trunk along -lr (g_E + g_D) or -lr (g_E' + g_D') (PCGrad), the
    heads along their own role's gradient, and logs cos(g_E, g_D) on the trunk."""
    learning_rate = 0.1
    keras.utils.set_random_seed(0)  # initial weights whose two gradients conflict (cos < 0)
    model = tiny(gradient_combination=combination)
    model.compile(optimizers={role: keras.optimizers.SGD(learning_rate) for role in model.optimizer_roles})
    x = tiny_images(8)
    variables = model.role_variables("shared")
    with tf.GradientTape(persistent=True) as tape:
        model.begin_step()  # the step about to run uses the same counter, hence the same noise
        role_losses, _ = model.objectives(x)
    sources = [v.value for v in variables]
    g_e = [np.asarray(g) for g in tape.gradient(role_losses["encoder"], sources,
                                               unconnected_gradients=tf.UnconnectedGradients.ZERO)]
    g_d = [np.asarray(g) for g in tape.gradient(role_losses["discriminator"], sources,
                                               unconnected_gradients=tf.UnconnectedGradients.ZERO)]
    trunk = model._trunk_indices
    assert 0 < len(trunk) < len(variables)
    head = [i for i in range(len(variables)) if i not in trunk]
    # Each head is trained by one role only.
    for i in head:
        assert not (np.any(g_e[i]) and np.any(g_d[i])), variables[i].path
    te, td = [g_e[i] for i in trunk], [g_d[i] for i in trunk]
    flat_e, flat_d = np.concatenate([g.ravel() for g in te]), np.concatenate([g.ravel() for g in td])
    cosine = flat_e @ flat_d / np.linalg.norm(flat_e) / np.linalg.norm(flat_d)
    assert cosine < 0, "the case must conflict, or PCGrad is not exercised"
    if combination == "project":
        dot = flat_e @ flat_d
        projected_e = [e - dot / (flat_d @ flat_d) * d for e, d in zip(te, td)]
        projected_d = [d - dot / (flat_e @ flat_e) * e for e, d in zip(te, td)]
        expected_trunk = [e + d for e, d in zip(projected_e, projected_d)]
    else:
        expected_trunk = [e + d for e, d in zip(te, td)]
    before = [np.asarray(v) for v in variables]
    logs = fit_one_step(model, x)
    for position, i in enumerate(trunk):
        expected = before[i] - learning_rate * expected_trunk[position]
        np.testing.assert_allclose(np.asarray(variables[i]), expected,
                                   rtol=1e-4, atol=1e-6, err_msg=variables[i].path)
    for i in head:
        np.testing.assert_allclose(np.asarray(variables[i]), before[i] - learning_rate * (g_e[i] + g_d[i]),
                                   rtol=1e-4, atol=1e-6, err_msg=variables[i].path)
    assert logs["gradient_cosine"][-1] == pytest.approx(cosine, rel=1e-3, abs=1e-5)
    assert logs["gradient_conflict"][-1] == float(cosine < 0)


def test_the_two_shared_objectives_need_minimize_eachs_combine():
    """L_E and L_D are objectives of the "shared" role, not roles: without a `combine` that
    merges their gradients, `minimize_each` refuses to apply them."""
    model = tiny()
    model.compile()
    x = tiny_images(4)
    with pytest.raises(ValueError, match="need a `combine`"):
        model.minimize_each(lambda: model.objectives(x))


def test_pcgrad_removes_the_negative_component_of_two_2d_gradients():
    g_e, g_d = [np.array([2.0, 0.0], np.float32)], [np.array([-1.0, 1.0], np.float32)]
    projected_e, projected_d = gradient_surgery.project_conflicting(g_e, g_d)
    # <g_e, g_d> = -2: g_e' = g_e + (2 / 2) g_d = (1, 1); g_d' = g_d + (2 / 4) g_e = (0, 1)
    np.testing.assert_allclose(np.asarray(projected_e[0]), [1.0, 1.0], atol=1e-7)
    np.testing.assert_allclose(np.asarray(projected_d[0]), [0.0, 1.0], atol=1e-7)
    assert float(gradient_surgery.flat_dot(projected_e, g_d)) == pytest.approx(0.0, abs=1e-6)
    assert float(gradient_surgery.flat_dot(projected_d, g_e)) == pytest.approx(0.0, abs=1e-6)


def test_refuses_unknown_combination_and_labels():
    with pytest.raises(ValueError, match="gradient_combination"):
        tiny(gradient_combination="mean")
    with pytest.raises(ValueError, match="unconditional"):
        tiny(num_classes=3)


@pytest.mark.slow
def test_held_out_reconstructions_keep_their_digit_on_mnist():
    """Trained briefly on mnist_train, reconstructions of the 1,000 held-out mnist_test
    digits must be classified as the digit they came from (chance: 10%)."""
    start = time.time()
    keras.utils.set_random_seed(0)
    model = UnifiedAEGAN(data_shape=(28, 28, 1), gradient_combination="project", seed=0)
    history = fit_on_mnist(model, epochs=EPOCHS)
    accuracy = held_out_reconstruction_accuracy(model)
    print(f"reconstruction accuracy {accuracy:.3f} after {EPOCHS} epochs, {time.time() - start:.0f} s; "
          f"gradient cosine per epoch {np.round(history['gradient_cosine'], 3).tolist()}")
    assert np.all(np.isfinite(history["gradient_cosine"]))
    assert accuracy >= ACCURACY_BAR


EPOCHS = 5
ACCURACY_BAR = 0.8
