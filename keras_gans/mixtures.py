"""Reference recipes for the PacGAN 2D mixtures (ring8, grid25), shared by tests and benchmarks.

PacGAN protocol (Lin et al. 2018, arXiv:1712.04086): 2,500 samples; a sample is high quality
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample; reverse KL of the high-quality samples' mode histogram to uniform.

Every recipe trains MLP players (3 x 256 hidden units unless it says otherwise, z in R^2)
for a fixed number of generator steps, each optimizer's learning rate annealed to zero with a
cosine schedule over the updates it makes (a critic makes critic_steps per generator step):
constant-rate training keeps hopping between modes, annealing lets the game settle.
"""

import time

import keras
import numpy as np

from keras_gans.data import load_dataset, make_pipeline
from keras_gans.metrics import mode_coverage
from keras_gans.registry import get_model_class

#: shared by every recipe unless it says otherwise. Minibatch 256 at 5e-4 is what makes the
#: GAN seed-robust on the ring (8/8 modes at 91-94% high quality on seeds 0, 1, 2); at 512 and
#: 1e-3 seed 0 collapsed (0/8) and seed 2 kept 8/8 at only 30% high quality.
BASE_RECIPE = {
    "model": {"latent_dim": 2, "hidden_units": (256, 256, 256)},
    "learning_rate": 5e-4,
    "minibatch": 256,
    "steps": 3000,
    "jit_compile": False,
}

#: model name (or "f_gan:DIVERGENCE") -> overrides of BASE_RECIPE, optionally with a
#: nested {"ring8": {...}} / {"grid25": {...}} for one mixture, which overrides the entry's
#: settings key by key ("model" too); "generator_learning_rate" sets the generator's rate
#: apart from the discriminator's
RECIPES = {
    "gan": {},
    # c = 0.01 is the paper's clip for convolutional critics with batch norm, which rescales
    # the activations; a plain MLP critic clipped to 0.01 is nearly constant, its generator
    # blurs over the ring (8/8 modes but 0.1% high quality on seed 0; 94.8% with c = 0.1).
    "wgan": {"model": {"clip_value": 0.1}},
    # lambda 0.1 as in the WGAN-GP authors' own toy code ("smaller lambda makes things
    # faster for toy tasks"): at lambda 10 the generator is chased around the ring. On the
    # ring too, 2 critic steps per generator step (under XLA, 6,000 steps: 143 s) beat the
    # paper's 5 (3,000 steps, about 2.5x the time): 92.1 and 93.4% high quality on seeds 0
    # and 1 against 81.6 and 83.4%; 2 steps over 3,000 steps: 79.9% (77.8% under XLA; seed 0).
    # The grid's 25 modes need a generator that folds the latent plane sharply: PacGAN's
    # 2D generator (4 x 400 units with batch norm); what is left after the modes are found
    # is the mass on the bridges between them, which thins as training goes on. 2 critic
    # steps per generator step (not the paper's 5) thin it faster per second: 20,000 steps
    # take less time than 10,000 at 5 (174 s vs about 260 s) and give 88.5% where 15,000 at 5
    # gave 79.5% (seed 0); a 3 x 128 critic under XLA makes a step 2x cheaper than 3 x 256.
    # Seeds 0, 1, 2: 25/25 modes at 88.5, 86.0 and 87.6% high quality. 5 critic steps over
    # 10,000 steps: 79.6, 78.4, 68.0%; over 15,000: 79.5, 81.7, 78.9%; 1 critic step over
    # 30,000 steps: 69.7% (seed 0). Seed 0 with the 3 x 256 critic, 5 critic steps: 60.6% at
    # 5,000 steps, 74.8% at 10,000; G at 2e-3: 78.5%; a leaky-ReLU G: worse; at 5,000 steps,
    # G at 1e-4: 47%, and that without batch norm: 10.7%.
    "wgan_gp": {
        "model": {"gradient_penalty_weight": 0.1, "critic_steps": 2}, "learning_rate": 2e-4,
        "minibatch": 512, "steps": 6000, "jit_compile": True,
        "grid25": {"model": {"gradient_penalty_weight": 1.0, "hidden_units": (128, 128, 128),
                             "generator_batch_norm": True, "generator_hidden_units": (400, 400, 400, 400)},
                   "learning_rate": 4e-4, "generator_learning_rate": 1e-3, "steps": 20000,
                   "minibatch": 256},
    },
    "least_squares_gan": {},
    # Delta averaged over the 2 dimensions, not the class's L1 norm (twice it): 8/8 modes at
    # 0.905, 0.924, 0.919 high quality on seeds 0-2, against 0.867, 0.846, 0.904.
    "loss_sensitive_gan": {"model": {"margin_norm": "mean"}},
    "ebgan": {"model": {"margin": 1.0}},
    # The paper's lambda_k = 0.001 suits image energies of ~0.1; 2D energies are ~0.005, so
    # k_t moved ~1e-5 per step and the generator collapsed onto one mode before k_t reached
    # the 1/8 at which the discriminator gives up a collapsed mode. A 1-unit code keeps the
    # autoencoder from learning the identity of the plane (its energy would be 0 everywhere).
    "began": {"model": {"code_dim": 1, "lambda_k": 1.0}},
    **{f"f_gan:{name}": {"model": {"divergence": name}} for name in ("jensen_shannon", "gan")},
    # the alternative generator loss E_Q[exp(-V)] overflows to NaN; the minimax one is linear in V
    "f_gan:reverse_kl": {"model": {"divergence": "reverse_kl", "generator_loss": "minimax"}},
    # unbounded conjugates (exp, quadratic) let V run away where only real data lies and the
    # bounded tanh(v)/2 saturates: R1 (gamma 1) and a gentler rate. Without R1: KL 1/8,
    # Pearson 2/8, total variation 0/8 (seed 0), squared Hellinger 8, 4, 8 of 8 (seeds 0-2);
    # with it 8/8 for all four on every seed.
    **{f"f_gan:{name}": {"model": {"divergence": name, "r1_weight": 1.0}, "learning_rate": 2e-4}
       for name in ("kl", "pearson", "squared_hellinger", "total_variation")},
}


