"""EBGAN: the autoencoder discriminator, equations 1, 2 and 6 on hand cases, the shared checks."""

import numpy as np
import pytest
from loss_family_cases import TinyModelChecks, gaussian_batch, identity_free_autoencoder, tiny

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


def test_the_decaying_margin_follows_the_saved_step_counter():
    # m_t = m max(floor, 1 - t / T) with m = 0.2, T = 100, floor = 0.25
    model = tiny("ebgan", margin=0.2, margin_schedule="decay", margin_decay_steps=100, margin_floor=0.25)
    for step, expected in [(0, 0.2), (25, 0.15), (50, 0.1), (75, 0.05), (100, 0.05), (1000, 0.05)]:
        model.step_counter.assign(step)
        assert float(model.current_margin()) == pytest.approx(expected, rel=1e-6)
    fixed = tiny("ebgan", margin=0.2)
    fixed.step_counter.assign(1000)
    assert fixed.margin_schedule == "fixed" and float(fixed.current_margin()) == pytest.approx(0.2)


def test_the_discriminator_loss_uses_the_margin_of_the_current_step():
    model = tiny("ebgan", margin=1.0, margin_schedule="decay", margin_decay_steps=10, margin_floor=0.0,
                 pulling_away_weight=0.0)
    identity_free_autoencoder(model)  # reconstruction (1, 0) for every input
    output = model.generator.get_layer("output")  # every fake is (1.5, 0): energy 0.125
    output.set_weights([np.zeros_like(output.get_weights()[0]), np.array([1.5, 0.0])])
    x = np.array([[1.0, 0.0], [1.0, 2.0]], np.float32)  # real energies 0 and 2: mean 1
    for step, margin in [(0, 1.0), (5, 0.5), (9, 0.1), (10, 0.0)]:
        model.step_counter.assign(step)
        loss, _ = model.discriminator_objective(x)
        assert float(loss) == pytest.approx(1.0 + max(0.0, margin - 0.125), rel=1e-5, abs=1e-6)


def test_the_decaying_margin_trains_saves_and_refuses_bad_settings(tmp_path):
    model = tiny("ebgan", margin_schedule="decay", margin_decay_steps=3)
    model.compile()
    model.fit(gaussian_batch(16), batch_size=8, epochs=1, verbose=0)  # 2 traced steps
    assert int(model.step_counter.numpy()) == 2
    assert float(model.current_margin()) == pytest.approx(0.1 * 0.5)  # max(0.5, 1 - 2/3) = 0.5
    config = model.get_config()
    assert (config["margin_schedule"], config["margin_decay_steps"], config["margin_floor"]) == ("decay", 3, 0.5)
    with pytest.raises(ValueError, match="margin_schedule must be one of"):
        tiny("ebgan", margin_schedule="cosine")
    with pytest.raises(ValueError, match="margin_floor in"):
        tiny("ebgan", margin_schedule="decay", margin_floor=1.5)


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
