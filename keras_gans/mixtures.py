"""Reference recipes for the PacGAN 2D mixtures (ring8, grid25), shared by tests and benchmarks.

PacGAN protocol (Lin et al. 2018, arXiv:1712.04086): 2,500 samples; a sample is high quality
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample; reverse KL of the high-quality samples' mode histogram to uniform.

Every recipe trains MLP players (3 x 256 hidden units, z in R^2) for a fixed number of
generator steps, each optimizer's learning rate annealed to zero with a cosine schedule:
constant-rate training keeps hopping between modes, annealing lets the game settle.
"""

import time

import keras
import numpy as np

from keras_gans.data import load_dataset, make_pipeline
from keras_gans.metrics import mode_coverage
from keras_gans.registry import get_model_class

#: shared by every recipe unless it says otherwise
BASE_RECIPE = {
    "model": {"latent_dim": 2, "hidden_units": (256, 256, 256)},
    "learning_rate": 1e-3,
    "minibatch": 512,
    "steps": 3000,
}

#: model name (or "f_gan:DIVERGENCE") -> overrides of BASE_RECIPE
RECIPES = {
    "gan": {},
    "wgan": {"learning_rate": 5e-4, "minibatch": 256},
    "wgan_gp": {"learning_rate": 1e-3, "minibatch": 256},
    "least_squares_gan": {},
    "loss_sensitive_gan": {},
    "ebgan": {"model": {"margin": 1.0}},
    "began": {"learning_rate": 1e-3},
    **{f"f_gan:{name}": {"model": {"divergence": name}} for name in (
        "kl", "reverse_kl", "jensen_shannon", "gan", "pearson", "squared_hellinger", "total_variation")},
}


def recipe(name):
    """The full recipe of a RECIPES entry."""
    overrides = RECIPES[name]
    merged = {**BASE_RECIPE, **overrides}
    merged["model"] = {**BASE_RECIPE["model"], **overrides.get("model", {})}
    merged["model_name"] = name.split(":")[0]
    return merged


def cosine_annealed(optimizer, steps, learning_rate):
    """A copy of `optimizer` whose learning rate decays from `learning_rate` to 0 in `steps`."""
    config = optimizer.get_config()
    config["learning_rate"] = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    return type(optimizer).from_config(config)


def train_on_mixture(name, dataset="ring8", seed=0, steps=None):
    """Train RECIPES[name] on a 2D mixture and return mode_coverage's report (+ seconds)."""
    settings = recipe(name)
    steps = steps or settings["steps"]
    data = load_dataset(dataset, seed=seed)
    model = get_model_class(settings["model_name"])(data_shape=(2,), seed=seed, **settings["model"])
    model.compile(optimizers={
        role: cosine_annealed(optimizer, steps, settings["learning_rate"])
        for role, optimizer in model.default_optimizers().items()
    })
    # A fit batch carries one real minibatch per discriminator step (Algorithm 1).
    batch = settings["minibatch"] * getattr(model, "discriminator_steps", 1)
    start = time.perf_counter()
    model.fit(make_pipeline(data, batch, repeat=True, seed=seed), epochs=1, steps_per_epoch=steps, verbose=0)
    report = mode_coverage(np.array(model.sample(2500, seed=1000 + seed)), data.modes, data.mode_std)
    report["seconds"] = time.perf_counter() - start
    return report
