"""`keras_gans.evaluation`: each kind of data gets its measurements, and they can fail.

Samplers that return real data (or one repeated example) stand in for trained models where
the measurement, not the training, is under test; the command line and the callback are
tried on short real runs.
"""

import json
import math

import numpy as np
import pytest

from keras_gans import cli
from keras_gans.callbacks import EvaluateEvery
from keras_gans.data import load_dataset
from keras_gans.evaluation import evaluate, evaluate_run, format_metrics, stacked_mnist_modes
from keras_gans.metrics import load_mnist_classifier
from keras_gans.training import train


class Replay:
    """A 'model' whose samples are rows of an array (cycled), labels ignored."""

    def __init__(self, x, num_classes=None):
        self.x, self.num_classes = np.asarray(x, np.float32), num_classes

    def sample(self, num_samples, seed=0, labels=None):
        return self.x[np.arange(num_samples) % len(self.x)]


def test_real_held_out_digits_score_as_real_and_one_repeated_digit_does_not():
    test = load_dataset("mnist_test")
    mnist = load_dataset("mnist_train")
    real = evaluate(Replay(test.x), mnist, num_samples=1000)
    assert real["evaluated_on"] == "mnist_test"
    assert real["fid"] < 1.0  # the same 1,000 digits as the reference
    assert real["confident_fraction"] > 0.9
    assert real["classes_present"] == 10
    assert sum(real["class_histogram"]) == 1000
    collapsed = evaluate(Replay(test.x[:1]), mnist, num_samples=1000)
    assert collapsed["classes_present"] == 1
    assert collapsed["fid"] > 50 * max(real["fid"], 1e-3)


def test_conditional_models_are_asked_for_each_class_in_turn():
    test = load_dataset("mnist_test")
    order = np.argsort(test.y, kind="stable")
    by_class = [test.x[order][test.y[order] == c][0] for c in range(10)]
    obedient = evaluate(Replay(np.stack(by_class), num_classes=10), load_dataset("mnist"), num_samples=200)
    assert obedient["label_agreement"] > 0.9
    shuffled = evaluate(Replay(np.stack(by_class[1:] + by_class[:1]), num_classes=10), load_dataset("mnist"),
                        num_samples=200)
    assert shuffled["label_agreement"] < 0.2


def test_mixture_protocol_counts_modes():
    ring = load_dataset("ring8", num_samples=5000)
    everywhere = evaluate(Replay(ring.x), ring)
    assert everywhere["num_samples"] == 2500
    assert everywhere["modes_captured"] == 8 and everywhere["high_quality_fraction"] > 0.95
    one_mode = evaluate(Replay(ring.x[ring.y == 3]), ring)
    assert one_mode["modes_captured"] == 1
    assert one_mode["reverse_kl"] == pytest.approx(math.log(8), abs=1e-6)


def test_stacked_mnist_modes_on_real_and_collapsed_images():
    classifier = load_mnist_classifier()
    data = load_dataset("stacked_mnist", num_samples=3000)
    real = stacked_mnist_modes(classifier, data.x)
    # 3,000 uniform draws over 1,000 modes cover about 1000 (1 - e^-3) = 950 of them
    assert 900 <= real["modes_covered"] <= 1000
    assert real["kl_to_uniform"] < 0.5
    collapsed = stacked_mnist_modes(classifier, np.repeat(data.x[:1], 50, axis=0))
    assert collapsed == {"modes_covered": 1, "kl_to_uniform": pytest.approx(math.log(1000))}
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 3\)"):
        stacked_mnist_modes(classifier, data.x[..., :1])


def test_data_it_cannot_judge_is_refused_with_what_it_can():
    faces = load_dataset("ring8", num_samples=10)
    faces.modes, faces.name = None, "my_faces.npz"
    with pytest.raises(ValueError, match="evaluate measures digit images"):
        evaluate(Replay(np.zeros((4, 32, 32, 3))), faces)
    with pytest.raises(ValueError, match="num_samples must be at least 1"):
        evaluate(Replay(np.zeros((4, 2))), load_dataset("ring8", num_samples=10), num_samples=0)


