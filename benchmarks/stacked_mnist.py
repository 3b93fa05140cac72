"""Stacked MNIST mode coverage: DCGAN's defaults, with and without PacGAN packing.

    python benchmarks/stacked_mnist.py                                  # packing 1 and 2, seeds 0 1 2
    python benchmarks/stacked_mnist.py --packing 2 --seeds 0 --runs benchmarks/results/stacked_mnist_runs.jsonl
    python benchmarks/stacked_mnist.py --runs R.jsonl --out benchmarks/results/stacked_mnist.md   # the table

Each run is `keras-gans train MODEL --dataset stacked_mnist [--seed N] [--set packing=m]`
(`keras_gans.training.train` with the model's recipe in `keras_gans.recipes`), then what
`keras-gans evaluate RUN_DIR` reports on stacked MNIST (`keras_gans.evaluation`): 26,000
samples, each channel labelled by the project's MNIST classifier, the number of the 1,000
modes (100 d_R + 10 d_G + d_B) with at least one sample, and the KL of the mode histogram to
uniform (the protocol of VEEGAN and PacGAN, Lin et al. 2018, arXiv:1712.04086, Table 3).
Published (PacGAN, Table 3, the DCGAN paper's architecture): DCGAN 99 modes, KL 3.4;
PacDCGAN2 1,000 modes, KL 0.06.

Finished runs are appended to --runs (one JSON line each) and not trained again, so a sweep
resumes where it stopped; the table covers the requested packings and seeds.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from seeded_runs import append_run, load_runs, seed_parser  # noqa: E402

from keras_gans.io_utils import atomic_path  # noqa: E402

DATASET = "stacked_mnist"


def command(model_name, seed, packing, epochs=None):
    options = [f"--dataset {DATASET}"] + ([f"--seed {seed}"] if seed else [])
    options += [f"--epochs {epochs}"] if epochs else []
    options += [f"--set packing={packing}"] if packing > 1 else []
    return " ".join([f"keras-gans train {model_name}", *options])


def run(model_name, seed, packing, epochs=None):
    """Train and evaluate one run: {"modes_covered", "kl_to_uniform", "seconds", ...}."""
    from keras_gans.data import load_dataset
    from keras_gans.evaluation import evaluate
    from keras_gans.training import train

    overrides = {"packing": packing} if packing > 1 else None
    with tempfile.TemporaryDirectory() as workdir:
        result = train(model_name, dataset=DATASET, seed=seed, epochs=epochs, overrides=overrides,
                       out=f"{workdir}/run", verbose=0)
    report = evaluate(result.model, load_dataset(DATASET, seed=seed))
    return {"modes_covered": report["modes_covered"], "kl_to_uniform": report["kl_to_uniform"],
            "num_samples": report["num_samples"], "seconds": result.wall_time}


def main():
    parser = seed_parser(__doc__.splitlines()[0])
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--packing", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", help="JSON-lines file of finished runs: reused, and appended to")
    parser.add_argument("--out", help="write the table as Markdown to this file")
    args = parser.parse_args()
    if args.set:
        parser.error("--set is not taken here: the benchmark measures the recipe and --packing")

    done = load_runs(args.runs, key=lambda row: (row["model"], row["packing"], row["seed"], row.get("epochs")))
    rows = []
    for packing in args.packing:
        reports = []
        for seed in args.seeds:
            key = (args.model, packing, seed, args.epochs)
            if key not in done:
                done[key] = run(args.model, seed, packing, args.epochs)
                append_run(args.runs, {"model": args.model, "packing": packing, "seed": seed,
                                       "epochs": args.epochs, "report": done[key]})
            r = done[key]
            reports.append(r)
            print(f"{args.model} packing={packing} seed={seed}: {r['modes_covered']} modes, KL "
                  f"{r['kl_to_uniform']:.3f}, {r['seconds']:.0f} s   "
                  f"({command(args.model, seed, packing, args.epochs)})", flush=True)
        rows.append((packing, reports))

    table = ["| model | packing | seeds | modes (each seed) | modes (mean) | KL to uniform (mean) | "
             "training seconds (mean) | command (seed 0) |", "|---|---|---|---|---|---|---|---|"]
    for packing, reports in rows:
        table.append(
            f"| {args.model} | {packing} | {', '.join(map(str, args.seeds))} | "
            f"{', '.join(str(r['modes_covered']) for r in reports)} | "
            f"{np.mean([r['modes_covered'] for r in reports]):.1f} | "
            f"{np.mean([r['kl_to_uniform'] for r in reports]):.3f} | "
            f"{np.mean([r['seconds'] for r in reports]):.0f} | `{command(args.model, 0, packing, args.epochs)}` |")
    print("\n" + "\n".join(table))
    if args.out:
        with atomic_path(args.out) as tmp:
            with open(tmp, "w") as f:
                f.write("Produced by benchmarks/stacked_mnist.py (26,000 samples, the project's MNIST "
                        "classifier on each channel; 1,000 modes).\n\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    main()
