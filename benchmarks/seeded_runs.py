"""What the per-seed benchmarks share: their arguments, the CLI command each run equals, and
the JSON-lines file of finished runs that lets an interrupted sweep resume."""

import argparse
import json
import os


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


def load_runs(path, key):
    """{key(row): row["report"]} of a --runs JSON-lines file (empty when there is none)."""
    runs = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in filter(str.strip, f):
                row = json.loads(line)
                runs[key(row)] = row["report"]
    return runs


def append_run(path, row):
    """Append one finished run (a dict holding its "report") to the --runs file, if any."""
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(row) + "\n")
