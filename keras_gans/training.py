"""`train(...)`: the one training entry point the CLI and the notebooks call.

A run directory holds:
    model.keras     the trained model (weights, config, optimizer state)
    config.json     what was run: model, dataset, options, model config, versions, metrics
    history.csv     per-epoch logs
    losses.png      one curve per logged loss and metric, per epoch
    samples_epoch_NNN.png   fixed-latent sample grids (or scatter plots for 2D data)
    tensorboard/    when asked
    checkpoints/    the last two checkpoints (keras_gans.checkpointing), to resume or extend the run

The run trains in its directory: config.json is written first (status "training", and the
arguments `resume` needs), a checkpoint after every epoch, model.keras and the final
config.json (status "finished") last. Every file is written atomically, so a stopped or killed
run leaves a directory `keras-gans train --resume` continues, never a half-written file.
"""

import ast
import dataclasses
import datetime
import functools
import json
import math
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import keras
import numpy as np

from keras_gans import callbacks as kg_callbacks
from keras_gans import distribute, recipes
from keras_gans.callbacks import NonFiniteLossError
from keras_gans.checkpointing import (CheckpointGuard, CheckpointSaver, RunCheckpoints, StopSignals,
                                      TrainingInterrupted, history_dict, metric_values, print_notes)
from keras_gans.components.schedules import ConstantThenLinearDecay
from keras_gans.core.arguments import check_hyperparameters
from keras_gans.data import domain_steps, load_dataset, make_domain_pipeline, make_pipeline
from keras_gans.io_utils import atomic_path, fsync_directory
from keras_gans.plotting import save_loss_curves
from keras_gans.registry import get_model_class

@dataclasses.dataclass
class TrainResult:
    model: keras.Model
    run_dir: Path
    history: dict
    wall_time: float
    #: False on a non-chief worker of a multi-worker run: the chief wrote run_dir
    chief: bool = True


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
        if key == "packing" and key not in accepted:
            raise ValueError(
                f"{model_class.registry_name} does not pack its discriminator's inputs (PacGAN): "
                f"{model_class.packing_refused or 'it has no discriminator or critic.'}"
            )
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
    """Refuse an --out that is a file, or that holds something without `overwrite`."""
    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise ValueError(f"--out {run_dir} is a file; give a directory path.")
    if overwrite or not run_dir.is_dir() or not any(run_dir.iterdir()):
        return
    if (run_dir / "model.keras").exists():
        raise ValueError(f"Output directory {run_dir} holds a finished run; pass --overwrite to replace it "
                         "or choose another --out.")
    if (run_dir / "config.json").exists():
        raise ValueError(f"Output directory {run_dir} holds an unfinished run; continue it with "
                         f"`keras-gans train --resume {run_dir}`, or pass --overwrite to replace it.")
    raise ValueError(f"Output directory {run_dir} is not empty; pass --overwrite to replace it or choose "
                     "another --out.")


def _work_dir(run_dir, overwrite):
    """Where a new run trains: `run_dir` itself, or, when --overwrite replaces a run there,
    RUN_DIR.partial beside it, so the old run stays whole until the new one is complete."""
    if overwrite and run_dir.is_dir() and any(run_dir.iterdir()):
        partial = run_dir.with_name(run_dir.name + PARTIAL_SUFFIX)
        if partial.exists():
            shutil.rmtree(partial)  # an earlier replacement that never finished
        return partial
    return run_dir


PARTIAL_SUFFIX = ".partial"


def build_model(model_name, dataset, seed=0, overrides=None, dataset_b=None):
    """Instantiate `model_name` for `dataset` (its shape, classes or catalogue, as the model
    class reads them off the data; and `dataset_b`'s shape, the second domain of a
    translation model) and let it take what it keeps of the data."""
    model_class = get_model_class(model_name)
    check_hyperparameters(model_class, overrides or {})
    kwargs = {**model_class.dataset_arguments(dataset), "seed": seed}
    if dataset_b is not None:
        kwargs["data_shape_b"] = dataset_b.data_shape
    # named by its registry name, not keras's per-process counter (gan_2): a run saved from a
    # process that built other models before (a resumed one, a notebook) is the same file
    model = model_class(**{**kwargs, **(overrides or {})}, name=model_name)
    model.prepare(dataset)
    return model


