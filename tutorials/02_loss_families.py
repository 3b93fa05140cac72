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
# # What the players optimise: WGAN, WGAN-GP, least-squares, loss-sensitive, EBGAN, BEGAN and f-GAN
#
# Every model here has the same two players as the GAN of notebook 01 — a generator G(z) and a
# discriminator that looks at real and generated examples — and differs only in **what each player
# minimises**. The objectives, in the notation of the model docstrings (x ~ data, z ~ N(0, I),
# E = mean over the batch):
#
# | model | objective | paper |
# |---|---|---|
# | `gan` | L_D = -E[log D(x)] - E[log(1 - D(G(z)))];  L_G = -E[log D(G(z))] (non-saturating) | Goodfellow et al. 2014, arXiv:1406.2661 |
# | `wgan` | L_critic = E[f(G(z))] - E[f(x)], every critic weight clipped to [-c, c];  L_G = -E[f(G(z))] | Arjovsky, Chintala & Bottou 2017, arXiv:1701.07875 |
# | `wgan_gp` | L_critic = E[f(G(z))] - E[f(x)] + lambda E[(‖grad f(x_hat)‖ - 1)^2], x_hat = eps x + (1 - eps) G(z);  L_G = -E[f(G(z))] | Gulrajani et al. 2017, arXiv:1704.00028 |
# | `least_squares_gan` | L_D = 1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2];  L_G = 1/2 E[(D(G(z)) - c)^2] | Mao et al. 2017, arXiv:1611.04076 |
# | `loss_sensitive_gan` | S = gamma E[L(x)] + E[(Delta(x, G(z)) + L(x) - L(G(z)))_+] (gamma = 1/lambda, default 0);  T = E[L(G(z))] | Qi 2017, arXiv:1701.06264 |
# | `ebgan` | D(x) = ‖AE(x) - x‖^2;  L_D = D(x) + [m - D(G(z))]_+;  L_G = D(G(z)) + lambda_PT f_PT | Zhao, Mathieu & LeCun 2017, arXiv:1609.03126 |
# | `began` | L(v) = |v - AE(v)|;  L_D = L(x) - k_t L(G(z));  L_G = L(G(z));  k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1) | Berthelot, Schumm & Metz 2017, arXiv:1703.10717 |
# | `f_gan` | F = E[g_f(V(x))] - E[f*(g_f(V(G(z))))] <= D_f(P ‖ Q);  D maximises F, G maximises E[g_f(V(G(z)))] | Nowozin, Cseke & Tomioka 2016, arXiv:1606.00709 |
#
# The notebook first computes each loss **by hand on tiny tensors** (section 1), then trains every
# family on the PacGAN 8-Gaussian ring (section 2; Lin et al. 2018, arXiv:1712.04086) and two of
# them on MNIST (sections 3 and 4).
#
# With the defaults every recipe trains for its full budget, which takes hours on a 2-core CPU.
# The test suite runs it with `KERAS_GANS_TUTORIAL_QUICK=1`, which shrinks every budget to a few
# steps: the numbers then show that the code runs, not how well the models do.

# %%
import math
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import keras

import keras_gans
from keras_gans import losses, mixtures
from keras_gans.data import load_dataset, make_pipeline
from keras_gans.losses import energy, penalties
from keras_gans.losses.f_divergence import F_DIVERGENCES
from keras_gans.metrics import digit_report, load_mnist_classifier
from keras_gans.plotting import image_grid

# %matplotlib inline

QUICK = os.environ.get("KERAS_GANS_TUTORIAL_QUICK") == "1"
# Section 2: the ring8 comparison. None = each recipe's own budget (3,000 generator steps; WGAN-GP 6,000).
MIXTURE_RECIPES = ["gan", "wgan_gp", "least_squares_gan", "began", "f_gan:kl"] if QUICK else list(mixtures.RECIPES)
MIXTURE_STEPS = 25 if QUICK else None
# Sections 3 and 4: MNIST. None = all 5,000 digits.
MNIST_SAMPLES = 256 if QUICK else None
BEGAN_EPOCHS = 2 if QUICK else keras_gans.recipes.resolve("began").epochs
WGAN_GP_SAMPLES = 640 if QUICK else None   # a WGAN-GP fit batch holds 5 x 64 digits
WGAN_GP_EPOCHS = 1 if QUICK else keras_gans.recipes.resolve("wgan_gp").epochs
keras.utils.set_random_seed(0)
print("keras_gans", keras_gans.__version__, "| TensorFlow", tf.__version__, "| Keras", keras.__version__)
print("quick mode" if QUICK else "full mode", "| ring8 recipes:", ", ".join(MIXTURE_RECIPES))

