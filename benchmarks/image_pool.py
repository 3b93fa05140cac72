"""Time of one CycleGAN image-pool query (`keras_gans.components.ImagePool`), eagerly, in a
tf.function and with XLA: the recipe's shapes (a 50-image history of 28x28x1 images, a batch
of 16), the median of each setting's queries once the pool is full.

    python benchmarks/image_pool.py [--queries 50] [--pool-size 50] [--batch-size 16]
"""

import argparse
import time

import numpy as np


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--pool-size", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    import tensorflow as tf

    from keras_gans.components.image_pool import ImagePool

    rng = np.random.default_rng(0)
    for setting in ("eager", "graph", "xla"):
        pool = ImagePool((28, 28, 1), args.pool_size)
        query = pool.query if setting == "eager" else tf.function(pool.query, jit_compile=setting == "xla")
        seconds = []
        for _ in range(args.queries):
            draws = [rng.random((args.batch_size, 28, 28, 1), dtype=np.float32),
                     rng.random(args.batch_size, dtype=np.float32), rng.random(args.batch_size, dtype=np.float32)]
            start = time.perf_counter()
            np.asarray(query(*draws))
            if int(pool.count.numpy()) == args.pool_size:  # the first queries fill it (and trace)
                seconds.append(time.perf_counter() - start)
        print(f"{setting:5s}  median {1000 * np.median(seconds):7.3f} ms a query  ({len(seconds)} queries timed)")


if __name__ == "__main__":
    main()