def test_format_metrics_aligns_and_shows_histograms():
    text = format_metrics({"fid": 12.3456, "class_histogram": [1, 2, 3], "evaluated_on": "mnist_test"})
    assert text.splitlines() == ["fid              12.3456", "class_histogram  1 2 3",
                                 "evaluated_on     mnist_test"]


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "cgan"
    result = train("cgan", epochs=2, num_samples=256, batch_size=64, out=out, verbose=0, evaluate_every=1)
    return result


def test_training_with_evaluate_every_writes_each_evaluation_and_the_last(cgan_run):
    run_dir = cgan_run.run_dir
    lines = [json.loads(line) for line in (run_dir / "evaluation.jsonl").read_text().splitlines()]
    assert [line["epoch"] for line in lines] == [1, 2]
    final = json.loads((run_dir / "metrics.json").read_text())
    assert final == {k: v for k, v in lines[-1].items() if k != "epoch"}
    assert {"fid", "confident_fraction", "class_histogram", "label_agreement"} <= set(final)


def test_evaluate_run_measures_the_saved_model_as_the_callback_did(cgan_run, tmp_path):
    callback_metrics = json.loads((cgan_run.run_dir / "metrics.json").read_text())
    metrics = evaluate_run(cgan_run.run_dir, out=tmp_path / "m.json")
    assert metrics == pytest.approx(callback_metrics)
    assert json.loads((tmp_path / "m.json").read_text()) == pytest.approx(metrics)


def test_cli_evaluate_prints_a_table_and_writes_json(cgan_run, tmp_path, capsys):
    out = tmp_path / "metrics.json"
    assert cli.main(["evaluate", str(cgan_run.run_dir), "--n", "100", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "label_agreement" in printed and f"Wrote {out}" in printed
    assert json.loads(out.read_text())["num_samples"] == 100
    assert cli.main(["evaluate", str(tmp_path / "nothing")]) == 2
    assert "is not a run directory" in capsys.readouterr().err


def test_callback_refuses_a_non_positive_interval():
    with pytest.raises(ValueError, match="positive number of epochs"):
        EvaluateEvery(load_dataset("ring8", num_samples=10), every=0)


def test_recommenders_are_ranked_on_their_own_held_out_positives(tmp_path):
    result = train("bpr_mf", epochs=30, num_samples=200, out=tmp_path / "bpr", verbose=0)
    metrics = evaluate_run(result.run_dir)
    assert metrics == json.loads((result.run_dir / "metrics.json").read_text())
    assert {"P@5", "NDCG@5", "MAP", "MRR"} <= set(metrics)
    assert metrics["P@5"] > 0.1  # planted factors: far above chance (~0.02)
    with pytest.raises(ValueError, match="evaluate it on ratings data"):
        evaluate_run(result.run_dir, dataset="mnist", out=False)


def test_cli_evaluate_of_a_pretrained_name_writes_beside_the_user_not_into_the_package(tmp_path, monkeypatch, capsys):
    from keras_gans.shipped import saved_model_dir

    shipped = saved_model_dir("vae_mnist") / "metrics.json"
    before = shipped.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["evaluate", "vae_mnist", "--n", "200"]) == 0
    assert "Wrote vae_mnist_metrics.json" in capsys.readouterr().out
    assert json.loads((tmp_path / "vae_mnist_metrics.json").read_text())["num_samples"] == 200
    assert shipped.read_bytes() == before
    # the Python API has the same default
    (tmp_path / "vae_mnist_metrics.json").unlink()
    evaluate_run("vae_mnist", num_samples=100)
    assert json.loads((tmp_path / "vae_mnist_metrics.json").read_text())["num_samples"] == 100
    assert shipped.read_bytes() == before