# %% [markdown]
# ## 1. The losses, by hand
#
# Every formula lives once, in `keras_gans.losses` (`adversarial.py`, `penalties.py`, `energy.py`,
# `f_divergence.py`), as a pure function of tensors; the models only call them. So we can check
# them on numbers small enough to do in our heads.
#
# ### 1.1 The discriminator's raw output and the generator's gradient
#
# The discriminator of `gan`, `least_squares_gan`, `wgan`, `wgan_gp` and `f_gan` outputs one raw
# number l per example (a logit, a regression output, a critic score, V(x)). What the generator
# learns from is dL_G/dl at its fakes. Early in training the discriminator rejects the fakes
# (l very negative): the original minimax loss log(1 - sigmoid(l)) is then flat — its gradient
# vanishes — which is why Goodfellow et al. train with the non-saturating loss instead. The
# least-squares loss keeps pulling in proportion to the distance from the target c, the
# Wasserstein loss pulls with a constant slope everywhere.

# %%
logits = tf.constant(np.linspace(-6.0, 6.0, 241), tf.float32)
generator_losses = {
    "minimax  log(1 - sigmoid(l))": losses.minimax_generator_loss,
    "non-saturating  -log sigmoid(l)": losses.non_saturating_generator_loss,
    "least squares  (l - 1)^2 / 2": losses.least_squares_generator_loss,
    "Wasserstein  -l": losses.wasserstein_generator_loss,
}
plt.figure(figsize=(6, 3.5))
for label, loss_fn in generator_losses.items():
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = loss_fn(logits)
    # Every loss is a batch mean, so n * d(mean)/d l_i is the per-example derivative.
    slope = tape.gradient(loss, logits) * logits.shape[0]
    plt.plot(logits, slope, label=label)
plt.axhline(0, color="gray", lw=0.5); plt.ylim(-4, 2)
plt.xlabel("discriminator output l at a fake"); plt.ylabel("dL_G / dl"); plt.legend(fontsize=8)
plt.title("what the generator is told");

real, fake = tf.constant([2.0, 1.0]), tf.constant([-1.0, 0.5])
by_hand = np.mean(np.log1p(np.exp(-np.array([2.0, 1.0])))) + np.mean(np.log1p(np.exp(np.array([-1.0, 0.5]))))
print(f"minimax D loss       {float(losses.minimax_discriminator_loss(real, fake)):.6f}"
      f" = mean(softplus(-real)) + mean(softplus(fake)) = {by_hand:.6f}")
print(f"least-squares D loss {float(losses.least_squares_discriminator_loss(real, fake)):.6f}"
      f" = 1/2 mean((real - 1)^2) + 1/2 mean(fake^2) = {0.5 * (1.0 + 0.0) / 2 + 0.5 * (1.0 + 0.25) / 2:.6f}")
print(f"Wasserstein critic   {float(losses.wasserstein_critic_loss(real, fake)):.6f}"
      f" = mean(fake) - mean(real) = {(-1.0 + 0.5) / 2 - (2.0 + 1.0) / 2:.6f}")

# %% [markdown]
# ### 1.2 Keeping the critic Lipschitz: weight clipping and the gradient penalty
#
# The Wasserstein critic must be 1-Lipschitz. WGAN clips every weight to [-c, c] after each critic
# step (`penalties.clip_weights`); WGAN-GP instead penalises (‖grad f(x_hat)‖ - 1)^2 at random
# points x_hat between a real and a fake example (`penalties.gradient_penalty`, without its weight
# lambda = 10).
#
# For a **linear** critic f(x) = w . x the gradient is w everywhere, so the penalty must equal
# (‖w‖ - 1)^2 whatever the points: 16 for w = (3, 4), 0 for a unit vector.

# %%
rng = np.random.default_rng(0)
x_real = rng.normal(size=(8, 2)).astype("float32")
x_fake = rng.normal(size=(8, 2)).astype("float32")
epsilon = rng.uniform(size=8).astype("float32")    # one eps per example
for w in ([3.0, 4.0], [0.6, 0.8], [0.1, 0.0]):
    weights = tf.constant([w], tf.float32)           # (1, 2)
    linear_critic = lambda x: tf.reduce_sum(x * weights, axis=1)
    gp = float(penalties.gradient_penalty(linear_critic, x_real, x_fake, epsilon))
    expected = (np.linalg.norm(w) - 1.0) ** 2
    print(f"w = {w}: gradient penalty {gp:.6f}   (||w|| - 1)^2 = {expected:.6f}")

