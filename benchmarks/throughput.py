"""DCGAN training throughput (images/second, batch 64, 28x28x1): the library's `fit` against a
hand-written `tf.function` loop over the same networks, each with and without XLA.

    python benchmarks/throughput.py [--steps 100] [--repeats 3] [--batch-size 64]

Prints one table: the best of `--repeats` timed windows of `--steps` steps per loop (a shared
2-core machine's rates drift by 20-30% between windows; the best window is the loop's own
speed). The hand loop is the minimal DCGAN step (one discriminator and one
generator update, non-saturating loss, Adam) with no trackers, callbacks, EMA or
conditioning; the library rows run `DCGAN.fit` with generator_ema=0 and clusters=0 (the same
work) and with the defaults (EMA and 20 self-conditioning clusters).
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans import DCGAN, losses  # noqa: E402

SHAPE = (28, 28, 1)


def batches(batch_size):
    x = np.random.default_rng(0).uniform(-1, 1, size=(batch_size * 8, *SHAPE)).astype(np.float32)
    return tf.data.Dataset.from_tensor_slices(x).batch(batch_size, drop_remainder=True).repeat()


def best_rate(run_window, images, repeats):
    """Images per second of the fastest of `repeats` calls of `run_window`."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_window()
        seconds.append(time.perf_counter() - start)
    return images / min(seconds)


def library_throughput(steps, batch_size, jit_compile, repeats, **dcgan_options):
    model = DCGAN(data_shape=SHAPE, **dcgan_options)
    model.compile(jit_compile=jit_compile)
    data = batches(batch_size)
    model.fit(data, epochs=1, steps_per_epoch=5, verbose=0)  # trace and warm up
    return best_rate(lambda: model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0), steps * batch_size, repeats)


def hand_loop_throughput(steps, batch_size, jit_compile, repeats):
    reference = DCGAN(data_shape=SHAPE, generator_ema=0, clusters=0)
    generator, discriminator = reference.generator, reference.discriminator
    g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)

    @tf.function(jit_compile=jit_compile)
    def step(x, seed):
        z = tf.random.stateless_normal([batch_size, 100], seed)
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            d_loss = losses.minimax_discriminator_loss(
                discriminator(x, training=True), discriminator(fake, training=True))
        d_opt.apply(tape.gradient(d_loss, discriminator.trainable_variables),
                    discriminator.trainable_variables)
        z = tf.random.stateless_normal([batch_size, 100], seed + 1)
        with tf.GradientTape() as tape:
            g_loss = losses.non_saturating_generator_loss(
                discriminator(generator(z, training=True), training=True))
        g_opt.apply(tape.gradient(g_loss, generator.trainable_variables),
                    generator.trainable_variables)
        return d_loss, g_loss

    iterator = iter(batches(batch_size))
    for i in range(5):
        step(next(iterator), tf.constant([i, 0], tf.int64))

    def window():
        for i in range(steps):
            result = step(next(iterator), tf.constant([i, 1], tf.int64))
        float(result[0])  # wait for the last step

    return best_rate(window, steps * batch_size, repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    rows = []
    for xla in (False, True):
        rows.append(("hand-written tf.function loop", xla, hand_loop_throughput(args.steps, args.batch_size, xla, args.repeats)))
        rows.append(("DCGAN.fit (generator_ema=0, clusters=0)", xla,
                     library_throughput(args.steps, args.batch_size, xla, args.repeats, generator_ema=0.0, clusters=0)))
        rows.append(("DCGAN.fit (defaults: EMA, 20 clusters)", xla,
                     library_throughput(args.steps, args.batch_size, xla, args.repeats)))
    devices = ", ".join(d.device_type for d in tf.config.list_physical_devices())
    print(f"DCGAN 28x28x1, batch {args.batch_size}, best of {args.repeats} x {args.steps} timed steps, devices: {devices}, "
          f"TF {tf.__version__}, Keras {keras.__version__}")
    print(f"{'loop':<42} {'XLA':<5} {'images/s':>10}")
    for name, xla, rate in rows:
        print(f"{name:<42} {'on' if xla else 'off':<5} {rate:>10.0f}")


if __name__ == "__main__":
    main()
