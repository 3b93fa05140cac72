"""Every tuned training setting of the library, in one place.

A recipe is what `keras-gans train MODEL [--dataset D]` runs when the user gives no other
option, and what the benchmarks (`benchmarks/mode_coverage.py`, `benchmarks/mnist_quality.py`)
run to produce the README's figures: both go through `keras_gans.training.train`, which asks
`resolve` for the settings. Model classes hold only the paper's defaults; a recipe holds
what a short CPU budget or a toy data set needs on top of them, and says so in `why`. The
measurements behind each choice live in `benchmarks/results/`.

A recipe sets
- `epochs` and `batch_size` (the fit batch: a model that makes k discriminator updates per
  generator update reads k real minibatches from it, so it is k x the minibatch);
- `steps_per_epoch`: None reads the data set once per epoch; a number streams a repeating,
  reshuffled input for that many steps per epoch (the 2D mixtures count generator steps);
- `hyperparameters`: constructor arguments (the user's `--set` wins over them);
- `learning_rates`: {role: rate} set at compile over the model's default optimizers, for a
  role whose rate differs from the model's `learning_rate`;
- `schedule`: "constant", or "cosine": each optimizer's rate anneals to 0 over the updates it
  makes in the whole run (a discriminator making k updates per step spans k x steps);
- `beta_1`: Adam's beta_1 for every role, where it departs from the model's (None keeps it);
- `jit_compile`: compile the train step with XLA;
- `steps_per_execution`: train steps run per call into TensorFlow (Keras's compile option),
  for the small MLP players of the 2D mixtures, whose steps cost less than a call. The losses
  and weights are the same bit for bit, so it is left out of a recipe's repr, the key by which
  the benchmarks reuse finished runs.
"""

import dataclasses
import math

#: datasets a model trains on when the user names none
DEFAULT_DATASETS = {
    "gan": "ring8",
    **{name: "mnist" for name in (
        "dcgan", "cgan", "infogan", "wgan", "wgan_gp", "least_squares_gan", "loss_sensitive_gan", "ebgan",
        "began", "f_gan")},
    **{name: "mnist_train" for name in (
        "ae", "vae", "aae", "vae_gan", "cvae_gan", "double_gan", "unified_ae_gan", "gaia", "bigan")},
    **{name: "synthetic_ratings" for name in ("irgan", "bpr_mf")},
}

#: the second domain of the translation models when the user names none: MNIST <-> the
#: scikit-learn digits at 28x28, both labelled, so kept digits can be counted
DEFAULT_DATASETS_B = {"cyclegan": "digits28_train", "discogan": "digits28_train"}
DEFAULT_DATASETS.update({name: "mnist_train" for name in DEFAULT_DATASETS_B})

#: the fallback for a (model, dataset) pair without a recipe: the model's class defaults
GENERIC = {"epochs": 20, "batch_size": 64}

#: shared by every 2D-mixture recipe (PacGAN's ring8 and grid25) unless it says otherwise:
#: MLP players of 3 x 256 units, z in R^2, 3,000 generator steps of minibatch 256 in 10
#: epochs, Adam 5e-4 annealed to 0 (constant rates keep hopping between modes)
MIXTURE_BASE = {
    "epochs": 10, "steps_per_epoch": 300, "minibatch": 256, "schedule": "cosine", "steps_per_execution": 50,
    "hyperparameters": {"latent_dim": 2, "hidden_units": (256, 256, 256), "learning_rate": 5e-4},
}

MIXTURES = ("ring8", "grid25")

#: GAN on grid25 with packing: the PacGAN authors' 2D players and batch handling (their code,
#: fjxmlzn/PacGAN), with the rate annealed as the other mixture recipes anneal theirs
PACGAN_GRID25 = {
    "hyperparameters": {"hidden_units": (200, 200, 200), "discriminator_maxout_pieces": 5,
                        "discriminator_init_std": 0.02, "learning_rate": 1e-4},
    "packs": 100, "beta_1": 0.8, "epochs": 60, "steps_per_epoch": 1000,
    "why": "a packed discriminator of LeakyReLU units stays near chance on grid25 (2% of the "
           "samples near a mode at packing 4); PacGAN's discriminator of 3 x 200 maxout units "
           "(5 pieces, weights from N(0, 0.02^2)) with Adam 1e-4, beta_1 0.8 and 100 packs per "
           "update, the authors' settings, learns to tell packs apart",
}

