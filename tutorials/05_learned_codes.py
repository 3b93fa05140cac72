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
# # Learned codes: InfoGAN
#
# A plain GAN's z means nothing in particular: nearby z give similar images, but no coordinate
# says "digit" or "slant". InfoGAN (Chen et al. 2016, arXiv:1606.03657) splits the generator's
# input into incompressible noise and a few *codes* c -- on MNIST one categorical code with 10
# values and 2 continuous codes in [-1, 1] -- and adds to the GAN game a lower bound on the mutual
# information I(c; G(noise, c)): an auxiliary network Q, one extra head on the discriminator's
# trunk, must read c back from the image. Nothing tells the model what the codes should mean;
# the claim is that the categorical code ends up picking the digit and the continuous ones its
# style. This notebook trains InfoGAN on the offline MNIST and measures that claim.
#
# The command-line equivalent is `keras-gans train infogan`; `python benchmarks/infogan.py`
# runs this notebook's measurements at the full budget, on three seeds. The test suite runs the
# notebook with `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds.

# %%
import math
import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import keras_gans
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.export import export_model
from keras_gans.metrics import classify, load_mnist_classifier
from keras_gans.metrics.codes import categorical_code_report, continuous_code_report, matched_accuracy
from keras_gans.metrics.latent_attributes import ink_amount, slant
from keras_gans.plotting import image_grid
from keras_gans.recipes import resolve

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
keras.utils.set_random_seed(0)
mnist = load_dataset("mnist", num_samples=256 if QUICK else None)
classifier = load_mnist_classifier()
print("training digits", mnist.x.shape)

# %% [markdown]
# ## 1. The information term, on hand-made numbers
#
# For a categorical code, -log Q(c | x) is the cross-entropy of Q's softmax with the one-hot code
# the generator was given; for a continuous code it is the Gaussian negative log-likelihood
# 0.5 log(2 pi) + log sigma + (c - mu)^2 / (2 sigma^2). A Q that knows nothing (uniform over 10
# values) pays log 10 = 2.303; one that is sure and right pays 0.

# %%
from keras_gans import losses

print("uniform Q:", float(losses.categorical_information_loss(np.zeros((1, 10)), np.eye(10)[:1])),
      " log 10 =", round(math.log(10), 6))
print("confident, right Q:", round(float(losses.categorical_information_loss([[20.0] + [0.0] * 9], np.eye(10)[:1])), 6))
nll = float(losses.gaussian_information_loss([[0.5]], [[0.0]]))
print(f"Gaussian, sigma 1, c - mu = 0.5: {nll:.6f} = 0.5 log(2 pi) + 0.125 = {0.5 * math.log(2 * math.pi) + 0.125:.6f}")

# %% [markdown]
# ## 2. The model and its recipe
#
# `InfoGAN()` builds the paper's MNIST layout: 62 noise dimensions, one 10-way categorical code,
# 2 continuous codes, a DCGAN-style generator and discriminator, and Q as a small head on the
# discriminator's features. The discriminator's real/fake head sees only the image. The recipe
# is what `keras-gans train infogan` runs.

# %%
recipe = resolve("infogan")
print("recipe:", recipe.epochs, "epochs x batch", recipe.batch_size, recipe.hyperparameters, recipe.learning_rates)
model = keras_gans.InfoGAN(seed=0, **recipe.hyperparameters)
print("latent:", model.noise_dim, "noise +", model.categorical_codes, "categorical +", model.continuous_codes, "continuous")
print("Q reads the trunk's", model.auxiliary_network.inputs[0].shape[-1], "features; the discriminator takes",
      len(model.discriminator.inputs), "input (the image)")

# %% [markdown]
# ## 3. Train
#
# Each step: the discriminator (trunk, real/fake head and Q) descends its GAN loss plus the
# information loss on fresh fakes; the generator descends its GAN loss plus the same information
# loss. The information losses are logged unweighted.

# %%
from keras_gans.training import scheduled_optimizers

