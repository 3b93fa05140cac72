"""PCGrad and gradient cosine on closed-form 2D vectors."""

import numpy as np
import pytest

from keras_gans.components import gradient_surgery as gs


def as_list(*vectors):
    return [np.asarray(v, np.float32) for v in vectors]


def test_cosine_of_orthogonal_opposite_and_zero_gradients():
    assert float(gs.gradient_cosine(as_list([1, 0]), as_list([0, 2]))) == pytest.approx(0.0)
    assert float(gs.gradient_cosine(as_list([1, 1]), as_list([-2, -2]))) == pytest.approx(-1.0)
    assert float(gs.gradient_cosine(as_list([0, 0]), as_list([1, 0]))) == 0.0
    # Several tensors read as one flat vector: (1, 0, 1) . (1, 1, 0) / 2 = 1/2.
    assert float(gs.gradient_cosine(as_list([1, 0], [1]), as_list([1, 1], [0]))) == pytest.approx(0.5)


def test_pcgrad_removes_the_conflicting_component_of_both_gradients():
    g_a, g_b = as_list([1.0, 0.0]), as_list([-1.0, 1.0])     # <g_a, g_b> = -1 < 0
    (a,), (b,) = gs.project_conflicting(g_a, g_b)
    # g_a' = g_a - (-1 / 2) g_b = (0.5, 0.5); g_b' = g_b - (-1 / 1) g_a = (0, 1)
    np.testing.assert_allclose(np.asarray(a), [0.5, 0.5], atol=1e-7)
    np.testing.assert_allclose(np.asarray(b), [0.0, 1.0], atol=1e-7)
    # Neither conflicts with the other's original gradient any more.
    assert float(gs.flat_dot([a], g_b)) == pytest.approx(0.0, abs=1e-7)
    assert float(gs.flat_dot([b], g_a)) == pytest.approx(0.0, abs=1e-7)
    (total,) = gs.combine_gradients(g_a, g_b, "project")
    np.testing.assert_allclose(np.asarray(total), [0.5, 1.5], atol=1e-7)
    # The plain sum keeps the conflict: (0, 1).
    np.testing.assert_allclose(np.asarray(gs.combine_gradients(g_a, g_b, "sum")[0]), [0.0, 1.0])


def test_pcgrad_leaves_agreeing_gradients_alone():
    g_a, g_b = as_list([1.0, 2.0]), as_list([3.0, -1.0])     # <g_a, g_b> = 1 > 0
    (total,) = gs.combine_gradients(g_a, g_b, "project")
    np.testing.assert_allclose(np.asarray(total), [4.0, 1.0])


def test_unknown_combination_is_refused():
    with pytest.raises(ValueError, match="gradient_combination"):
        gs.combine_gradients(as_list([1.0]), as_list([1.0]), "average")
