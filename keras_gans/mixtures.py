"""The PacGAN 2D-mixture benchmark (ring8, grid25), shared by tests, benchmarks and tutorials.

PacGAN protocol (Lin et al. 2018, arXiv:1712.04086): 2,500 samples; a sample is high quality
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample; reverse KL of the high-quality samples' mode histogram to uniform.

The training settings are the models' mixture recipes in `keras_gans.recipes`, run through
`keras_gans.training.train`: the benchmark trains exactly what `keras-gans train MODEL
--dataset ring8` trains.
"""

import tempfile

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


def train_mixture_model(name, dataset="ring8", seed=0, steps=None):
    """Train a benchmark recipe on a 2D mixture exactly as `keras-gans train` does (the same
    `keras_gans.training.train` call: `keras-gans train MODEL --dataset D [--set divergence=..]`);
    return (model, data, seconds). `steps` shortens the run (tests, quick tutorials)."""
    from keras_gans.data import load_dataset
    from keras_gans.training import train

    model_name, hyperparameters = recipes.split_recipe_name(name)
    with tempfile.TemporaryDirectory() as workdir:
        result = train(model_name, dataset=dataset, seed=seed, overrides=hyperparameters or None,
                       out=f"{workdir}/run", steps=steps, verbose=0)
    return result.model, load_dataset(dataset, seed=seed), result.wall_time


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


def train_on_mixture(name, dataset="ring8", seed=0, steps=None):
    """Train a benchmark recipe on a 2D mixture; return its `keras_gans.evaluation.evaluate`
    report (the protocol of `judge_samples` on 2,500 samples, + seconds)."""
    from keras_gans.evaluation import evaluate

    model, data, seconds = train_mixture_model(name, dataset, seed, steps)
    report = evaluate(model, data, num_samples=2500, seed=1000 + seed)
    report["seconds"] = seconds
    return report
