"""`keras-gans` command line: a thin argparse layer over keras_gans.training and export.

    keras-gans list
    keras-gans train MODEL [--dataset NAME_OR_PATH] [--dataset-b NAME_OR_PATH] [--epochs N] [--batch-size N] [--out RUN_DIR]
                     [--seed N] [--set KEY=VALUE ...] [--strategy default|mirrored|multiworker]
                     [--precision float32|mixed_bfloat16|mixed_float16] [--jit-compile|--no-jit-compile]
                     [--checkpoint-every STEPS]
    keras-gans train --resume RUN_DIR [--epochs N]
    keras-gans sample RUN_DIR --n N --out FILE.npy|FILE.png [--seed N] [--label L]
    keras-gans reconstruct RUN_DIR --input FILE.npy --out FILE.npy [--labels FILE.npy]
    keras-gans recommend RUN_DIR --users ID[,ID...] [--k K] --out FILE.json|FILE.npy
    keras-gans translate RUN_DIR --input FILE.npy --out FILE.npy|FILE.png [--direction a_to_b|b_to_a]
    keras-gans evaluate RUN_DIR [--n N] [--dataset NAME] [--seed N] [--out FILE.json]
    keras-gans export RUN_DIR --out DIR

RUN_DIR is a directory `keras-gans train` wrote, or the name of a pretrained model
(`keras-gans list` shows them, e.g. dcgan_mnist).

Errors in what the user asked for exit with status 2 and one line on stderr. Training stopped
by SIGINT (Ctrl-C) or SIGTERM writes a checkpoint and exits with 130 or 143 and a line that
says how to resume.
"""

import argparse
import os
import sys
from pathlib import Path

EXIT_USAGE = 2
EXIT_FAILURE = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, then exit 2 (argparse prints the whole usage)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """--help shows each option's default (unless its help says it) and keeps the examples'
    line breaks."""

    def _get_help_string(self, action):
        text = action.help or ""
        hidden = action.default is None or action.default is False or action.default == [] or (
            action.default == argparse.SUPPRESS)
        if not hidden and "default" not in text:
            text += f" (default: {action.default})"
        return text


EXAMPLES = {
    "list": ["keras-gans list", "keras-gans list | grep mnist"],
    "train": ["keras-gans train dcgan                     # the main job: DCGAN on the embedded MNIST",
              "keras-gans train --resume runs/dcgan-20261203-101500   # after Ctrl-C, a kill or a crash",
              "keras-gans train --resume runs/dcgan --epochs 80        # extend a finished run",
              "keras-gans train gan --dataset grid25 --seed 1 --out runs/gan-grid25",
              "keras-gans train vae --set latent_dim=32 --epochs 5",
              "keras-gans train irgan --dataset path/to/u.data --rating-threshold 4"],
    "sample": ["keras-gans sample runs/dcgan --n 64 --out samples.png",
               "keras-gans sample runs/cgan --n 16 --out sevens.npy --label 7"],
    "reconstruct": ["keras-gans reconstruct runs/vae --input digits.npy --out reconstructions.npy",
                    "keras-gans reconstruct runs/cvae_gan --input digits.npy --labels classes.npy --out r.npy"],
    "recommend": ["keras-gans recommend runs/irgan --users 1,2,3 --k 10 --out top.json",
                  "keras-gans recommend runs/bpr_mf --users 7 --k 5 --out top.npy"],
    "translate": ["keras-gans translate runs/cyclegan --input mnist.npy --out translated.npy",
                  "keras-gans translate runs/cyclegan --input digits.npy --out grid.png --direction b_to_a"],
    "evaluate": ["keras-gans evaluate runs/dcgan                # writes runs/dcgan/metrics.json",
                 "keras-gans evaluate dcgan_mnist --n 5000   # a pretrained model: writes dcgan_mnist_metrics.json"],
    "export": ["keras-gans export runs/dcgan --out exported/dcgan        # exported/dcgan/1/",
               "keras-gans export runs/dcgan --out exported/dcgan --version 7"],
}


