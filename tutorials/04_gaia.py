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
# # GAIA: adversarial training on latent interpolations, step by step
#
# GAIA (Sainburg et al. 2018, arXiv:1807.06650) is an autoencoder whose *interpolations* are
# trained to look like data. Its discriminator is another autoencoder: it learns to reconstruct
# real digits well and generated ones badly, and the generator learns to make the discriminator
# reconstruct its outputs -- reconstructions G(x) and decoded interpolations G(z_interp) -- as
# well as real digits. A plain autoencoder's midpoint between a "3" and a "7" is a blurred
# overlay; the paper's claim is that GAIA's is a digit. This notebook trains GAIA and a plain AE
# on the offline MNIST and measures that claim, then edits attributes along latent directions.
#
# The command-line equivalent is `keras-gans train gaia`; `python benchmarks/gaia.py` runs the
# measurements of this notebook at the full budget. The test suite runs the notebook with
# `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds.

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import keras_gans
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.export import export_model
from keras_gans.losses import interpolative
from keras_gans.metrics import classify, label_agreement, load_mnist_classifier
from keras_gans.metrics import latent_attributes as la
from keras_gans.plotting import image_grid

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
print("quick mode (KERAS_GANS_TUTORIAL_QUICK=1): budgets of seconds, so what is trained here is rough"
      if QUICK else "full mode: the budgets of keras-gans train")
NUM_TRAIN = 256 if QUICK else None
keras.utils.set_random_seed(0)
train = load_dataset("mnist_train", num_samples=NUM_TRAIN)
test = load_dataset("mnist_test")
classifier = load_mnist_classifier()
print("train", train.x.shape, "held out", test.x.shape)

# %% [markdown]
# ## 1. The pieces, on hand-made numbers
#
# **Losses.** With ||.||_1 the per-example mean absolute error and D the discriminator
# autoencoder, the discriminator minimises ||x - D(x)|| - ||G(x) - D(G(x))|| - ||G(z_i) - D(G(z_i))||
# and the generator minimises ||x - D(G(x))|| + ||G(z_i) - D(G(z_i))|| plus w_rec ||x - G(x)|| and
# the local-structure term.
#
# **Balance.** delta_Disc = sigmoid(b (||x - D(x)|| - (||x - D(G(x))|| + ||G(z_i) - D(G(z_i))||) / 2))
# scales the discriminator's learning rate and delta_Gen = 1 - delta_Disc the generator's: the
# player that is losing learns faster.
#
# **Local structure.** With d_ij the squared distance of examples i and j divided by the mean
# over all pairs of the batch, mean_ij (log(1 + d^x_ij) - log(1 + d^z_ij))^2 over all pairs (the
# authors' form): the codes keep the batch's relative distances, whatever their scale.

# %%
print("discriminator loss (0.1, 0.3, 0.5):", float(interpolative.gaia_discriminator_loss([0.1], [0.3], [0.5])))
for real_error in (0.1, 0.3, 0.5):
    delta = float(interpolative.discriminator_balance(real_error, 0.2, 0.4, 20.0))
    print(f"real error {real_error}: delta_Disc {delta:.3f}, delta_Gen {1 - delta:.3f}")
x = np.array([[0.0], [1.0], [3.0]])
print("local structure, codes z = 2x:", float(interpolative.distance_loss(x, 2 * x)))
print("local structure, codes 0, 2, 4:", round(float(interpolative.distance_loss(x, [[0.0], [2.0], [4.0]])), 4))

# %% [markdown]
# ## 2. Train GAIA
#
# Each batch is cut into pairs of consecutive digits; one interpolation coefficient per pair is
# drawn around the midpoint. The balances are model variables: saved with the weights, the same
# on every replica, and logged every epoch.

# %%
epochs = 1 if QUICK else keras_gans.recipes.resolve("gaia").epochs
gaia = keras_gans.GAIA(data_shape=train.data_shape, seed=0)
gaia.compile()
history = gaia.fit(make_pipeline(train, 64, seed=0), epochs=epochs, verbose=0)
for key in ("reconstruction_loss", "discriminator_balance", "generator_balance"):
    print(f"{key:>22} per epoch:", np.round(history.history[key], 3))

# %% [markdown]
# ## 3. The plain autoencoder, same data and budget

# %%
ae = keras_gans.AE(data_shape=train.data_shape, latent_dim=gaia.latent_dim, seed=0)
ae.compile()
ae.fit(make_pipeline(train, 64, seed=0), epochs=1 if QUICK else keras_gans.recipes.resolve("ae").epochs, verbose=0)
for name, model in (("GAIA", gaia), ("AE", ae)):
    reconstructions = np.asarray(model.reconstruct(test.x))
    print(f"{name}: held-out reconstructions recognised {label_agreement(classifier, reconstructions, test.y):.3f}")