#: model name -> {dataset: settings}; "any" applies to every dataset but the 2D mixtures when
#: the model has a "mixture" entry (their settings, over MIXTURE_BASE), and a dataset's own
#: entry is applied last;
#: a mixture entry names `minibatch` (examples per player update) instead of `batch_size`, or
#: `packs` (PacGAN's batch handling: packs per update, so packing m reads m x packs examples);
#: "variants" keys a hyperparameter (f-GAN's divergence) whose value picks extra settings
RECIPES = {
    "gan": {
        "mixture": {},
        "grid25": {
            "hyperparameters": {"generator_batch_norm": True, "generator_hidden_units": (400, 400, 400, 400)},
            "steps_per_epoch": 1000,
            "why": "25 modes of std 0.05 need PacGAN's 2D generator (4 x 400, batch norm) and "
                   "10,000 steps: with the ring's 3 x 256 generator and 3,000 steps at most 17/25 "
                   "modes and 9% of the samples near one",
        },
        "variants": {"packing": {m: {"grid25": PACGAN_GRID25} for m in range(2, 9)}},
    },
    "dcgan": {
        "any": {"epochs": 50, "batch_size": 64},
        "stacked_mnist": {
            "epochs": 20, "hyperparameters": {"clusters": 20},
            "why": "25,000 stacked digits are 5x MNIST's 5,000: 20 epochs (7,800 steps) keep a "
                   "run and its 26,000-sample evaluation within 20 CPU-minutes; 20 clusters are "
                   "the setting its coverage was measured with (the default 150 was tuned on "
                   "MNIST's sharpness, not measured here)",
        },
    },
    "cgan": {"any": {"epochs": 30, "batch_size": 64}},
    "infogan": {
        "any": {
            "epochs": 30, "batch_size": 64, "hyperparameters": {"noise_dim": 16, "base_filters": 32},
            "why": "with 62 noise dimensions the noise keeps the digit and the categorical code "
                   "settles on style (or on one digit) within this budget; 16 leave it more of "
                   "the variation",
        },
        "mnist": {
            "hyperparameters": {"invariance_rotation": 20.0, "invariance_zoom": 0.1},
            "why": "Q reads the categorical code through random rotations (20 degrees) and zooms "
                   "(10%) too: without, runs often let two digits share a code value (4 and 9, "
                   "7 and 9) while a style splits another digit",
        },
    },
    "wgan": {
        "any": {"epochs": 15, "batch_size": 5 * 64},
        "mixture": {
            "hyperparameters": {"clip_value": 0.1},
            "why": "c = 0.01 suits the paper's batch-norm conv critics; an MLP critic clipped "
                   "to 0.01 is nearly constant and its generator blurs over the ring",
        },
    },
    "wgan_gp": {
        "any": {
            "epochs": 25, "batch_size": 5 * 64, "hyperparameters": {"learning_rate": 5e-4},
            "why": "the paper's 1e-4 is tuned for 200k generator steps; this budget buys ~400",
        },
        "mixture": {
            "hyperparameters": {"gradient_penalty_weight": 0.1, "critic_steps": 2, "learning_rate": 2e-4},
            "minibatch": 512, "steps_per_epoch": 600, "jit_compile": True,
            "why": "lambda 0.1 as in the authors' toy code; 2 critic steps per generator step "
                   "buy more generator steps per second than 5 and end higher",
        },
        "grid25": {
            "hyperparameters": {
                "gradient_penalty_weight": 1.0, "critic_steps": 2, "learning_rate": 4e-4,
                "hidden_units": (128, 128, 128), "generator_batch_norm": True,
                "generator_hidden_units": (400, 400, 400, 400)},
            "learning_rates": {"generator": 1e-3},
            "minibatch": 256, "steps_per_epoch": 2000, "jit_compile": True,
            "why": "25 modes need PacGAN's 2D generator (4 x 400, batch norm) that folds the "
                   "latent plane sharply, and steps to thin the bridges between modes",
        },
    },
    "least_squares_gan": {"any": {"epochs": 30, "batch_size": 64}, "mixture": {}},
    "loss_sensitive_gan": {
        "any": {"epochs": 30, "batch_size": 64},
        "mixture": {
            "hyperparameters": {"margin_norm": "mean"},
            "why": "Delta averaged over the 2 dimensions (half the L1 norm) keeps more samples on "
                   "the modes",
        },
    },
    "ebgan": {
        "any": {"epochs": 30, "batch_size": 64},
        "mixture": {"hyperparameters": {"margin": 1.0}},
    },
    "began": {
        "any": {
            "epochs": 60, "batch_size": 64, "hyperparameters": {"gamma": 1.0, "learning_rate": 2e-4},
            "why": "on 5,000 digits samples never become twice as easy to autoencode as data, "
                   "so at gamma 0.5 k_t stays near 0",
        },
        "mixture": {
            "hyperparameters": {"code_dim": 1, "lambda_k": 1.0},
            "why": "2D energies are ~20x smaller than image energies, so lambda_k 0.001 barely "
                   "moves k_t; a 1-unit code keeps the autoencoder from learning the identity",
        },
    },
    "f_gan": {
        "any": {"epochs": 30, "batch_size": 64},
        "mixture": {},
        "variants": {"divergence": {
            "reverse_kl": {
                "mixture": {"hyperparameters": {"generator_loss": "minimax"},
                            "why": "the alternative generator loss E_Q[exp(-V)] overflows"}},
            **{name: {"mixture": {
                "hyperparameters": {"r1_weight": 1.0, "learning_rate": 2e-4},
                "why": "unbounded conjugates let V run away where only real data lies: R1 "
                       "and a gentler rate hold it"}}
               for name in ("kl", "pearson", "squared_hellinger", "total_variation")},
        }},
    },
    **{name: {"any": {"epochs": 20, "batch_size": 64}} for name in ("ae", "vae", "aae", "unified_ae_gan")},
    "vae_gan": {"any": {"epochs": 60, "batch_size": 64}},
    "bigan": {
        "any": {
            "epochs": 40, "batch_size": 64,
            "hyperparameters": {"stochastic_encoder": True, "discriminator_dropout": 0.2},
            "why": "ALI's Gaussian encoder and dropout in D: with BiGAN's deterministic encoder "
                   "D wins (generator loss 5-8) and the codes stay at a random encoder's 1-NN; "
                   "the encoder's codes keep improving until about 40 epochs (2,500 steps)",
        },
        "mixture": {
            "hyperparameters": {"discriminator_latent_units": (256,), "discriminator_joint_units": (256,)},
        },
    },
    "bpr_mf": {
        "synthetic_ratings": {
            "epochs": 200, "batch_size": 64, "hyperparameters": {"embedding_dim": 16},
            "why": "the planted factors have rank 8: 5 factors (IRGAN's MovieLens setting) cap "
                   "every factorisation's ranking; held-out P@5 peaks near 200 epochs",
        },
    },
    "irgan": {
        "synthetic_ratings": {
            "epochs": 20, "batch_size": 64,
            "hyperparameters": {"embedding_dim": 16, "pretrain_epochs": 150,
                                "discriminator_learning_rate": 1e-4, "generator_learning_rate": 1e-4},
            "why": "both players start from a BPR-MF of 150 epochs, as the paper starts from a "
                   "pretrained factorisation; at 1e-3 the discriminator's ranking drifts down "
                   "after 10 adversarial epochs",
        },
    },
    "cvae_gan": {"any": {"epochs": 10, "batch_size": 64}},
    "double_gan": {"any": {"epochs": 30, "batch_size": 64}},
    "gaia": {"any": {"epochs": 30, "batch_size": 64}},
    "cyclegan": {
        "any": {
            "epochs": 6, "batch_size": 16, "schedule": "linear_decay",
            "hyperparameters": {"base_filters": 8, "residual_blocks": 3},
            "why": "the paper's k = 64 and 6 residual blocks (batch 1, 200 epochs) are far beyond "
                   "a 15-minute CPU budget: k = 8, 3 blocks and batch 16; the paper's schedule "
                   "(half constant, half linear decay) spans the run",
        },
    },
    "discogan": {
        "any": {
            "epochs": 30, "batch_size": 64, "hyperparameters": {"curriculum_steps": 300},
            "why": "the authors' 10,000-step GAN curriculum is longer than this whole run: "
                   "300 GAN-heavy steps open it instead",
        },
    },
}


