"""EBGAN: the autoencoder discriminator, equations 1, 2 and 6 on hand cases, the shared checks."""

import numpy as np
import pytest
from loss_family_cases import TinyModelChecks, identity_free_autoencoder, tiny

from keras_gans.losses import energy


class TestEBGANChecks(TinyModelChecks):
    model_name = "ebgan"
    model_options = {"code_dim": 3}

    def make_mirrorable(self, **kwargs):
        # f_PT is a batch statistic over each replica's own examples (like per-replica batch
        # norm), so N replicas match one device exactly only without it.
        return self.make_model(pulling_away_weight=0.0, **kwargs)


def test_ebgan_objectives_match_equations_1_and_2_on_a_hand_case():
    model = tiny("ebgan", margin=1.0, pulling_away_weight=0.0)
    identity_free_autoencoder(model)  # reconstruction (1, 0) for every input
    output = model.generator.get_layer("output")  # every fake is (1.5, 0)
    output.set_weights([np.zeros_like(output.get_weights()[0]), np.array([1.5, 0.0])])
    x = np.array([[1.0, 0.0], [1.0, 2.0]], np.float32)  # energies: 0 and mean(0, 4) = 2
    fake_energy = 0.25 / 2  # mean((1.5 - 1)^2, 0)
    loss, _ = model.discriminator_objective(x)
    assert float(loss) == pytest.approx(1.0 + (1.0 - fake_energy), rel=1e-5)  # D(x) + [m - D(G(z))]_+
    g_loss, terms = model.generator_objective(3)
    assert float(g_loss) == pytest.approx(fake_energy, rel=1e-5)
    assert float(terms["pulling_away_term"]) == 0.0


def test_ebgan_generator_loss_adds_the_weighted_pulling_away_term():
    model = tiny("ebgan", pulling_away_weight=0.5)
    model.begin_step()
    loss, terms = model.generator_objective(6)
    model.begin_step()  # same noise again
    fakes = model.generator_forward(model.sample_prior(6), training=True)
    fake_energy, code = model.energy_and_code(fakes)
    expected_pt = 0.5 * float(energy.pulling_away_term(code))
    assert float(terms["pulling_away_term"]) == pytest.approx(expected_pt, rel=1e-5)
    assert float(loss) == pytest.approx(float(np.mean(fake_energy)) + expected_pt, rel=1e-5)


def test_autoencoder_discriminators_for_images_and_vectors():
    images = tiny("ebgan", data_shape=(8, 8, 1), base_filters=4, code_dim=5)
    reconstruction, code = images.discriminator(np.zeros((2, 8, 8, 1), np.float32))
    assert reconstruction.shape == (2, 8, 8, 1) and code.shape == (2, 5)
    assert images.judge(np.zeros((2, 8, 8, 1), np.float32)).shape == (2,)
    with pytest.raises(ValueError, match="unconditional"):
        tiny("began", num_classes=10)
