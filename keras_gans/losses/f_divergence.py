"""f-GAN losses: variational divergence minimisation, from the discriminator's raw outputs.

Nowozin, Cseke & Tomioka 2016, "f-GAN: Training Generative Neural Samplers using Variational
Divergence Minimization" (arXiv:1606.00709). Any f-divergence

    D_f(P || Q) = E_Q[f(p(x) / q(x))]        (f convex; f(1) = 0 except for "gan")

has the variational lower bound (Fenchel conjugate f*(t) = sup_u [t u - f(u)], eq. 4)

    D_f(P || Q) >= F = E_P[T(x)] - E_Q[f*(T(x))],

tight at T*(x) = f'(p(x) / q(x)). The variational function is T(x) = g_f(V(x)), with V(x) the
discriminator's raw output (logit, any real) and g_f an output activation whose range lies in
the domain of f* (Table 2). The discriminator maximises F, the generator minimises it; in
practice (section 3.2) the generator maximises E_Q[g_f(V(G(z)))] instead (the "alternative",
non-saturating form).

For every divergence both g_f(v) and the composition f*(g_f(v)) are written in closed form in
terms of v, so the losses stay finite at extreme logits. Composing the two naively is not
stable: for "squared_hellinger" at v = 30, float32 rounds g_f(v) = 1 - exp(-30) to 1 and
f*(g_f(v)) = t / (1 - t) = inf, whereas the closed form is exp(30) - 1 ~ 1.07e13 (likewise
"jensen_shannon": -log(2 - exp(log 2)) = inf instead of softplus(30) - log 2). Losses cast the
outputs to float32 first (mixed precision) and take the mean over all axes, so PatchGAN outputs
of any rank work unchanged.

Identities used (sigma = sigmoid): log sigma(v) = -softplus(-v), log(1 - sigma(v)) = -softplus(v),
softplus(v) - softplus(-v) = v.
"""

import dataclasses
import math
from typing import Callable

from keras import ops

from keras_gans.losses._common import _f32, _mean

_LOG2 = math.log(2.0)


def _xlogx(u):
    """u log u with the continuous extension 0 log 0 = 0 (dtype-preserving)."""
    positive = u > 0
    return ops.where(positive, u * ops.log(ops.where(positive, u, ops.ones_like(u))), 0.0)


@dataclasses.dataclass(frozen=True)
class FDivergence:
    """One f-divergence of the f-GAN family (Nowozin et al. 2016, Tables 1 and 2).

    Attributes:
        name: registry name.
        generator_function: f(u), the convex generator (u > 0); f(1) = 0 except for "gan",
            whose f (as in the paper) has f(1) = -log 4.
        activation: g_f(v), maps a raw discriminator output to the conjugate's domain.
        conjugate: f*(t), the Fenchel conjugate (meaningful on its domain only).
        conjugate_of_activation: f*(g_f(v)), written in closed, stable form in terms of v.
        description: the divergence, its formulas and the conjugate's domain, in words.

    All four functions use `keras.ops` and preserve their input's floating dtype; the loss
    functions below cast to float32 before calling them.
    """

    name: str
    generator_function: Callable
    activation: Callable
    conjugate: Callable
    conjugate_of_activation: Callable
    description: str


# --- Table 2 of Nowozin et al. 2016, each conjugate-of-activation derived in v ------------------

# Kullback-Leibler: f(u) = u log u, f*(t) = exp(t - 1), g(v) = v  =>  f*(g(v)) = exp(v - 1).
_KL = FDivergence(
    name="kl",
    generator_function=_xlogx,
    activation=lambda v: v,
    conjugate=lambda t: ops.exp(t - 1.0),
    conjugate_of_activation=lambda v: ops.exp(v - 1.0),
    description=(
        "Kullback-Leibler KL(P||Q) = E_P[log(p/q)]. f(u) = u log u; g(v) = v; "
        "f*(t) = exp(t - 1), domain: all reals."
    ),
)

# Reverse KL: f(u) = -log u, f*(t) = -1 - log(-t), g(v) = -exp(-v)
#   =>  f*(g(v)) = -1 - log(exp(-v)) = v - 1.
_REVERSE_KL = FDivergence(
    name="reverse_kl",
    generator_function=lambda u: -ops.log(u),
    activation=lambda v: -ops.exp(-v),
    conjugate=lambda t: -1.0 - ops.log(-t),
    conjugate_of_activation=lambda v: v - 1.0,
    description=(
        "Reverse Kullback-Leibler KL(Q||P) = E_Q[log(q/p)]. f(u) = -log u; g(v) = -exp(-v); "
        "f*(t) = -1 - log(-t), domain: t < 0."
    ),
)

