"""`train(...)`: the one training entry point the CLI and the notebooks call.

A run directory holds:
    model.keras     the trained model (weights, config, optimizer state)
    config.json     what was run: model, dataset, options, model config, versions, metrics
    history.csv     per-epoch logs
    losses.png      one curve per logged loss and metric, per epoch
    samples_epoch_NNN.png   fixed-latent sample grids (or scatter plots for 2D data)
    tensorboard/    when asked

The run is built in a hidden staging directory and renamed into place only when training
finished with finite losses, so a failed or interrupted run leaves nothing half-written.
"""

import ast
import dataclasses
import datetime
import json
import platform
import time
from pathlib import Path

import keras
import numpy as np

from keras_gans import callbacks as kg_callbacks
from keras_gans import distribute, recipes
from keras_gans.components.schedules import ConstantThenLinearDecay
from keras_gans.data import domain_steps, load_dataset, make_domain_pipeline, make_pipeline
from keras_gans.io_utils import atomic_directory, atomic_path
from keras_gans.plotting import save_loss_curves
from keras_gans.registry import get_model_class

RUN_FILES = ("model.keras", "config.json")


@dataclasses.dataclass
class TrainResult:
    model: keras.Model
    run_dir: Path
    history: dict
    wall_time: float


def parse_overrides(pairs, model_class):
    """["key=value", ...] -> {key: value}; values are Python literals (true/false too), else strings.

    Keys must be constructor arguments of `model_class`; an unknown key raises a ValueError
    listing the accepted ones.
    """
    excluded = {"data_shape", *model_class.network_names()}
    accepted = [k for k in model_class.config_keys() if k not in excluded]
    overrides = {}
    for pair in pairs or ():
        if "=" not in pair:
            raise ValueError(f"--set takes KEY=VALUE, got {pair!r}.")
        key, text = pair.split("=", 1)
        key = key.strip().replace("-", "_")
        if key not in accepted:
            raise ValueError(
                f"{model_class.registry_name} has no hyperparameter {key!r}; accepted: {', '.join(accepted)}."
            )
        try:
            overrides[key] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            # true/false as a shell user writes them, not the strings "true"/"false"
            overrides[key] = {"true": True, "false": False}.get(text.strip().lower(), text)
    return overrides


def default_run_dir(model_name):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{model_name}-{stamp}"


def check_run_dir(run_dir, overwrite):
    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise ValueError(f"--out {run_dir} is a file; give a directory path.")
    if run_dir.is_dir() and any(run_dir.iterdir()) and not overwrite:
        holds = [f for f in RUN_FILES if (run_dir / f).exists()]
        what = f"holds a run ({', '.join(holds)})" if holds else "is not empty"
        raise ValueError(f"Output directory {run_dir} {what}; pass --overwrite to replace it or choose another --out.")


def build_model(model_name, dataset, seed=0, overrides=None, dataset_b=None):
    """Instantiate `model_name` for `dataset` (its shape, classes or catalogue, as the model
    class reads them off the data; and `dataset_b`'s shape, the second domain of a
    translation model) and let it take what it keeps of the data."""
    model_class = get_model_class(model_name)
    kwargs = {**model_class.dataset_arguments(dataset), "seed": seed}
    if dataset_b is not None:
        kwargs["data_shape_b"] = dataset_b.data_shape
    model = model_class(**{**kwargs, **(overrides or {})})
    model.prepare(dataset)
    return model


