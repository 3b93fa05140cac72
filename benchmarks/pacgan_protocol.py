"""GAN on grid25 under the PacGAN authors' 2D protocol, judged along the way.

    python benchmarks/pacgan_protocol.py --seed 0 --packing 4 --steps 400000 --every 20000
    python benchmarks/pacgan_protocol.py --seed 0 --packing 4 --steps 10000 --every 10000 \
        --learning-rate 5e-4 --beta-1 0.5 --packs 64 --cosine   # the grid25 recipe's budget
    python benchmarks/pacgan_protocol.py --seed 0 --packing 4 --steps 60000 --every 20000 \
        --discriminator recipe          # the recipe's LeakyReLU MLP under the authors' settings

The authors' code (fjxmlzn/PacGAN, synthetic_data_experiments/2DGrid_GAN&PacGAN) trains a
generator of 4 x 400 ReLU units with batch norm against a discriminator of 3 x 200 maxout
units (5 pieces each, no batch norm; only the first layer widens with packing), weights drawn
from N(0, 0.02^2), Adam 1e-4 with beta_1 0.8 for both players, 100 packs per minibatch, 400
epochs of 1,000 minibatches. This script builds those players and passes them to
`keras_gans.models.GAN` with `--packing m`; the game itself is the library's (a discriminator
step, then a generator step on fresh noise). Every `--every` steps it prints one JSON line:
modes captured of 25, the high-quality fraction (within 3 std of a mode) and the reverse KL of
2,500 samples (`keras_gans.mixtures.judge_samples`, the protocol of the mixture tables).
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

from keras_gans.data import load_dataset  # noqa: E402
from keras_gans.mixtures import judge_samples  # noqa: E402
from keras_gans import recipes  # noqa: E402
from keras_gans.models import GAN  # noqa: E402


def maxout_discriminator(input_dim, units=200, pieces=5, depth=3, init_std=0.02):
    """x (input_dim) -> `depth` maxout layers of `units` units x `pieces` linear pieces -> logit."""
    initializer = keras.initializers.RandomNormal(stddev=init_std)
    x = keras.Input(shape=(input_dim,), name="x")
    h = x
    for i in range(depth):
        h = layers.Dense(units * pieces, kernel_initializer=initializer, name=f"maxout_{i}")(h)
        h = layers.Reshape((units, pieces))(h)
        h = layers.Lambda(lambda t: keras.ops.max(t, axis=-1), name=f"max_{i}")(h)
    logit = layers.Dense(1, kernel_initializer=initializer, name="logits")(h)
    return keras.Model(x, logit, name="discriminator")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--packing", type=int, default=4, help="PacGAN's m")
    parser.add_argument("--steps", type=int, default=400_000, help="generator updates")
    parser.add_argument("--every", type=int, default=20_000, help="judge the samples every N steps")
    parser.add_argument("--packs", type=int, default=100, help="packs per minibatch (m x this examples)")
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--beta-1", type=float, default=0.8)
    parser.add_argument("--pieces", type=int, default=5, help="maxout pieces")
    parser.add_argument("--discriminator", choices=("maxout", "recipe"), default="maxout",
                        help="the authors' maxout network, or the grid25 recipe's 3 x 256 LeakyReLU MLP")
    parser.add_argument("--cosine", action="store_true",
                        help="anneal both rates to 0 over --steps (the mixture recipes' schedule)")
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(args.seed)
    data = load_dataset("grid25", seed=args.seed)
    # the grid25 recipe's players (its 4 x 400 generator is the authors'); its rate is replaced below
    players = recipes.resolve("gan", "grid25").hyperparameters
    discriminator = (maxout_discriminator(2 * args.packing, pieces=args.pieces)
                     if args.discriminator == "maxout" else None)  # None: the recipe's MLP
    model = GAN(data_shape=(2,), **players, discriminator=discriminator, packing=args.packing, seed=args.seed)
    rate = (keras.optimizers.schedules.CosineDecay(args.learning_rate, args.steps) if args.cosine
            else args.learning_rate)
    adam = lambda: keras.optimizers.Adam(rate, beta_1=args.beta_1)  # noqa: E731
    model.compile(optimizers={"generator": adam(), "discriminator": adam()}, steps_per_execution=50)
    minibatch = args.packs * args.packing
    points = (tf.data.Dataset.from_tensor_slices(data.x.astype("float32"))
              .shuffle(len(data.x), seed=args.seed).repeat().batch(minibatch, drop_remainder=True))
    start, done = time.perf_counter(), 0
    while done < args.steps:
        model.fit(points, steps_per_epoch=args.every, epochs=1, verbose=0)
        done += args.every
        report = judge_samples(np.asarray(model.sample(2500, seed=1000 + args.seed)), data)
        print(json.dumps({"seed": args.seed, "packing": args.packing, "discriminator": args.discriminator, "steps": done,
                          "seconds": round(time.perf_counter() - start),
                          "modes": report["modes_captured"], "high_quality": round(report["high_quality_fraction"], 3),
                          "reverse_kl": round(report["reverse_kl"], 3)}), flush=True)


if __name__ == "__main__":
    main()