# Pearson chi^2: f(u) = (u - 1)^2, f*(t) = t^2/4 + t, g(v) = v  =>  f*(g(v)) = v^2/4 + v.
# (t^2/4 + t is the conjugate of (u - 1)^2 extended to all real u; restricted to u > 0 it is
# the same for t >= -2 and an upper bound below, so F stays a lower bound on D_f.)
_PEARSON = FDivergence(
    name="pearson",
    generator_function=lambda u: ops.square(u - 1.0),
    activation=lambda v: v,
    conjugate=lambda t: 0.25 * ops.square(t) + t,
    conjugate_of_activation=lambda v: 0.25 * ops.square(v) + v,
    description=(
        "Pearson chi^2 = E_Q[(p/q - 1)^2]. f(u) = (u - 1)^2; g(v) = v; "
        "f*(t) = t^2/4 + t, domain: all reals."
    ),
)

# Squared Hellinger: f(u) = (sqrt(u) - 1)^2, f*(t) = t / (1 - t), g(v) = 1 - exp(-v)
#   =>  1 - g(v) = exp(-v),  f*(g(v)) = (1 - exp(-v)) exp(v) = exp(v) - 1.
_SQUARED_HELLINGER = FDivergence(
    name="squared_hellinger",
    generator_function=lambda u: ops.square(ops.sqrt(u) - 1.0),
    activation=lambda v: -ops.expm1(-v),
    conjugate=lambda t: t / (1.0 - t),
    conjugate_of_activation=lambda v: ops.expm1(v),
    description=(
        "Squared Hellinger = E_Q[(sqrt(p/q) - 1)^2]. f(u) = (sqrt(u) - 1)^2; g(v) = 1 - exp(-v); "
        "f*(t) = t / (1 - t), domain: t < 1."
    ),
)

# Jensen-Shannon: f(u) = -(u + 1) log((1 + u)/2) + u log u, f*(t) = -log(2 - exp(t)),
# g(v) = log 2 - log(1 + exp(-v)) = log(2 sigma(v)) = log 2 - softplus(-v)
#   =>  2 - exp(g(v)) = 2 (1 - sigma(v)),  f*(g(v)) = -log 2 - log(1 - sigma(v)) = softplus(v) - log 2.
# With this f, D_f(P||Q) = 2 JSD(P||Q) = E_P[log(2p/(p+q))] + E_Q[log(2q/(p+q))] (Table 1 of the
# paper writes the divergence with a factor 1/2 that this f does not have).
_JENSEN_SHANNON = FDivergence(
    name="jensen_shannon",
    generator_function=lambda u: -(u + 1.0) * ops.log(0.5 * (1.0 + u)) + _xlogx(u),
    activation=lambda v: _LOG2 - ops.softplus(-v),
    conjugate=lambda t: -ops.log(2.0 - ops.exp(t)),
    conjugate_of_activation=lambda v: ops.softplus(v) - _LOG2,
    description=(
        "Jensen-Shannon (times 2): E_P[log(2p/(p+q))] + E_Q[log(2q/(p+q))]. "
        "f(u) = -(u + 1) log((1 + u)/2) + u log u; g(v) = log 2 - log(1 + exp(-v)); "
        "f*(t) = -log(2 - exp(t)), domain: t < log 2."
    ),
)

# GAN: f(u) = u log u - (u + 1) log(u + 1), f*(t) = -log(1 - exp(t)),
# g(v) = -log(1 + exp(-v)) = log sigma(v) = -softplus(-v)
#   =>  1 - exp(g(v)) = 1 - sigma(v),  f*(g(v)) = -log(1 - sigma(v)) = softplus(v).
# D_f(P||Q) = 2 JSD(P||Q) - log 4 (f(1) = -log 4, so D_f(P||P) = -log 4, not 0); F is the value
# function of Goodfellow et al. 2014.
_GAN = FDivergence(
    name="gan",
    generator_function=lambda u: _xlogx(u) - (u + 1.0) * ops.log(u + 1.0),
    activation=lambda v: -ops.softplus(-v),
    conjugate=lambda t: -ops.log(-ops.expm1(t)),
    conjugate_of_activation=lambda v: ops.softplus(v),
    description=(
        "GAN: E_P[log(2p/(p+q))] + E_Q[log(2q/(p+q))] - log 4 = 2 JSD - log 4. "
        "f(u) = u log u - (u + 1) log(u + 1); g(v) = -log(1 + exp(-v)); "
        "f*(t) = -log(1 - exp(t)), domain: t < 0."
    ),
)

