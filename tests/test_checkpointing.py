"""Checkpoints, exact resume and a graceful stop: a run stopped or killed anywhere and resumed
ends with the weights and history.csv of an uninterrupted run (bitwise, on CPU)."""

import json
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from keras_gans.checkpointing import (CorruptCheckpointError, RunCheckpoints, StopSignals, TrainingInterrupted,
                                      write_history_csv)
from keras_gans.cli import main
from keras_gans.training import load_run, resume, train

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
# 2-D points, 24 steps per epoch: quick, yet every epoch has a middle to stop in
TINY = {"hidden_units": (16,), "latent_dim": 4}


@pytest.fixture(scope="module")
def points(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "points.npy"
    rng = np.random.default_rng(0)
    angles = rng.integers(0, 8, 768) * (np.pi / 4)
    np.save(path, (np.stack([np.cos(angles), np.sin(angles)], 1) + 0.05 * rng.normal(size=(768, 2))).astype("float32"))
    return str(path)


def run(points, out, model="gan", epochs=3, **options):
    return train(model, dataset=points, epochs=epochs, batch_size=32, out=out, overrides=dict(TINY),
                 verbose=0, **options)


@pytest.fixture(scope="module")
def reference(points, tmp_path_factory):
    """The uninterrupted run every resumed one must reproduce."""
    return run(points, tmp_path_factory.mktemp("reference") / "run").run_dir


def assert_same_run(a, b):
    model_a, model_b = load_run(a), load_run(b)
    assert [v.path for v in model_a.variables] == [v.path for v in model_b.variables]
    for x, y in zip(model_a.variables, model_b.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy(), err_msg=x.path)
    assert (a / "history.csv").read_text() == (b / "history.csv").read_text()
    assert sorted(p.name for p in a.glob("samples_epoch_*.png")) == sorted(p.name for p in b.glob("samples_epoch_*.png"))


def crash():
    raise RuntimeError("power cut")


class Act(keras.callbacks.Callback):
    """Do `action()` once, after global step `at` (counted over this fit's batches)."""

    def __init__(self, at, action):
        super().__init__()
        self.at, self.action, self.done = at, action, False

    def on_train_batch_end(self, batch, logs=None):
        if not self.done and int(self.model.step_counter.numpy()) == self.at:
            self.done = True
            self.action()


def test_sigint_in_the_middle_of_an_epoch_checkpoints_and_resume_is_exact(points, reference, tmp_path):
    out = tmp_path / "run"
    with pytest.raises(TrainingInterrupted) as stopped:
        run(points, out, extra_callbacks=[Act(35, lambda: os.kill(os.getpid(), signal.SIGINT))])
    assert stopped.value.step == 35 and stopped.value.exit_code == 130
    assert f"keras-gans train --resume {out}" in str(stopped.value)
    assert [p.name for p in RunCheckpoints(out, None).paths()] == ["ckpt-000000035", "ckpt-000000024"]
    assert not (out / "model.keras").exists()
    assert len((out / "history.csv").read_text().splitlines()) == 2  # header + epoch 1; not the cut-short epoch 2
    record = json.loads((out / "config.json").read_text())
    assert record["status"] == "training" and record["arguments"]["epochs"] == 3
    # the handlers are the process's own again: a later SIGINT is a KeyboardInterrupt
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    result = resume(out, verbose=0)
    assert result.run_dir == out and json.loads((out / "config.json").read_text())["status"] == "finished"
    assert_same_run(reference, out)


def test_two_replicas_stop_with_sigterm_and_resume_exactly(points, tmp_path, two_cpu_strategy):
    """Under MirroredStrategy the checkpoint restores every replica's copy of every variable
    and the resumed run ends with bitwise the weights of an uninterrupted 2-replica run."""
    from keras_gans.checkpointing import state_variables

    whole, out = tmp_path / "whole", tmp_path / "run"
    run(points, whole, epochs=2, strategy="mirrored")
    with pytest.raises(TrainingInterrupted) as stopped:
        run(points, out, epochs=2, strategy="mirrored",
            extra_callbacks=[Act(30, lambda: os.kill(os.getpid(), signal.SIGTERM))])
    assert stopped.value.exit_code == 143 and json.loads((out / "config.json").read_text())["replicas"] == 2
    result = resume(out, verbose=0)
    assert int(result.model.step_counter.numpy()) == 48 and len(result.history["generator_loss"]) == 2
    for group, variables in state_variables(result.model).items():
        for variable in variables if group != "metrics" else ():  # metrics sum per-replica parts
            copies = variable.value.values
            np.testing.assert_array_equal(copies[0].numpy(), copies[1].numpy(), err_msg=variable.path)
    model_a, model_b = load_run(whole), load_run(out)
    for x, y in zip(model_a.variables, model_b.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy(), err_msg=x.path)
    # the epoch's loss means are restored as per-replica parts and may round differently
    history_a, history_b = (np.loadtxt(p / "history.csv", delimiter=",", skiprows=1) for p in (whole, out))
    np.testing.assert_allclose(history_a, history_b, rtol=1e-6)


def test_a_crash_resumes_from_the_last_step_checkpoint(points, reference, tmp_path):
    out = tmp_path / "run"

    with pytest.raises(RuntimeError, match="power cut"):
        run(points, out, checkpoint_every=10, extra_callbacks=[Act(57, crash)])
    # checkpoints at steps 50 and 48 (epoch 2's end) are the last two kept
    assert [p.name for p in RunCheckpoints(out, None).paths()] == ["ckpt-000000050", "ckpt-000000048"]
    resume(out, verbose=0)
    assert_same_run(reference, out)


def test_a_corrupt_newest_checkpoint_falls_back_to_the_previous_one(points, reference, tmp_path, capsys):
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        run(points, out, checkpoint_every=10, extra_callbacks=[Act(57, crash)])
    newest = RunCheckpoints(out, None).paths()[0]
    data = next(newest.glob("ckpt.data-*"))
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    (out / "checkpoints" / ".tmp-leftover").mkdir()  # a write a kill interrupted
    resume(out, verbose=0)
    assert "ckpt-000000050 could not be read" in capsys.readouterr().err
    assert not (out / "checkpoints" / ".tmp-leftover").exists()
    assert_same_run(reference, out)


def test_no_readable_checkpoint_is_a_clear_error(points, tmp_path):
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        run(points, out, extra_callbacks=[Act(30, crash)])
    for path in RunCheckpoints(out, None).paths():
        (path / "state.json").write_text("{")
    with pytest.raises(CorruptCheckpointError, match="No checkpoint .* could be read"):
        resume(out, verbose=0)


def test_a_finished_run_extends_only_with_more_epochs(points, tmp_path, capsys):
    out = tmp_path / "run"
    run(points, out, epochs=2)
    with pytest.raises(ValueError, match="already finished its 2 epochs; pass a larger --epochs"):
        resume(out)
    with pytest.raises(ValueError, match="would shorten it"):
        resume(out, epochs=1)
    result = resume(out, epochs=3, verbose=0)
    assert len(result.history["generator_loss"]) == 3
    assert int(result.model.step_counter.numpy()) == 3 * 24
    assert json.loads((out / "config.json").read_text())["epochs"] == 3


def test_a_mixture_benchmark_run_with_an_unreadable_record_says_so(tmp_path):
    """A --work-dir run whose config.json was cut short (a full disk) gets a message that
    names the directory and what to do, not a bare JSON error."""
    from keras_gans import mixtures

    run_dir = tmp_path / "gan-ring8-s0"
    run_dir.mkdir()
    (run_dir / "config.json").write_text('{"model": "gan", "argum')
    with pytest.raises(ValueError, match=r"--work-dir .*gan-ring8-s0: its config.json cannot be read .*delete the "
                                         r"directory"):
        mixtures.train_mixture_model("gan", "ring8", seed=0, steps=40, run_dir=run_dir)


def test_resume_refuses_what_is_not_a_resumable_run(tmp_path, capsys):
    assert main(["train", "--resume", str(tmp_path / "missing")]) == 2
    assert "no such directory" in capsys.readouterr().err
    assert main(["train", "--resume", str(tmp_path)]) == 2
    assert "not a run directory (no config.json)" in capsys.readouterr().err
    (tmp_path / "config.json").write_text(json.dumps({"model": "gan"}))  # an older version's run
    assert main(["train", "--resume", str(tmp_path)]) == 2
    assert "cannot be resumed" in capsys.readouterr().err


def test_resume_refuses_changed_settings(points, tmp_path, capsys):
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        run(points, out, extra_callbacks=[Act(30, crash)])
    for changed in (["dcgan"], ["--seed", "3"], ["--set", "latent_dim=8"], ["--dataset", "ring8"],
                    ["--batch-size", "64"], ["--out", str(tmp_path / "elsewhere")]):
        argv = ["train", *changed, "--resume", str(out)] if changed == ["dcgan"] else \
            ["train", "--resume", str(out), *changed]
        assert main(argv) == 2, changed
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and ("refuses" in err or "leave out --out" in err), err
    assert not (out / "model.keras").exists() and RunCheckpoints(out, None).paths()


def test_an_unfinished_run_is_not_overwritten_by_accident(points, tmp_path, capsys):
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        run(points, out, extra_callbacks=[Act(30, crash)])
    assert main(["train", "gan", "--dataset", points, "--out", str(out)]) == 2
    assert f"holds an unfinished run; continue it with `keras-gans train --resume {out}`" in capsys.readouterr().err


def test_an_empty_existing_out_directory_is_used(points, tmp_path):
    out = tmp_path / "made-beforehand"
    out.mkdir()
    result = run(points, out, epochs=1)
    assert (result.run_dir / "model.keras").is_file()


def test_overwrite_keeps_the_old_run_until_the_new_one_is_complete(points, tmp_path):
    out = tmp_path / "run"
    run(points, out, epochs=1)
    old = (out / "model.keras").read_bytes()
    with pytest.raises(RuntimeError):
        run(points, out, epochs=2, overwrite=True, extra_callbacks=[Act(30, crash)])
    assert (out / "model.keras").read_bytes() == old  # the crash did not cost the old run
    partial = tmp_path / "run.partial"
    assert RunCheckpoints(partial, None).paths()  # the new one is resumable
    result = resume(partial, verbose=0)
    assert result.run_dir == out and not partial.exists()
    assert json.loads((out / "config.json").read_text())["epochs"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # nothing hidden left behind


def test_history_csv_matches_keras_csv_logger(tmp_path):
    rows = [{"epoch": 0, "b_loss": 0.5, "a_loss": 1.25}, {"epoch": 1, "b_loss": 0.25, "a_loss": 1.0}]
    write_history_csv(rows, tmp_path / "history.csv")
    assert (tmp_path / "history.csv").read_text().splitlines() == ["epoch,a_loss,b_loss", "0,1.25,0.5", "1,1.0,0.25"]


def test_a_second_signal_stops_at_once():
    with StopSignals() as signals:
        os.kill(os.getpid(), signal.SIGTERM)
        assert signals.received == "SIGTERM"
        with pytest.raises(KeyboardInterrupt, match="second SIGINT"):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def _wait_for(predicate, process, timeout=120):
    began = time.monotonic()
    while not predicate():
        assert process.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() - began < timeout
        time.sleep(0.005)


@pytest.mark.slow
def test_the_command_line_survives_sigint_and_sigkill(tmp_path):
    """A convolutional model with --deterministic, stopped with Ctrl-C, resumed, killed with
    SIGKILL, resumed: bitwise the uninterrupted run (oneDNN's default kernels would not be)."""
    command = [sys.executable, "-m", "keras_gans", "train", "dcgan", "--dataset", "digits", "--num-samples", "512",
               "--epochs", "12", "--batch-size", "32", "--set", "base_filters=4", "--set", "latent_dim=4",
               "--checkpoint-every", "5", "--deterministic"]
    subprocess.run([*command, "--out", str(tmp_path / "reference")], env=ENV, check=True, capture_output=True)

    out = tmp_path / "run"
    checkpoints = RunCheckpoints(out, None)
    first = subprocess.Popen([*command, "--out", str(out)], env=ENV, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: checkpoints.paths(), first)
    first.send_signal(signal.SIGINT)
    err = first.communicate(timeout=120)[1]
    assert first.returncode == 130
    assert err.strip().splitlines()[-1].startswith("keras-gans train: Training interrupted by SIGINT")
    assert f"Resume with: keras-gans train --resume {out}" in err and "Traceback" not in err

    resumed_from = checkpoints.paths()[0].name
    second = subprocess.Popen([sys.executable, "-m", "keras_gans", "train", "--resume", str(out)], env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(lambda: checkpoints.paths() and checkpoints.paths()[0].name != resumed_from, second)
    second.kill()
    second.wait()
    assert not (out / "model.keras").exists()

    subprocess.run([sys.executable, "-m", "keras_gans", "train", "--resume", str(out)], env=ENV, check=True,
                   capture_output=True)
    assert_same_run(tmp_path / "reference", out)


@pytest.mark.parametrize("argv", [
    ["train", "gan", "--epochs", "0"], ["train", "gan", "--batch-size", "0"], ["train", "gan", "--epochs", "-2"],
    ["train", "gan", "--checkpoint-every", "0"], ["sample", "dcgan_mnist", "--n", "0", "--out", "x.npy"],
    ["export", "dcgan_mnist", "--out", "e", "--version", "0"], ["export", "dcgan_mnist", "--out", "e", "--version", "-3"],
    ["recommend", "r", "--users", "1", "--k", "0", "--out", "t.json"],
])
def test_counts_below_one_are_refused_before_anything_runs(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must be at least 1" in err
    assert not list(tmp_path.iterdir())


def test_deterministic_training_needs_onednn_off(points, tmp_path, monkeypatch):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    with pytest.raises(ValueError, match="TF_ENABLE_ONEDNN_OPTS=0 before TensorFlow is imported"):
        run(points, tmp_path / "run", deterministic=True)
    assert not (tmp_path / "run").exists()


def test_python_api_refuses_counts_below_one(points, tmp_path):
    with pytest.raises(ValueError, match="--epochs must be a whole number of at least 1, got 0"):
        run(points, tmp_path / "run", epochs=0)
    assert not (tmp_path / "run").exists()


def test_a_mixture_benchmark_run_in_its_directory_continues_after_a_stop_and_loads_once_finished(tmp_path, monkeypatch):
    """benchmarks/mode_coverage.py --work-dir: a run stopped part-way is continued (to the
    weights of an uninterrupted run) when the benchmark comes back, a finished one is loaded."""
    from keras_gans import mixtures, recipes, training

    # chunks of 2 steps per call (the recipe's 50 would make each 4-step epoch one chunk), so
    # the stop lands in the middle of an epoch: the signal is seen at a chunk's end
    monkeypatch.setitem(recipes.MIXTURE_BASE, "steps_per_execution", 2)

    def stopped_run(out):  # what mixtures.train_mixture_model trains, stopped by a SIGTERM at step 26
        return train("gan", dataset="ring8", seed=0, steps=40, out=out, verbose=0, evaluate_every=1,
                     extra_callbacks=[Act(26, lambda: os.kill(os.getpid(), signal.SIGTERM))])

    whole, _, _ = mixtures.train_mixture_model("gan", "ring8", seed=0, steps=40, run_dir=tmp_path / "whole")
    with pytest.raises(TrainingInterrupted):
        stopped_run(tmp_path / "run")
    continued, data, seconds = mixtures.train_mixture_model("gan", "ring8", seed=0, steps=40, run_dir=tmp_path / "run",
                                                            evaluate_every=1)
    assert int(continued.step_counter.numpy()) == 40 and seconds > 0 and data.modes.shape == (8, 2)
    for x, y in zip(whole.variables, continued.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy(), err_msg=x.path)
    evaluations = [json.loads(line) for line in (tmp_path / "run" / "evaluation.jsonl").read_text().splitlines()]
    assert [e["epoch"] for e in evaluations] == list(range(1, 11))  # 10 epochs of 4 steps, none twice
    assert all("modes_captured" in e for e in evaluations)

    def no_training(*args, **kwargs):
        raise AssertionError("a finished run must be loaded, not trained again")
    monkeypatch.setattr(training, "train", no_training)
    monkeypatch.setattr(training, "resume", no_training)
    loaded, _, again = mixtures.train_mixture_model("gan", "ring8", seed=0, steps=40, run_dir=tmp_path / "run")
    assert again == pytest.approx(seconds, abs=0.01)
    for x, y in zip(continued.variables, loaded.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy(), err_msg=x.path)


def test_mixture_steps_run_in_chunks_give_the_weights_of_one_step_at_a_time(tmp_path, monkeypatch):
    """The mixture recipes run steps_per_execution steps per call into TensorFlow: the same
    weights and history bit for bit, also when a run stopped at a step inside a chunk (a
    checkpoint of a run without chunks) is continued with them."""
    from keras_gans import recipes

    def mixture_run(out, steps_per_execution, **options):
        monkeypatch.setitem(recipes.MIXTURE_BASE, "steps_per_execution", steps_per_execution)
        return train("gan", dataset="ring8", seed=0, steps=100, out=out, verbose=0, **options)

    single = mixture_run(tmp_path / "single", 1)
    chunked = mixture_run(tmp_path / "chunked", 50)
    assert chunked.model.steps_per_execution == 10  # the largest chunk of 50 dividing 10-step epochs
    assert_same_run(single.run_dir, chunked.run_dir)
    with pytest.raises(TrainingInterrupted):
        mixture_run(tmp_path / "stopped", 1, extra_callbacks=[Act(31, lambda: os.kill(os.getpid(), signal.SIGTERM))])
    monkeypatch.setitem(recipes.MIXTURE_BASE, "steps_per_execution", 50)
    continued = resume(tmp_path / "stopped", verbose=0)
    assert continued.model.steps_per_execution == 1  # 31 steps in: only chunks of 1 end on step 31
    assert_same_run(single.run_dir, continued.run_dir)