def recipe(name, dataset="ring8"):
    """The full recipe of a RECIPES entry (with its per-dataset overrides, if any)."""
    entry = {key: value for key, value in RECIPES[name].items() if key not in ("ring8", "grid25")}
    merged = dict(BASE_RECIPE)
    for overrides in (entry, RECIPES[name].get(dataset, {})):
        merged.update({**overrides, "model": {**merged["model"], **overrides.get("model", {})}})
    merged["model_name"] = name.split(":")[0]
    return merged


def cosine_annealed(optimizer, updates, learning_rate):
    """A copy of `optimizer` whose learning rate decays from `learning_rate` to 0 over
    `updates` of its own updates (not training steps)."""
    config = optimizer.get_config()
    config["learning_rate"] = keras.optimizers.schedules.CosineDecay(learning_rate, updates)
    return type(optimizer).from_config(config)


def train_mixture_model(name, dataset="ring8", seed=0, steps=None):
    """Train RECIPES[name] on a 2D mixture; return (model, data, seconds)."""
    settings = recipe(name, dataset)
    steps = steps or settings["steps"]
    data = load_dataset(dataset, seed=seed)
    keras.utils.set_random_seed(seed)  # initial weights: a recipe's result is reproducible
    model = get_model_class(settings["model_name"])(data_shape=(2,), seed=seed, **settings["model"])
    rates = {"generator": settings.get("generator_learning_rate", settings["learning_rate"])}
    # A schedule counts its optimizer's updates: the discriminator makes k per training step
    # (Algorithm 1), so its cosine must span k * steps updates, or it reaches 0 after 1/k of
    # training and the generator plays the rest against a frozen critic.
    discriminator_steps = getattr(model, "discriminator_steps", 1)
    updates = {"discriminator": steps * discriminator_steps}
    model.compile(optimizers={
        role: cosine_annealed(optimizer, updates.get(role, steps), rates.get(role, settings["learning_rate"]))
        for role, optimizer in model.default_optimizers().items()
    }, jit_compile=settings["jit_compile"])
    # A fit batch carries one real minibatch per discriminator step (Algorithm 1).
    batch = settings["minibatch"] * discriminator_steps
    start = time.perf_counter()
    model.fit(make_pipeline(data, batch, repeat=True, seed=seed), epochs=1, steps_per_epoch=steps, verbose=0)
    return model, data, time.perf_counter() - start


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
    """Train RECIPES[name] on a 2D mixture; return `judge_samples`' report (+ seconds)."""
    model, data, seconds = train_mixture_model(name, dataset, seed, steps)
    report = judge_samples(model.sample(2500, seed=1000 + seed), data)
    report["seconds"] = seconds
    return report