def scheduled_optimizers(model, recipe, steps):
    """The model's default optimizers with the recipe's per-role rates, schedule and beta_1.

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
        if recipe.beta_1 is not None:
            if "beta_1" not in config:
                raise ValueError(f"The recipe sets beta_1, but {type(model).__name__}'s {role} optimizer "
                                 f"is {type(optimizer).__name__}, which has none.")
            config["beta_1"] = float(recipe.beta_1)
        optimizers[role] = type(optimizer).from_config({**config, "learning_rate": rate})
    return optimizers


#: train()'s arguments that define a run, recorded in config.json["arguments"] for --resume
RUN_ARGUMENTS = ("model_name", "dataset", "epochs", "batch_size", "seed", "overrides", "strategy",
                 "precision", "jit_compile", "tensorboard", "num_samples", "steps", "dataset_b",
                 "rating_threshold", "image_size", "data_dir", "evaluate_every", "checkpoint_every",
                 "deterministic")


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
    checkpoint_every=None,
    deterministic=False,
):
    """Train a registered model with its recipe and write a run directory; return a `TrainResult`.

    The settings come from `keras_gans.recipes.resolve(model_name, dataset, ...)`: with no
    other argument this is exactly what the README reports for (model, dataset).

    The run trains in its directory and checkpoints there after every epoch
    (`keras_gans.checkpointing`); SIGINT or SIGTERM stop it after the current step with a
    checkpoint (raising `TrainingInterrupted`), and `resume(run_dir)` continues any stopped
    or killed run to the weights an uninterrupted one ends with.

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
        overwrite: replace an existing run directory (the old run is removed only once the
            new one is complete; until then the new one trains in RUN_DIR.partial).
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
        checkpoint_every: int. Also checkpoint every N training steps (default None: after
            every epoch only).
        deterministic: bool. Use TensorFlow's deterministic kernels
            (`distribute.deterministic_kernels`; needs TF_ENABLE_ONEDNN_OPTS=0): the same seed
            then gives bitwise the same run, and a resumed run bitwise the uninterrupted one,
            for every model. Default False: oneDNN's faster kernels, with which convolutional
            models (not dense ones) differ in the last bits from run to run.
    """
    arguments = {name: value for name, value in locals().items() if name in RUN_ARGUMENTS}
    arguments["overrides"] = dict(overrides or {})
    run_dir = Path(out) if out else default_run_dir(model_name)
    if not distribute.is_chief(strategy):  # the chief checks and writes run_dir
        return _train(arguments, run_dir, work_dir=run_dir, resuming=False, verbose=verbose,
                      extra_callbacks=extra_callbacks)
    check_run_dir(run_dir, overwrite)
    return _train(arguments, run_dir, work_dir=_work_dir(run_dir, overwrite), resuming=False,
                  verbose=verbose, extra_callbacks=extra_callbacks)


def resume(run_dir, epochs=None, verbose="auto", extra_callbacks=()):
    """Continue the run in `run_dir` from its newest readable checkpoint, with the settings it
    recorded; return a `TrainResult`.

    A run stopped by a signal or killed ends with the weights (bitwise, on CPU) and files an
    uninterrupted run writes. A finished run is extended by a larger `epochs` (its learning-
    rate schedules are then stretched over the new length, so the extension is not the run a
    longer first `epochs` would have made).

    Args:
        run_dir: a directory `train` wrote (finished or not), or RUN_DIR.partial of one that
            replaces another.
        epochs: int. None keeps the recorded number; a larger one extends the run.
    """
    run_dir = Path(run_dir)
    record = read_run_record(run_dir)
    arguments = dict(record["arguments"])
    recorded = int(record["epochs"])
    if epochs is not None:
        epochs = int(epochs)
        if epochs < recorded:
            raise ValueError(f"{run_dir} was started for {recorded} epochs; --epochs {epochs} would shorten it. "
                             f"Pass {recorded} or more (or leave --epochs out).")
        arguments["epochs"] = epochs
    if run_finished(run_dir, record) and (epochs is None or epochs == recorded):
        raise ValueError(f"{run_dir} already finished its {recorded} epochs; pass a larger --epochs to "
                         "extend it.")
    target = Path(record.get("target") or run_dir)
    return _train(arguments, target, work_dir=run_dir, resuming=True, verbose=verbose,
                  extra_callbacks=extra_callbacks)


def run_finished(run_dir, record):
    """Whether the run in `run_dir`, whose config.json holds `record`, finished: its record says
    so and its model.keras is there (a run killed while writing it has not)."""
    return record.get("status") == "finished" and (Path(run_dir) / "model.keras").is_file()


def read_run_record(run_dir, context="--resume"):
    """The record (config.json) of the run directory `run_dir`, with a clear error when it has
    none or cannot be read; `context` names what the user passed, for the messages."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"{context} {run_dir}: no such directory.")
    path = run_dir / "config.json"
    if not path.is_file():
        raise ValueError(f"{context} {run_dir}: not a run directory (no config.json); "
                         "give a directory `keras-gans train` wrote.")
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{context} {run_dir}: its config.json cannot be read ({error}); delete the "
                         "directory to train the run again.") from None
    if not isinstance(record, dict) or "arguments" not in record:
        raise ValueError(f"{context} {run_dir}: the run was written by a keras_gans without checkpoints "
                         "(config.json has no 'arguments'); it cannot be resumed.")
    return record


