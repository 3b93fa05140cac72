"""Mode coverage of GAN on the PacGAN 2D mixtures (ring8, grid25) over several seeds.

    python benchmarks/mode_coverage.py [--seeds 0 1 2] [--steps 3000] [--datasets ring8 grid25]

PacGAN protocol (Lin et al. 2018, arXiv:1712.04086): 2,500 samples; a sample is high quality
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample; reverse KL of the high-quality samples' mode histogram to uniform.
Training: the non-saturating GAN, MLP players 3x256, z in R^2, batch 512, Adam(beta_1 0.5)
with the learning rate annealed from 1e-3 to 0 (cosine) over the run.
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_gans import GAN  # noqa: E402
from keras_gans.data import load_dataset, make_pipeline  # noqa: E402
from keras_gans.metrics import mode_coverage  # noqa: E402


def run(dataset, seed, steps, learning_rate=1e-3, batch_size=512):
    data = load_dataset(dataset, seed=seed)
    model = GAN(data_shape=(2,), latent_dim=2, hidden_units=(256, 256, 256), seed=seed)
    model.compile(optimizers={
        role: keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(learning_rate, steps), beta_1=0.5)
        for role in model.optimizer_roles})
    start = time.perf_counter()
    model.fit(make_pipeline(data, batch_size, repeat=True, seed=seed), epochs=1, steps_per_epoch=steps, verbose=0)
    report = mode_coverage(np.array(model.sample(2500, seed=1000 + seed)), data.modes, data.mode_std)
    report["seconds"] = time.perf_counter() - start
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--datasets", nargs="+", default=["ring8", "grid25"])
    args = parser.parse_args()
    print(f"{'data':<8} {'seed':>4} {'modes':>7} {'high quality':>13} {'reverse KL':>11} {'seconds':>8}")
    for dataset in args.datasets:
        reports = []
        for seed in args.seeds:
            r = run(dataset, seed, args.steps)
            reports.append(r)
            print(f"{dataset:<8} {seed:>4} {r['modes_captured']:>3}/{r['num_modes']:<3} "
                  f"{r['high_quality_fraction']:>13.3f} {r['reverse_kl']:>11.3f} {r['seconds']:>8.0f}", flush=True)
        mean = lambda key: np.mean([r[key] for r in reports])  # noqa: E731
        print(f"{dataset:<8} mean {mean('modes_captured'):>7.2f} {mean('high_quality_fraction'):>13.3f} "
              f"{mean('reverse_kl'):>11.3f}")


if __name__ == "__main__":
    main()
