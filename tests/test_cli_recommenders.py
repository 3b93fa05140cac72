"""The command line of the recommenders, as a user drives it: train, recommend, export, errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

from keras_gans.cli import main
from tests.test_cli import ENV

TINY = ["--epochs", "1", "--num-samples", "64", "--batch-size", "32", "--set", "pretrain_epochs=1", "--set", "embedding_dim=3"]


@pytest.fixture(scope="module")
def irgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("irgan") / "run"
    assert main(["train", "irgan", "--out", str(out), *TINY]) == 0
    return out


def test_train_irgan_defaults_to_synthetic_ratings_and_records_the_pretraining(irgan_run):
    record = json.loads((irgan_run / "config.json").read_text())
    assert record["dataset"] == "synthetic_ratings"
    assert record["hyperparameters"]["pretrain_epochs"] == 1
    assert {"discriminator_loss", "generator_loss", "generator_reward"} <= set(record["final_metrics"])
    assert (irgan_run / "samples_epoch_001.png").exists()  # the ranking scores as a heat map


def test_recommend_writes_json_and_npy_in_original_ids(irgan_run, tmp_path):
    from keras_gans.data import load_dataset
    from keras_gans.training import load_run

    data = load_dataset("synthetic_ratings", num_samples=64)
    assert data.num_users == 64
    model = load_run(irgan_run)
    assert main(["recommend", str(irgan_run), "--users", "0,3", "--k", "4", "--out", str(tmp_path / "top.json")]) == 0
    table = json.loads((tmp_path / "top.json").read_text())
    assert list(table) == ["0", "3"]
    for user, rows in table.items():
        items = [row["item"] for row in rows]
        scores = [row["score"] for row in rows]
        assert len(items) == 4 and scores == sorted(scores, reverse=True)
        seen = set(data.item_ids[np.flatnonzero(data.train_positives[int(user)])].tolist())
        assert not seen & set(items)
    assert main(["recommend", str(irgan_run), "--users", "0,3", "--k", "4", "--out", str(tmp_path / "top.npy")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "top.npy"), [[r["item"] for r in table[u]] for u in ("0", "3")])
    np.testing.assert_array_equal(model.recommend([0, 3], 4)[0], np.load(tmp_path / "top.npy"))


@pytest.mark.parametrize("argv, message", [
    (["--users", "0,999999", "--k", "3"], "Unknown user id"),
    (["--users", "a,b", "--k", "3"], "comma-separated integer user ids"),
    (["--users", "0", "--k", "100000"], "k must be in 1.."),
])
def test_recommend_errors_are_one_line_and_write_nothing(irgan_run, tmp_path, capsys, argv, message):
    out = tmp_path / "top.json"
    assert main(["recommend", str(irgan_run), *argv, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_sample_on_a_recommender_points_to_recommend(irgan_run, tmp_path, capsys):
    assert main(["sample", str(irgan_run), "--n", "4", "--out", str(tmp_path / "x.npy")]) == 2
    assert "keras-gans recommend" in capsys.readouterr().err


def test_a_ratings_file_trains_and_its_ids_come_back(tmp_path):
    rng = np.random.default_rng(0)
    lines = [f"{100 + u}\t{5000 + i}\t{rng.integers(1, 6)}\t88" for u in range(30) for i in rng.choice(40, 15, replace=False)]
    lines += [f"{100 + u}\t{5000 + u}\t5\t88" for u in range(30)]  # a positive for everyone
    path = tmp_path / "u.data"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "run"
    assert main(["train", "bpr_mf", "--dataset", str(path), "--epochs", "1", "--batch-size", "16", "--out", str(out)]) == 0
    assert main(["recommend", str(out), "--users", "100,129", "--k", "3", "--out", str(tmp_path / "top.json")]) == 0
    table = json.loads((tmp_path / "top.json").read_text())
    assert set(table) == {"100", "129"}
    assert all(5000 <= row["item"] < 5040 for rows in table.values() for row in rows)


@pytest.mark.parametrize("content, message", [
    ("1\t2\n3\t4\n", "has 2 field(s)"),
    ("1\tx\t5\t0\n", "item"),
    ("1\t2\t3\t0\n2\t3\t2\t0\n", "--rating-threshold 3"),
])
def test_bad_ratings_files_are_refused_before_training(tmp_path, capsys, content, message):
    path = tmp_path / "ratings.data"
    path.write_text(content)
    out = tmp_path / "run"
    assert main(["train", "irgan", "--dataset", str(path), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_rating_threshold_picks_the_positives(tmp_path):
    lines = [f"{u}\t{i}\t{1 + (u + i) % 5}\t0" for u in range(20) for i in range(12)]
    path = tmp_path / "u.data"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "run"
    assert main(["train", "bpr_mf", "--dataset", str(path), "--rating-threshold", "4", "--epochs", "1",
                 "--batch-size", "8", "--out", str(out)]) == 0
    assert json.loads((out / "config.json").read_text())["rating_threshold"] == 4


def test_a_recommender_on_points_is_refused(capsys):
    assert main(["train", "irgan", "--dataset", "ring8", "--epochs", "1"]) == 2
    assert "trains on ratings" in capsys.readouterr().err


def test_export_serves_recommend_in_a_fresh_process_with_clear_errors(irgan_run, tmp_path):
    from keras_gans.training import load_run

    export_dir = tmp_path / "export"
    assert main(["export", str(irgan_run), "--out", str(export_dir)]) == 0
    expected_items, expected_scores = load_run(irgan_run).recommend([0, 5], 4)
    script = (
        "import sys, numpy as np, tensorflow as tf;"
        "m = tf.saved_model.load(sys.argv[1]);"
        "out = m.signatures['recommend'](user_ids=tf.constant([0, 5], tf.int64), k=tf.constant(4));"
        "default = m.signatures['serving_default'](user_ids=tf.constant([0, 5], tf.int64), k=tf.constant(4));"
        "np.save(sys.argv[2], np.stack([out['items'].numpy(), default['items'].numpy()]));"
        "np.save(sys.argv[3], out['scores'].numpy());"
        "\ntry:\n    m.signatures['recommend'](user_ids=tf.constant([424242], tf.int64), k=tf.constant(4))\n"
        "except tf.errors.InvalidArgumentError as error:\n    print('refused:', 'unknown user id' in str(error))"
    )
    fresh = subprocess.run([sys.executable, "-c", script, str(export_dir / "1"), str(tmp_path / "items.npy"),
                            str(tmp_path / "scores.npy")], capture_output=True, text=True, env=ENV, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    assert "refused: True" in fresh.stdout
    served = np.load(tmp_path / "items.npy")
    np.testing.assert_array_equal(served[0], expected_items)
    np.testing.assert_array_equal(served[1], expected_items)
    np.testing.assert_allclose(np.load(tmp_path / "scores.npy"), expected_scores, rtol=1e-5)
