"""The `keras-gans` command line, driven as a user would: list, train, sample, export, errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_gans import GAN
from keras_gans.cli import main
from keras_gans.training import parse_overrides

TINY_GAN = ["--set", "hidden_units=(16,)", "--set", "latent_dim=4"]
TINY_CONV = ["--set", "base_filters=4", "--set", "latent_dim=4"]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}


def train(tmp_path, model, *extra, name="run"):
    out = tmp_path / name
    code = main(["train", model, "--epochs", "1", "--out", str(out), *extra])
    return code, out


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gan")
    code, out = train(tmp, "gan", "--num-samples", "1024", "--batch-size", "256", *TINY_GAN)
    assert code == 0
    return out


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cgan")
    code, out = train(tmp, "cgan", "--dataset", "digits", "--batch-size", "64", "--tensorboard", *TINY_CONV)
    assert code == 0
    return out


def test_list_names_models_and_datasets(capsys):
    assert main(["list"]) == 0
    printed = capsys.readouterr().out
    for name in ("gan", "dcgan", "cgan", "mnist", "ring8", "grid25", "stacked_mnist", "tfds:NAME"):
        assert name in printed
    pretrained = printed.split("Pretrained models", 1)[1]
    assert "dcgan_mnist" in pretrained and "keras-gans train dcgan --seed 0" in pretrained


def test_train_writes_a_complete_run_directory(gan_run):
    files = {p.name for p in gan_run.iterdir()}
    assert {"model.keras", "config.json", "history.csv", "losses.png", "samples_epoch_001.png"} <= files
    assert (gan_run / "losses.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not any(name.startswith(".") for name in files)  # no staging leftovers
    record = json.loads((gan_run / "config.json").read_text())
    assert record["model"] == "gan" and record["dataset"] == "ring8"
    assert record["hyperparameters"]["hidden_units"] == [16]
    assert np.isfinite(record["final_metrics"]["generator_loss"])
    header = (gan_run / "history.csv").read_text().splitlines()[0]
    assert "discriminator_loss" in header and "generator_loss" in header


def test_the_recipe_applies_under_the_users_overrides(tmp_path, monkeypatch):
    from keras_gans import recipes

    monkeypatch.setitem(recipes.RECIPES, "gan", {"mixture": {
        "hyperparameters": {"hidden_units": (16,), "latent_dim": 3}, "steps_per_epoch": 2}})
    code, out = train(tmp_path, "gan", "--num-samples", "512", "--batch-size", "256", "--set", "latent_dim=4")
    assert code == 0
    record = json.loads((out / "config.json").read_text())
    assert record["hyperparameters"]["hidden_units"] == [16]  # from the recipe
    assert record["hyperparameters"]["latent_dim"] == 4  # --set wins over the recipe
    assert record["hyperparameters"]["learning_rate"] == recipes.MIXTURE_BASE["hyperparameters"]["learning_rate"]
    assert record["recipe"]["steps_per_epoch"] == 2 and record["recipe"]["schedule"] == "cosine"
    assert record["overrides"] == {"latent_dim": 4}
    history = (out / "history.csv").read_text().splitlines()
    assert len(history) == 2  # --epochs 1: a header and one epoch of 2 steps


def test_existing_run_is_refused_unless_overwrite(gan_run, capsys):
    before = (gan_run / "model.keras").stat().st_mtime_ns
    code = main(["train", "gan", "--epochs", "1", "--num-samples", "512", "--batch-size", "256",
                 "--out", str(gan_run), *TINY_GAN])
    assert code == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (gan_run / "model.keras").stat().st_mtime_ns == before


def test_overwrite_replaces_a_run(tmp_path):
    code, out = train(tmp_path, "gan", "--num-samples", "512", "--batch-size", "256", *TINY_GAN)
    assert code == 0
    code = main(["train", "gan", "--epochs", "2", "--num-samples", "512", "--batch-size", "256",
                 "--out", str(out), "--overwrite", *TINY_GAN])
    assert code == 0
    assert json.loads((out / "config.json").read_text())["epochs"] == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_sample_points_npy_in_data_units(gan_run, tmp_path):
    out = tmp_path / "points.npy"
    assert main(["sample", str(gan_run), "--n", "50", "--out", str(out), "--seed", "3"]) == 0
    points = np.load(out)
    assert points.shape == (50, 2) and points.dtype == np.float32
    again = tmp_path / "again.npy"
    main(["sample", str(gan_run), "--n", "50", "--out", str(again), "--seed", "3"])
    np.testing.assert_array_equal(points, np.load(again))


def test_sample_conditional_images_npy_and_png(cgan_run, tmp_path):
    out = tmp_path / "threes.npy"
    assert main(["sample", str(cgan_run), "--n", "6", "--out", str(out), "--label", "3"]) == 0
    images = np.load(out)
    assert images.shape == (6, 8, 8, 1) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    png = tmp_path / "grid.png"
    assert main(["sample", str(cgan_run), "--n", "16", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "nope"], "Unknown model 'nope'"),
        (["train", "gan", "--dataset", "imagenet"], "Unknown dataset"),
        (["train", "gan", "--set", "depth=3"], "no hyperparameter 'depth'"),
        (["train", "gan", "--set", "latent_dim"], "KEY=VALUE"),
        (["sample", "/nonexistent/run", "--out", "x.npy"], "not a run directory"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_set_reads_true_and_false_as_a_shell_user_writes_them():
    overrides = parse_overrides(["generator_batch_norm=false", "augmentation=translation",
                                 "generator_hidden_units=(8, 8)"], GAN)
    assert overrides == {"generator_batch_norm": False, "augmentation": "translation",
                         "generator_hidden_units": (8, 8)}
    assert parse_overrides(["generator_batch_norm=True"], GAN) == {"generator_batch_norm": True}
    with pytest.raises(ValueError, match="generator_batch_norm must be True or False"):
        GAN(data_shape=(2,), generator_batch_norm="no")


def test_argparse_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "gan", "--precision", "fp8"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "fp8" in err and "mixed_bfloat16" in err and len(err.splitlines()) == 1


def test_sample_rejects_bad_label_and_suffix(cgan_run, gan_run, tmp_path, capsys):
    assert main(["sample", str(cgan_run), "--n", "2", "--out", str(tmp_path / "a.npy"), "--label", "10"]) == 2
    assert main(["sample", str(gan_run), "--n", "2", "--out", str(tmp_path / "a.npy"), "--label", "1"]) == 2
    assert main(["sample", str(gan_run), "--n", "2", "--out", str(tmp_path / "a.jpg")]) == 2
    assert not list(tmp_path.glob("*.npy"))


def write_npy(tmp_path, array, name="data.npy"):
    path = tmp_path / name
    np.save(path, array)
    return str(path)


def test_data_with_nans_is_refused_before_training(tmp_path, capsys):
    bad = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    bad[3, 1] = np.nan
    code, out = train(tmp_path, "gan", "--dataset", write_npy(tmp_path, bad))
    assert code == 2 and "non-finite" in capsys.readouterr().err.lower()
    assert not out.exists()


def test_empty_dataset_and_too_small_dataset_are_refused(tmp_path, capsys):
    code, _ = train(tmp_path, "gan", "--dataset", write_npy(tmp_path, np.zeros((0, 2), np.float32)))
    assert code == 2 and "empty" in capsys.readouterr().err.lower()
    small = write_npy(tmp_path, np.zeros((10, 2), np.float32), "small.npy")
    code, _ = train(tmp_path, "gan", "--dataset", small, "--batch-size", "64")
    assert code == 2 and "fewer than one batch" in capsys.readouterr().err


def test_images_the_networks_cannot_take_are_refused(tmp_path, capsys):
    odd = np.random.default_rng(0).uniform(size=(64, 30, 30, 1)).astype(np.float32)
    code, out = train(tmp_path, "dcgan", "--dataset", write_npy(tmp_path, odd))
    assert code == 2 and "28, 32 or 64" in capsys.readouterr().err
    assert not out.exists()


def test_non_finite_training_stops_with_a_message_and_saves_nothing(tmp_path, capsys):
    # Finite data so large that the discriminator's logits overflow to inf on the first step.
    huge = np.full((512, 2), 3e37, np.float32)
    code, out = train(tmp_path, "gan", "--dataset", write_npy(tmp_path, huge), "--batch-size", "256", *TINY_GAN)
    assert code == 1
    err = capsys.readouterr().err
    assert "Training stopped" in err and "No model was saved" in err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_export_loads_in_a_fresh_process_and_runs_in_saved_model_cli(gan_run, tmp_path):
    export_dir = tmp_path / "export"
    assert main(["export", str(gan_run), "--out", str(export_dir)]) == 0
    version = export_dir / "1"
    assert (version / "saved_model.pb").exists()

    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.save(tmp_path / "z.npy", z)
    script = (
        "import sys, numpy as np, tensorflow as tf;"
        "m = tf.saved_model.load(sys.argv[1]);"
        "out = m.signatures['serving_default'](z=tf.constant(np.load(sys.argv[2])));"
        "s = m.signatures['sample'](count=tf.constant(5), seed=tf.constant(1, tf.int64));"
        "print(out['samples'].shape, s['samples'].shape)"
    )
    fresh = subprocess.run([sys.executable, "-c", script, str(version), str(tmp_path / "z.npy")],
                           capture_output=True, text=True, env=ENV, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    assert "(3, 2) (5, 2)" in fresh.stdout

    cli = subprocess.run(["saved_model_cli", "run", "--dir", str(version), "--tag_set", "serve",
                          "--signature_def", "serving_default", "--inputs", f"z={tmp_path / 'z.npy'}"],
                         capture_output=True, text=True, env=ENV, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert "samples" in cli.stdout

    assert main(["export", str(gan_run), "--out", str(export_dir)]) == 0
    assert (export_dir / "2").is_dir()


def test_python_dash_m_and_console_script_behave_the_same():
    for command in ([sys.executable, "-m", "keras_gans", "list"], ["keras-gans", "list"]):
        done = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "dcgan" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "keras_gans", "train", "nope"],
                         capture_output=True, text=True, env=ENV, timeout=300)
    assert bad.returncode == 2 and "Unknown model" in bad.stderr


def test_tensorboard_logs_scalars_and_sample_images(cgan_run):
    events = list((cgan_run / "tensorboard").rglob("events.out.tfevents.*"))
    assert any("samples" in str(p) for p in events) and any("train" in str(p) for p in events)


@pytest.mark.parametrize("options, replicas", [
    pytest.param(["--strategy", "mirrored"], 2, marks=pytest.mark.mirrored),
    (["--precision", "mixed_bfloat16"], 1),
    (["--jit-compile"], 1),
])
def test_strategy_precision_and_xla_options_train(tmp_path, options, replicas):
    code, out = train(tmp_path, "gan", "--num-samples", "1024", "--batch-size", "256", *TINY_GAN, *options)
    assert code == 0
    record = json.loads((out / "config.json").read_text())
    assert record["replicas"] == replicas
    assert np.isfinite(record["final_metrics"]["discriminator_loss"])


def test_a_cpu_user_sees_no_tensorflow_start_up_lines_and_a_closed_pipe_is_quiet():
    env = {key: value for key, value in ENV.items() if key not in ("TF_CPP_MIN_LOG_LEVEL", "CUDA_VISIBLE_DEVICES")}
    done = subprocess.run(["keras-gans", "list"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0 and "dcgan" in done.stdout
    assert done.stderr == ""
    piped = subprocess.run("keras-gans list | head -1", shell=True, capture_output=True, text=True, env=env,
                           timeout=300)
    assert piped.stdout.startswith("Models") and piped.stderr == ""


@pytest.mark.parametrize("command", ["list", "train", "sample", "reconstruct", "recommend", "translate", "export"])
def test_every_command_has_help_with_defaults_and_examples(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and text.count("keras-gans " + command) >= 2
    if command in ("train", "sample"):
        assert "(default: 0)" in " ".join(text.split())  # --seed, wherever the line wraps