epochs = 1 if QUICK else recipe.epochs
# the recipe's per-role learning rates (and schedule, if it has one) over the model's optimizers
model.compile(optimizers=scheduled_optimizers(model, recipe, epochs * (len(mnist.x) // recipe.batch_size)))
history = model.fit(make_pipeline(mnist, recipe.batch_size, seed=0), epochs=epochs, verbose=0)
print({k: [round(v, 3) for v in values[-3:]] for k, values in history.history.items()})

# %% [markdown]
# ## 4. Code by code
#
# Column j holds samples with the categorical code fixed to j (each row: the same noise and
# continuous codes). If the code means "digit", each column is one digit.

# %%
per_row = 10
codes = np.tile(np.arange(10), per_row)
grid = np.asarray(model.sample(10 * per_row, seed=1, labels=codes))
plt.figure(figsize=(6, 6))
plt.imshow(image_grid(grid, columns=10)[..., 0], cmap="gray"); plt.axis("off")
plt.title("column j: categorical code = j");

# %% [markdown]
# ## 5. How well does the code capture the digit?
#
# The paper's protocol: draw images for each code value, label them with a classifier, and match
# code values to digits one-to-one (the values come in no order; the Hungarian algorithm finds
# the best matching). The accuracy after matching is the share of images whose code's matched
# digit is what the classifier sees. A planted example first: a code that is a permutation of
# the digits matches perfectly.

# %%
digits = np.repeat(np.arange(10), 5)
print("planted permutation:", matched_accuracy(np.roll(np.arange(10), 3)[digits], digits)[0])
report = categorical_code_report(model, classifier, per_code=100 if QUICK else 1000, seed=0)
print(f"matched accuracy: {report['accuracy']:.3f}")
print("code -> digit   share of the code's images that are that digit")
for code, digit in sorted(report["assignment"].items()):
    print(f"   {code} -> {digit}        {report['per_code'][code]:.2f}")

# %% [markdown]
# ## 6. The continuous codes
#
# Sweep each continuous code from -2 to 2 (past the [-1, 1] it was trained on, as the paper
# does) with everything else fixed, and measure what changes: the slant of the digit (from its
# image moments) and its ink mass (stroke width). A rank correlation near +1 or -1 means the
# attribute changes monotonically along the code.

# %%
values = np.linspace(-2, 2, 9)
noise, categories, continuous = model.draw_codes(10, seed=3)
categories = np.arange(10)[:, None]
for index in range(model.continuous_codes):
    rows = []
    for value in values:
        swept = np.array(continuous)
        swept[:, index] = value
        rows.append(np.asarray(model.generate(model.join_latent(noise, categories, swept))))
    sweep = np.stack(rows, axis=1).reshape(-1, *mnist.data_shape)
    plt.figure(figsize=(5, 5))
    plt.imshow(image_grid(sweep, columns=len(values))[..., 0], cmap="gray"); plt.axis("off")
    plt.title(f"continuous code {index}: -2 (left) to 2 (right)")
    correlations = continuous_code_report(model, {"slant": slant, "ink": ink_amount}, index,
                                          rows=20 if QUICK else 100, seed=0)
    print(f"continuous code {index}: rank correlation", {k: round(v, 2) for k, v in correlations.items()})

# %% [markdown]
# ## 7. Export with the codes as inputs
#
# The exported `sample` signature takes the codes explicitly (a seed for the noise, the
# categorical values and the continuous values), so a client can sweep a code too.

# %%
import tempfile

path = export_model(model, tempfile.mkdtemp())
served = tf.saved_model.load(str(path))
categories = tf.constant([[7], [7]], tf.int32)
continuous = tf.constant([[-1.0, 0.0], [1.0, 0.0]])
out = served.signatures["sample"](seed=tf.constant(5, tf.int64), categories=categories, continuous=continuous)
expected = model.sample(2, seed=5, categories=categories.numpy(), continuous=continuous.numpy())
print("signatures:", sorted(served.signatures))
print("served == keras:", np.allclose(out["samples"], expected, atol=1e-5))

# %% [markdown]
# ## From the command line
#
# ```
# keras-gans train infogan --out runs/infogan
# keras-gans sample runs/infogan --n 64 --label 3 --out code3.png   # categorical code fixed to 3
# keras-gans export runs/infogan --out exported/infogan
# ```