def scheduled_optimizers(model, recipe, steps):
    """The model's default optimizers with the recipe's per-role rates and schedule.

    A "cosine" schedule anneals each optimizer's rate to 0 over the updates that optimizer
    makes in `steps` training steps: a discriminator that steps k times per training step
    (Algorithm 1) spans k x steps, or it would reach 0 after 1/k of the run. "linear_decay"
    (CycleGAN's) holds the rate for the first half of those updates and decays it linearly
    to 0 over the second.
    """
    optimizers = {}
    for role, optimizer in model.default_optimizers().items():
        config = optimizer.get_config()
        rate = recipe.learning_rates.get(role, config["learning_rate"])
        if recipe.schedule == "cosine":
            updates = steps * (getattr(model, "discriminator_steps", 1) if role == "discriminator" else 1)
            rate = keras.optimizers.schedules.CosineDecay(float(rate), updates)
        elif recipe.schedule == "linear_decay":
            updates = steps * (getattr(model, "discriminator_steps", 1) if role == "discriminator" else 1)
            rate = ConstantThenLinearDecay(float(rate), updates // 2, max(updates - updates // 2, 1))
        elif recipe.schedule != "constant":
            raise ValueError(f"schedule must be 'constant', 'cosine' or 'linear_decay', got {recipe.schedule!r}.")
        optimizers[role] = type(optimizer).from_config({**config, "learning_rate": rate})
    return optimizers


def train(
    model_name,
    dataset=None,
    epochs=None,
    batch_size=None,
    out=None,
    seed=0,
    overrides=None,
    strategy="default",
    precision="float32",
    jit_compile=None,
    overwrite=False,
    tensorboard=False,
    num_samples=None,
    verbose="auto",
    extra_callbacks=(),
    steps=None,
    dataset_b=None,
    rating_threshold=None,
    image_size=None,
    data_dir=None,
    evaluate_every=None,
):
    """Train a registered model with its recipe and write a run directory; return a `TrainResult`.

    The settings come from `keras_gans.recipes.resolve(model_name, dataset, ...)`: with no
    other argument this is exactly what the README reports for (model, dataset).

    Args:
        model_name: str. Registry name, e.g. "dcgan" (see `keras-gans list`).
        dataset: str. Dataset name or path (see `keras_gans.data.DATASETS`); None takes the
            model's default (`keras_gans.recipes.DEFAULT_DATASETS`).
        epochs, batch_size: int. None takes the recipe's.
        out: path of the run directory; None makes runs/MODEL-TIMESTAMP.
        seed: int. Seeds data order, initial weights and training noise.
        overrides: dict of constructor hyperparameters, e.g. {"latent_dim": 64}. They win
            over the recipe's own.
        strategy: "default" or "mirrored". precision: "float32", "mixed_bfloat16" or
            "mixed_float16".
        jit_compile: bool or None. Compile the train step with XLA; None takes the recipe's.
        overwrite: replace an existing run directory.
        tensorboard: also write TensorBoard scalars and sample images.
        num_samples: int. Use only this many training examples (quick runs, tests).
        steps: int. Total training steps on a repeating input, instead of the recipe's.
        dataset_b: str. The second domain of a translation model (cyclegan, discogan), read
            as `dataset` is; None takes the recipe's. Each domain is shuffled on its own.
        rating_threshold: float. Ratings data only: the lowest rating that is a positive
            (default 5, the IRGAN paper's).
        image_size: int. Resize square images to this many pixels (see `load_dataset`).
        data_dir: str. Where TensorFlow Datasets finds prepared `tfds:NAME` data.
        evaluate_every: int. Measure the model (`keras_gans.evaluation`) every N epochs and
            after the last: evaluation.jsonl and metrics.json in the run directory, and
            TensorBoard scalars with `tensorboard`. None (default): no evaluation.
    """
    recipe = recipes.resolve(model_name, dataset, overrides, epochs=epochs, batch_size=batch_size, steps=steps,
                             dataset_b=dataset_b)
    jit_compile = recipe.jit_compile if jit_compile is None else bool(jit_compile)
    run_dir = Path(out) if out else default_run_dir(model_name)
    check_run_dir(run_dir, overwrite)

    keras.utils.set_random_seed(seed)
    distribute.set_precision(precision)
    tf_strategy = distribute.get_strategy(strategy)
    data_options = {"num_samples": num_samples, "image_size": image_size, "data_dir": data_dir}
    data = load_dataset(recipe.dataset, seed=seed, rating_threshold=rating_threshold, **data_options)
    data_b = None if recipe.dataset_b is None else load_dataset(recipe.dataset_b, seed=seed + 1, **data_options)
    if data_b is None:
        steps_per_epoch = recipe.steps_per_epoch or len(data) // recipe.batch_size
    else:
        steps_per_epoch = recipe.steps_per_epoch or domain_steps(data, data_b, recipe.batch_size)
    start = time.perf_counter()  # building includes a model's own preparation (IRGAN's pretraining)
    with tf_strategy.scope():
        model = build_model(model_name, data, seed, recipe.hyperparameters, dataset_b=data_b)
        model.compile(optimizers=scheduled_optimizers(model, recipe, recipe.epochs * steps_per_epoch),
                      jit_compile=jit_compile)
    if data_b is None:
        # one input iterator for the whole run (see make_pipeline's endless_epochs)
        pipeline = make_pipeline(data, recipe.batch_size, with_labels=model.reads_labels, seed=seed,
                                 repeat=recipe.steps_per_epoch is not None,
                                 endless_epochs=recipe.steps_per_epoch is None)
    else:
        pipeline = make_domain_pipeline(data, data_b, recipe.batch_size, seed=seed,
                                        repeat=recipe.steps_per_epoch is not None)
    model.prepare_preview(pipeline)

    with atomic_directory(run_dir, overwrite=overwrite) as staging:
        callbacks = [
            kg_callbacks.StopOnNonFinite(),
            keras.callbacks.CSVLogger(str(staging / "history.csv")),
            # about ten pictures of a run: a grid every epoch costs long runs of short epochs
            kg_callbacks.SampleGrid(staging, reference=data.modes, every=max(1, recipe.epochs // 10)),
            *extra_callbacks,
        ]
        if evaluate_every:
            callbacks.append(kg_callbacks.EvaluateEvery(
                data, every=evaluate_every, data_b=data_b, out_dir=staging,
                log_dir=staging / "tensorboard" if tensorboard else None))
        if tensorboard:
            callbacks += [
                keras.callbacks.TensorBoard(str(staging / "tensorboard")),
                kg_callbacks.TensorBoardSamples(staging / "tensorboard"),
            ]
        history = model.fit(pipeline, epochs=recipe.epochs,
                            steps_per_epoch=steps_per_epoch if data_b is None else recipe.steps_per_epoch,
                            callbacks=callbacks, verbose=verbose)
        wall_time = time.perf_counter() - start
        final = {k: float(np.asarray(v[-1])) for k, v in history.history.items()}
        save_loss_curves(history.history, staging / "losses.png", title=f"{model_name} on {recipe.dataset}")
        with atomic_path(staging / "model.keras") as tmp:
            model.save(tmp)
        record = {
            "model": model_name,
            "dataset": recipe.dataset,
            "dataset_b": recipe.dataset_b,
            "epochs": recipe.epochs,
            "batch_size": recipe.batch_size,
            "steps_per_epoch": recipe.steps_per_epoch,
            "seed": seed,
            "strategy": strategy,
            "replicas": tf_strategy.num_replicas_in_sync,
            "precision": precision,
            "jit_compile": jit_compile,
            "num_samples": num_samples,
            "rating_threshold": rating_threshold,
            "image_size": image_size,
            "data_dir": data_dir,
            "overrides": overrides or {},
            "recipe": dataclasses.asdict(recipe),
            "hyperparameters": _plain_config(model),
            "final_metrics": final,
            "train_seconds": round(wall_time, 2),
            "versions": _versions(),
        }
        with atomic_path(staging / "config.json") as tmp:
            Path(tmp).write_text(json.dumps(record, indent=2, default=str))
    return TrainResult(model=model, run_dir=run_dir, history=history.history, wall_time=wall_time)


def resolve_run_dir(run_dir):
    """A run directory's path: `run_dir` itself when it exists, else the shipped pretrained
    model of that name (`dcgan_mnist` finds saved_models/dcgan_mnist in a checkout and inside
    an installed package alike)."""
    from keras_gans.shipped import saved_model_dir

    path = Path(run_dir)
    if path.exists() or len(path.parts) != 1:
        return path
    try:
        return saved_model_dir(str(run_dir))
    except FileNotFoundError:
        return path


def load_run(run_dir):
    """Load the model of a run directory written by `train`, or of a shipped pretrained model
    by name (clear error when it is neither)."""
    run_dir = resolve_run_dir(run_dir)
    path = run_dir / "model.keras"
    if not path.is_file():
        raise FileNotFoundError(f"{run_dir} is not a run directory (no model.keras); train one with "
                                "`keras-gans train`, or name a pretrained model (`keras-gans list`).")
    import keras_gans.models  # noqa: F401  (registers the classes for deserialization)

    return keras.saving.load_model(path)


def _plain_config(model):
    """The model's config without nested network configs (those live in model.keras)."""
    return {k: v for k, v in model.get_config().items() if not isinstance(v, dict)}


def _versions():
    import tensorflow as tf

    import keras_gans

    return {"keras_gans": keras_gans.__version__, "tensorflow": tf.__version__,
            "keras": keras.__version__, "python": platform.python_version()}