def _check_counts(arguments):
    for name in ("epochs", "batch_size", "num_samples", "steps", "evaluate_every", "checkpoint_every",
                 "image_size"):
        value = arguments.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                                  or value < 1):
            flag = "--" + name.replace("_", "-")
            raise ValueError(f"{flag} must be a whole number of at least 1, got {value!r}.")


def _train(arguments, run_dir, work_dir, resuming, verbose, extra_callbacks):
    """Train (or continue) the run `arguments` describe in `work_dir`; the finished run ends
    up in `run_dir` (the same directory, unless it replaces an older run).

    A non-chief worker of a multi-worker run does all the chief does, checkpoint writes
    included (they read variables every worker must read together), in a temporary
    directory it deletes at the end; it resumes from the chief's checkpoints in `work_dir`.
    """
    _check_counts(arguments)
    with distribute.deterministic_kernels(bool(arguments.get("deterministic"))):
        if distribute.is_chief(arguments["strategy"]):
            return _train_run(arguments, run_dir, work_dir, resuming, verbose, extra_callbacks)
        scratch = Path(tempfile.mkdtemp(prefix="keras-gans-worker-"))
        try:
            result = _train_run(arguments, scratch, scratch, resuming, verbose, extra_callbacks,
                                restore_dir=work_dir if resuming else None)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return dataclasses.replace(result, run_dir=run_dir, chief=False)


def _train_run(arguments, run_dir, work_dir, resuming, verbose, extra_callbacks, restore_dir=None):
    check_hyperparameters(get_model_class(arguments["model_name"]), arguments["overrides"])
    a = arguments
    model_name, seed = a["model_name"], a["seed"]
    recipe = recipes.resolve(model_name, a["dataset"], a["overrides"], epochs=a["epochs"],
                             batch_size=a["batch_size"], steps=a["steps"], dataset_b=a["dataset_b"])
    jit_compile = recipe.jit_compile if a["jit_compile"] is None else bool(a["jit_compile"])

    keras.utils.set_random_seed(seed)
    distribute.set_precision(a["precision"])
    tf_strategy = distribute.get_strategy(a["strategy"])
    data_options = {"num_samples": a["num_samples"], "image_size": a["image_size"], "data_dir": a["data_dir"]}
    data = load_dataset(recipe.dataset, seed=seed, rating_threshold=a["rating_threshold"], **data_options)
    data_b = None if recipe.dataset_b is None else load_dataset(recipe.dataset_b, seed=seed + 1, **data_options)
    if data_b is None:
        steps_per_epoch = recipe.steps_per_epoch or len(data) // recipe.batch_size
    else:
        steps_per_epoch = recipe.steps_per_epoch or domain_steps(data, data_b, recipe.batch_size)
    start = time.perf_counter()  # building includes a model's own preparation (IRGAN's pretraining)
    with tf_strategy.scope():
        model = build_model(model_name, data, seed, recipe.hyperparameters, dataset_b=data_b)
        model.check_fit_batch(recipe.batch_size, tf_strategy.num_replicas_in_sync)
        model.compile(optimizers=scheduled_optimizers(model, recipe, recipe.epochs * steps_per_epoch),
                      jit_compile=jit_compile)

    def pipeline(start_step=0, rows=None):
        # One input iterator for the whole run (see make_pipeline's endless_epochs), a pure
        # function of (seed, step): a resumed run reads the batches an uninterrupted one would.
        if data_b is None:
            return make_pipeline(data, recipe.batch_size, with_labels=model.reads_labels, seed=seed,
                                 repeat=recipe.steps_per_epoch is not None,
                                 endless_epochs=recipe.steps_per_epoch is None, start_step=start_step, rows=rows)
        return make_domain_pipeline(data, data_b, recipe.batch_size, seed=seed, repeat=True, start_step=start_step,
                                    rows=rows)

    model.prepare_preview(pipeline())

    created = not work_dir.exists()
    work_dir.mkdir(parents=True, exist_ok=True)
    checkpoints = RunCheckpoints(work_dir, model, restore_from=restore_dir)
    record = {
        "model": model_name, "dataset": recipe.dataset, "dataset_b": recipe.dataset_b,
        "epochs": recipe.epochs, "batch_size": recipe.batch_size, "steps_per_epoch": recipe.steps_per_epoch,
        "seed": seed, "strategy": a["strategy"], "replicas": tf_strategy.num_replicas_in_sync,
        "precision": a["precision"], "jit_compile": jit_compile, "num_samples": a["num_samples"],
        "rating_threshold": a["rating_threshold"], "image_size": a["image_size"], "data_dir": a["data_dir"],
        "overrides": a["overrides"], "recipe": dataclasses.asdict(recipe),
        "hyperparameters": _plain_config(model), "status": "training", "arguments": arguments,
        "onednn": distribute.onednn_enabled(),
        "target": str(run_dir) if work_dir != run_dir else None,
    }
    try:
        state = None
        if resuming:
            checkpoints.remove_partial_writes()
            with tf_strategy.scope():
                state = checkpoints.restore_latest()
            print_notes(checkpoints)
        if state is None:
            state = {"step": 0, "history": [], "train_seconds": 0.0}
            if resuming:
                _remove_run_outputs(work_dir)  # killed before its first checkpoint: start afresh
        _check_resumable(state, steps_per_epoch, recipe.epochs, work_dir)
        _write_json(work_dir / "config.json", record)
        if resuming:
            _truncate_evaluations(work_dir / "evaluation.jsonl", len(state["history"]))
        result = _fit(model, pipeline, state, checkpoints, recipe, steps_per_epoch, data, data_b, work_dir,
                      model_name, a, verbose, extra_callbacks, start)
    except TrainingInterrupted:
        raise
    except NonFiniteLossError as error:
        if checkpoints.paths():
            raise NonFiniteLossError(f"{error} The checkpoints before it remain in {checkpoints.directory}.") from None
        if created:
            shutil.rmtree(work_dir, ignore_errors=True)
        raise
    except BaseException:
        if created and not checkpoints.paths():
            shutil.rmtree(work_dir, ignore_errors=True)
        raise

    history, wall_time, checkpoint_seconds = result
    final = {k: float(np.asarray(v[-1])) for k, v in history.items()}
    save_loss_curves(history, work_dir / "losses.png", title=f"{model_name} on {recipe.dataset}")
    with atomic_path(work_dir / "model.keras") as tmp:
        model.save(tmp)
    record.update(status="finished", final_metrics=final, train_seconds=round(wall_time, 2),
                  checkpoint_seconds=round(checkpoint_seconds, 3), versions=_versions())
    _write_json(work_dir / "config.json", record)
    if work_dir != run_dir:
        _replace_directory(work_dir, run_dir)
    return TrainResult(model=model, run_dir=run_dir, history=history, wall_time=wall_time)


