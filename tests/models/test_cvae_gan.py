"""CVAE-GAN: every objective of Algorithm 1 on a hand case, the shared checks, and a
class-conditional learning test on MNIST."""

import time

import keras
import numpy as np
import pytest
import tensorflow as tf
from autoencoder_cases import LATENT, NUM_CLASSES, SHAPE, TinyAutoencoderChecks, sync_networks, tiny_images
from model_test_case import ModelChecks

from keras_gans.data import load_dataset, make_pipeline
from keras_gans.metrics import label_agreement, load_mnist_classifier
from keras_gans.models.cvae_gan import CVAEGAN


class TestCVAEGANChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "cvae_gan"
    model_class = CVAEGAN
    conditional = True
    # lambda1 = 10 makes the encoder's first float16 step overflow at the default 2^15
    mixed_float16_loss_scale = 2.0**8

    def make_mirrorable(self, **kwargs):
        # D and C have no batch norm by default; E and G get synchronised batch norm.
        return self.make_model(**sync_networks(
            CVAEGAN, NUM_CLASSES, encoder_outputs=2 * LATENT, encoder_labels=NUM_CLASSES), **kwargs)


def softplus(v):
    return np.logaddexp(0.0, v)


def test_every_objective_equals_its_formula_with_the_steps_noise():
    model = CVAEGAN(data_shape=SHAPE, num_classes=NUM_CLASSES, latent_dim=LATENT, base_filters=4,
                    kl_weight=3.0, generator_weight=0.5, discriminator_matching_weight=0.2,
                    classifier_matching_weight=0.3)
    n = 6
    x = tiny_images(n)
    labels = np.array([0, 0, 1, 2, 2, 2])
    y = np.eye(NUM_CLASSES, dtype=np.float32)[labels]
    model.begin_step()
    role_losses, terms = model.objectives(tf.constant(x), model.one_hot(labels))
    # The same step noise again: epsilon of the posterior first, then the prior's z_p.
    model.begin_step()
    epsilon = np.asarray(model.random_normal([n, LATENT]))
    z_p = np.asarray(model.random_normal([n, LATENT]))

    def run(network, *inputs):
        inputs = [np.asarray(v, np.float32) for v in inputs]
        out = network(inputs if len(inputs) > 1 else inputs[0], training=True)
        if isinstance(out, (list, tuple)):
            return [np.asarray(o, np.float64) for o in out]
        return np.asarray(out, np.float64)

    out = run(model.encoder, x, y)
    mu, log_var = out[:, :LATENT], np.clip(out[:, LATENT:], -10, 10)
    z = (mu + np.exp(0.5 * log_var) * epsilon).astype(np.float32)
    x_f = np.tanh(0.5 * run(model.decoder, z, y)).astype(np.float32)
    x_p = np.tanh(0.5 * run(model.decoder, z_p, y)).astype(np.float32)
    (d_r, fd_r), (d_f, fd_f), (d_p, fd_p) = (run(model.discriminator, v) for v in (x, x_f, x_p))
    (c_r, fc_r), (_, fc_f), (_, fc_p) = (run(model.classifier, v) for v in (x, x_f, x_p))

    sq = lambda a, b: np.sum((a.reshape(n, -1) - b.reshape(n, -1)) ** 2, axis=1)  # noqa: E731
    kl = np.mean(0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, 1))
    reconstruction = np.mean(sq(x.astype(np.float64), x_f))
    features = np.mean(sq(fd_r, fd_f)) + np.mean(sq(fc_r, fc_f))
    l_g = 0.5 * (reconstruction + features)
    l_gd = 0.5 * np.sum((fd_r.mean(0) - fd_p.mean(0)) ** 2)
    l_gc = 0.5 * sum(np.sum((fc_r[labels == c].mean(0) - fc_p[labels == c].mean(0)) ** 2)
                     for c in range(NUM_CLASSES))
    l_d = np.mean(softplus(-d_r)) + np.mean(softplus(d_f)) + np.mean(softplus(d_p))
    log_softmax = c_r - np.log(np.sum(np.exp(c_r), 1, keepdims=True))
    l_c = -np.mean(log_softmax[np.arange(n), labels])

    approx = lambda v: pytest.approx(v, rel=1e-4, abs=1e-6)  # noqa: E731
    assert float(terms["kl_loss"]) == approx(kl)
    assert float(terms["reconstruction_loss"]) == approx(reconstruction)
    assert float(terms["feature_matching_loss"]) == approx(features)
    assert float(terms["discriminator_matching_loss"]) == approx(l_gd)
    assert float(terms["classifier_matching_loss"]) == approx(l_gc)
    assert float(role_losses["encoder"]) == approx(3.0 * kl + 0.5 * l_g)
    assert float(role_losses["decoder"]) == approx(0.5 * l_g + 0.2 * l_gd + 0.3 * l_gc)
    assert float(role_losses["discriminator"]) == approx(l_d)
    assert float(role_losses["classifier"]) == approx(l_c)


def test_refuses_an_unconditional_setup():
    with pytest.raises(ValueError, match="num_classes"):
        CVAEGAN(data_shape=SHAPE)
    with pytest.raises(ValueError, match="kl_weight"):
        CVAEGAN(data_shape=SHAPE, num_classes=3, kl_weight=-1)


@pytest.mark.slow
def test_samples_of_an_asked_class_are_recognised_as_that_class_on_mnist():
    """Trained briefly on the 4,000 mnist_train digits, samples asked for class c must be
    classified as c by the project's classifier (chance: 10%)."""
    start = time.time()
    keras.utils.set_random_seed(0)
    data = load_dataset("mnist_train")
    model = CVAEGAN(data_shape=data.data_shape, num_classes=10, seed=0)
    model.compile()
    model.fit(make_pipeline(data, 64, with_labels=True, seed=0), epochs=EPOCHS, verbose=0)
    asked = np.arange(500) % 10
    samples = np.asarray(model.sample(500, seed=1, labels=asked))
    agreement = label_agreement(load_mnist_classifier(), samples, asked)
    print(f"asked-class agreement {agreement:.3f} after {EPOCHS} epochs, {time.time() - start:.0f} s")
    assert agreement >= AGREEMENT_BAR


EPOCHS = 5
AGREEMENT_BAR = 0.85