# %% [markdown]
# ## 4. Interpolation strips and the midpoint claim
#
# `interpolate(x1, x2, t)` decodes (1 - t) E(x1) + t E(x2) row by row: repeating two digits and
# passing t = linspace(0, 1, 9) gives a strip. Then 500 pairs of held-out digits of *different*
# classes: how confident is the classifier on the midpoints (t = 0.5), and how sharp are they
# (variance of the Laplacian; blur lowers it)?

# %%
steps = np.linspace(0, 1, 9).astype(np.float32)
rng = np.random.default_rng(0)
fig, axes = plt.subplots(4, 2, figsize=(12, 6))
for row in range(4):
    i, j = rng.choice(len(test.x), 2, replace=False)
    for col, (name, model) in enumerate((("GAIA", gaia), ("AE", ae))):
        strip = np.asarray(model.interpolate(test.x[[i] * 9], test.x[[j] * 9], steps))
        axes[row, col].imshow(np.concatenate(list(strip[..., 0]), axis=1), cmap="gray")
        axes[row, col].axis("off"); axes[row, col].set_title(name if row == 0 else "")

first, second = [], []
while len(first) < 500:
    i, j = rng.integers(len(test.y), size=2)
    if test.y[i] != test.y[j]:
        first.append(i); second.append(j)
print(f"{'model':<6} {'mean confidence':>16} {'confident > 0.9':>16} {'sharpness':>10}")
for name, model in (("GAIA", gaia), ("AE", ae)):
    midpoints = np.asarray(model.interpolate(test.x[first], test.x[second], np.full(500, 0.5, np.float32)))
    _, confidence = classify(classifier, midpoints)
    print(f"{name:<6} {confidence.mean():>16.3f} {np.mean(confidence > 0.9):>16.3f} {la.sharpness(midpoints).mean():>10.4f}")
print(f"{'real':<6} {'':>16} {'':>16} {la.sharpness(test.x).mean():>10.4f}")

# %% [markdown]
# ## 5. Attribute vectors
#
# Attributes of each held-out digit: its class (one-hot), its ink (mean intensity) and its slant
# (shear of the strokes). The paper fits an ordinary least-squares regression from codes to all
# attributes at once and uses the coefficients as directions; the common alternative takes the
# mean code of high minus low examples, which drags along every attribute correlated with the
# target. Walking each direction, the target should change monotonically and the others as
# little as possible (entanglement = change of another attribute per unit change of the target).

# %%
codes = np.asarray(gaia.encode(test.x), np.float64)
attributes = np.column_stack([la.ink_amount(test.x), la.slant(test.x), np.eye(10)[test.y]])
directions = {"regression": la.regression_directions(codes, attributes),
              "mean difference": la.mean_difference_directions(codes, attributes)}
measures = {"ink": la.ink_amount, "slant": la.slant}
walk = np.linspace(-2, 2, 5) * codes.std(0).mean()
for method, rows in directions.items():
    for index, target in ((0, "ink"), (1, "slant")):
        report = la.edit_report(lambda z: gaia.decode(z), codes[:300], rows[index], measures, target, walk)
        other = next(iter(report["entanglement"].items()))
        print(f"{method:<16} {target:<6} monotonic {report['monotonic']}, change {report['target_change']:+.4f}, "
              f"{other[0]} moves {other[1]:.2f} per unit")

fig, axes = plt.subplots(1, 2, figsize=(8, 10))
for ax, (index, target) in zip(axes, ((0, "ink"), (1, "slant"))):
    unit = directions["regression"][index] / np.linalg.norm(directions["regression"][index])
    edits = [np.asarray(gaia.decode((codes[:8] + step * unit).astype(np.float32))) for step in walk]
    # rows: 8 digits; columns: the 5 steps along the direction
    ax.imshow(image_grid(np.stack(edits, axis=1).reshape(-1, 28, 28, 1), columns=len(walk))[..., 0], cmap="gray")
    ax.set_title(f"{target}: regression direction, -2 .. +2"); ax.axis("off")

# %% [markdown]
# ## 6. Save, reload, export
#
# The balances are variables, so a reloaded model resumes with them; the export serves
# `encode`, `decode`, `reconstruct`, `interpolate(x1, x2, t)` and `sample` (from a Gaussian
# mixture fitted to the training codes, as for the plain AE).

# %%
import tempfile
workdir = tempfile.mkdtemp()
gaia.save(f"{workdir}/gaia.keras")
reloaded = keras.saving.load_model(f"{workdir}/gaia.keras")
print("balance after reload:", float(reloaded.discriminator_balance), "==", float(gaia.discriminator_balance))
path = export_model(gaia, f"{workdir}/export")
served = tf.saved_model.load(str(path))
print("signatures:", sorted(served.signatures))
x1, x2 = tf.constant(test.x[:3]), tf.constant(test.x[3:6])
served_mid = served.signatures["interpolate"](x1=x1, x2=x2, t=tf.constant([0.5] * 3))["images"]
print("served == keras:", bool(np.allclose(served_mid, gaia.interpolate(test.x[:3], test.x[3:6], np.full(3, 0.5, np.float32)), atol=1e-5)))
