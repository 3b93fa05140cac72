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
# # Autoencoders and autoencoder-GAN hybrids on MNIST, step by step
#
# Seven models share one base class, `AutoencodingModel`: an encoder, a decoder, a prior to
# sample from, and one inference API — `encode`, `decode`, `reconstruct`, `interpolate`,
# `sample` — that every model also exports for TF Serving. This notebook trains each on the
# 4,000 offline MNIST digits the project's classifier trained on (`mnist_train`) and judges it on
# the 1,000 digits neither has seen (`mnist_test`):
#
# 1. AE with an ex-post Gaussian-mixture sampler (Ghosh et al. 2020)
# 2. VAE (Kingma & Welling 2014)
# 3. AAE (Makhzani et al. 2015), with a 2-D code you can look at
# 4. VAE-GAN (Larsen et al. 2016)
# 5. CVAE-GAN (Bao et al. 2017): ask for a class, get it
# 6. Double GAN: an AAE's latent discriminator and a VAE-GAN's image discriminator
# 7. Unified AE-GAN: one network is both the encoder and the discriminator
#
# then interpolates between two digits with every model and compares them on one table.
# With the defaults each model trains for a few minutes on a 2-core CPU; the test suite runs the
# notebook with `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to seconds.

# %%
import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import keras_gans
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.metrics import (autoencoder_report, ks_per_dimension, load_mnist_classifier,
                                mmd_squared)
from keras_gans.plotting import image_grid

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
print("quick mode (KERAS_GANS_TUTORIAL_QUICK=1): budgets of seconds, so what is trained here is rough"
      if QUICK else "full mode: the budgets of keras-gans train")
NUM_TRAIN = 256 if QUICK else None        # None: all 4,000 training digits


def epochs_of(model_class):
    """The model's default budget (what `keras-gans train` uses), 1 epoch in quick mode."""
    return 1 if QUICK else keras_gans.recipes.resolve(model_class.registry_name).epochs


def show(images, title, ax=None):
    ax = ax or plt.figure(figsize=(4, 4)).gca()
    ax.imshow(image_grid(np.asarray(images))[..., 0], cmap="gray"); ax.set_title(title); ax.axis("off")


keras.utils.set_random_seed(0)
print("keras_gans", keras_gans.__version__, "| TensorFlow", tf.__version__, "| Keras", keras.__version__)

# %% [markdown]
# ## 0. Data and the yardstick
#
# `mnist_train` and `mnist_test` are exactly the split the project's MNIST classifier
# (`saved_models/mnist_classifier`) was trained and evaluated on, so held-out reconstructions are
# judged by a classifier that has not seen those digits either. Models train on images scaled to
# [-1, 1]; everything they return (`reconstruct`, `sample`, ...) is back in [0, 1].

# %%
train = load_dataset("mnist_train", num_samples=NUM_TRAIN)
test = load_dataset("mnist_test")
classifier = load_mnist_classifier()
print("train", train.x.shape, "test", test.x.shape, "test classes", np.bincount(test.y))
reports, models = {}, {}


def fit(model, batch_size=64, with_labels=False):
    model.compile()   # every role gets the paper's optimizer
    pipeline = make_pipeline(train, batch_size, with_labels=with_labels, seed=0)
    return model.fit(pipeline, epochs=epochs_of(type(model)), verbose=0)


def judge(name, model):
    report = autoencoder_report(model, classifier, test.x, test.y, num_samples=500)
    reports[name], models[name] = report, model
    print(name, {k: round(v, 3) for k, v in report.items() if not isinstance(v, list)})
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    labels = test.y[:36] if model.num_classes else None
    show(test.x[:36], "held-out digits", axes[0])
    show(model.reconstruct(test.x[:36], labels), "reconstructions", axes[1])
    sample_labels = np.arange(36) % 10 if model.num_classes else None
    show(model.sample(36, seed=1, labels=sample_labels), "samples from the prior", axes[2])


# %% [markdown]
# ## 1. AE: reconstruction, then a density fitted to the codes
#
# The loss is the Bernoulli negative log-likelihood of the pixels, -log p(x | z = E(x)), summed
# over pixels. The decoder outputs logits `a`; the image is sigmoid(a) (tanh(a/2) in the model's
# [-1, 1] range), so the loss is computed from logits, never from probabilities. A plain AE has no
# prior, so when `fit` ends it fits a 30-component Gaussian mixture to the training codes (stored
# in model variables, so it is saved and exported) and `sample` decodes draws from it.

# %%
ae = keras_gans.AE(data_shape=train.data_shape, latent_dim=16, seed=0)
history = fit(ae)
print("reconstruction loss per epoch:", np.round(history.history["reconstruction_loss"], 1))
print("mixture weights:", np.round(np.exp(np.asarray(ae.density_log_weights)), 3))
judge("ae", ae)

