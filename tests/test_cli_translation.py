"""`keras-gans train cyclegan|discogan` on two domains, `keras-gans translate`, the export's
two signatures in a fresh process and saved_model_cli, and the errors of bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest
from test_cli import ENV, write_npy

from keras_gans import recipes
from keras_gans.cli import main

TINY_CYCLEGAN = ["--set", "base_filters=2", "--set", "residual_blocks=0"]


@pytest.fixture(scope="module")
def cyclegan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cyclegan") / "run"
    code = main(["train", "cyclegan", "--epochs", "1", "--num-samples", "32", "--batch-size", "16",
                 "--out", str(out), *TINY_CYCLEGAN])
    assert code == 0
    return out


def test_the_default_task_is_mnist_to_digits28_and_trains_two_domains(cyclegan_run):
    record = json.loads((cyclegan_run / "config.json").read_text())
    assert (record["dataset"], record["dataset_b"]) == ("mnist_train", "digits28_train")
    assert set(record["final_metrics"]) >= {"cycle_loss_x", "identity_loss_y", "discriminator_x_loss"}
    assert (cyclegan_run / "samples_epoch_001.png").read_bytes()[:4] == b"\x89PNG"


def test_translate_writes_translations_of_either_direction_and_a_triplet_grid(cyclegan_run, tmp_path):
    images = np.random.default_rng(0).uniform(size=(5, 28, 28)).astype(np.float32)  # no channel axis
    source = write_npy(tmp_path, images, "in.npy")
    out = tmp_path / "out.npy"
    for direction in ("a_to_b", "b_to_a"):
        assert main(["translate", str(cyclegan_run), "--input", source, "--out", str(out),
                     "--direction", direction]) == 0
        translated = np.load(out)
        assert translated.shape == (5, 28, 28, 1) and translated.dtype == np.float32
        assert 0.0 <= translated.min() and translated.max() <= 1.0
    png = tmp_path / "grid.png"
    assert main(["translate", str(cyclegan_run), "--input", source, "--out", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("extra, shape, message", [
    (["--direction", "x_to_y"], (2, 28, 28, 1), "direction must be one of"),
    ([], (2, 32, 32, 1), "domains are A (28, 28, 1) and B (28, 28, 1)"),
    ([], (2, 28, 28, 1), None),
])
def test_translate_refuses_bad_input_and_writes_nothing(cyclegan_run, tmp_path, capsys, extra, shape, message):
    source = write_npy(tmp_path, np.full(shape, 0.5, np.float32), "in.npy")
    out = tmp_path / "out.npy"
    if message is None:  # values outside [0, 1]
        source = write_npy(tmp_path, np.full(shape, 2.0, np.float32), "in.npy")
        message = "must be in [0, 1]"
    assert main(["translate", str(cyclegan_run), "--input", source, "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_input_of_the_other_domain_is_told_which_direction_takes_it(tmp_path, capsys):
    from keras_gans import CycleGAN, inference

    model = CycleGAN((16, 16, 1), (16, 16, 3), base_filters=2, residual_blocks=0)
    with pytest.raises(ValueError, match="other domain: pass --direction b_to_a"):
        inference.check_translation_input(model, np.zeros((2, 16, 16, 3)), "a_to_b")


def test_translate_refuses_a_model_that_does_not_translate(tmp_path, capsys):
    gan_out = tmp_path / "gan"
    assert main(["train", "gan", "--epochs", "1", "--num-samples", "512", "--batch-size", "256",
                 "--set", "hidden_units=(8,)", "--set", "latent_dim=2", "--out", str(gan_out)]) == 0
    source = write_npy(tmp_path, np.zeros((2, 2), np.float32), "in.npy")
    assert main(["translate", str(gan_out), "--input", source, "--out", str(tmp_path / "o.npy")]) == 2
    assert "not a translation model" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["train", "cyclegan", "--dataset", "mnist"], "pass the second with --dataset-b"),
    (["train", "gan", "--dataset-b", "digits"], "--dataset-b is for the translation models"),
    (["train", "cyclegan", "--dataset", "mnist", "--dataset-b", "digits"], "images of one size"),
    (["train", "cyclegan", "--dataset", "digits", "--dataset-b", "digits"], "multiples of 4"),
])
def test_bad_domains_exit_2_with_one_line(argv, message, tmp_path, capsys):
    assert main([*argv, "--epochs", "1", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_an_empty_second_domain_is_refused(tmp_path, capsys):
    empty = write_npy(tmp_path, np.zeros((0, 28, 28, 1), np.float32), "empty.npy")
    assert main(["train", "cyclegan", "--dataset", "mnist", "--dataset-b", empty, "--epochs", "1",
                 "--out", str(tmp_path / "run")]) == 2
    assert "empty" in capsys.readouterr().err


def test_the_default_recipes_name_both_domains():
    for name in ("cyclegan", "discogan"):
        recipe = recipes.resolve(name)
        assert (recipe.dataset, recipe.dataset_b) == ("mnist_train", "digits28_train")
    assert recipes.resolve("cyclegan").schedule == "linear_decay"


def test_export_serves_both_directions_in_a_fresh_process_and_saved_model_cli(cyclegan_run, tmp_path):
    export_dir = tmp_path / "export"
    assert main(["export", str(cyclegan_run), "--out", str(export_dir)]) == 0
    version = export_dir / "1"
    x = np.random.default_rng(1).uniform(size=(3, 28, 28, 1)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    expected = {}
    from keras_gans.training import load_run

    model = load_run(cyclegan_run)
    for direction in ("a_to_b", "b_to_a"):
        expected[direction] = np.asarray(model.translate(x, direction))
    script = (
        "import sys, numpy as np, tensorflow as tf;"
        "m = tf.saved_model.load(sys.argv[1]); x = tf.constant(np.load(sys.argv[2]));"
        "np.save(sys.argv[3], np.stack([m.signatures[s](x=x)['translations'].numpy() for s in "
        "('serving_default', 'translate_a_to_b', 'translate_b_to_a')]))"
    )
    fresh = subprocess.run([sys.executable, "-c", script, str(version), str(tmp_path / "x.npy"),
                            str(tmp_path / "served.npy")], capture_output=True, text=True, env=ENV, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    served = np.load(tmp_path / "served.npy")
    np.testing.assert_allclose(served[0], expected["a_to_b"], atol=1e-5)
    np.testing.assert_allclose(served[1], expected["a_to_b"], atol=1e-5)
    np.testing.assert_allclose(served[2], expected["b_to_a"], atol=1e-5)
    cli = subprocess.run(["saved_model_cli", "run", "--dir", str(version), "--tag_set", "serve",
                          "--signature_def", "translate_b_to_a", "--inputs", f"x={tmp_path / 'x.npy'}"],
                         capture_output=True, text=True, env=ENV, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert "translations" in cli.stdout


def test_evaluate_judges_both_directions_on_the_held_out_digits(cyclegan_run, tmp_path, capsys):
    out = tmp_path / "metrics.json"
    assert main(["evaluate", str(cyclegan_run), "--out", str(out)]) == 0
    metrics = json.loads(out.read_text())
    assert metrics["evaluated_on"] == "mnist_test <-> digits28_test"
    for key in ("class_kept_a_to_b", "class_kept_b_to_a", "cycle_l1_a", "cycle_l1_b"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert "class_kept_a_to_b" in capsys.readouterr().out
