"""Checks of the f-GAN divergences (Nowozin et al. 2016, arXiv:1606.00709) and their losses.

The module's formulas are compared with an independent float64 numpy transcription of the
paper's Tables 1-2 (`TABLE`), with the Fenchel-Young inequality and a numerical supremum, and
with the divergence itself at the optimal discriminator.
"""

import dataclasses
import math

import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_gans import losses
from keras_gans.losses.f_divergence import (
    F_DIVERGENCES,
    FDivergence,
    f_gan_discriminator_loss,
    f_gan_generator_loss,
    get_f_divergence,
    variational_divergence_estimate,
)

LOG2 = math.log(2.0)
NAMES = ["kl", "reverse_kl", "pearson", "squared_hellinger", "jensen_shannon", "gan", "total_variation"]


def np_xlogx(u):
    return np.where(u > 0, u * np.log(np.where(u > 0, u, 1.0)), 0.0)


# Independent numpy transcription: f, g, f*, domain of f*, a t-range whose maximiser
# argmax_u [t u - f(u)] lies inside [0.05, 10], and V(r) with g(V) = f'(r) (optimal discriminator,
# r = p/q), each inverted by hand:
#   kl:   f'(r) = 1 + log r,           g = id              -> V = 1 + log r
#   rkl:  f'(r) = -1/r,                -exp(-V) = -1/r      -> V = log r
#   pear: f'(r) = 2 (r - 1),           g = id              -> V = 2 (r - 1)
#   hel:  f'(r) = 1 - r^(-1/2),        1 - exp(-V)         -> V = log(r) / 2
#   js:   f'(r) = log(2r / (1 + r)),   log(2 sigma(V))     -> sigma(V) = r/(1+r) -> V = log r
#   gan:  f'(r) = log(r / (1 + r)),    log(sigma(V))       -> V = log r
#   tv:   f'(r) = sign(r - 1) / 2,     tanh(V) / 2         -> V = +-inf (here +-20, tanh = 1 in f64)
TABLE = {
    "kl": dict(
        f=np_xlogx,
        g=lambda v: v,
        fstar=lambda t: np.exp(t - 1.0),
        in_domain=lambda t: np.isfinite(t),
        t_range=(-1.5, 3.0),
        v_opt=lambda r: 1.0 + np.log(r),
    ),
    "reverse_kl": dict(
        f=lambda u: -np.log(u),
        g=lambda v: -np.exp(-v),
        fstar=lambda t: -1.0 - np.log(-t),
        in_domain=lambda t: t < 0,
        t_range=(-5.0, -0.2),
        v_opt=lambda r: np.log(r),
    ),
    "pearson": dict(
        f=lambda u: (u - 1.0) ** 2,
        g=lambda v: v,
        fstar=lambda t: t**2 / 4.0 + t,
        in_domain=lambda t: np.isfinite(t),
        t_range=(-1.8, 10.0),
        v_opt=lambda r: 2.0 * (r - 1.0),
    ),
    "squared_hellinger": dict(
        f=lambda u: (np.sqrt(u) - 1.0) ** 2,
        g=lambda v: 1.0 - np.exp(-v),
        fstar=lambda t: t / (1.0 - t),
        in_domain=lambda t: t < 1,
        t_range=(-2.0, 0.6),
        v_opt=lambda r: 0.5 * np.log(r),
    ),
    "jensen_shannon": dict(
        f=lambda u: -(u + 1.0) * np.log((1.0 + u) / 2.0) + np_xlogx(u),
        g=lambda v: LOG2 - np.log1p(np.exp(-v)),
        fstar=lambda t: -np.log(2.0 - np.exp(t)),
        in_domain=lambda t: t < LOG2,
        t_range=(-2.0, 0.5),
        v_opt=lambda r: np.log(r),
    ),
    "gan": dict(
        f=lambda u: np_xlogx(u) - (u + 1.0) * np.log(u + 1.0),
        g=lambda v: -np.log1p(np.exp(-v)),
        fstar=lambda t: -np.log(1.0 - np.exp(t)),
        in_domain=lambda t: t < 0,
        t_range=(-2.5, -0.2),
        v_opt=lambda r: np.log(r),
    ),
    "total_variation": dict(
        f=lambda u: 0.5 * np.abs(u - 1.0),
        g=lambda v: 0.5 * np.tanh(v),
        fstar=lambda t: t,
        in_domain=lambda t: np.abs(t) <= 0.5,
        t_range=(-0.5, 0.5),
        v_opt=lambda r: 20.0 * np.sign(r - 1.0),
    ),
}

