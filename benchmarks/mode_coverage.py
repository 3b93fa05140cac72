"""Mode coverage on the PacGAN 2D mixtures (ring8, grid25) for every recipe, over several seeds.

    python benchmarks/mode_coverage.py                       # every recipe, seeds 0 1 2, both mixtures
    python benchmarks/mode_coverage.py --recipes gan wgan_gp --seeds 0 1 2 3 --datasets ring8
    python benchmarks/mode_coverage.py --runs runs.jsonl --out results.md   # resumable; table as Markdown
    python benchmarks/mode_coverage.py --recipes gan --datasets grid25 --packing 1 2 4   # PacGAN rows
    python benchmarks/mode_coverage.py ... --runs runs.jsonl --work-dir runs/   # long runs survive a stop

Every finished run is appended to --runs (one JSON line: recipe, dataset, seed, report); runs
already there are not trained again, so an interrupted sweep resumes where it stopped and a
changed recipe is re-measured (a row records its recipe's settings). With --work-dir each run
trains in its own directory there, named by recipe, dataset, seed and a digest of the settings:
a run stopped or killed part-way (SIGTERM, a machine's end) continues from its last epoch when
the command is given again, so runs of hours need not fit one sitting. The table covers the
requested recipes, datasets and seeds.

Every run trains exactly what the command printed beside its row trains (`keras_gans.recipes`,
through `keras_gans.training.train`). Protocol: `keras_gans.mixtures` (PacGAN, Lin et al. 2018,
arXiv:1712.04086: 2,500 samples, high quality within 3 std of the nearest mode, a mode is
captured with at least one high-quality sample, reverse KL of the high-quality histogram).
Published bar (PacGAN's Table 2): GAN 6.3/8 and 17.3/25 modes; PacGAN 7.9/8 and 24.8/25.
"""

import argparse
import hashlib
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from seeded_runs import append_run, load_runs  # noqa: E402

from keras_gans import mixtures, recipes  # noqa: E402
from keras_gans.io_utils import atomic_path  # noqa: E402

REPORT_KEYS = ("modes_captured", "num_modes", "high_quality_fraction", "reverse_kl", "diverged", "seconds")


def mean_report(reports):
    mean = {key: float(np.mean([r[key] for r in reports]))
            for key in ("modes_captured", "high_quality_fraction", "seconds")}
    # reverse KL is undefined (NaN) when no sample is of high quality
    kls = [r["reverse_kl"] for r in reports if not math.isnan(r["reverse_kl"])]
    mean["reverse_kl"] = float(np.mean(kls)) if kls else float("nan")
    mean["worst_modes"] = min(r["modes_captured"] for r in reports)
    return mean


def run_directory(work_dir, name, dataset, seed, settings):
    """WORK_DIR/gan_packing_4-grid25-seed0-1a2b3c4d: a changed recipe never continues an old run."""
    digest = hashlib.sha256(settings.encode()).hexdigest()[:8]
    slug = "".join(c if c.isalnum() else "_" for c in name)
    return Path(work_dir) / f"{slug}-{dataset}-seed{seed}-{digest}"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", nargs="+", default=list(mixtures.RECIPES), choices=list(mixtures.RECIPES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--datasets", nargs="+", default=["ring8", "grid25"], choices=["ring8", "grid25"])
    parser.add_argument("--packing", type=int, nargs="+", default=[1],
                        help="PacGAN packing of the discriminator: each recipe runs once per value "
                             "(1 = off; e.g. --packing 1 2 4 gives the rows of the PacGAN table)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps (default: the recipe's)")
    parser.add_argument("--runs", help="JSON-lines file of finished runs: reused, and appended to")
    parser.add_argument("--out", help="write the table of means as Markdown to this file")
    parser.add_argument("--work-dir", help="train each run in a directory here, continued if it was stopped "
                                           "(finished runs stay: model.keras, losses, evaluation.jsonl)")
    parser.add_argument("--evaluate-every", type=int, default=None,
                        help="with --work-dir: the protocol's figures every N epochs in each run's "
                             "evaluation.jsonl (the training is unchanged)")
    args = parser.parse_args()
    if args.steps and (args.runs or args.work_dir):
        parser.error("--steps changes the recipes: do not mix its runs into a --runs file or a --work-dir")
    if args.evaluate_every and not args.work_dir:
        parser.error("--evaluate-every writes into each run's directory: give --work-dir too")
    return args


def main(args):
    # a run is reused only while its recipe's settings are unchanged (rows written before the
    # settings were recorded are reused as they are)
    runs = load_runs(args.runs, key=lambda row: (row["recipe"], row["dataset"], row["seed"], row.get("settings")))
    rows = []
    print(f"{'recipe':<26} {'data':<7} {'seed':>4} {'modes':>7} {'high quality':>13} {'reverse KL':>11} {'seconds':>8}")
    names = [recipes.with_packing(name, m) for name in args.recipes for m in args.packing]
    for dataset in args.datasets:
        for name in names:
            reports = []
            settings = repr(mixtures.recipe(name, dataset))
            for seed in args.seeds:
                r = runs.get((name, dataset, seed, settings), runs.get((name, dataset, seed, None)))
                if r is None:
                    run_dir = run_directory(args.work_dir, name, dataset, seed, settings) if args.work_dir else None
                    r = mixtures.train_on_mixture(name, dataset, seed, args.steps, run_dir, args.evaluate_every)
                    append_run(args.runs, {"recipe": name, "dataset": dataset, "seed": seed, "settings": settings,
                                           "report": {key: r[key] for key in REPORT_KEYS}})
                reports.append(r)
                print(f"{name:<26} {dataset:<7} {seed:>4} {r['modes_captured']:>3}/{r['num_modes']:<3} "
                      f"{r['high_quality_fraction']:>13.3f} {r['reverse_kl']:>11.3f} {r['seconds']:>8.0f}", flush=True)
            mean = mean_report(reports)
            rows.append((name, dataset, reports[0]["num_modes"], mean))
            print(f"{name:<26} {dataset:<7} mean {mean['modes_captured']:>7.2f} "
                  f"{mean['high_quality_fraction']:>13.3f} {mean['reverse_kl']:>11.3f}", flush=True)

    table = ["| recipe | data | modes (mean) | modes (worst seed) | high quality | reverse KL | seconds/run | command (seed 0) |",
             "|---|---|---|---|---|---|---|---|"]
    table += [f"| {n} | {d} | {m['modes_captured']:.2f}/{k} | {m['worst_modes']}/{k} | "
              f"{m['high_quality_fraction']:.3f} | {m['reverse_kl']:.3f} | {m['seconds']:.0f} | "
              f"`{mixtures.command(n, d)}` |" for n, d, k, m in rows]
    print("\n" + "\n".join(table))
    if args.out:
        with atomic_path(args.out) as tmp:
            with open(tmp, "w") as f:
                f.write(f"Seeds: {args.seeds} (`--seed N` on the command). Protocol: keras_gans/mixtures.py; "
                        f"settings: keras_gans/recipes.py; produced by benchmarks/mode_coverage.py.\n\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    from keras_gans.checkpointing import TrainingInterrupted

    arguments = parse_args()
    try:
        main(arguments)
    except TrainingInterrupted as stopped:
        kept = (f"{stopped.run_dir} keeps step {stopped.step}; give the same command again to continue it"
                if arguments.work_dir else "the run is lost (--work-dir DIR keeps runs across stops)")
        print(f"Stopped by {stopped.signal_name}: {kept}.", file=sys.stderr)
        sys.exit(stopped.exit_code)