critic_weights = tf.Variable([[0.5, -0.003], [0.02, -2.0]])
penalties.clip_weights([critic_weights], clip_value=0.01)
print("clipped to [-0.01, 0.01]:", np.round(critic_weights.numpy(), 4).tolist())

# %% [markdown]
# ### 1.3 f-GAN: activations, conjugates and the Fenchel inequality
#
# An f-divergence D_f(P ‖ Q) = E_Q[f(p/q)] has the lower bound F = E_P[T] - E_Q[f*(T)] for any
# T in the domain of the Fenchel conjugate f*(t) = sup_u [t u - f(u)]. The f-GAN writes
# T = g_f(V) with V the discriminator's raw output and an output activation g_f that keeps T in
# that domain (Nowozin et al., Table 2). The whole bound rests on the **Fenchel(-Young)
# inequality** f*(t) >= t u - f(u) for every u > 0, with equality at t = f'(u).
#
# Each panel plots, against v, the activation g_f(v), the conjugate f*(g_f(v)) (the library writes
# it in closed form in v, so it stays finite at extreme logits) and the lower bounds
# g_f(v) u - f(u) for u = 0.5, 1, 2: each dashed curve stays below the black one and touches it
# where g_f(v) = f'(u). For u = 1 the bound is g_f(v) itself, since f(1) = 0 (except for `gan`,
# whose f(1) = -log 4), so the orange curve hides the blue one.

# %%
v = tf.constant(np.linspace(-3.0, 3.0, 301))          # float64: the check below is exact to ~1e-15
u_values = (0.5, 1.0, 2.0)
fig, axes = plt.subplots(2, 4, figsize=(16, 7), sharex=True)
for ax, (name, d) in zip(axes.flat, F_DIVERGENCES.items()):
    t = np.asarray(d.activation(v))
    conjugate = np.asarray(d.conjugate_of_activation(v))
    ax.plot(v, t, color="tab:blue", label="g_f(v)")
    ax.plot(v, conjugate, color="black", lw=2, label="f*(g_f(v))")
    for u in u_values:
        f_u = float(d.generator_function(tf.constant(u, tf.float64)))
        ax.plot(v, t * u - f_u, "--", lw=1, label=f"g_f(v) * {u} - f({u})")
    ax.set_ylim(-3, 4); ax.set_title(name); ax.axhline(0, color="gray", lw=0.5)
axes.flat[0].legend(fontsize=7)
axes.flat[-1].axis("off")
for ax in axes[-1]:
    ax.set_xlabel("v (raw discriminator output)")
plt.tight_layout()

# The inequality on a grid of v and u (the dashed curves were three of these u).
u_grid = tf.constant(np.linspace(0.02, 6.0, 300))
print(f"{'divergence':<18} {'min over v, u of f*(g(v)) - (g(v) u - f(u))':>44}")
for name, d in F_DIVERGENCES.items():
    t = np.asarray(d.activation(v))[:, None]
    gap = np.asarray(d.conjugate_of_activation(v))[:, None] - (t * np.asarray(u_grid)[None, :]
                                                              - np.asarray(d.generator_function(u_grid))[None, :])
    print(f"{name:<18} {gap.min():>44.2e}   holds: {bool(gap.min() > -1e-9)}")

# %% [markdown]
# The bound is tight at the optimal discriminator T*(x) = f'(p(x)/q(x)). For `kl` and `pearson`
# the activation is the identity, so V* = T* directly: with f(u) = u log u, T* = 1 + log(p/q);
# with f(u) = (u - 1)^2, T* = 2 (p/q - 1). On two distributions over three points, F at V* is the
# exact divergence and any other V gives less — which is what the f-GAN discriminator climbs.