@dataclasses.dataclass(frozen=True)
class Recipe:
    """The resolved settings of one training run (see the module docstring)."""

    model: str
    dataset: str
    epochs: int
    batch_size: int
    steps_per_epoch: int | None = None
    hyperparameters: dict = dataclasses.field(default_factory=dict)
    learning_rates: dict = dataclasses.field(default_factory=dict)
    schedule: str = "constant"
    beta_1: float | None = None
    jit_compile: bool = False
    steps_per_execution: int = dataclasses.field(default=1, repr=False)  # the same numbers
    dataset_b: str | None = None
    why: tuple = ()

    @property
    def steps(self):
        """Training steps of the whole run, when the recipe counts them (else None)."""
        return None if self.steps_per_epoch is None else self.epochs * self.steps_per_epoch


def _entries(model_name, dataset, hyperparameters):
    """The recipe entries that apply to (model, dataset), most general first."""
    table = RECIPES.get(model_name, {})
    # a mixture's settings replace the model's image settings ("any") rather than extend them
    keys = ["mixture", dataset] if dataset in MIXTURES and "mixture" in table else ["any", dataset]
    entries = [table[key] for key in keys if key in table]
    for parameter, variants in table.get("variants", {}).items():
        value = hyperparameters.get(parameter, _class_default(model_name, parameter))
        variant = variants.get(value, {})
        entries += [variant[key] for key in keys if key in variant]
    return entries


