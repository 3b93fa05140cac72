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
# # Unpaired translation: CycleGAN and DiscoGAN
#
# Two sets of images, no pairs between them: MNIST digits (domain A) and scikit-learn's 8x8
# digits at 28x28 (domain B), framed as MNIST was made (each digit resized into a 20x20 box,
# its centre of mass at the centre of the field), so the two differ in the style of their
# strokes: thin and sharp against thick and blurred. CycleGAN (Zhu et al.
# 2017, arXiv:1703.10593) and DiscoGAN (Kim et al. 2017, arXiv:1703.05192) learn G_AB: A -> B
# and G_BA: B -> A at once; each translation must fool the target domain's discriminator, and
# translating there and back must return the input (the cycle). Both domains are labelled, so
# we can count how often a translation keeps the digit: the classifier of the TARGET domain
# judges it.
#
# Command-line equivalents: `keras-gans train cyclegan` (MNIST <-> digits28 by default),
# `keras-gans translate RUN --input x.npy --out y.png`, and `python benchmarks/translation.py
# cyclegan` for the measurement at full budget. The test suite runs this notebook with
# `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds.

# %%
import os
import tempfile

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import keras_gans
from keras_gans import losses
from keras_gans.components.image_pool import ImagePool
from keras_gans.components.schedules import ConstantThenLinearDecay
from keras_gans.data import load_dataset, make_domain_pipeline
from keras_gans.export import export_model
from keras_gans.metrics import classify, load_mnist_classifier
from keras_gans.metrics.translation import load_digits28_classifier, translation_report
from keras_gans.plotting import image_grid

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
print("quick mode (KERAS_GANS_TUTORIAL_QUICK=1): budgets of seconds, so what is trained here is rough"
      if QUICK else "full mode: the budgets of keras-gans train")

# %% [markdown]
# ## Two domains
# `mnist_train` (4,000 digits) and `digits28_train` (797): unpaired, of different sizes. The
# pipeline shuffles each on its own, so which images meet in a batch changes every epoch.

# %%
mnist, digits = load_dataset("mnist_train"), load_dataset("digits28_train")
print("domain A:", mnist.x.shape, " domain B:", digits.x.shape)
plt.figure(figsize=(8, 2))
plt.imshow(image_grid(np.concatenate([mnist.x[:8], digits.x[:8]]), columns=8)[..., 0], cmap="gray")
plt.axis("off")
plt.show()

# %% [markdown]
# ## The four networks
# CycleGAN's generator is the paper's ResNet (c7s1-k, two stride-2 downsamplings, residual
# blocks, two upsamplings, reflection padding, instance norm); its discriminator a PatchGAN
# with one logit per patch. The widths here are CPU-sized (the paper: k = 64).

# %%
model = keras_gans.CycleGAN(mnist.data_shape, digits.data_shape, base_filters=8, residual_blocks=3)
for name in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b"):
    network = getattr(model, name)
    print(f"{name:<16} {network.count_params():>7} parameters, output {network.output_shape}")

# %% [markdown]
# ## Each loss on a hand case
# Cycle consistency and identity are mean absolute differences per pixel (the authors'
# `nn.L1Loss`; lambda = 10 is on that scale). The least-squares losses of D and G:

# %%
x = np.array([[[[0.0], [1.0]], [[-1.0], [0.5]]]], np.float32)
x_cycled = np.array([[[[0.5], [1.0]], [[1.0], [-0.5]]]], np.float32)
print("cycle L1:", float(losses.cycle_consistency_loss(x, x_cycled)), "= (0.5 + 0 + 2 + 1) / 4 = 0.875")
print("identity:", float(losses.identity_loss(x, x_cycled)))
d_real, d_fake = np.array([0.8, 1.2]), np.array([0.1, -0.3])
print("D loss:", round(float(losses.least_squares_discriminator_loss(d_real, d_fake)), 6),
      "= 1/2 mean((0.8-1)^2, (1.2-1)^2) + 1/2 mean(0.1^2, 0.3^2) =", 0.5 * 0.04 + 0.5 * 0.05)
print("G loss (paper's E[(D - 1)^2]):", round(2 * float(losses.least_squares_generator_loss(d_fake)), 6),
      "=", np.mean((d_fake - 1) ** 2))

