"""AAE: priors, the two phases' objectives on hand cases (real = prior samples), shared checks."""

import numpy as np
import pytest
import tensorflow as tf
from autoencoder_cases import LATENT, SHAPE, TinyAutoencoderChecks, sync_networks, tiny_images
from model_test_case import ModelChecks

from keras_gans import AAE
from keras_gans.components import priors


def softplus(v):
    return np.log1p(np.exp(-np.abs(v))) + np.maximum(v, 0)


class TestAAEChecks(TinyAutoencoderChecks, ModelChecks):
    model_name = "aae"
    model_class = AAE
    init_kwargs = {"discriminator_units": (8,)}

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(AAE), **kwargs)


class TestSupervisedAAEChecks(TestAAEChecks):
    conditional = True
    init_kwargs = {"discriminator_units": (8,), "prior": "mixture"}

    def make_mirrorable(self, **kwargs):
        return self.make_model(**sync_networks(AAE, num_classes=3), **kwargs)


def test_discriminator_objective_treats_prior_samples_as_real_and_codes_as_fake():
    model = AAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, discriminator_units=(8,))
    x = tiny_images(4)
    model.begin_step()
    loss = float(model.discriminator_objective(x))
    model.begin_step()
    z_prior = np.asarray(model.sample_prior(4))
    codes = np.asarray(model.encoder(x, training=True))
    real_logits = np.asarray(model.latent_discriminator(z_prior), np.float64)
    fake_logits = np.asarray(model.latent_discriminator(codes), np.float64)
    # -log sigmoid(real) - log(1 - sigmoid(fake)) = softplus(-real) + softplus(fake)
    expected = np.mean(softplus(-real_logits)) + np.mean(softplus(fake_logits))
    assert loss == pytest.approx(expected, rel=1e-5)
    encoder_loss = float(model.encoder_adversarial_objective(x))
    assert encoder_loss == pytest.approx(np.mean(softplus(-fake_logits)), rel=1e-5)


def test_a_step_runs_both_phases_in_order():
    """Makhzani et al., section 2: the reconstruction phase, then the regularisation phase
    (D_z first, then the encoder as the code GAN's generator). The optimizers' updates are
    recorded as they happen, with what each phase's objective saw."""
    model = AAE(data_shape=SHAPE, latent_dim=LATENT, base_filters=4, discriminator_units=(8,))
    model.compile()
    order = []
    for role, optimizer in model.role_optimizers.items():
        def recording_apply(grads, variables, role=role, apply=optimizer.apply):
            order.append(role)
            return apply(grads, variables)

        optimizer.apply = recording_apply
    # Each regularisation objective must see the encoder the reconstruction phase updated.
    seen_encoder = []
    encoder_kernel = model.encoder.trainable_variables[0]
    for name in ("discriminator_objective", "encoder_adversarial_objective"):
        def spy(x, objective=getattr(model, name)):
            seen_encoder.append(np.array(encoder_kernel))
            return objective(x)

        setattr(model, name, spy)
    initial_kernel = np.array(encoder_kernel)
    model.train_step(tf.constant(tiny_images(8)))  # eager: the spies see the step's order
    assert order == ["autoencoder", "discriminator", "generator"]
    assert not np.array_equal(seen_encoder[0], initial_kernel)  # phase 1 came first
    np.testing.assert_array_equal(seen_encoder[0], seen_encoder[1])  # D_z does not move E
    # the encoder's two phases keep separate optimizer states
    assert {id(v) for v in model.role_variables("generator")} < {id(v) for v in model.role_variables("autoencoder")}
    assert any(v is encoder_kernel for v in model.role_variables("generator"))
    assert model.role_optimizers["generator"] is not model.role_optimizers["autoencoder"]


def test_sharing_networks_between_roles_must_be_declared():
    class Undeclared(AAE):
        roles_sharing_networks = ()

    with pytest.raises(ValueError, match="exactly one role"):
        Undeclared(data_shape=SHAPE, latent_dim=LATENT, base_filters=4)


@pytest.mark.parametrize("name", priors.PRIORS)
def test_priors_sample_reproducibly_and_have_the_papers_shapes(name):
    prior = priors.get_prior(name, 4)
    z = np.asarray(priors.sample_with_seed(prior, 5000, tf.constant([1, 2])))
    again = np.asarray(priors.sample_with_seed(prior, 5000, tf.constant([1, 2])))
    np.testing.assert_array_equal(z, again)
    assert z.shape == (5000, 4)
    assert np.all(np.isfinite(np.asarray(prior.log_prob(z[:10]))))
    if name == "clusters":  # unit Gaussians in all coordinates around fixed, far-apart centres
        prior = priors.get_prior(name, 16)
        z = np.asarray(priors.sample_with_seed(prior, 5000, tf.constant([1, 2])))
        centres = np.asarray(prior.components_distribution.mean())
        assert centres.shape == (priors.CLUSTER_COMPONENTS, 16)
        nearest = np.argmin(((z[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        assert np.bincount(nearest, minlength=len(centres)).min() > 0.8 * 5000 / len(centres)
        np.testing.assert_allclose((z - centres[nearest]).std(0), 1.0, atol=0.1)
        np.testing.assert_array_equal(centres, np.asarray(priors.get_prior(name, 16).components_distribution.mean()))
        return
    if name == "uniform":  # U[-1, 1] in every coordinate: std 1 / sqrt(3)
        assert z.min() >= -1.0 and z.max() <= 1.0
        np.testing.assert_allclose(z.std(0), 3 ** -0.5, atol=0.02)
        return
    np.testing.assert_allclose(z[:, 2:].std(0), 1.0, atol=0.05)  # the N(0, 1) tail
    radius = np.linalg.norm(z[:, :2], axis=1)
    if name == "mixture":  # spokes around radius 1, ten directions
        assert 0.9 < np.median(radius) < 1.1
        angles = np.round(np.arctan2(z[:, 1], z[:, 0]) / (2 * np.pi / 10)) % 10
        assert np.bincount(angles.astype(int), minlength=10).min() > 300
    if name == "swiss_roll":
        assert np.percentile(radius, 1) > 0.15 and np.percentile(radius, 99) < 2.1


def test_two_dimensional_shapes_need_two_dimensions():
    with pytest.raises(ValueError, match="latent_dim must be >= 2"):
        AAE(data_shape=SHAPE, latent_dim=1, prior="swiss_roll")
    with pytest.raises(ValueError, match="prior must be one of"):
        AAE(data_shape=SHAPE, prior="laplace")
