"""DCGAN training throughput (images/second, batch 64, 28x28x1): the library's `fit` against a
hand-written `tf.function` loop over the same networks, each with and without XLA, for two
network sets: the library's default DCGAN players and the TensorFlow DCGAN tutorial's (G: Dense
7x7x256 -> ConvT 128/64/1 5x5 with batch norm; D: Conv 64/128 5x5 with dropout).

    python benchmarks/throughput.py [--steps 100] [--repeats 5] [--batch-size 64] [--networks library tutorial]

Prints EVERY timed window (not only the best). The loops of one network set and XLA setting
take turns window by window (hand loop, fit, fit with defaults, hand loop, ...), so a drift of
the machine's speed hits all of them alike, and each `fit` window is also printed as a ratio
to the hand-loop window just before it. The hand loop is the minimal DCGAN step (one
discriminator and one generator update on fresh z, non-saturating loss, Adam) with no
trackers, callbacks, EMA or conditioning; the library rows run `DCGAN.fit` with
generator_ema=0 and clusters=0 (the same work) and, for the library's networks, with the
defaults (EMA and 20 self-conditioning clusters).
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


def tutorial_networks():
    """The TensorFlow DCGAN tutorial's generator and discriminator (logits out)."""
    layers = keras.layers
    generator = keras.Sequential([
        keras.Input((100,)), layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(),
        layers.LeakyReLU(), layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, 5, 1, "same", use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(64, 5, 2, "same", use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(1, 5, 2, "same", use_bias=False, activation="tanh"),
    ], name="generator")
    discriminator = keras.Sequential([
        keras.Input(SHAPE), layers.Conv2D(64, 5, 2, "same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Conv2D(128, 5, 2, "same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Flatten(), layers.Dense(1),
    ], name="discriminator")
    return generator, discriminator


def networks_for(network_set):
    """(generator, discriminator) of a set; None for the library's defaults."""
    return tutorial_networks() if network_set == "tutorial" else (None, None)


def library_window(steps, batch_size, jit_compile, network_set="library", **dcgan_options):
    """A warmed-up `window()` that runs `DCGAN.fit` for `steps` steps (one `fit` call)."""
    generator, discriminator = networks_for(network_set)
    model = DCGAN(data_shape=SHAPE, generator=generator, discriminator=discriminator, **dcgan_options)
    model.compile(jit_compile=jit_compile)
    data = batches(batch_size)
    model.fit(data, epochs=1, steps_per_epoch=5, verbose=0)  # trace and warm up
    return lambda: model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)


def hand_loop_window(steps, batch_size, jit_compile, network_set="library"):
    """A warmed-up `window()` that runs `steps` steps of a hand-written tf.function loop."""
    generator, discriminator = networks_for(network_set)
    reference = DCGAN(data_shape=SHAPE, generator_ema=0, clusters=0, generator=generator, discriminator=discriminator)
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

    return window


def interleaved_rates(windows, images, repeats):
    """{name: images/s of each of `repeats` windows}, the loops taking turns window by window."""
    rates = {name: [] for name in windows}
    for _ in range(repeats):
        for name, run_window in windows.items():
            start = time.perf_counter()
            run_window()
            rates[name].append(images / (time.perf_counter() - start))
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--networks", nargs="+", default=["library", "tutorial"], choices=["library", "tutorial"])
    parser.add_argument("--xla", nargs="+", default=["off", "on"], choices=["off", "on"])
    args = parser.parse_args()
    devices = ", ".join(d.device_type for d in tf.config.list_physical_devices())
    print(f"DCGAN 28x28x1, batch {args.batch_size}, {args.repeats} x {args.steps} timed steps per loop, "
          f"devices: {devices}, TF {tf.__version__}, Keras {keras.__version__}", flush=True)
    rows = []
    hand = "hand-written tf.function loop"
    for network_set in args.networks:
        for xla in (value == "on" for value in args.xla):
            windows = {
                hand: hand_loop_window(args.steps, args.batch_size, xla, network_set),
                "DCGAN.fit (generator_ema=0, clusters=0)": library_window(
                    args.steps, args.batch_size, xla, network_set, generator_ema=0.0, clusters=0),
            }
            if network_set == "library":
                windows["DCGAN.fit (defaults: EMA, 20 clusters)"] = library_window(
                    args.steps, args.batch_size, xla, network_set)
            rates = interleaved_rates(windows, args.steps * args.batch_size, args.repeats)
            for name, values in rates.items():
                rows.append((network_set, name, xla, values))
                line = f"{network_set:<9} {name:<42} XLA {'on ' if xla else 'off'} windows: " + " ".join(
                    f"{rate:.0f}" for rate in values)
                if name != hand:
                    line += "  / hand loop: " + " ".join(f"{a / b:.3f}" for a, b in zip(values, rates[hand]))
                print(line, flush=True)
    print(f"\n{'networks':<9} {'loop':<42} {'XLA':<4} {'median':>7} {'min':>6} {'max':>6}  images/s")
    for network_set, name, xla, rates in rows:
        print(f"{network_set:<9} {name:<42} {'on' if xla else 'off':<4} {np.median(rates):>7.0f} "
              f"{min(rates):>6.0f} {max(rates):>6.0f}")

if __name__ == "__main__":
    main()