# Total variation: f(u) = |u - 1| / 2, f*(t) = t on |t| <= 1/2, g(v) = tanh(v)/2
#   =>  f*(g(v)) = tanh(v)/2.
_TOTAL_VARIATION = FDivergence(
    name="total_variation",
    generator_function=lambda u: 0.5 * ops.abs(u - 1.0),
    activation=lambda v: 0.5 * ops.tanh(v),
    conjugate=lambda t: t,
    conjugate_of_activation=lambda v: 0.5 * ops.tanh(v),
    description=(
        "Total variation = 1/2 E_Q[|p/q - 1|]. f(u) = |u - 1|/2; g(v) = tanh(v)/2; "
        "f*(t) = t, domain: |t| <= 1/2."
    ),
)

# name -> FDivergence; what an f-GAN's `divergence=` option selects.
F_DIVERGENCES = {
    d.name: d
    for d in (
        _KL,
        _REVERSE_KL,
        _PEARSON,
        _SQUARED_HELLINGER,
        _JENSEN_SHANNON,
        _GAN,
        _TOTAL_VARIATION,
    )
}

GENERATOR_MODES = ("alternative", "minimax")


def get_f_divergence(name):
    """Return the FDivergence registered as `name` (an FDivergence is returned unchanged)."""
    if isinstance(name, FDivergence):
        return name
    try:
        return F_DIVERGENCES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown f-divergence {name!r}. Choose one of: {', '.join(F_DIVERGENCES)}."
        ) from None


def variational_divergence_estimate(real_logits, fake_logits, divergence):
    """The f-GAN objective F, a lower bound on D_f(P || Q) (worth logging).

    F = E_x[g_f(V(x))] - E_z[f*(g_f(V(G(z))))]

    P is the data distribution, Q the generator's; it equals D_f(P || Q) at the optimal
    discriminator g_f(V(x)) = f'(p(x) / q(x)). Reference: Nowozin et al. 2016, eq. 6
    (arXiv:1606.00709).
    """
    d = get_f_divergence(divergence)
    return _mean(d.activation(_f32(real_logits))) - _mean(
        d.conjugate_of_activation(_f32(fake_logits))
    )


def f_gan_discriminator_loss(real_logits, fake_logits, divergence):
    """Discriminator loss of the f-GAN: the negated objective, so that minimising maximises F.

    L_D = -F = -E_x[g_f(V(x))] + E_z[f*(g_f(V(G(z))))]

    For divergence="gan" this is exactly the minimax GAN discriminator loss
    E[softplus(-real_logits)] + E[softplus(fake_logits)]; for "jensen_shannon" it is that
    minus log 4. Reference: Nowozin et al. 2016, eq. 6 and Table 2 (arXiv:1606.00709).
    """
    return -variational_divergence_estimate(real_logits, fake_logits, divergence)


def f_gan_generator_loss(fake_logits, divergence, mode="alternative"):
    """Generator loss of the f-GAN.

    mode="alternative" (section 3.2, non-saturating): L_G = -E_z[g_f(V(G(z)))]
    mode="minimax" (G minimises F; only F's fake term depends on G):
                                                    L_G = -E_z[f*(g_f(V(G(z))))]

    For divergence="gan" these are the non-saturating and the minimax GAN generator losses.
    Reference: Nowozin et al. 2016, eq. 6 and section 3.2 (arXiv:1606.00709).
    """
    if mode not in GENERATOR_MODES:
        raise ValueError(
            f"Unknown f-GAN generator mode {mode!r}. Choose one of: {', '.join(GENERATOR_MODES)}."
        )
    d = get_f_divergence(divergence)
    fake = _f32(fake_logits)
    if mode == "alternative":
        return -_mean(d.activation(fake))
    return -_mean(d.conjugate_of_activation(fake))
