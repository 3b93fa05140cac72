"""IRGAN against its baselines on held-out positives, each trained with the CLI's defaults.

    python benchmarks/irgan.py                       # seeds 0 1 2 on synthetic_ratings
    python benchmarks/irgan.py --dataset path/to/u.data --seeds 0

For each seed: popularity, `keras-gans train bpr_mf --seed S` and `keras-gans train irgan
--seed S` on the same split (the data's split is seeded by S), ranked by the paper's
metrics (P@k, NDCG@k, MAP, MRR) with each user's training items left out. IRGAN's
discriminator is the model it serves; its generator's row is printed beside it.
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.metrics.ranking import format_ranking_table, popularity_scores, ranking_report  # noqa: E402
from keras_gans.models import BPRMF, IRGAN  # noqa: E402
from keras_gans.training import parse_overrides, train  # noqa: E402
from seeded_runs import seed_parser, train_command  # noqa: E402


def main():
    parser = seed_parser(__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="synthetic_ratings")
    args = parser.parse_args()
    dataset_option = [] if args.dataset == "synthetic_ratings" else [f"--dataset {args.dataset}"]
    averages = {}
    for seed in args.seeds:
        data = load_dataset(args.dataset, seed=seed)
        report = lambda scores: ranking_report(scores, data.train_positives, data.test_positives)  # noqa: E731
        rows = {"popularity": report(popularity_scores(data.train_positives, data.num_users))}
        commands, seconds = [], {}
        for name, model_class in (("bpr_mf", BPRMF), ("irgan", IRGAN)):
            overrides = parse_overrides(args.set, model_class) if name == "irgan" else {}
            with tempfile.TemporaryDirectory() as workdir:
                result = train(name, dataset=args.dataset, epochs=args.epochs if name == "irgan" else None,
                               out=f"{workdir}/run", seed=seed, overrides=overrides, verbose=0)
            seconds[name] = result.wall_time
            command = train_command(name, seed, args if name == "irgan" else parser.parse_args([]))
            commands.append(" ".join([command, *dataset_option]))
            if name == "irgan":
                rows["irgan (discriminator)"] = report(result.model.scores())
                rows["irgan (generator)"] = report(result.model.scores(network="generator"))
            else:
                rows["bpr_mf"] = report(result.model.scores())
        print(f"\nseed {seed}: {data.num_users} users, {data.num_items} items, "
              f"{int(data.train_positives.sum())} training / {int(data.test_positives.sum())} held-out "
              f"positives; wall time bpr_mf {seconds['bpr_mf']:.0f} s, irgan {seconds['irgan']:.0f} s "
              "(with its pretraining)")
        print(format_ranking_table(rows))
        for command in commands:
            print(f"  command: {command}")
        for name, row in rows.items():
            averages.setdefault(name, []).append(row)
    if len(args.seeds) > 1:
        mean = {name: {key: (int if key == "users" else float)(np.mean([row[key] for row in rows])) for key in rows[0]}
                for name, rows in averages.items()}
        print(f"\nmean over seeds {' '.join(map(str, args.seeds))}")
        print(format_ranking_table(mean))


if __name__ == "__main__":
    main()