# %%
p = np.array([0.5, 0.3, 0.2])
q = np.array([0.2, 0.3, 0.5])
optimal = {"kl": 1.0 + np.log(p / q), "pearson": 2.0 * (p / q - 1.0)}
for name, v_star in optimal.items():
    d = F_DIVERGENCES[name]
    exact = float(np.sum(q * np.asarray(d.generator_function(tf.constant(p / q)))))

    def bound(values):
        values = tf.constant(values)
        return float(np.sum(p * np.asarray(d.activation(values))) - np.sum(q * np.asarray(d.conjugate_of_activation(values))))

    print(f"{name:<8} D_f(P||Q) = {exact:.6f}   F(V*) = {bound(v_star):.6f}   "
          f"F(V* + noise) = {bound(v_star + np.array([0.3, -0.2, 0.1])):.6f}")

# For divergence="gan" the f-GAN discriminator loss is exactly the GAN's.
real, fake = tf.constant([2.0, 1.0]), tf.constant([-1.0, 0.5])
print(f"f-GAN('gan') D loss {float(losses.f_gan_discriminator_loss(real, fake, 'gan')):.6f}"
      f" == GAN D loss {float(losses.minimax_discriminator_loss(real, fake)):.6f}")

# %% [markdown]
# ### 1.4 Least squares and loss-sensitive
#
# Least squares regresses D to b = 1 on data and a = 0 on fakes (the paper's experimental coding;
# a, b, c = -1, 1, 0 makes the game minimise the Pearson chi^2 divergence, eq. 9). The
# loss-sensitive GAN learns a loss L(x) and asks that a real example's loss undercut its paired
# fake's by at least their L1 distance Delta(x, G(z)); pairs that already do cost nothing
# (gamma weighs the paper's E[L(x)] term: 1/lambda, 0 by default as in the author's code).

# %%
d_real = tf.constant([1.0, 0.8])
zero_one = float(losses.least_squares_discriminator_loss(d_real, tf.constant([0.0, 0.4])))
pearson_coding = float(losses.least_squares_discriminator_loss(d_real, tf.constant([-1.0, 0.4]), a=-1.0, b=1.0))
print(f"least squares, 0-1 coding:  {zero_one:.4f} = 1/2 (0 + 0.04)/2 + 1/2 (0 + 0.16)/2 = 0.05")
print(f"least squares, -1/1 coding: {pearson_coding:.4f} = 1/2 (0 + 0.04)/2 + 1/2 (0 + 1.96)/2 = 0.5")

x = tf.constant([[0.0, 0.0], [1.0, 1.0]])
x_generated = tf.constant([[0.5, 0.5], [1.0, 0.8]])
delta = energy.l1_margin(x, x_generated)             # ||x - G(z)||_1 per pair (the paper's): [1.0, 0.2]
real_loss, fake_loss = tf.constant([0.1, 0.2]), tf.constant([0.3, 0.9])
s = energy.loss_sensitive_discriminator_loss(real_loss, fake_loss, delta, gamma=1.0)
# pair 1: 1.0 + 0.1 - 0.3 = 0.8 > 0 (penalised); pair 2: 0.2 + 0.2 - 0.9 < 0 (free)
print("Delta =", np.round(delta.numpy(), 4).tolist(), f"| S = {float(s):.4f} = gamma mean(L(x)) + mean(hinge) = 0.15 + (0.8 + 0)/2 = 0.55")

# %% [markdown]
# ### 1.5 EBGAN: energy with a margin
#
# The EBGAN discriminator is an autoencoder; its energy D(x) is the reconstruction error. It is
# pushed down on data and up on fakes, but only until a fake's energy reaches the margin m: past
# the margin a fake gets no gradient at all. The pulling-away term f_PT (mean squared cosine
# similarity between the codes of different fakes) is 1 for a collapsed batch and 0 for
# orthogonal codes.

# %%
real_energy = tf.constant([0.1, 0.2])
fake_energy = tf.constant([0.5, 1.5])      # the second fake is already beyond the margin m = 1
with tf.GradientTape() as tape:
    tape.watch(fake_energy)
    loss = energy.ebgan_discriminator_loss(real_energy, fake_energy, margin=1.0)
print(f"L_D = {float(loss):.4f} = mean(0.1, 0.2) + mean([1 - 0.5]_+, [1 - 1.5]_+) = 0.15 + 0.25 = 0.4")
print("dL_D / d D(G(z)) =", (tape.gradient(loss, fake_energy).numpy() + 0.0).tolist(), "(no push past the margin)")
print(f"f_PT, collapsed batch:  {float(energy.pulling_away_term(tf.ones([4, 8]))):.4f}")
print(f"f_PT, orthogonal codes: {float(energy.pulling_away_term(tf.eye(4))):.4f}")

