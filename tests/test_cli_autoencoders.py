"""`keras-gans` with autoencoder-family models: train, reconstruct, sample --label, export."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.cli import main
from keras_gans.data import load_dataset

TINY = ["--dataset", "digits", "--epochs", "1", "--batch-size", "64",
        "--set", "base_filters=4", "--set", "latent_dim=3"]


@pytest.fixture(scope="module")
def ae_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ae") / "run"
    assert main(["train", "ae", "--out", str(out), *TINY]) == 0
    return out


@pytest.fixture(scope="module")
def supervised_aae_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("aae") / "run"
    assert main(["train", "aae", "--out", str(out), *TINY, "--set", "num_classes=10",
                 "--set", "discriminator_units=(8,)"]) == 0
    return out


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data.x[:10], data.y[:10]


def test_reconstruct_writes_images_in_the_layout_sample_writes(ae_run, digits, tmp_path):
    source = tmp_path / "in.npy"
    np.save(source, digits[0])
    out = tmp_path / "out.npy"
    assert main(["reconstruct", str(ae_run), "--input", str(source), "--out", str(out)]) == 0
    reconstructions = np.load(out)
    assert reconstructions.shape == digits[0].shape and reconstructions.dtype == np.float32
    assert 0.0 <= reconstructions.min() and reconstructions.max() <= 1.0
    samples = tmp_path / "samples.npy"
    assert main(["sample", str(ae_run), "--n", "4", "--out", str(samples)]) == 0
    assert np.load(samples).shape[1:] == reconstructions.shape[1:]
    # (N, H, W) without the channel axis is accepted too.
    np.save(source, digits[0][..., 0])
    assert main(["reconstruct", str(ae_run), "--input", str(source), "--out", str(out)]) == 0


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((3, 28, 28, 1), np.float32), "model takes (N, 8, 8, 1)"),
        (np.full((3, 8, 8, 1), 255.0, np.float32), "must be in [0, 1]"),
        (np.full((3, 8, 8, 1), np.nan, np.float32), "NaN"),
    ],
)
def test_bad_reconstruct_input_is_refused_and_writes_nothing(ae_run, tmp_path, capsys, array, message):
    source = tmp_path / "in.npy"
    np.save(source, array)
    out = tmp_path / "out.npy"
    assert main(["reconstruct", str(ae_run), "--input", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_models_without_an_encoder_cannot_reconstruct(tmp_path, capsys):
    run = tmp_path / "gan"
    assert main(["train", "gan", "--out", str(run), "--epochs", "1", "--num-samples", "512",
                 "--batch-size", "256", "--set", "hidden_units=(8,)", "--set", "latent_dim=2"]) == 0
    source = tmp_path / "in.npy"
    np.save(source, np.zeros((2, 2), np.float32))
    assert main(["reconstruct", str(run), "--input", str(source), "--out", str(tmp_path / "o.npy")]) == 2
    assert "has no encoder" in capsys.readouterr().err


def test_supervised_aae_reconstructs_with_labels_and_samples_the_asked_label(
        supervised_aae_run, digits, tmp_path, capsys):
    x, y = digits
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    out = tmp_path / "out.npy"
    assert main(["reconstruct", str(supervised_aae_run), "--input", str(tmp_path / "x.npy"),
                 "--out", str(out)]) == 2
    assert "pass --labels" in capsys.readouterr().err
    assert main(["reconstruct", str(supervised_aae_run), "--input", str(tmp_path / "x.npy"),
                 "--labels", str(tmp_path / "y.npy"), "--out", str(out)]) == 0
    assert np.load(out).shape == x.shape
    assert main(["sample", str(supervised_aae_run), "--n", "3", "--label", "7",
                 "--out", str(tmp_path / "s.npy")]) == 0


def test_exported_autoencoder_serves_every_signature(ae_run, digits, tmp_path):
    assert main(["export", str(ae_run), "--out", str(tmp_path / "export")]) == 0
    served = tf.saved_model.load(str(tmp_path / "export" / "1"))
    assert {"serving_default", "reconstruct", "encode", "decode", "interpolate", "sample"} <= set(served.signatures)
    x = tf.constant(digits[0][:2])
    codes = served.signatures["encode"](x=x)["codes"]
    assert codes.shape == (2, 3)
    images = served.signatures["interpolate"](x1=x, x2=x[::-1], t=tf.constant([0.0, 1.0]))["images"]
    reconstructions = served.signatures["reconstruct"](x=x)["reconstructions"]
    np.testing.assert_allclose(images[0], reconstructions[0], atol=1e-5)
    np.testing.assert_allclose(images[1], reconstructions[0], atol=1e-5)


def test_gaia_trains_reconstructs_samples_and_exports_from_the_command_line(digits, tmp_path):
    run = tmp_path / "gaia"
    assert main(["train", "gaia", "--out", str(run), *TINY, "--set", "code_dim=4"]) == 0
    np.save(tmp_path / "x.npy", digits[0])
    assert main(["reconstruct", str(run), "--input", str(tmp_path / "x.npy"),
                 "--out", str(tmp_path / "r.npy")]) == 0
    assert np.load(tmp_path / "r.npy").shape == digits[0].shape
    assert main(["sample", str(run), "--n", "5", "--out", str(tmp_path / "s.npy")]) == 0
    assert main(["export", str(run), "--out", str(tmp_path / "export")]) == 0
    served = tf.saved_model.load(str(tmp_path / "export" / "1"))
    x = tf.constant(digits[0][:2])
    mid = served.signatures["interpolate"](x1=x, x2=x[::-1], t=tf.constant([0.5, 0.5]))["images"]
    assert mid.shape == (2, 8, 8, 1)
    # The balance variables travel with the run: history.csv logs both every epoch.
    header = (run / "history.csv").read_text().splitlines()[0]
    assert "discriminator_balance" in header and "generator_balance" in header
