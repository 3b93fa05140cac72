"""Bad input, tried as a new user would: one line that says what was wrong and what is
accepted, exit status 2, no traceback, nothing written."""

import collections
import shutil
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans.cli import main
from keras_gans.shipped import saved_model_dir


def one_line_error(capsys, *fragments):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    return err


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_npy_of_random_bytes_is_refused_without_suggesting_an_unsafe_load(in_tmp, capsys):
    (in_tmp / "rand.npy").write_bytes(np.random.default_rng(0).bytes(2000))
    assert main(["train", "gan", "--dataset", "rand.npy", "--epochs", "1", "--out", "run"]) == 2
    err = one_line_error(capsys, "rand.npy cannot be read", "numpy.save")
    assert "allow_pickle" not in err and "unsafe" not in err
    assert main(["reconstruct", "vae_mnist", "--input", "rand.npy", "--out", "y.npy"]) == 2
    assert "allow_pickle" not in one_line_error(capsys, "--input rand.npy cannot be read")
    (in_tmp / "rand.npz").write_bytes(b"PK" + np.random.default_rng(1).bytes(500))
    assert main(["train", "gan", "--dataset", "rand.npz", "--epochs", "1", "--out", "run"]) == 2
    one_line_error(capsys, "rand.npz cannot be read")
    assert sorted(p.name for p in in_tmp.iterdir()) == ["rand.npy", "rand.npz"]


def test_an_image_folder_with_a_corrupt_png_names_the_file(in_tmp, capsys):
    folder = in_tmp / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(6):
        Image.fromarray((rng.uniform(size=(32, 32, 3)) * 255).astype("uint8")).save(folder / f"{i}.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.bytes(100))
    assert main(["train", "dcgan", "--dataset", "images", "--epochs", "1", "--batch-size", "2", "--out", "run"]) == 2
    one_line_error(capsys, "broken.png cannot be decoded", "remove or replace it")
    assert not (in_tmp / "run").exists()


def damaged_copies(root):
    """A run whose model.keras is cut short, one whose weights inside the archive are, and a
    plain Keras model in a run's place."""
    source = saved_model_dir("dcgan_mnist")
    cut, inner, plain = root / "cut", root / "inner", root / "plain"
    for run in (cut, inner, plain):
        run.mkdir()
        shutil.copy(source / "config.json", run / "config.json")
    data = (source / "model.keras").read_bytes()
    (cut / "model.keras").write_bytes(data[: len(data) // 3])
    with zipfile.ZipFile(source / "model.keras") as original, zipfile.ZipFile(inner / "model.keras", "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            copy.writestr(item, content[: len(content) // 2] if item.filename.endswith(".h5") else content)
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save(plain / "model.keras")
    return cut, inner, plain


def test_damaged_or_foreign_models_are_named_not_traced(in_tmp, capsys):
    cut, inner, plain = damaged_copies(in_tmp)
    for run, message in ((cut, "is damaged (not a complete .keras archive)"), (inner, "could not be loaded"),
                         (plain, "holds a Sequential, not a keras_gans model")):
        for argv in (["sample", str(run), "--n", "4", "--out", "x.npy"], ["evaluate", str(run)],
                     ["export", str(run), "--out", "exported"]):
            assert main(argv) == 2, argv
            err = one_line_error(capsys, message)
            assert "File not found" not in err
    assert not (in_tmp / "x.npy").exists() and not (in_tmp / "exported").exists()


@pytest.mark.parametrize("setting, message", [
    ("latent_dim=0", "latent_dim must be at least 1, got 0"),
    ("latent_dim=2.5", "latent_dim must be a whole number, got 2.5"),
    ("latent_dim=True", "latent_dim must be a whole number"),
    ("learning_rate=-1", "learning_rate must be above 0, got -1"),
    ("learning_rate=nan", "learning_rate must be a finite number"),
    ("hidden_units=(0,)", "hidden_units must be a tuple of whole numbers of at least 1"),
    ("hidden_units=64", "hidden_units must be a tuple"),
    ("generator_ema=-0.5", "generator_ema must be 0 or more"),
    ("discriminator_steps=0", "discriminator_steps must be at least 1"),
])
def test_hyperparameters_are_checked_by_type_and_range_before_anything_runs(setting, message, in_tmp, capsys):
    assert main(["train", "gan", "--dataset", "ring8", "--epochs", "1", "--out", "run", "--set", setting]) == 2
    one_line_error(capsys, message)
    assert not list(in_tmp.iterdir())


def test_the_python_api_checks_hyperparameters_too(tmp_path):
    from keras_gans.training import train

    with pytest.raises(ValueError, match="wgan: critic_steps must be at least 1"):
        train("wgan", dataset="ring8", epochs=1, out=tmp_path / "run", overrides={"critic_steps": 0})


def test_sample_refuses_more_than_the_disk_holds(in_tmp, capsys, monkeypatch):
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 10**6, 10**6))
    assert main(["sample", "dcgan_mnist", "--n", "1000", "--out", "big.npy"]) == 2
    one_line_error(capsys, "--n 1000 samples need", "GB free")
    assert not list(in_tmp.iterdir())


def test_an_unwritable_out_names_the_users_path(in_tmp, capsys, monkeypatch):
    import pathlib

    def refuse(self, *args, **kwargs):  # what a read-only parent gives a non-root user
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "mkdir", refuse)
    assert main(["train", "gan", "--dataset", "ring8", "--epochs", "1", "--out", "locked/run"]) == 2
    one_line_error(capsys, "locked/run", "Permission denied")
