"""Element-wise Vensim functions against their definitions (PySD 3.14 semantics)."""

import numpy as np
import pytest

from renaissance.engine import functions as vf


def test_zidz_and_xidz():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([2.0, 0.0, 5e-7, np.nan])
    np.testing.assert_array_equal(vf.zidz(a, b), [0.5, 0.0, 0.0, np.nan])
    np.testing.assert_array_equal(vf.xidz(a, b, 9.0), [0.5, 9.0, 9.0, np.nan])
    assert vf.zidz(1.0, -2.0) == -0.5


def test_if_then_else_broadcasts_and_keeps_nan():
    condition = np.array([[1.0], [0.0]])
    out = vf.if_then_else(condition, np.array([1.0, np.nan]), 7.0)
    np.testing.assert_array_equal(out, [[1.0, np.nan], [7.0, 7.0]])


@pytest.mark.parametrize(("x", "m", "expected"), [(7, 3, 1), (-7, 3, -1), (7.5, 2, 1.5), (5, 0, 0)])
def test_modulo_has_the_sign_of_x(x, m, expected):
    """MODULO(x, m) = x - QUANTUM(x, m); QUANTUM(x, 0) = x, so MODULO(x, 0) = 0."""
    assert vf.modulo(np.float64(x), np.float64(m)) == pytest.approx(expected)


def test_integer_truncates_toward_zero():
    np.testing.assert_array_equal(vf.integer(np.array([-2.5, 2.5])), [-2.0, 2.0])


def test_time_inputs():
    t = np.array([0.0, 0.9, 1.0, 1.9, 2.0, 3.0])
    # half-step rule: on at t = 0.9 when dt = 0.25 (0.9 + 0.125 > 1), not when dt = 0.1
    np.testing.assert_array_equal(vf.step(t, 0.25, 5.0, 1.0), [0, 5, 5, 5, 5, 5])
    np.testing.assert_array_equal(vf.step(t, 0.1, 5.0, 1.0), [0, 0, 5, 5, 5, 5])
    np.testing.assert_array_equal(vf.pulse(t, 1.0, 1.0), [0, 0, 1, 1, 0, 0])
    np.testing.assert_allclose(vf.ramp(t, 2.0, 1.0, 2.0), [0, 0, 0, 1.8, 2, 2])
    np.testing.assert_array_equal(
        vf.pulse_train(t, np.float64(0.0), np.float64(1.0), np.float64(0.5), np.float64(2.0)),
        [1, 0, 1, 0, 0, 0],
    )
