"""Loss-sensitive GAN: eq. 6-7 of Qi on a hand case, weight decay, and the shared checks."""

import math

import keras
import pytest
from loss_family_cases import gaussian_batch, linear_players, tiny
from model_test_case import ModelChecks


class TestLossSensitiveGANChecks(ModelChecks):
    model_name = "loss_sensitive_gan"

    def make_model(self, **kwargs):
        return tiny("loss_sensitive_gan", **kwargs)

    def make_batch(self):
        return gaussian_batch()


def softplus(v):
    return math.log1p(math.exp(v))


def test_objectives_match_equations_6_and_7_on_a_hand_case():
    model = tiny("loss_sensitive_gan", latent_dim=2, hidden_units=(), lam=2.0)
    x = linear_players(model)  # L(x) = softplus(0), softplus(2); L(G(z)) = softplus(2); G(z) = (1, 0)
    real, fake = [softplus(0.0), softplus(2.0)], softplus(2.0)
    margins = [(1 + 0) / 2, (0 + 5) / 2]  # mean |x - G(z)| per pair
    hinge = [max(0.0, d + r - fake) for d, r in zip(margins, real)]
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(sum(real) / 2 + 2.0 * sum(hinge) / 2, rel=1e-5)
    assert float(model.generator_objective(3)) == pytest.approx(fake, rel=1e-5)


def test_the_loss_function_is_regularised_by_weight_decay_and_the_generator_is_not():
    model = tiny("loss_sensitive_gan", weight_decay=1e-3)
    optimizers = model.default_optimizers()
    assert optimizers["discriminator"].weight_decay == pytest.approx(1e-3)
    assert optimizers["generator"].weight_decay is None
    assert isinstance(optimizers["discriminator"], keras.optimizers.Adam)