def _class_default(model_name, parameter):
    import inspect

    from keras_gans.registry import get_model_class

    for klass in get_model_class(model_name).__mro__:
        init = vars(klass).get("__init__")
        if init is not None and parameter in inspect.signature(init).parameters:
            return inspect.signature(init).parameters[parameter].default
    return None


def has_recipe(model_name, dataset):
    """True when (model, dataset) has settings of its own (not the generic fallback)."""
    return bool(_entries(model_name, dataset, {}))


def resolve(model_name, dataset=None, hyperparameters=None, epochs=None, batch_size=None, steps=None,
            dataset_b=None):
    """The `Recipe` of `model_name` on `dataset` with the user's choices applied.

    Args:
        model_name: str. Registry name.
        dataset: str or None. None takes the model's default (`DEFAULT_DATASETS`).
        hyperparameters: dict. The user's constructor arguments; they win over the recipe's
            (and pick a variant, e.g. f-GAN's divergence).
        epochs, batch_size: int or None. None keeps the recipe's.
        steps: int or None. Total training steps instead of the recipe's (streamed input);
            the run keeps as many of the recipe's epochs as divide `steps`.
        dataset_b: str or None. The second domain of a translation model; None takes its
            default (`DEFAULT_DATASETS_B`). Other models refuse one.
    """
    from keras_gans.registry import get_model_class

    model_class = get_model_class(model_name)  # a clear error for an unknown name
    if model_class.data_domains == 2:
        # the default pair only as a pair: a user's first domain needs the user's second
        dataset_b = dataset_b or (None if dataset else DEFAULT_DATASETS_B.get(model_name))
        if dataset_b is None:
            raise ValueError(f"{model_name} translates between two domains: pass the second "
                             "with --dataset-b (a dataset name, .npy/.npz file or image folder).")
    elif dataset_b is not None:
        raise ValueError(f"{model_name} trains on one dataset; --dataset-b is for the translation "
                         "models (cyclegan, discogan).")
    dataset = dataset or DEFAULT_DATASETS.get(model_name, "mnist")
    user = dict(hyperparameters or {})
    settings = {"hyperparameters": {}, "learning_rates": {}, "why": []}
    entries = _entries(model_name, dataset, user)
    if entries and dataset in MIXTURES:
        entries = [MIXTURE_BASE] + entries
    for entry in entries or [GENERIC]:
        for key, value in entry.items():
            if key in ("hyperparameters", "learning_rates"):
                settings[key] = {**settings[key], **value}
            elif key == "why":
                settings["why"].append(value)
            else:
                settings[key] = value
    settings["hyperparameters"].update(user)
    minibatch = settings.pop("minibatch", None)
    packs = settings.pop("packs", None)
    if packs is not None:  # PacGAN's batch handling: a minibatch of `packs` packs of m examples
        minibatch = packs * int(settings["hyperparameters"].get("packing", 1))
    if minibatch is not None:  # a fit batch holds one real minibatch per discriminator step
        settings["batch_size"] = minibatch * _discriminator_steps(model_name, settings["hyperparameters"])
    if steps is not None:
        if int(steps) < 1:
            raise ValueError(f"steps must be at least 1, got {steps}.")
        settings["epochs"] = math.gcd(int(steps), int(epochs or settings["epochs"]))
        settings["steps_per_epoch"] = int(steps) // settings["epochs"]
    elif epochs is not None:
        settings["epochs"] = epochs
    if batch_size is not None:
        settings["batch_size"] = batch_size
    for name in ("epochs", "batch_size"):
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name.replace('_', ' ')} must be a positive integer, got {value!r}.")
    settings["why"] = tuple(settings["why"])
    return Recipe(model=model_name, dataset=dataset, dataset_b=dataset_b, **settings)