# %% [markdown]
# ## 2. VAE: the evidence lower bound
#
# Per example, loss = -E_q[log p(x|z)] + beta KL(q(z|x) || N(0, I)), with q(z|x) = N(mu, sigma^2)
# from the encoder, one reparameterised draw z = mu + sigma * epsilon, and the closed-form KL
# 1/2 sum(sigma^2 + mu^2 - 1 - log sigma^2) (tested against tensorflow-probability's). The
# encoder's log-variance is clipped to [-10, 10] so one bad batch cannot overflow exp().

# %%
vae = keras_gans.VAE(data_shape=train.data_shape, latent_dim=16, seed=0)
history = fit(vae)
for key in ("reconstruction_loss", "kl_loss"):
    print(f"{key:>20} per epoch:", np.round(history.history[key], 1))
judge("vae", vae)

# %% [markdown]
# ## 3. AAE: a GAN on the codes
#
# Each step has the paper's two phases: (1) reconstruction, (2) regularisation, in which a latent
# discriminator learns to tell **prior samples (real)** from **codes (fake)** and then the encoder
# learns to make its codes pass for prior samples. With a 2-dimensional code and the 10-spoke
# mixture prior we can look at the result: the codes should fill the spokes, coloured by digit.
# The two-sample statistics say how well: MMD^2 between codes and prior draws (next to MMD^2
# between two prior draws, the noise floor) and the per-dimension Kolmogorov-Smirnov statistic.

# %%
# A 2-D code: the reconstruction must move no faster than the code GAN (learning_rate 5e-4).
aae_2d = keras_gans.AAE(data_shape=train.data_shape, latent_dim=2, prior="mixture", learning_rate=5e-4, seed=0)
fit(aae_2d)
codes = np.asarray(aae_2d.encode(test.x))
prior_draws = np.asarray(aae_2d.draw_prior(len(codes), 7))
print(f"MMD^2(codes, prior) = {mmd_squared(codes, prior_draws):.4f}   "
      f"MMD^2(prior, prior) = {mmd_squared(np.asarray(aae_2d.draw_prior(len(codes), 8)), prior_draws):.4f}")
print("KS per dimension:", np.round(ks_per_dimension(codes, prior_draws), 3))
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5))
left.scatter(*prior_draws.T, s=3, c="gray"); left.set_title("prior samples (real for D_z)")
points = right.scatter(*codes.T, s=4, c=test.y, cmap="tab10"); right.set_title("codes of held-out digits")
fig.colorbar(points, ax=right, label="digit")
for ax in (left, right):
    ax.set_xlim(-2.5, 2.5); ax.set_ylim(-2.5, 2.5); ax.set_aspect("equal")

# %% [markdown]
# The default AAE (`keras-gans train aae`) uses an 8-dimensional normal prior, which keeps far
# more of each digit:

# %%
aae = keras_gans.AAE(data_shape=train.data_shape, seed=0)
fit(aae)
judge("aae", aae)

# %% [markdown]
# ## 4. VAE-GAN: similarity measured by a discriminator
#
# The VAE's pixel likelihood is replaced by a Gaussian likelihood of the discriminator's last
# convolutional features Dis_l (Larsen et al. 2016). Three networks, three optimizers, one forward
# pass: the encoder minimises KL + L_llike^Dis_l, the decoder gamma L_llike^Dis_l plus its GAN
# loss, and the discriminator tells x from both Dec(Enc(x)) and Dec(z_p).

# %%
vae_gan = keras_gans.VAEGAN(data_shape=train.data_shape, seed=0)
history = fit(vae_gan)
print("logged:", sorted(history.history))
judge("vae_gan", vae_gan)

# %% [markdown]
# ## 5. CVAE-GAN: ask for a class, get it
#
# Encoder E(x, c), generator G(z, c), a discriminator and a classifier (Bao et al. 2017). The
# generator learns by *mean feature matching* -- the mean discriminator features of its samples
# match those of real data, and per class the mean classifier features match -- plus pairwise
# feature matching between x and its reconstruction. `sample(n, labels=c)` draws class c; the
# report's `sample_label_agreement` is how often the classifier agrees.

# %%
cvae_gan = keras_gans.CVAEGAN(data_shape=train.data_shape, num_classes=10, seed=0)
fit(cvae_gan, with_labels=True)
judge("cvae_gan", cvae_gan)
fig, ax = plt.subplots(figsize=(6, 6))
show(cvae_gan.sample(100, seed=3, labels=np.repeat(np.arange(10), 10)), "rows: asked class 0..9", ax)

# %% [markdown]
# ## 6. Double GAN: two discriminators
#
# An AAE-style latent discriminator replaces the VAE's KL (real = prior draws, fake = codes), and a
# VAE-GAN-style image discriminator judges real x, reconstructions G(E(x)) and prior samples G(z).
# Four roles, four optimizers; `decoder_objective` chooses the plain min-max sum or VAE-GAN's
# gamma L_recon - L_GAN. Since only the latent discriminator ever sees p(z), p(z) need not be
# N(0, I): the default is `prior="clusters"`, twenty unit Gaussians with far-apart centres, so the
# decoder is never asked to decode a z between two clusters (where a unimodal prior makes it blend
# two digits). Every GAN term is computed from logits, and training stops with a clear message
# (no model saved) the moment any logged value is NaN.

