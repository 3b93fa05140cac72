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
# # Learned codes: InfoGAN and BiGAN
#
# A plain GAN's z means nothing in particular: nearby z give similar images, but no coordinate
# says "digit" or "slant". InfoGAN (Chen et al. 2016, arXiv:1606.03657) splits the generator's
# input into incompressible noise and a few *codes* c -- on MNIST one categorical code with 10
# values and 2 continuous codes in [-1, 1] -- and adds to the GAN game a lower bound on the mutual
# information I(c; G(noise, c)): an auxiliary network Q, one extra head on the discriminator's
# trunk, must read c back from the image. Nothing tells the model what the codes should mean;
# the claim is that the categorical code ends up picking the digit and the continuous ones its
# style. BiGAN (Donahue et al. 2016, arXiv:1605.09782; ALI, Dumoulin et al. 2016) learns the
# other direction: an encoder E: x -> z trained jointly with the generator, because the
# discriminator judges (x, z) *pairs*. This notebook trains both on the offline MNIST and
# measures what their codes capture.
#
# The command-line equivalents are `keras-gans train infogan` and `keras-gans train bigan`;
# `python benchmarks/infogan.py` and `python benchmarks/bigan.py` run this notebook's
# measurements at the full budget, on three seeds. The test suite runs the
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
from keras_gans.data.pipeline import to_model_range
from keras_gans.export import export_model
from keras_gans.metrics import load_mnist_classifier
from keras_gans.metrics.codes import (
    categorical_code_report, continuous_code_report, encoder_report, matched_accuracy, nearest_neighbour_accuracy,
)
from keras_gans.metrics.latent_attributes import ink_amount, slant
from keras_gans.plotting import image_grid
from keras_gans.recipes import resolve

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
print("quick mode (KERAS_GANS_TUTORIAL_QUICK=1): budgets of seconds, so what is trained here is rough"
      if QUICK else "full mode: the budgets of keras-gans train")
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
print(f"confident, right Q: {abs(float(losses.categorical_information_loss([[20.0] + [0.0] * 9], np.eye(10)[:1]))):.6f}")
nll = float(losses.gaussian_information_loss([[0.5]], [[0.0]]))
print(f"Gaussian, sigma 1, c - mu = 0.5: {nll:.6f} = 0.5 log(2 pi) + 0.125 = {0.5 * math.log(2 * math.pi) + 0.125:.6f}")

# %% [markdown]
# ## 2. The model and its recipe
#
# `InfoGAN()` builds the paper's MNIST layout (its Appendix C.1): 62 noise dimensions, one 10-way
# categorical code, 2 continuous codes; a generator with a fully connected layer of 1024 units
# before the transposed convolutions, a discriminator with one after its convolutions, and Q as a
# small head (FC 128, batch norm) on that layer. The discriminator's real/fake head sees only the
# image. The recipe is what `keras-gans train infogan` runs: it narrows the noise to 16
# dimensions (within its budget, 62 leave the digit to the noise), and it makes Q read the
# categorical code through a random rotation (up to 20 degrees) and zoom (up to 10%) of each fake
# as well as from the fake itself (`invariance_rotation`, `invariance_zoom`; an option, not in the
# paper, after Elastic-InfoGAN). A code value that stands for a style, a slant or a size, does
# not survive the transform; one that stands for the digit does, so the code settles on digits.

# %%
recipe = resolve("infogan")
print("recipe:", recipe.epochs, "epochs x batch", recipe.batch_size, recipe.hyperparameters, recipe.learning_rates)
model = keras_gans.InfoGAN(seed=0, **recipe.hyperparameters)
print("latent:", model.noise_dim, "noise +", model.categorical_codes, "categorical +", model.continuous_codes, "continuous")
print("Q reads the trunk's", model.auxiliary_network.inputs[0].shape[-1], "features; the discriminator takes",
      len(model.discriminator.inputs), "input (the image)")

# %% [markdown]
# What Q sees besides each fake: the same image through the transform T (here applied to real
# digits, top row; T's draws come from the model's step noise).

# %%
model.begin_step()
originals = to_model_range(mnist.x[:8])
transformed = np.asarray(model.transform_for_codes(tf.constant(originals)))
plt.figure(figsize=(6, 1.6))
plt.imshow(image_grid(np.concatenate([originals, transformed]) * 0.5 + 0.5, columns=8)[..., 0], cmap="gray")
plt.axis("off"); plt.title("top: digits; bottom: T(digits), as Q reads them");

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
# # BiGAN: an encoder learned by the adversarial game
#
# ## 8. The pair discriminator, on hand-made numbers
#
# D sees real pairs (x, E(x)) and fake pairs (G(z), z). Its loss is the GAN's binary
# cross-entropy from logits, -log D(x, E(x)) - log(1 - D(G(z), z)); E and G together minimise the
# same loss with the pairs' labels swapped (non-saturating). With logits 0 everywhere D says 1/2
# to every pair and both losses are 2 log 2.

# %%
bigan_probe = keras_gans.BiGAN(data_shape=(8, 8, 1), latent_dim=4, base_filters=4)
zero = np.zeros((3, 1), np.float32)
print("D loss:", round(float(bigan_probe.discriminator_loss(zero, zero)), 6),
      " E/G loss:", round(float(bigan_probe.generator_encoder_loss(zero, zero)), 6), " 2 log 2 =", round(2 * math.log(2), 6))
x_probe = np.random.default_rng(0).uniform(size=(2, 8, 8, 1)).astype(np.float32)
z_a, z_b = np.zeros((2, 4), np.float32), np.ones((2, 4), np.float32)
print("D(x, z) changes with z alone:", not np.allclose(bigan_probe.discriminator_forward(x_probe, z_a),
                                                       bigan_probe.discriminator_forward(x_probe, z_b)))