# %% [markdown]
# ### 1.6 BEGAN: the equilibrium controller k_t
#
# BEGAN's discriminator minimises L(x) - k_t L(G(z)): k_t (in [0, 1]) decides how much it attends to
# the fakes. k_t is not trained by gradient descent but by a proportional controller that keeps
# E[L(G(z))] = gamma E[L(x)]: it grows while the fakes are reconstructed too well
# (gamma L(x) > L(G(z))) and shrinks otherwise, clipped to [0, 1]. The convergence measure
# M_global = L(x) + |gamma L(x) - L(G(z))| is small when the autoencoder reconstructs data well
# *and* the game is at equilibrium.
#
# Below, a toy run with L(x) = 0.2 fixed and L(G(z)) falling from 0.3 to 0 (lambda_k = 0.02, larger
# than the paper's 0.001 to make the effect visible in 300 steps): k_t stays clipped at 0 while
# the fakes are still bad, starts growing once L(G(z)) < gamma L(x) = 0.1, and M_global bottoms
# out at the equilibrium.

# %%
gamma, lambda_k = 0.5, 0.02
real_l1 = tf.constant(0.2)
k, ks, m_global = tf.constant(0.0), [], []
fake_l1_values = np.linspace(0.3, 0.0, 300).astype("float32")
for fake_l1 in fake_l1_values:
    k = energy.began_k_update(k, real_l1, fake_l1, gamma, lambda_k)
    ks.append(float(k))
    m_global.append(float(energy.began_convergence(real_l1, fake_l1, gamma)))
print("one step from k = 0.5 (lambda_k = 0.1, L(x) = 0.2):",
      f"L(G(z)) = 0.05, fakes too good -> k = {float(energy.began_k_update(0.5, 0.2, 0.05, gamma, 0.1)):.4f}",
      f"| L(G(z)) = 0.30, fakes too bad -> k = {float(energy.began_k_update(0.5, 0.2, 0.30, gamma, 0.1)):.4f}")
began_loss = float(energy.began_discriminator_loss(tf.constant([0.2]), tf.constant([0.1]), 0.5))
print(f"L_D = L(x) - k L(G(z)) = {began_loss:.4f} = 0.2 - 0.5 * 0.1")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3))
ax1.plot(fake_l1_values, label="L(G(z))"); ax1.axhline(gamma * 0.2, ls="--", color="gray", label="gamma L(x)")
ax1.plot(ks, label="k_t"); ax1.set_xlabel("step"); ax1.legend()
ax2.plot(m_global); ax2.set_xlabel("step"); ax2.set_title("M_global");

# %% [markdown]
# ## 2. Mode coverage on the 8-Gaussian ring (PacGAN protocol)
#
# Each model's mixture recipe lives in `keras_gans.recipes` (`mixtures.RECIPES` lists them: MLP players
# 3 x 256, z in R^2, each optimizer's learning rate annealed to 0 with a cosine schedule, 3,000
# generator steps, or 6,000 for WGAN-GP, whose critic makes 2 updates per generator step instead
# of the paper's 5: that is faster and gives 92% high-quality samples instead of 82%;
# `mixtures.recipe(name)` shows the resolved settings). `train_mixture_model`
# trains one exactly as `keras-gans train MODEL --dataset ring8` does and returns (model, data, seconds). We draw 2,500 samples and score them like PacGAN
# (Lin et al. 2018, arXiv:1712.04086): a sample is *high quality* within 3 standard deviations of
# its nearest mode, a mode is *captured* if it has at least one high-quality sample, and the
# reverse KL compares the high-quality samples' mode histogram with the uniform one (0 is
# perfect, log 8 = 2.08 is everything on one mode).
#
# Three recipes add something the paper's objective does not have, each because the plain
# objective fails on this data in a way worth seeing (measured on seed 0):
#
# - `wgan` clips to c = 0.1, not the paper's 0.01: that value was set for convolutional critics with
#   batch norm, and a 3 x 256 MLP critic clipped to 0.01 is nearly constant, so its generator blurs
#   over the ring (0.1% high-quality samples; 95% at c = 0.1).
# - `f_gan:kl`, `f_gan:pearson`, `f_gan:squared_hellinger` and `f_gan:total_variation` add the R1
#   penalty (gamma / 2) E_P[‖grad V(x)‖^2] (`r1_weight=1`, Mescheder et al. 2018): the unbounded
#   conjugates let V run to infinity where only real data lies and tanh(v)/2 saturates; without R1
#   the first three and TV capture 1, 2, 8 and 0 of 8 modes on seed 0 (Hellinger 4/8 on seed 1),
#   with it 8 of 8 on seeds 0, 1 and 2.
# - `f_gan:reverse_kl` trains G with the minimax loss -E[V(G(z)) - 1], linear in V: the alternative
#   loss E[exp(-V(G(z)))] overflows to NaN once the discriminator is confident.
#
# `began` uses lambda_k = 1 (2D energies are ~50 times smaller than image energies) and a 1-unit
# code (a wider autoencoder learns the identity of the plane); it still covers only 2 of 8 modes.
#
# One seed is one draw: for the table over seeds 0, 1, 2 (ring8 and grid25) run
# `python benchmarks/mode_coverage.py`; `mixtures.train_on_mixture(name, dataset, seed)` gives any
# single cell of such a table for any recipe.