# %%
double_gan = keras_gans.DoubleGAN(data_shape=train.data_shape, seed=0)
fit(double_gan)
judge("double_gan", double_gan)

# %% [markdown]
# ## 7. Unified AE-GAN: one network, two roles
#
# The encoder and the discriminator both map an image to a vector, so here they are one network
# with two heads (a code head and a real/fake logit head). Do the two roles' gradients fight over
# the shared trunk? The model logs the cosine between them every step (`gradient_cosine`) and
# whether it is negative (`gradient_conflict`); `gradient_combination="project"` removes the
# conflicting component (PCGrad) instead of summing.

# %%
unified = keras_gans.UnifiedAEGAN(data_shape=train.data_shape, seed=0)
history = fit(unified)
print("mean gradient cosine per epoch:   ", np.round(history.history["gradient_cosine"], 3))
print("fraction of conflicting steps:     ", np.round(history.history["gradient_conflict"], 3))
judge("unified_ae_gan", unified)

# %% [markdown]
# ## 8. Interpolating between two digits, with every model
#
# `interpolate(x1, x2, t)` decodes (1 - t) Enc(x1) + t Enc(x2) row by row (the conditional
# CVAE-GAN also blends the two one-hot labels). The same two held-out digits for all seven.

# %%
i, j = 0, int(np.flatnonzero(test.y != test.y[0])[0])
steps = np.linspace(0, 1, 9).astype(np.float32)
fig, axes = plt.subplots(len(models), 1, figsize=(9, 1.2 * len(models)))
for ax, (name, model) in zip(np.atleast_1d(axes), models.items()):
    if model.num_classes:
        strip = model.interpolate(test.x[[i] * 9], test.x[[j] * 9], steps,
                                  labels=[test.y[i]] * 9, labels2=[test.y[j]] * 9)
    else:
        strip = model.interpolate(test.x[[i] * 9], test.x[[j] * 9], steps)
    ax.imshow(np.concatenate(list(np.asarray(strip)[..., 0]), axis=1), cmap="gray")
    ax.set_ylabel(name, rotation=0, ha="right"); ax.set_xticks([]); ax.set_yticks([])

# %% [markdown]
# ## 9. One table
#
# Same data, same yardstick: reconstruction error and classifier accuracy on held-out digits,
# classifier-feature FID of reconstructions and of prior samples, and the fraction of samples the
# classifier is > 90% sure about. `python benchmarks/autoencoders.py ae vae aae vae_gan cvae_gan
# double_gan unified_ae_gan` produces the same table from the command-line defaults (the
# README's copy).

# %%
columns = ["reconstruction_mse", "reconstruction_accuracy", "reconstruction_fid",
           "sample_confident_fraction", "sample_fid", "sample_label_agreement"]
print(f"{'model':<16}" + "".join(f"{c[:22]:>24}" for c in columns))
for name, report in reports.items():
    print(f"{name:<16}" + "".join(f"{report[c]:>24.3f}" if c in report else f"{'-':>24}" for c in columns))

# %% [markdown]
# ## 10. The shipped pretrained VAE-GAN and CVAE-GAN
#
# `saved_models/vae_gan_mnist` and `saved_models/cvae_gan_mnist` are what `keras-gans train
# vae_gan --seed 0` and `keras-gans train cvae_gan --seed 0` train at their full budgets, shipped
# with the package: loaded by name and judged as `keras-gans evaluate NAME` does, on the
# held-out digits of section 0. CVAE-GAN's samples are asked for the digits 0-9, one per column.

# %%
from keras_gans.evaluation import evaluate
from keras_gans.training import load_run

fig, axes = plt.subplots(1, 2, figsize=(10, 5))
for ax, name in zip(axes, ("vae_gan_mnist", "cvae_gan_mnist")):
    shipped = load_run(name)
    labels = np.arange(50) % 10 if shipped.sample_label_count else None
    ax.imshow(image_grid(np.array(shipped.sample(50, seed=1, labels=labels)), columns=10)[..., 0], cmap="gray")
    ax.axis("off"); ax.set_title(name)
    metrics = evaluate(shipped, load_dataset("mnist_train"))
    print(f"pretrained {name}:", {k: round(v, 3) for k, v in metrics.items() if isinstance(v, float)})

# %% [markdown]
# ## From the command line
#
# ```
# keras-gans train vae_gan --out runs/vae_gan
# keras-gans train cvae_gan --out runs/cvae_gan
# keras-gans sample runs/cvae_gan --n 16 --label 7 --out sevens.png
# keras-gans reconstruct runs/vae_gan --input digits.npy --out reconstructions.npy
# keras-gans export runs/vae_gan --out exported/vae_gan     # encode, decode, reconstruct, interpolate, sample
# ```