def _discriminator_steps(model_name, hyperparameters):
    for name in ("critic_steps", "discriminator_steps"):
        if name in hyperparameters:
            return int(hyperparameters[name])
        default = _class_default(model_name, name)
        if isinstance(default, int):
            return default
    return 1


def mixture_recipe_names():
    """The recipes of the mixture benchmark: models with a mixture entry, f-GAN by divergence."""
    from keras_gans.losses.f_divergence import F_DIVERGENCES

    names = [name for name, table in RECIPES.items() if "mixture" in table and name != "f_gan"]
    order = ("jensen_shannon", "gan", "reverse_kl", "kl", "pearson", "squared_hellinger", "total_variation")
    return names + [f"f_gan:{name}" for name in order if name in F_DIVERGENCES]


def split_recipe_name(name):
    """A benchmark recipe name -> (model name, the `--set` hyperparameters it adds).

    "gan" -> ("gan", {}); "f_gan:kl" -> ("f_gan", {"divergence": "kl"}); after the colon,
    comma-separated KEY=VALUE items are read as `--set` reads them (`training.parse_overrides`):
    "gan:packing=4" -> ("gan", {"packing": 4}); "f_gan:kl,packing=2" -> both.
    """
    from keras_gans.registry import get_model_class
    from keras_gans.training import parse_overrides

    model_name, _, rest = name.partition(":")
    items = [item for item in rest.split(",") if item]
    settings = [item for item in items if "=" in item]
    divergence = [item for item in items if "=" not in item]
    hyperparameters = {"divergence": divergence[-1]} if divergence else {}
    if settings:
        hyperparameters.update(parse_overrides(settings, get_model_class(model_name)))
    return model_name, hyperparameters


def with_packing(name, packing):
    """The benchmark recipe `name` with PacGAN packing m ("gan", 4 -> "gan:packing=4")."""
    if packing == 1:
        return name
    return f"{name}{',' if ':' in name else ':'}packing={packing}"