# %%
print("the gan recipe:", mixtures.recipe("gan"))
results = {}
for name in MIXTURE_RECIPES:
    model, ring, seconds = mixtures.train_mixture_model(name, "ring8", seed=0, steps=MIXTURE_STEPS)
    samples = np.array(model.sample(2500, seed=1000))
    report = mixtures.judge_samples(samples, ring)    # a diverged generator counts 0 modes
    results[name] = (samples, report, seconds)

columns = min(5, len(results))
rows = math.ceil(len(results) / columns)
fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.6 * rows), squeeze=False)
for ax, (name, (samples, report, _)) in zip(axes.flat, results.items()):
    ax.scatter(*samples[np.isfinite(samples).all(axis=1)].T, s=1, alpha=0.3)
    ax.scatter(*ring.modes.T, marker="x", color="red", s=25)
    ax.set_xlim(-1.6, 1.6); ax.set_ylim(-1.6, 1.6); ax.set_aspect("equal"); ax.set_xticks([]); ax.set_yticks([])
    ax.set_title(f"{name}: {report['modes_captured']}/{report['num_modes']}", fontsize=9)
for ax in axes.flat[len(results):]:
    ax.axis("off")
plt.tight_layout()

print("ring8, seed 0, 2,500 samples")
print(f"{'recipe':<22}{'steps':>7}{'modes':>7}{'high quality':>14}{'reverse KL':>12}{'seconds':>9}")
for name, (_, r, seconds) in results.items():
    steps = MIXTURE_STEPS or mixtures.recipe(name).steps
    modes = f"{r['modes_captured']}/{r['num_modes']}"
    print(f"{name:<22}{steps:>7}{modes:>7}{r['high_quality_fraction']:>14.3f}{r['reverse_kl']:>12.3f}{seconds:>9.1f}")

# %% [markdown]
# ## 3. BEGAN on MNIST
#
# BEGAN's appeal is its convergence measure: unlike the two losses of a GAN, M_global falls as the
# samples improve, so it can be watched like a supervised loss. `fit`'s history has it per epoch
# as `convergence` (the epoch mean), next to the controller `k`.
#
# The discriminator is a deliberately shallow autoencoder (one convolution, a linear 32-unit code,
# one transposed convolution, no batch norm): a deep one also reconstructs the smooth textures an
# early generator draws, so G lowers its energy without drawing digits and k_t falls to 0 for good
# (0% of samples recognised). The command-line recipe (`keras_gans.recipes.resolve("began")`)
# sets gamma = 1 and Adam(2e-4, beta_1 0.5): on 5,000 digits a generator's samples never become
# twice as easy to autoencode as the data, so with the paper's gamma = 0.5 k_t stays at 0.

# %%
mnist = load_dataset("mnist", num_samples=MNIST_SAMPLES)
recipe = keras_gans.recipes.resolve("began").hyperparameters    # {"gamma": 1.0, "learning_rate": 2e-4}
began = keras_gans.BEGAN(data_shape=(28, 28, 1), seed=0, **recipe)
began.compile()
history = began.fit(make_pipeline(mnist, 64, seed=0), epochs=BEGAN_EPOCHS, verbose=0 if QUICK else 2)
print("M_global per epoch:", " ".join(f"{value:.4f}" for value in history.history["convergence"]))
print("k per epoch:       ", " ".join(f"{value:.5f}" for value in history.history["k"]))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3))
ax1.plot(history.history["convergence"], marker="o"); ax1.set_title("M_global (convergence)"); ax1.set_xlabel("epoch")
ax2.plot(history.history["k"], marker="o"); ax2.set_title("k_t"); ax2.set_xlabel("epoch");

