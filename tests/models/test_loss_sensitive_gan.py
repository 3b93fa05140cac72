"""Loss-sensitive GAN: eq. 6-7 of Qi on a hand case, Lipschitz regularisers, shared checks."""

import keras
import pytest
from loss_family_cases import TinyModelChecks, linear_players, tiny

from keras_gans import networks


class TestLossSensitiveGANChecks(TinyModelChecks):
    model_name = "loss_sensitive_gan"


# G(z) = (1, 0) and L(x) = 2 x_0 (linear_players) on x = [[0, 0], [1, 5]]:
# L(x) = [0, 2], L(G(z)) = 2; ||x - G(z)||_1 = [1 + 0, 0 + 5] = [1, 5], its mean over the
# 2 dimensions [0.5, 2.5]; the hinges [Delta + L(x) - L(G(z))]_+ are [max(0, 1 + 0 - 2), 5 + 2 - 2]
# = [0, 5] with the L1 norm and [0, 2.5] with the mean; ||grad L|| = ||(2, 0)|| = 2 everywhere.
@pytest.mark.parametrize("options, expected", [
    ({}, (0 + 5) / 2),  # the default: gamma = 0, the paper's L1 norm -> 2.5
    ({"real_loss_weight": 1.0}, 1.0 * (0 + 2) / 2 + (0 + 5) / 2),  # eq. 6 with lambda = 1 -> 3.5
    ({"margin_norm": "mean"}, (0 + 2.5) / 2),  # the author's-code form -> 1.25
    ({"real_loss_weight": 0.5, "margin_norm": "mean"}, 0.5 * 1.0 + 1.25),
    ({"margin_scale": 0.5}, (0 + max(0.0, 2.5 + 2 - 2)) / 2),  # hinges [0, 2.5]
    ({"gradient_penalty_weight": 3.0}, 2.5 + 3.0 * (2.0 - 1.0) ** 2),
])
def test_objectives_match_equations_6_and_7_on_a_hand_case(options, expected):
    model = tiny("loss_sensitive_gan", latent_dim=2, hidden_units=(), **options)
    model.compile()
    x = linear_players(model)
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    assert float(model.generator_objective(3)[0]) == pytest.approx(2.0, rel=1e-5)  # T = E[L(G(z))]


def test_the_defaults_and_unknown_margin_norms_are_refused():
    model = tiny("loss_sensitive_gan")
    assert (model.real_loss_weight, model.margin_norm, model.margin_scale) == (0.0, "l1_sum", 1.0)
    assert model.get_config()["margin_norm"] == "l1_sum"
    with pytest.raises(ValueError, match="margin_norm must be one of"):
        tiny("loss_sensitive_gan", margin_norm="l2")


def _layer_types(network):
    return {type(layer).__name__ for layer in network.layers}


def test_the_gradient_penalty_gets_a_layer_norm_critic_and_refuses_batch_norm():
    images = {"data_shape": (16, 16, 1), "base_filters": 4}
    assert "BatchNormalization" in _layer_types(tiny("loss_sensitive_gan", **images).discriminator)
    penalised = tiny("loss_sensitive_gan", gradient_penalty_weight=1.0, **images)
    assert "BatchNormalization" not in _layer_types(penalised.discriminator)
    assert "LayerNormalization" in _layer_types(penalised.discriminator)
    batch_normed = networks.build_conv_discriminator((16, 16, 1), base_filters=4, batch_norm=True)
    with pytest.raises(ValueError, match="batch normalization.*LayerNormalization"):
        tiny("loss_sensitive_gan", gradient_penalty_weight=1.0, discriminator=batch_normed, **images)
    # nested: a batch-norm layer inside a sub-model is found too
    inner = keras.Sequential([keras.layers.Dense(4), keras.layers.BatchNormalization()], name="trunk")
    x = keras.Input((2,))
    nested = keras.Model(x, keras.layers.Dense(1, name="logits")(inner(x)))
    with pytest.raises(ValueError, match="gradient_penalty_weight=1.0"):
        tiny("loss_sensitive_gan", gradient_penalty_weight=1.0, discriminator=nested)
    tiny("loss_sensitive_gan", discriminator=nested)  # no penalty: batch norm is allowed


def test_the_loss_function_is_regularised_by_weight_decay_and_the_generator_is_not():
    model = tiny("loss_sensitive_gan", weight_decay=1e-3)
    optimizers = model.default_optimizers()
    assert optimizers["discriminator"].weight_decay == pytest.approx(1e-3)
    assert optimizers["generator"].weight_decay is None
    assert isinstance(optimizers["discriminator"], keras.optimizers.Adam)
