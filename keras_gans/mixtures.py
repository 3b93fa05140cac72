"""The PacGAN 2D-mixture benchmark (ring8, grid25), shared by tests, benchmarks and tutorials.

PacGAN protocol (Lin et al. 2018, arXiv:1712.04086): 2,500 samples; a sample is high quality
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample; reverse KL of the high-quality samples' mode histogram to uniform.

The training settings are the models' mixture recipes in `keras_gans.recipes`, run through
`keras_gans.training.train`: the benchmark trains exactly what `keras-gans train MODEL
--dataset ring8` trains.
"""

import shutil
import tempfile
from pathlib import Path

import numpy as np

from keras_gans import recipes
from keras_gans.metrics import mode_coverage

#: the benchmark's recipes: every model with a mixture recipe, f-GAN once per divergence
RECIPES = recipes.mixture_recipe_names()


def recipe(name, dataset="ring8"):
    """The resolved `keras_gans.recipes.Recipe` of a benchmark recipe name ("gan", "f_gan:kl")."""
    model_name, hyperparameters = recipes.split_recipe_name(name)
    return recipes.resolve(model_name, dataset, hyperparameters)


def command(name, dataset="ring8"):
    """The command line that trains a benchmark recipe: what the README prints beside its row."""
    model_name, hyperparameters = recipes.split_recipe_name(name)
    options = "".join(f" --set {key}={value}" for key, value in hyperparameters.items())
    return f"keras-gans train {model_name} --dataset {dataset}{options}"


def train_mixture_model(name, dataset="ring8", seed=0, steps=None, run_dir=None, evaluate_every=None):
    """Train a benchmark recipe on a 2D mixture exactly as `keras-gans train` does (the same
    `keras_gans.training.train` call: `keras-gans train MODEL --dataset D [--set divergence=..]`);
    return (model, data, seconds). `steps` shortens the run (tests, quick tutorials).

    run_dir: None trains in a temporary directory. A path keeps the run there, and a run
        stopped or killed there before it finished continues from its newest checkpoint
        (`keras_gans.training.resume`, the weights an uninterrupted run ends with); a finished
        one is loaded, not trained again. The path must name one recipe's settings, as
        benchmarks/mode_coverage.py's --work-dir names them.
    evaluate_every: int or None. Also record the protocol's figures every N epochs in the
        run's evaluation.jsonl (`keras_gans.callbacks.EvaluateEvery`); they do not change
        the training.
    """
    from keras_gans.data import load_dataset
    from keras_gans.training import train

    model_name, hyperparameters = recipes.split_recipe_name(name)
    options = dict(dataset=dataset, seed=seed, overrides=hyperparameters or None, steps=steps, verbose=0,
                   evaluate_every=evaluate_every)
    if run_dir is None:
        with tempfile.TemporaryDirectory() as workdir:
            result = train(model_name, out=f"{workdir}/run", **options)
        return result.model, load_dataset(dataset, seed=seed), result.wall_time
    model, seconds = _train_or_continue(Path(run_dir), model_name, options)
    return model, load_dataset(dataset, seed=seed), seconds


def _train_or_continue(run_dir, model_name, options):
    """(model, training seconds) of the run in `run_dir`: trained, continued or loaded."""
    import keras

    from keras_gans.training import read_run_record, resume, run_finished, train

    record_path = run_dir / "config.json"
    if not record_path.is_file():
        if run_dir.exists():  # killed before its first record: nothing to continue
            shutil.rmtree(run_dir)
        result = train(model_name, out=str(run_dir), **options)
        return result.model, result.wall_time
    record = read_run_record(run_dir, context="--work-dir")
    if run_finished(run_dir, record):
        return keras.models.load_model(run_dir / "model.keras"), float(record["train_seconds"])
    result = resume(run_dir, verbose=0)
    return result.model, result.wall_time


def judge_samples(samples, data):
    """mode_coverage's report of `samples` against the mixture `data`, plus `diverged`.

    A diverged generator (non-finite samples) is reported as such, with no mode captured, so
    that one unstable recipe does not end a sweep over many.
    """
    samples = np.asarray(samples)
    if not np.all(np.isfinite(samples)):
        return {"modes_captured": 0, "num_modes": len(data.modes), "high_quality_fraction": 0.0,
                "reverse_kl": float("nan"), "diverged": True}
    return {**mode_coverage(samples, data.modes, data.mode_std), "diverged": False}


def train_on_mixture(name, dataset="ring8", seed=0, steps=None, run_dir=None, evaluate_every=None):
    """Train a benchmark recipe on a 2D mixture; return its `keras_gans.evaluation.evaluate`
    report (the protocol of `judge_samples` on 2,500 samples, + seconds). `run_dir` and
    `evaluate_every`: as `train_mixture_model`."""
    from keras_gans.evaluation import evaluate

    model, data, seconds = train_mixture_model(name, dataset, seed, steps, run_dir, evaluate_every)
    report = evaluate(model, data, num_samples=2500, seed=1000 + seed)
    report["seconds"] = seconds
    return report