# %%
classifier = load_mnist_classifier()
plt.imshow(image_grid(np.array(began.sample(64, seed=1)))[..., 0], cmap="gray"); plt.axis("off"); plt.title("BEGAN samples")
report = digit_report(classifier, np.array(began.sample(1000, seed=2)), real_images=mnist.x[:1000])
print("BEGAN", {k: report[k] for k in ("confident_fraction", "mean_confidence", "fid")})
print("samples per class:", report["class_histogram"])

# %% [markdown]
# ## 4. WGAN-GP on MNIST
#
# The same pattern with the Wasserstein critic: 5 critic steps per generator step, each on a fresh
# real minibatch, so a fit batch holds 5 x 64 digits (the recipe's `batch_size`). The
# negated critic loss -L_critic = E[f(x)] - E[f(G(z))] estimates the Wasserstein-1 distance; the
# logged `gradient_penalty` is the weighted term lambda * GP. The critic uses layer norm, not batch
# norm: the penalty is per example.
#
# The class keeps the paper's Adam(1e-4, 0, 0.9), set for 200k generator steps; this budget buys about
# 400, so the command-line recipe (`keras_gans.recipes.resolve("wgan_gp")`) raises the learning rate
# to 5e-4: 33% of samples recognised at 1e-4, 61% at 5e-4 (`benchmarks/mnist_quality.py`).

# %%
digits = load_dataset("mnist", num_samples=WGAN_GP_SAMPLES)
recipe = keras_gans.recipes.resolve("wgan_gp").hyperparameters    # {"learning_rate": 5e-4}
wgan_gp = keras_gans.WGANGP(data_shape=(28, 28, 1), seed=0, **recipe)
wgan_gp.compile()
history = wgan_gp.fit(make_pipeline(digits, keras_gans.recipes.resolve("wgan_gp").batch_size, seed=0),
                      epochs=WGAN_GP_EPOCHS, verbose=0 if QUICK else 2)
print("Wasserstein estimate per epoch:", " ".join(f"{-value:.3f}" for value in history.history["critic_loss"]))
print("lambda * GP per epoch:         ", " ".join(f"{value:.3f}" for value in history.history["gradient_penalty"]))
plt.imshow(image_grid(np.array(wgan_gp.sample(64, seed=1)))[..., 0], cmap="gray"); plt.axis("off"); plt.title("WGAN-GP samples")
report = digit_report(classifier, np.array(wgan_gp.sample(1000, seed=2)), real_images=digits.x[:1000])
print("WGAN-GP", {k: report[k] for k in ("confident_fraction", "mean_confidence", "fid")})

# %% [markdown]
# ## 5. The shipped pretrained WGAN-GP
#
# `saved_models/wgan_gp_mnist` is what `keras-gans train wgan_gp --seed 0` trains (the recipe of
# section 4 at its full budget), shipped with the package: loaded by name and measured as
# `keras-gans evaluate wgan_gp_mnist` does.

# %%
from keras_gans.evaluation import evaluate
from keras_gans.training import load_run

pretrained = load_run("wgan_gp_mnist")
plt.imshow(image_grid(np.array(pretrained.sample(64, seed=1)))[..., 0], cmap="gray"); plt.axis("off")
plt.title("pretrained WGAN-GP (wgan_gp_mnist)");
metrics = evaluate(pretrained, load_dataset("mnist"))
print("pretrained wgan_gp_mnist:", {k: round(metrics[k], 3) for k in ("confident_fraction", "fid")})

# %% [markdown]
# ## From the command line
#
# ```
# keras-gans list                                                    # every model and dataset
# keras-gans train wgan_gp --out runs/wgan_gp                        # section 4, full budget
# keras-gans train began --out runs/began                            # section 3; history.csv has convergence and k
# keras-gans train f_gan --set divergence=kl --dataset ring8 --out runs/f_gan_kl
# keras-gans train least_squares_gan --set a=-1 --set b=1 --set c=0  # the Pearson chi^2 coding
# keras-gans sample runs/began --n 64 --out began.png
# python benchmarks/mode_coverage.py --seeds 0 1 2                   # the 3-seed mode-coverage table
# ```