def _fit(model, pipeline, state, checkpoints, recipe, steps_per_epoch, data, data_b, work_dir, model_name,
         a, verbose, extra_callbacks, start):
    """Run `fit` from the checkpointed `state` to the last epoch; return (history, training
    seconds of the whole run, seconds this process spent writing checkpoints).

    A run resumed in the middle of an epoch first finishes that epoch (a `fit` of the
    remaining steps, the epoch's running means restored), then runs the whole ones.
    """
    step = int(state["step"])
    first_epoch, offset = divmod(step, steps_per_epoch)
    epochs = recipe.epochs
    seconds_before = float(state.get("train_seconds", 0.0))
    clock_start = time.perf_counter()
    if step == 0:  # a new run's time includes building the model (IRGAN's pretraining)
        seconds_before += clock_start - start
    signals = StopSignals()
    saver = CheckpointSaver(checkpoints, steps_per_epoch, history=state["history"],
                            every_steps=a["checkpoint_every"], seconds=seconds_before,
                            history_file=work_dir / "history.csv", signals=signals,
                            clock=lambda: time.perf_counter() - clock_start)
    guard = CheckpointGuard(saver, signals, resume_metrics=metric_values(model) if offset else None)
    callbacks = [
        guard,
        kg_callbacks.StopOnNonFinite(),
        # about ten pictures of a run: a grid every epoch costs long runs of short epochs
        kg_callbacks.SampleGrid(work_dir, reference=data.modes, every=max(1, epochs // 10), total_epochs=epochs),
        *extra_callbacks,
    ]
    if a["evaluate_every"]:
        callbacks.append(kg_callbacks.EvaluateEvery(
            data, every=a["evaluate_every"], data_b=data_b, out_dir=work_dir, total_epochs=epochs,
            log_dir=work_dir / "tensorboard" if a["tensorboard"] else None))
    if a["tensorboard"]:
        callbacks += [
            keras.callbacks.TensorBoard(str(work_dir / "tensorboard")),
            kg_callbacks.TensorBoardSamples(work_dir / "tensorboard"),
        ]
    callbacks.append(saver)  # last: an epoch's checkpoint follows every file of that epoch

    # Keras runs whole chunks of steps_per_execution steps: the chunk divides every fit's
    # steps and the checkpoint interval, so no fit overshoots and every save is at a chunk's end.
    # Not across replicas: a distributed step inside Keras's loop of steps fails in TF 2.21
    # ("You must feed a value for placeholder tensor 'while/body/.../Placeholder'").
    if model.distribute_strategy.num_replicas_in_sync == 1:
        model.steps_per_execution = math.gcd(recipe.steps_per_execution, steps_per_epoch, offset,
                                             a["checkpoint_every"] or 0)
    segments = []  # (first epoch, end epoch, steps per epoch, start step)
    if offset:
        segments.append((first_epoch, first_epoch + 1, steps_per_epoch - offset, step))
        first_epoch += 1
    segments.append((first_epoch, epochs, steps_per_epoch, first_epoch * steps_per_epoch))
    with signals:
        # The passes over the data before and after training read a pipeline of their own:
        # one shared with fit would move its reshuffling on, and a resumed run skips them.
        if step == 0:
            model.begin_training(pipeline())
        for initial_epoch, end_epoch, steps, start_step in segments:
            if initial_epoch >= end_epoch:
                continue
            data_in = distribute.distribute_batches(functools.partial(pipeline, start_step),
                                                   model.distribute_strategy, recipe.batch_size)
            model.fit(data_in, initial_epoch=initial_epoch, epochs=end_epoch,
                      steps_per_epoch=steps, callbacks=callbacks, verbose=verbose, finish_training=False)
        model.finish_training(pipeline())
    return history_dict(saver.history), saver.seconds(), saver.checkpoint_seconds


def _check_resumable(state, steps_per_epoch, epochs, run_dir):
    total = epochs * steps_per_epoch
    if int(state["step"]) > total:
        raise ValueError(f"{run_dir}: its checkpoint is at step {state['step']}, past the {total} steps of "
                         f"{epochs} epochs; pass a larger --epochs.")
    if len(state["history"]) != int(state["step"]) // steps_per_epoch:
        raise ValueError(f"{run_dir}: its checkpoint (step {state['step']}, {len(state['history'])} epochs "
                         f"logged) does not fit {steps_per_epoch} steps per epoch; the data or batch size "
                         "differs from the run's.")


def _remove_run_outputs(run_dir):
    for path in run_dir.iterdir():
        if path.name != "config.json":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def _truncate_evaluations(path, epochs_done):
    """Keep the evaluation.jsonl lines of the epochs the checkpoint holds (a killed run may
    have written one more)."""
    if not path.is_file():
        return
    kept = [line for line in path.read_text().splitlines()
            if line.strip() and json.loads(line).get("epoch", 0) <= epochs_done]
    with atomic_path(path) as tmp:
        Path(tmp).write_text("".join(line + "\n" for line in kept))


def _write_json(path, record):
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(record, indent=2, default=str))


def _replace_directory(new, old):
    """Put the finished run `new` at `old`, whose previous run is removed only after."""
    old = Path(old)
    retired = None
    if old.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{old.name}-replaced-", dir=old.parent))
        os.replace(old, retired / old.name)
    os.replace(new, old)
    fsync_directory(old.parent)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


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
    import zipfile

    import keras_gans.models  # noqa: F401  (registers the classes for deserialization)
    from keras_gans.models.base import GenerativeModel

    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is damaged (not a complete .keras archive); train the run again, or "
                         "restore the file from a copy.")
    try:
        model = keras.saving.load_model(path)
    except Exception as error:  # noqa: BLE001 (Keras reports a damaged archive by many types)
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path} could not be loaded ({reason}); train the run again, or restore the "
                         "file from a copy.") from None
    if not isinstance(model, GenerativeModel):
        raise ValueError(f"{path} holds a {type(model).__name__}, not a keras_gans model; give a run directory "
                         "`keras-gans train` wrote (or a pretrained model's name).")
    return model


def _plain_config(model):
    """The model's config without nested network configs (those live in model.keras)."""
    return {k: v for k, v in model.get_config().items() if not isinstance(v, dict)}


def _versions():
    import tensorflow as tf

    import keras_gans

    return {"keras_gans": keras_gans.__version__, "tensorflow": tf.__version__,
            "keras": keras.__version__, "python": platform.python_version()}