# %% [markdown]
# The image pool: the discriminators see a history of 50 generated images. While filling it
# returns each new image; once full, a draw > 0.5 swaps the new image for a stored one.

# %%
pool = ImagePool((1, 1, 1), pool_size=2)
answers = pool.query(np.array([1, 2, 3, 4], np.float32).reshape(-1, 1, 1, 1),
                     replace_draws=np.array([0.9, 0.9, 0.9, 0.1], np.float32),
                     index_draws=np.array([0.0, 0.0, 0.0, 0.0], np.float32))
print("pool answers:", np.asarray(answers).ravel().tolist(), "stored:", np.asarray(pool.images).ravel().tolist())
print("holds:", np.asarray(answers).ravel().tolist() == [1, 2, 1, 4])

# %% [markdown]
# ## Training
# One G/F step then one D_X/D_Y step per batch; the rate is held for the first half of the
# run and decays linearly to 0 over the second (the paper's schedule).

# %%
batch_size, epochs = (16, 1) if QUICK else (16, 6)
steps = 4 if QUICK else None
pipeline = make_domain_pipeline(mnist, digits, batch_size, seed=0)
model.set_preview_inputs(mnist.x[:8], digits.x[:8])
total = (steps or len(mnist) // batch_size) * epochs
schedule = ConstantThenLinearDecay(2e-4, total // 2, total - total // 2)
model.compile(optimizers={role: keras.optimizers.Adam(schedule, beta_1=0.5) for role in model.optimizer_roles})
history = model.fit(pipeline.take(steps) if steps else pipeline, epochs=epochs, verbose=0)
print("cycle_loss_x per epoch:", [round(v, 3) for v in history.history["cycle_loss_x"]])

# %% [markdown]
# ## Triplets: input | translation | cycle
# Eight MNIST digits into the digits28 style and back, then eight digits28 digits.

# %%
plt.figure(figsize=(3, 16))
plt.imshow(image_grid(model.preview(), columns=3)[..., 0], cmap="gray")
plt.axis("off")
plt.show()

# %% [markdown]
# ## Is the digit kept?
# The classifier of the target domain judges 1,000 held-out images of each domain (200 in
# quick mode). `benchmarks/results/translation.md` has the full-budget figures. The
# "no translation" column is the same judge on the untranslated images: what a translation
# must improve on. The digits28 classifier learned from 797 digits by a few dozen writers,
# so it cannot read every MNIST writer's shapes: even MNIST digits reduced to 8x8 by hand,
# the way the scikit-learn digits were made, keep their class for it only about 78% of the time.

# %%
count = 200 if QUICK else 1000
mnist_test, digits_test = load_dataset("mnist_test"), load_dataset("digits28_test")
judge_a, judge_b = load_mnist_classifier(), load_digits28_classifier()
report = translation_report(model, mnist_test.x[:count], mnist_test.y[:count], digits_test.x[:count],
                            digits_test.y[:count], judge_a, judge_b)
untranslated = {  # the same judges on the images as they are
    "a_to_b": np.mean(classify(judge_b, mnist_test.x[:count])[0] == mnist_test.y[:count]),
    "b_to_a": np.mean(classify(judge_a, digits_test.x[:count])[0] == digits_test.y[:count]),
}
print("direction  class kept  no translation  cycle L1")
print(f"a_to_b     {report['class_kept_a_to_b']:.3f}       {untranslated['a_to_b']:.3f}           {report['cycle_l1_a']:.3f}")
print(f"b_to_a     {report['class_kept_b_to_a']:.3f}       {untranslated['b_to_a']:.3f}           {report['cycle_l1_b']:.3f}")

# %% [markdown]
# ## Export
# The SavedModel serves `translate_a_to_b` (also `serving_default`) and `translate_b_to_a`.

# %%
export_dir = export_model(model, os.path.join(tempfile.mkdtemp(), "cyclegan"))
served = tf.saved_model.load(str(export_dir))
x = mnist_test.x[:4]
translations = served.signatures["translate_a_to_b"](x=tf.constant(x))["translations"].numpy()
print("served == keras:", bool(np.allclose(translations, np.asarray(model.translate(x)), atol=1e-5)))