def positive_int(text):
    """argparse type: a whole number of at least 1 (0 or a negative count is a mistake)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


RUN_DIR_HELP = "run directory written by `keras-gans train`, or a pretrained model's name (e.g. dcgan_mnist)"


def build_parser():
    from keras_gans.distribute import PRECISIONS, STRATEGIES

    parser = _Parser(prog="keras-gans", description="Train, sample and export generative models.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name, help):
        examples = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
        return commands.add_parser(name, help=help, description=help, epilog=examples,
                                   formatter_class=_HelpFormatter)

    command("list", help="list models and datasets")

    train = command("train", help="train a model and write a run directory")
    train.add_argument("model", nargs="?", help="registry name, e.g. dcgan (see `keras-gans list`)")
    train.add_argument("--dataset", help="dataset name, .npy/.npz path, image folder or tfds:NAME")
    train.add_argument("--dataset-b", help="second domain of a translation model (cyclegan, discogan), "
                       "read as --dataset is")
    train.add_argument("--epochs", type=positive_int, help="default: the recipe's (see `keras-gans list`)")
    train.add_argument("--batch-size", type=positive_int, help="the fit batch; default: the recipe's")
    train.add_argument("--out", help="run directory (default: runs/MODEL-TIMESTAMP)")
    train.add_argument("--seed", type=int, default=0, help="seeds data order, weights and training noise")
    train.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="model hyperparameter by constructor name, e.g. --set latent_dim=64")
    train.add_argument("--strategy", choices=STRATEGIES, default="default",
                       help="mirrored: every local GPU (or 2 logical CPUs) in sync; multiworker: every "
                            "process TF_CONFIG names (docs/multiworker.md)")
    train.add_argument("--precision", choices=PRECISIONS, default="float32", help="compute precision")
    train.add_argument("--jit-compile", action=argparse.BooleanOptionalAction, default=None,
                       help="compile the train step with XLA (default: the recipe's, mostly off)")
    train.add_argument("--num-samples", type=positive_int, help="use only this many training examples (users, for ratings)")
    train.add_argument("--image-size", type=positive_int,
                       help="resize square images to this many pixels (image folders default to 64)")
    train.add_argument("--data-dir", help="where TensorFlow Datasets finds prepared tfds:NAME data")
    train.add_argument("--rating-threshold", type=float,
                       help="ratings data: the lowest rating that is a positive (default 5, IRGAN's)")
    train.add_argument("--evaluate-every", type=positive_int, metavar="N",
                       help="measure the model every N epochs and after the last (as `keras-gans evaluate`): "
                       "metrics.json, evaluation.jsonl, TensorBoard scalars with --tensorboard")
    train.add_argument("--tensorboard", action="store_true", help="write TensorBoard logs")
    train.add_argument("--overwrite", action="store_true",
                       help="replace an existing run directory (kept until the new run is complete)")
    train.add_argument("--checkpoint-every", type=positive_int, metavar="STEPS",
                       help="also checkpoint every STEPS training steps (default: after every epoch only)")
    train.add_argument("--deterministic", action="store_true",
                       help="TensorFlow's deterministic kernels (oneDNN off): bitwise reproducible runs and "
                       "resumes, slower for convolutional models")
    train.add_argument("--resume", metavar="RUN_DIR",
                       help="continue a stopped or killed run (or extend a finished one with a larger --epochs) "
                       "with its recorded settings")

    sample = command("sample", help="draw samples from a trained run")
    sample.add_argument("run_dir", help=RUN_DIR_HELP)
    sample.add_argument("--n", type=positive_int, default=64, help="how many samples")
    sample.add_argument("--out", required=True, help="FILE.npy (float32) or FILE.png (grid)")
    sample.add_argument("--seed", type=int, default=0, help="the same seed draws the same samples")
    sample.add_argument("--label", type=int, help="class to generate (conditional models)")

    reconstruct = command("reconstruct", help="encode and decode images with a trained autoencoder")
    reconstruct.add_argument("run_dir", help=RUN_DIR_HELP)
    reconstruct.add_argument("--input", required=True,
                             help="FILE.npy of images in [0, 1], shaped like `sample` writes them")
    reconstruct.add_argument("--out", required=True, help="FILE.npy for the reconstructions")
    reconstruct.add_argument("--labels", help="FILE.npy of integer classes (conditional models)")

    recommend = command("recommend", help="top-k items for users of a trained recommender")
    recommend.add_argument("run_dir", help=RUN_DIR_HELP)
    recommend.add_argument("--users", required=True, help="comma-separated user ids of the data, e.g. 1,2,3")
    recommend.add_argument("--k", type=positive_int, default=10, help="items per user")
    recommend.add_argument("--out", required=True, help="FILE.json (ids and scores) or FILE.npy (item ids)")

    translate = command("translate", help="translate images with a trained translation model")
    translate.add_argument("run_dir", help=RUN_DIR_HELP)
    translate.add_argument("--input", required=True,
                           help="FILE.npy of images in [0, 1], NHWC, shaped like the source domain's")
    translate.add_argument("--out", required=True,
                           help="FILE.npy (translations, float32) or FILE.png (input | translation | cycle grid)")
    translate.add_argument("--direction", default="a_to_b",
                           help="a_to_b (--dataset -> --dataset-b) or b_to_a (default: a_to_b)")

    evaluate = command("evaluate", help="measure a trained model (FID, modes, rankings, ...) and write metrics.json")
    evaluate.add_argument("run_dir", help=RUN_DIR_HELP)
    evaluate.add_argument("--n", type=positive_int, help="samples to draw (default: 1,000; 2,500 on ring8/grid25; "
                          "26,000 on stacked_mnist)")
    evaluate.add_argument("--dataset", help="judge against this data set instead of the run's own")
    evaluate.add_argument("--seed", type=int, default=123, help="seed of the samples")
    evaluate.add_argument("--out", help="JSON file to write (default: RUN_DIR/metrics.json; for a pretrained "
                          "model's name, NAME_metrics.json in the current folder)")

    export = command("export", help="export a SavedModel for TF Serving")
    export.add_argument("run_dir", help=RUN_DIR_HELP)
    export.add_argument("--out", required=True, help="export directory; the version goes in DIR/N/")
    export.add_argument("--version", type=positive_int,
                        help="version number, 1 or more (TF Serving loads only those; default: next free)")
    return parser


def cmd_list(args):
    from keras_gans.data import DATASETS
    from keras_gans.registry import list_models

    from keras_gans.recipes import resolve

    print("Models (default dataset, epochs x batch of the recipe `keras-gans train MODEL` runs):")
    for name, description in list_models().items():
        recipe = resolve(name)
        steps = f", {recipe.steps_per_epoch} steps" if recipe.steps_per_epoch else ""
        dataset = recipe.dataset if recipe.dataset_b is None else f"{recipe.dataset}<->{recipe.dataset_b}"
        print(f"  {name:<20} {dataset:<12} {recipe.epochs:>3} x {recipe.batch_size:<5}{steps:<12} {description}")
    print("Datasets:")
    for name, description in DATASETS.items():
        print(f"  {name:<20} {description}")
    pretrained = pretrained_models()
    if pretrained:
        print("Pretrained models (use the name where a RUN_DIR goes, e.g. `keras-gans sample dcgan_mnist`):")
        for name, description in pretrained.items():
            print(f"  {name:<28} {description}")


def pretrained_models():
    """{name: one line} of the shipped pretrained models (saved_models/ entries with a model)."""
    import json

    from keras_gans.shipped import saved_model_roots

    found = {}
    for root in saved_model_roots():
        for entry in sorted(root.glob("*/metadata.json")) if root.is_dir() else ():
            if entry.parent.name in found or not (entry.parent / "model.keras").is_file():
                continue
            metadata = json.loads(entry.read_text())
            if "model" in metadata:  # the classifiers have no registry model
                found[entry.parent.name] = f"{metadata['model']} on {metadata['dataset']}, `{metadata['command']}`"
    return found


def cmd_train(args):
    from keras_gans.registry import get_model_class
    from keras_gans.training import parse_overrides, resume, train

    if args.resume:
        result = resume(check_resume_options(args), epochs=args.epochs)
    elif args.model is None:
        raise ValueError("train needs a MODEL (see `keras-gans list`), or --resume RUN_DIR.")
    else:
        overrides = parse_overrides(args.set, get_model_class(args.model))
        result = train(
            args.model, dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size,
            out=args.out, seed=args.seed, overrides=overrides, strategy=args.strategy,
            precision=args.precision, jit_compile=args.jit_compile, overwrite=args.overwrite,
            tensorboard=args.tensorboard, num_samples=args.num_samples, dataset_b=args.dataset_b,
            rating_threshold=args.rating_threshold, image_size=args.image_size, data_dir=args.data_dir,
            evaluate_every=args.evaluate_every, checkpoint_every=args.checkpoint_every,
            deterministic=args.deterministic,
        )
    where = "run saved to" if result.chief else "as a non-chief worker; the chief saves the run to"
    print(f"Trained {type(result.model).registry_name} in {result.wall_time:.0f} s; {where} {result.run_dir}")


#: train options --resume may not change: name in argv -> (record argument, parsed attribute)
RESUME_FIXED = {"--dataset": "dataset", "--dataset-b": "dataset_b", "--batch-size": "batch_size",
                "--seed": "seed", "--strategy": "strategy", "--precision": "precision",
                "--jit-compile": "jit_compile", "--no-jit-compile": "jit_compile",
                "--num-samples": "num_samples", "--image-size": "image_size", "--data-dir": "data_dir",
                "--rating-threshold": "rating_threshold", "--evaluate-every": "evaluate_every",
                "--tensorboard": "tensorboard", "--checkpoint-every": "checkpoint_every",
                "--deterministic": "deterministic"}


def check_resume_options(args):
    """The run directory of `--resume`, after refusing options that would change the run."""
    import json

    if args.out or args.overwrite:
        raise ValueError("--resume continues the run in its own directory; leave out --out and --overwrite.")
    config = Path(args.resume) / "config.json"
    try:
        arguments = json.loads(config.read_text()).get("arguments", {})
    except (OSError, ValueError, AttributeError):
        return args.resume  # resume() says what is wrong with the directory
    changed = []
    if args.model is not None and args.model != arguments.get("model_name"):
        changed.append(f"MODEL {args.model} (the run's: {arguments.get('model_name')})")
    if args.set:
        changed.append(f"--set {' '.join(args.set)} (the run's: {arguments.get('overrides') or 'none'})")
    given = {token.split("=", 1)[0] for token in sys.argv[1:]} if args.argv is None else {
        token.split("=", 1)[0] for token in args.argv}
    for flag, name in RESUME_FIXED.items():
        if flag in given and getattr(args, name) != arguments.get(name):
            changed.append(f"{flag} {getattr(args, name)} (the run's: {arguments.get(name)})")
    if changed:
        raise ValueError(f"--resume {args.resume} keeps the run's settings; it refuses " + "; ".join(changed)
                         + ". Only --epochs may grow. Start a new run with --out to change them.")
    return args.resume


def cmd_sample(args):
    from keras_gans import inference
    from keras_gans.training import load_run

    shape = inference.write_samples(load_run(args.run_dir), args.n, args.out, seed=args.seed, label=args.label)
    print(f"Wrote {args.n} samples {tuple(shape)} to {args.out}")


def cmd_reconstruct(args):
    from keras_gans import inference
    from keras_gans.training import load_run

    if not args.out.endswith(".npy"):
        raise ValueError(f"--out must end in .npy, got {args.out!r}.")
    model = load_run(args.run_dir)
    if not hasattr(model, "reconstruct"):
        inference.reconstruct(model, None)  # raises the model's own "no encoder" error
    images = inference.check_images_for(model, inference.load_array(args.input, "--input"), args.input)
    labels = None if args.labels is None else inference.load_array(args.labels, "--labels")
    labels = inference.check_labels_for(model, labels, len(images))
    reconstructions = inference.reconstruct(model, images, labels)
    inference.save_array(reconstructions, args.out)
    print(f"Wrote {len(images)} reconstructions {reconstructions.shape[1:]} to {args.out}")


def cmd_recommend(args):
    from keras_gans import inference
    from keras_gans.training import load_run

    users = inference.parse_user_ids(args.users)
    items = inference.write_recommendations(load_run(args.run_dir), users, args.k, args.out)
    print(f"Wrote the top {items.shape[1]} items of {len(users)} users to {args.out}")


def cmd_translate(args):
    from keras_gans import inference
    from keras_gans.training import load_run

    shape = inference.write_translations(load_run(args.run_dir), args.input, args.out, args.direction)
    print(f"Wrote translations {tuple(shape)} ({args.direction}) to {args.out}")


def cmd_evaluate(args):
    from keras_gans.evaluation import default_metrics_path, evaluate_run, format_metrics

    out = Path(args.out) if args.out else default_metrics_path(args.run_dir)
    metrics = evaluate_run(args.run_dir, dataset=args.dataset, num_samples=args.n, seed=args.seed, out=out)
    print(format_metrics(metrics))
    print(f"Wrote {out}")


def cmd_export(args):
    from keras_gans.export import export_model
    from keras_gans.training import load_run, resolve_run_dir

    config = resolve_run_dir(args.run_dir) / "config.json"
    path = export_model(load_run(args.run_dir), args.out, version=args.version,
                        run_config=config if config.is_file() else None)
    print(f"Exported SavedModel to {path}")


COMMANDS = {"list": cmd_list, "train": cmd_train, "sample": cmd_sample,
            "reconstruct": cmd_reconstruct, "recommend": cmd_recommend,
            "translate": cmd_translate, "evaluate": cmd_evaluate, "export": cmd_export}


def start_tensorflow():
    """Import TensorFlow and probe its devices without its native start-up lines."""
    from keras_gans._startup import quiet_native_startup

    with quiet_native_startup():
        import tensorflow as tf

        tf.config.list_physical_devices()  # probes the devices: the cuInit line comes here


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.argv = argv
    if argv is None and args.command == "train" and wants_deterministic(args):
        from keras_gans.distribute import onednn_enabled

        if onednn_enabled():  # oneDNN is chosen when TensorFlow loads: start again without it
            os.execve(sys.executable, [sys.executable, "-m", "keras_gans", *sys.argv[1:]],
                      {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"})
    try:
        return run_command(args)
    except KeyboardInterrupt:  # a second Ctrl-C, or one outside training: no traceback
        print(f"keras-gans {args.command}: interrupted", file=sys.stderr)
        return 130


def wants_deterministic(args):
    """--deterministic, or --resume of a run that was trained with it."""
    if args.deterministic:
        return True
    if args.resume:
        import json

        try:
            return bool(json.loads((Path(args.resume) / "config.json").read_text())["arguments"]["deterministic"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
    return False


def run_command(args):
    start_tensorflow()
    from keras_gans.callbacks import NonFiniteLossError
    from keras_gans.checkpointing import CorruptCheckpointError, TrainingInterrupted

    try:
        COMMANDS[args.command](args)
    except TrainingInterrupted as stop:
        print(f"keras-gans {args.command}: {stop}", file=sys.stderr)
        return stop.exit_code
    except PermissionError as error:  # an unwritable --out: name the user's path
        print(f"keras-gans {args.command}: error: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except CorruptCheckpointError as error:
        print(f"keras-gans {args.command}: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # e.g. `keras-gans list | head`: the reader left, nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's exit-time flush must not fail again
        return 0
    except (ValueError, FileNotFoundError, FileExistsError) as error:
        print(f"keras-gans {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except NonFiniteLossError as error:
        print(f"keras-gans {args.command}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
