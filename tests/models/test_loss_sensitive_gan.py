"""Loss-sensitive GAN: eq. 6-7 of Qi on a hand case, Lipschitz regularisers, shared checks."""

import keras
import pytest
from loss_family_cases import TinyModelChecks, linear_players, tiny


class TestLossSensitiveGANChecks(TinyModelChecks):
    model_name = "loss_sensitive_gan"


@pytest.mark.parametrize("gamma, gp_weight", [(0.0, 0.0), (0.5, 0.0), (0.0, 3.0)])
def test_objectives_match_equations_6_and_7_on_a_hand_case(gamma, gp_weight):
    model = tiny("loss_sensitive_gan", latent_dim=2, hidden_units=(), real_loss_weight=gamma,
                 gradient_penalty_weight=gp_weight)
    model.compile()
    x = linear_players(model)  # L(x) = 2 x_0: 0 and 2 on real data, 2 on every G(z) = (1, 0)
    real, fake = [0.0, 2.0], 2.0
    margins = [(1 + 0) / 2, (0 + 5) / 2]  # mean |x - G(z)| per pair
    hinge = [max(0.0, d + r - fake) for d, r in zip(margins, real)]  # [0, 2.5]
    penalty = gp_weight * (2.0 - 1.0) ** 2  # ||grad L|| = ||(2, 0)|| = 2 everywhere
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(gamma * sum(real) / 2 + sum(hinge) / 2 + penalty, rel=1e-5)
    assert float(model.generator_objective(3)) == pytest.approx(fake, rel=1e-5)


def test_the_loss_function_is_regularised_by_weight_decay_and_the_generator_is_not():
    model = tiny("loss_sensitive_gan", weight_decay=1e-3)
    optimizers = model.default_optimizers()
    assert optimizers["discriminator"].weight_decay == pytest.approx(1e-3)
    assert optimizers["generator"].weight_decay is None
    assert isinstance(optimizers["discriminator"], keras.optimizers.Adam)