REAL = np.array([0.0, 2.0, -0.5], np.float32)  # V(x) on data
FAKE = np.array([-1.0, 0.5], np.float32)  # V(G(z))


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), dtype=np.float64)


def value(tensor):
    return float(ops.convert_to_numpy(tensor))


def test_registry_holds_exactly_the_seven_divergences():
    assert sorted(F_DIVERGENCES) == sorted(NAMES)
    for name, d in F_DIVERGENCES.items():
        assert isinstance(d, FDivergence) and d.name == name and d.description
        assert get_f_divergence(name) is d
        assert get_f_divergence(d) is d
    with pytest.raises(dataclasses.FrozenInstanceError):
        F_DIVERGENCES["kl"].name = "other"


@pytest.mark.parametrize("name", NAMES)
def test_raw_functions_match_the_table(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    u = np.geomspace(0.01, 50.0, 101)
    np.testing.assert_allclose(to_np(d.generator_function(u)), ref["f"](u), rtol=1e-12, atol=1e-14)
    # f(1) = 0 (D_f(P||P) = 0), except the paper's GAN f, for which f(1) = -log 4.
    f_at_1 = -math.log(4.0) if name == "gan" else 0.0
    assert to_np(d.generator_function(np.array([1.0])))[0] == pytest.approx(f_at_1, abs=1e-15)
    v = np.linspace(-8.0, 8.0, 81)
    np.testing.assert_allclose(to_np(d.activation(v)), ref["g"](v), rtol=1e-12, atol=1e-14)
    t = np.linspace(*ref["t_range"], 41)
    np.testing.assert_allclose(to_np(d.conjugate(t)), ref["fstar"](t), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_fenchel_young_inequality_on_a_grid(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    u = np.geomspace(0.05, 10.0, 300)
    wide_t = {
        "reverse_kl": -np.geomspace(10.0, 1e-3, 200),
        "squared_hellinger": np.linspace(-10.0, 0.999, 200),
        "jensen_shannon": np.linspace(-10.0, LOG2 - 1e-3, 200),
        "gan": np.linspace(-10.0, -1e-3, 200),
        "total_variation": np.linspace(-0.5, 0.5, 201),
    }.get(name, np.linspace(-10.0, 10.0, 201))
    assert np.all(ref["in_domain"](wide_t))
    f_u = to_np(d.generator_function(u))
    fstar_t = to_np(d.conjugate(wide_t))
    gap = f_u[None, :] + fstar_t[:, None] - wide_t[:, None] * u[None, :]
    assert gap.min() >= -1e-12


@pytest.mark.parametrize("name", NAMES)
def test_conjugate_is_the_supremum_over_u(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    # The maximiser lies in [0.05, 10] for the chosen t-range; 1.0 is in the grid for tv's kink.
    u = np.concatenate([np.geomspace(0.01, 20.0, 100_001), [1.0]])
    f_u = to_np(d.generator_function(u))
    t = np.linspace(*ref["t_range"], 9)
    sup = np.array([np.max(ti * u - f_u) for ti in t])
    np.testing.assert_allclose(to_np(d.conjugate(t)), sup, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_activation_range_lies_in_the_conjugate_domain(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    v = np.linspace(-30.0, 30.0, 601)  # float64: float32 rounds e.g. 1 - exp(-30) onto the boundary
    assert np.all(ref["in_domain"](to_np(d.activation(v))))


@pytest.mark.parametrize("name", NAMES)
def test_stable_conjugate_of_activation_matches_the_composition(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    v = np.linspace(-5.0, 5.0, 101)
    naive64 = ref["fstar"](ref["g"](v))  # float64 numpy composition, exact enough here
    np.testing.assert_allclose(to_np(d.conjugate_of_activation(v)), naive64, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        to_np(d.conjugate_of_activation(v.astype(np.float32))), naive64, rtol=2e-6, atol=2e-6
    )
    extreme = np.array([-30.0, 30.0], np.float32)
    assert np.all(np.isfinite(to_np(d.conjugate_of_activation(extreme))))
    assert np.all(np.isfinite(to_np(d.activation(extreme))))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("squared_hellinger", math.expm1(30.0)),
        ("jensen_shannon", 30.0 + math.log1p(math.exp(-30.0)) - LOG2),
    ],
)
def test_closed_form_survives_where_naive_composition_overflows(name, expected):
    d = F_DIVERGENCES[name]
    v = np.float32(30.0)
    assert not np.isfinite(value(d.conjugate(d.activation(v))))  # the failure being avoided
    assert value(d.conjugate_of_activation(v)) == pytest.approx(expected, rel=1e-6)


# --- losses on hand-computed cases -----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_losses_against_the_paper_formulas(name):
    ref = TABLE[name]
    r, f = REAL.astype(np.float64), FAKE.astype(np.float64)
    estimate = np.mean(ref["g"](r)) - np.mean(ref["fstar"](ref["g"](f)))
    assert value(variational_divergence_estimate(REAL, FAKE, name)) == pytest.approx(
        estimate, rel=1e-5, abs=1e-6
    )
    assert value(f_gan_discriminator_loss(REAL, FAKE, name)) == pytest.approx(-estimate, rel=1e-5, abs=1e-6)
    assert value(f_gan_generator_loss(FAKE, name)) == pytest.approx(-np.mean(ref["g"](f)), rel=1e-5, abs=1e-6)
    assert value(f_gan_generator_loss(FAKE, name, mode="minimax")) == pytest.approx(
        -np.mean(ref["fstar"](ref["g"](f))), rel=1e-5, abs=1e-6
    )


def test_kl_losses_by_hand():
    # F = mean(V_real) - mean(exp(V_fake - 1))
    estimate = (0.0 + 2.0 - 0.5) / 3 - (math.exp(-2.0) + math.exp(-0.5)) / 2
    assert value(f_gan_discriminator_loss(REAL, FAKE, "kl")) == pytest.approx(-estimate, rel=1e-6)
    assert value(f_gan_generator_loss(FAKE, "kl")) == pytest.approx(-(-1.0 + 0.5) / 2, rel=1e-6)
    assert value(f_gan_generator_loss(FAKE, "kl", mode="minimax")) == pytest.approx(
        -(math.exp(-2.0) + math.exp(-0.5)) / 2, rel=1e-6
    )


def test_gan_divergence_is_the_original_gan():
    # g(v) = log sigma(v), f*(g(v)) = -log(1 - sigma(v)), so
    # -F = -E log sigma(V_real) - E log(1 - sigma(V_fake)): the minimax discriminator loss.
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    by_hand = -sum(math.log(sig(v)) for v in REAL) / 3 - sum(math.log(1 - sig(v)) for v in FAKE) / 2
    d_loss = value(f_gan_discriminator_loss(REAL, FAKE, "gan"))
    assert d_loss == pytest.approx(by_hand, rel=1e-6)
    assert d_loss == pytest.approx(value(losses.minimax_discriminator_loss(REAL, FAKE)), rel=1e-7, abs=1e-7)
    assert value(f_gan_generator_loss(FAKE, "gan")) == pytest.approx(
        value(losses.non_saturating_generator_loss(FAKE)), rel=1e-7, abs=1e-7
    )
    assert value(f_gan_generator_loss(FAKE, "gan", mode="minimax")) == pytest.approx(
        value(losses.minimax_generator_loss(FAKE)), rel=1e-7, abs=1e-7
    )
    # Extreme logits stay exact: softplus(100) + softplus(100) = 200.
    assert value(f_gan_discriminator_loss([-100.0], [100.0], "gan")) == pytest.approx(200.0)


def test_jensen_shannon_is_the_gan_shifted_by_log_4():
    # g_js = log 2 + g_gan and f*_js(g_js) = f*_gan(g_gan) - log 2  =>  -F_js = -F_gan - 2 log 2.
    js = value(f_gan_discriminator_loss(REAL, FAKE, "jensen_shannon"))
    assert js == pytest.approx(value(losses.minimax_discriminator_loss(REAL, FAKE)) - 2 * LOG2, rel=1e-6)
    # At V = 0 everywhere (D = 1/2): F_js = 0, the divergence of two equal distributions.
    at_half = variational_divergence_estimate(np.zeros(4), np.zeros(4), "jensen_shannon")
    assert value(at_half) == pytest.approx(0.0, abs=1e-7)


# --- the estimate at the optimal discriminator is the divergence ----------------------------

P = np.array([0.1, 0.2, 0.3, 0.4])
Q = np.array([0.4, 0.3, 0.2, 0.1])


def direct_divergence(name):
    return float(np.sum(Q * TABLE[name]["f"](P / Q)))


@pytest.mark.parametrize("name", NAMES)
def test_estimate_at_the_optimal_discriminator_equals_the_divergence(name):
    d, ref = F_DIVERGENCES[name], TABLE[name]
    ratio = P / Q
    v_opt = ref["v_opt"](ratio)
    t_opt = to_np(d.activation(v_opt))
    if name != "total_variation":  # g(V) = f'(p/q), checked by central differences of f
        h = 1e-6
        f_prime = (ref["f"](ratio + h) - ref["f"](ratio - h)) / (2 * h)
        np.testing.assert_allclose(t_opt, f_prime, rtol=1e-6, atol=1e-7)
    divergence = direct_divergence(name)
    assert divergence > ref["f"](np.array(1.0)) + 0.05  # D_f(P||Q) > D_f(P||P) = f(1) by Jensen
    weighted = float(np.sum(P * t_opt) - np.sum(Q * to_np(d.conjugate_of_activation(v_opt))))
    assert weighted == pytest.approx(divergence, rel=1e-10, abs=1e-12)

    # Through the loss API: samples with multiplicities 1:2:3:4 (P) and 4:3:2:1 (Q), float32.
    x_real = np.repeat(np.arange(4), [1, 2, 3, 4])
    x_fake = np.repeat(np.arange(4), [4, 3, 2, 1])
    v32 = v_opt.astype(np.float32)
    estimate = value(variational_divergence_estimate(v32[x_real], v32[x_fake], name))
    assert estimate == pytest.approx(divergence, rel=1e-5)
    d_loss = value(f_gan_discriminator_loss(v32[x_real], v32[x_fake], name))
    assert d_loss == pytest.approx(-divergence, rel=1e-5)

    # Any other discriminator gives a lower bound, strictly below for these perturbations.
    rng = np.random.default_rng(0)
    for _ in range(20):
        v = v_opt + rng.normal(0.0, 0.5, size=4)
        bound = float(np.sum(P * to_np(d.activation(v))) - np.sum(Q * to_np(d.conjugate_of_activation(v))))
        assert bound < divergence


def test_named_divergences_have_their_closed_forms():
    m = (P + Q) / 2
    kl = lambda a, b: float(np.sum(a * np.log(a / b)))  # noqa: E731
    jsd = 0.5 * kl(P, m) + 0.5 * kl(Q, m)
    assert direct_divergence("kl") == pytest.approx(kl(P, Q), rel=1e-12)
    assert direct_divergence("reverse_kl") == pytest.approx(kl(Q, P), rel=1e-12)
    assert direct_divergence("pearson") == pytest.approx(float(np.sum((P - Q) ** 2 / Q)), rel=1e-12)
    assert direct_divergence("squared_hellinger") == pytest.approx(
        float(np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2)), rel=1e-12
    )
    # This f gives twice the Jensen-Shannon divergence; the GAN divergence is that minus log 4.
    assert direct_divergence("jensen_shannon") == pytest.approx(2 * jsd, rel=1e-12)
    assert direct_divergence("gan") == pytest.approx(2 * jsd - math.log(4.0), rel=1e-12)
    total_variation = 0.5 * float(np.sum(np.abs(P - Q)))
    assert direct_divergence("total_variation") == pytest.approx(total_variation, rel=1e-12)


# --- errors, dtypes, shapes ------------------------------------------------------------------


def test_unknown_divergence_names_the_accepted_ones():
    for call in (
        lambda: get_f_divergence("wasserstein"),
        lambda: f_gan_discriminator_loss(REAL, FAKE, "wasserstein"),
        lambda: f_gan_generator_loss(FAKE, "wasserstein"),
        lambda: variational_divergence_estimate(REAL, FAKE, "wasserstein"),
    ):
        with pytest.raises(ValueError) as info:
            call()
        assert "wasserstein" in str(info.value)
        assert all(name in str(info.value) for name in NAMES)
    with pytest.raises(ValueError):
        get_f_divergence(None)


def test_unknown_generator_mode_is_refused():
    with pytest.raises(ValueError) as info:
        f_gan_generator_loss(FAKE, "kl", mode="saturating")
    message = str(info.value)
    assert "saturating" in message and "alternative" in message and "minimax" in message


@pytest.mark.parametrize("name", NAMES)
def test_float16_inputs_give_float32_outputs(name):
    real16, fake16 = REAL.astype(np.float16), FAKE.astype(np.float16)
    outputs = [
        f_gan_discriminator_loss(real16, fake16, name),
        f_gan_generator_loss(fake16, name),
        f_gan_generator_loss(fake16, name, mode="minimax"),
        variational_divergence_estimate(real16, fake16, name),
    ]
    for out in outputs:
        assert ops.convert_to_numpy(out).dtype == np.float32 and np.shape(out) == ()
    assert value(outputs[0]) == pytest.approx(value(f_gan_discriminator_loss(REAL, FAKE, name)), rel=1e-6)
    # exp(29) overflows float16 but not the float32 the losses compute in.
    extreme = np.array([-30.0, 30.0], np.float16)
    assert np.isfinite(value(f_gan_discriminator_loss(extreme, extreme, name)))


@pytest.mark.parametrize("name", NAMES)
def test_rank4_patch_logits_average_over_all_axes(name):
    rng = np.random.default_rng(1)
    real = rng.normal(size=(2, 4, 4, 1)).astype(np.float32)
    fake = rng.normal(size=(3, 4, 4, 1)).astype(np.float32)
    ref = TABLE[name]
    r, f = real.astype(np.float64), fake.astype(np.float64)
    expected = -(np.mean(ref["g"](r)) - np.mean(ref["fstar"](ref["g"](f))))
    d_loss = value(f_gan_discriminator_loss(real, fake, name))
    assert d_loss == pytest.approx(expected, rel=1e-5, abs=1e-6)
    flat = value(f_gan_discriminator_loss(real.ravel(), fake.ravel(), name))
    assert d_loss == pytest.approx(flat, rel=1e-6)
    assert value(f_gan_generator_loss(fake, name)) == pytest.approx(-np.mean(ref["g"](f)), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_gradients_are_finite_at_extreme_logits(name):
    logits = tf.Variable([-30.0, 0.0, 30.0])
    with tf.GradientTape(persistent=True) as tape:
        d_loss = f_gan_discriminator_loss(logits, logits, name)
        g_alt = f_gan_generator_loss(logits, name)
        g_mm = f_gan_generator_loss(logits, name, mode="minimax")
    for loss in (d_loss, g_alt, g_mm):
        assert np.all(np.isfinite(tape.gradient(loss, logits).numpy()))
