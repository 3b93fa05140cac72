"""What the per-seed benchmarks share: their arguments and the CLI command each run equals."""

import argparse


def seed_parser(description):
    """--seeds (default 0 1 2), --epochs (default: the recipe's), --set KEY=VALUE ..."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    return parser


def train_command(model_name, seed, args):
    """The `keras-gans train` command that trains exactly this run."""
    options = [f"--seed {seed}"] if seed else []
    options += [f"--epochs {args.epochs}"] if args.epochs else []
    options += [f"--set {pair}" for pair in args.set]
    return " ".join([f"keras-gans train {model_name}", *options])
