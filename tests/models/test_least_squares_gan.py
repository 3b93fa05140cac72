"""Least-squares GAN: eq. 2 of Mao et al. on a hand case, and the shared checks."""

import pytest
from loss_family_cases import TinyModelChecks, linear_players, tiny


class TestLeastSquaresGANChecks(TinyModelChecks):
    model_name = "least_squares_gan"


@pytest.mark.parametrize("a, b, c", [(0.0, 1.0, 1.0), (-1.0, 1.0, 0.0)])
def test_objectives_match_equation_2_on_a_hand_case(a, b, c):
    model = tiny("least_squares_gan", latent_dim=2, hidden_units=(), a=a, b=b, c=c)
    x = linear_players(model)  # real outputs 0 and 2, fake output 2
    loss, _ = model.discriminator_objective(x)
    expected = 0.5 * ((0 - b) ** 2 + (2 - b) ** 2) / 2 + 0.5 * (2 - a) ** 2
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    assert float(model.generator_objective(3)[0]) == pytest.approx(0.5 * (2 - c) ** 2, rel=1e-5)


def test_the_codes_are_part_of_the_config():
    config = tiny("least_squares_gan", a=-1.0, b=1.0, c=0.0).get_config()
    assert (config["a"], config["b"], config["c"]) == (-1.0, 1.0, 0.0)
    assert "generator_loss" not in config