# %% [markdown]
# ## 9. Train BiGAN
#
# On `mnist_train` (the split the project's classifier was trained on), measured on
# `mnist_test`, with the recipe `keras-gans train bigan` runs.

# %%
train_digits = load_dataset("mnist_train", num_samples=256 if QUICK else None)
test_digits = load_dataset("mnist_test", num_samples=200 if QUICK else None)
bigan_recipe = resolve("bigan")
print("recipe:", bigan_recipe.epochs, "epochs x batch", bigan_recipe.batch_size, bigan_recipe.hyperparameters)
bigan = keras_gans.BiGAN(data_shape=train_digits.data_shape, seed=0, **bigan_recipe.hyperparameters)
random_encoder = keras_gans.BiGAN(data_shape=train_digits.data_shape, seed=0, **bigan_recipe.hyperparameters)
bigan_epochs = 1 if QUICK else bigan_recipe.epochs
bigan.compile(optimizers=scheduled_optimizers(
    bigan, bigan_recipe, bigan_epochs * (len(train_digits.x) // bigan_recipe.batch_size)))
history = bigan.fit(make_pipeline(train_digits, bigan_recipe.batch_size, seed=0), epochs=bigan_epochs, verbose=0)
print({k: [round(v, 3) for v in values[-3:]] for k, values in history.history.items()})

# %% [markdown]
# ## 10. What the codes know: 1-nearest-neighbour digits
#
# The BiGAN paper's protocol: classify each test digit by the label of its nearest training
# digit, comparing E(x) codes (cosine distance), raw pixels, and the codes of an encoder that was
# never trained (random convolutions already keep much of the pixels' structure, so that is the
# bar a learned encoder must clear).

# %%
def encoded(model, x):
    return np.asarray(model.encode(x))


rows = {
    "pixels": nearest_neighbour_accuracy(train_digits.x, train_digits.y, test_digits.x, test_digits.y),
    "random encoder": nearest_neighbour_accuracy(encoded(random_encoder, train_digits.x), train_digits.y,
                                                 encoded(random_encoder, test_digits.x), test_digits.y),
}
bigan_report = encoder_report(bigan, classifier, train_digits, test_digits)
rows["BiGAN encoder"] = bigan_report["code_1nn"]
print("features          1-NN accuracy")
for name, accuracy in rows.items():
    print(f"{name:<17} {accuracy:.3f}")
print(f"reconstructions G(E(x)) the classifier labels as the input's digit: {bigan_report['reconstruction_agreement']:.3f}")

# %% [markdown]
# ## 11. Reconstructions and an interpolation
#
# Top row: test digits; below: G(E(x)). BiGAN never trains G(E(x)) to equal x -- it only makes
# the two kinds of pairs indistinguishable -- so reconstructions keep meaning (often the digit)
# more than pixels. Then the decoded path between the codes of two test digits.

# %%
x8 = test_digits.x[:8]
pairs = np.concatenate([x8, np.asarray(bigan.reconstruct(x8))])
plt.figure(figsize=(6, 2))
plt.imshow(image_grid(pairs, columns=8)[..., 0], cmap="gray"); plt.axis("off"); plt.title("x (top), G(E(x)) (bottom)")
t = np.linspace(0, 1, 8, dtype=np.float32)
path_images = np.asarray(bigan.interpolate(np.repeat(x8[:1], 8, 0), np.repeat(x8[1:2], 8, 0), t))
plt.figure(figsize=(6, 1))
plt.imshow(image_grid(path_images, columns=8)[..., 0], cmap="gray"); plt.axis("off"); plt.title("G((1 - t) E(x1) + t E(x2))");

# %%
bigan_path = export_model(bigan, tempfile.mkdtemp())
bigan_served = tf.saved_model.load(str(bigan_path))
print("BiGAN signatures:", sorted(bigan_served.signatures))
print("served encode == keras:", np.allclose(bigan_served.signatures["encode"](x=tf.constant(x8))["codes"],
                                             bigan.encode(x8), atol=1e-5))

# %% [markdown]
# ## 12. The shipped pretrained InfoGAN
#
# `saved_models/infogan_mnist` is what `keras-gans train infogan --seed 0` trains, shipped with
# the package. Each row fixes one value of the categorical code (the noise and the continuous
# codes vary along the row); `evaluate` matches code values to digits as section 5 does.

# %%
from keras_gans.evaluation import evaluate
from keras_gans.training import load_run

shipped = load_run("infogan_mnist")
rows = np.concatenate([np.array(shipped.sample(10, seed=[4, code], labels=code)) for code in range(10)])
plt.figure(figsize=(6, 6)); plt.imshow(image_grid(rows, columns=10)[..., 0], cmap="gray"); plt.axis("off")
plt.title("pretrained InfoGAN: one categorical code value per row");
metrics = evaluate(shipped, load_dataset("mnist"))
print("pretrained infogan_mnist:", {k: round(metrics[k], 3) for k in ("code_matched_accuracy", "confident_fraction", "fid")})

# %% [markdown]
# ## From the command line
#
# ```
# keras-gans train infogan --out runs/infogan
# keras-gans sample runs/infogan --n 64 --label 3 --out code3.png   # categorical code fixed to 3
# keras-gans train bigan --out runs/bigan
# keras-gans reconstruct runs/bigan --input digits.npy --out reconstructions.npy
# keras-gans export runs/bigan --out exported/bigan                  # encode, reconstruct, sample, ...
# ```
