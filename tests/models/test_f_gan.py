"""f-GAN: the model wires the f-divergence losses, every divergence trains, shared checks."""

import numpy as np
import pytest
from loss_family_cases import TinyModelChecks, gaussian_batch, linear_players, tiny
from model_test_case import fit_one_step

from keras_gans import losses
from keras_gans.losses.f_divergence import F_DIVERGENCES


class TestFGANChecks(TinyModelChecks):
    model_name = "f_gan"
    model_options = {"divergence": "kl"}


def test_gan_divergence_reproduces_the_original_gan_objectives():
    """With f = the GAN divergence, F is the GAN value function (Nowozin et al., Table 2)."""
    model = tiny("f_gan", latent_dim=2, hidden_units=(), divergence="gan")
    x = linear_players(model)
    loss, _ = model.discriminator_objective(x)
    real, fake = np.array([[0.0], [2.0]]), np.array([[2.0]])
    assert float(loss) == pytest.approx(float(losses.minimax_discriminator_loss(real, fake)), rel=1e-5)
    assert float(model.generator_objective(2)) == pytest.approx(
        float(losses.non_saturating_generator_loss(fake)), rel=1e-5)


def test_minimax_generator_loss_is_the_conjugate_term():
    model = tiny("f_gan", latent_dim=2, hidden_units=(), divergence="pearson", generator_loss="minimax")
    linear_players(model)  # V(G(z)) = 2: f*(g(2)) = 2^2/4 + 2 = 3, and G minimises -3
    assert float(model.generator_objective(2)) == pytest.approx(-3.0, rel=1e-5)


def test_r1_penalty_adds_gamma_half_squared_input_gradient_on_real_data():
    """D(x) = 2 x_0: grad_x D = (2, 0) on every real example, R1 = 4, penalty = gamma/2 * 4."""
    plain = tiny("f_gan", latent_dim=2, hidden_units=(), divergence="kl")
    plain_loss, plain_terms = plain.discriminator_objective(linear_players(plain))
    assert plain_terms == {}
    model = tiny("f_gan", latent_dim=2, hidden_units=(), divergence="kl", r1_weight=3.0)
    model.compile()
    loss, terms = model.discriminator_objective(linear_players(model))
    assert float(terms["r1_penalty"]) == pytest.approx(0.5 * 3.0 * 4.0, rel=1e-5)
    assert float(loss) == pytest.approx(float(plain_loss) + 6.0, rel=1e-5)
    assert model.get_config()["r1_weight"] == 3.0
    assert "r1_penalty" in fit_one_step(model, gaussian_batch())


@pytest.mark.parametrize("divergence", sorted(F_DIVERGENCES))
def test_every_divergence_trains_a_step_with_finite_losses(divergence):
    model = tiny("f_gan", divergence=divergence)
    model.compile()
    history = fit_one_step(model, gaussian_batch())
    assert all(np.isfinite(v[-1]) for v in history.values())
    assert model.get_config()["divergence"] == divergence


def test_bad_arguments_are_refused_with_the_accepted_names():
    with pytest.raises(ValueError, match="jensen_shannon"):
        tiny("f_gan", divergence="wasserstein")
    with pytest.raises(ValueError, match="alternative"):
        tiny("f_gan", generator_loss="non_saturating")
    with pytest.raises(ValueError, match="r1_weight"):
        tiny("f_gan", r1_weight=-1.0)
