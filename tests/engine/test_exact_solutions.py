"""Exact solutions and convergence orders of every integrator.

Errors are measured in tolerance units, ``|error| / (atol + rtol |exact|)``, as SciPy's
own ``solve_ivp`` tests do.
"""

from __future__ import annotations

import numpy as np
import pytest
from mdl_text import write_model

from renaissance.engine import load_model

ADAPTIVE = ["RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau"]
RTOL, ATOL = 1e-8, 1e-10


def _error_units(numeric, exact, rtol=RTOL, atol=ATOL) -> float:
    return float(np.max(np.abs(numeric - exact) / (atol + rtol * np.abs(exact))))


@pytest.fixture
def decay(tmp_path):
    return load_model(write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"}))


@pytest.fixture
def logistic(tmp_path):
    model = {
        "Population": "INTEG(Growth Rate * Population * (1 - Population / Capacity), 10)",
        "Growth Rate": "0.8",
        "Capacity": "1000",
    }
    return load_model(write_model(tmp_path, model, final=12))


def _decay_exact(t):
    return 100 * np.exp(-t / 2)


def _logistic_exact(t):
    return 1000 / (1 + (1000 - 10) / 10 * np.exp(-0.8 * t))


@pytest.mark.parametrize("method", ADAPTIVE)
def test_exponential_decay_adaptive(decay, method):
    result = decay.run(integrator=method, rtol=RTOL, atol=ATOL)
    t = result["time"].values
    assert _error_units(result["Stock"].values, _decay_exact(t)) < 20


@pytest.mark.parametrize("method", ADAPTIVE)
def test_logistic_growth_adaptive(logistic, method):
    result = logistic.run(integrator=method, rtol=RTOL, atol=ATOL)
    t = result["time"].values
    assert _error_units(result["Population"].values, _logistic_exact(t)) < 50


def test_euler_is_the_vensim_recurrence(decay):
    """Euler at dt gives exactly S_{k+1} = S_k (1 - dt / tau)."""
    result = decay.run(dt=0.25, saveper=0.25)
    k = np.arange(len(result["time"]))
    np.testing.assert_allclose(result["Stock"].values, 100 * (1 - 0.25 / 2) ** k, rtol=1e-12)


def test_first_order_delay_step_response(tmp_path):
    """DELAY1 of a unit STEP at t=1: 1 - exp(-(t - 1) / tau) after the step."""
    path = write_model(
        tmp_path, {"Output": "DELAY1(STEP(1, 1), Tau)", "Tau": "2"}, final=15, saveper=0.5
    )
    result = load_model(path).run(integrator="RK45", rtol=RTOL, atol=ATOL)
    t = result["time"].values
    exact = np.where(t > 1, 1 - np.exp(-(t - 1) / 2), 0.0)
    assert _error_units(result["Output"].values, exact) < 20


def test_third_order_delay_step_response(tmp_path):
    """DELAY3 of a unit STEP: an Erlang-3 distributed lag (gamma CDF, shape 3, scale tau/3)."""
    path = write_model(
        tmp_path, {"Output": "DELAY3(STEP(1, 1), Tau)", "Tau": "3"}, final=15, saveper=0.5
    )
    result = load_model(path).run(integrator="DOP853", rtol=RTOL, atol=ATOL)
    t = result["time"].values
    x = np.clip(t - 1, 0, None) / 1.0  # rate n / tau = 1
    exact = 1 - np.exp(-x) * (1 + x + x**2 / 2)
    assert _error_units(result["Output"].values, exact) < 20


def _order(model, method: str, steps: list[float], exact) -> float:
    errors = []
    for dt in steps:
        result = model.run(integrator=method, dt=dt, saveper=1)
        errors.append(np.max(np.abs(result["Population"].values - exact(result["time"].values))))
    slopes = np.diff(np.log(errors)) / np.diff(np.log(steps))
    return float(np.mean(slopes))


def test_euler_converges_at_order_one(logistic):
    order = _order(logistic, "euler", [1 / 16, 1 / 32, 1 / 64, 1 / 128], _logistic_exact)
    assert order == pytest.approx(1.0, abs=0.1)


def test_rk4_converges_at_order_four(logistic):
    order = _order(logistic, "rk4", [1 / 2, 1 / 4, 1 / 8, 1 / 16], _logistic_exact)
    assert order == pytest.approx(4.0, abs=0.25)


def test_rk4_holds_step_inputs_through_stages(tmp_path):
    """A STEP is seen at the step's start time in every RK stage (Vensim's rule).

    With the stock fed by STEP(1, 1) and dt = 1, RK4 must not see the step inside the
    step that starts at t = 0, so the stock stays 0 at t = 1 and is exactly 1 at t = 2.
    """
    path = write_model(tmp_path, {"Stock": "INTEG(STEP(1, 1), 0)"}, final=3, dt=1)
    result = load_model(path).run(integrator="rk4")
    np.testing.assert_array_equal(result["Stock"].values, [0.0, 0.0, 1.0, 2.0])


def test_adaptive_steps_break_at_pulse_edges(tmp_path):
    """A PULSE integrated exactly: its area is width x height, whatever the step size."""
    path = write_model(tmp_path, {"Stock": "INTEG(3 * PULSE(2.3, 1.4), 0)"}, final=10, saveper=0.5)
    result = load_model(path).run(integrator="RK45", rtol=1e-6, atol=1e-9)
    # PULSE switches on 1e-6 before its start (Vensim's "small" number)
    assert result["Stock"].values[-1] == pytest.approx(3 * (1.4 + 1e-6), rel=1e-9)


def test_adaptive_refuses_discrete_structures(tmp_path):
    from renaissance.engine import UnsupportedFeatureError

    path = write_model(tmp_path, {"Output": "DELAY FIXED(Time, 2, 0)"})
    with pytest.raises(UnsupportedFeatureError, match="DELAY FIXED"):
        load_model(path).run(integrator="LSODA")


def test_time_step_may_change_during_the_run(tmp_path):
    """TIME STEP read every step (PySD): dt = 1 until t = 4, then 0.5."""
    path = write_model(
        tmp_path,
        {"Stock": "INTEG(1, 0)"},
        final=6,
        saveper=0.5,
        dt="IF THEN ELSE(Time < 4, 1, 0.5)",
    )
    result = load_model(path).run()
    times = result["time"].values
    assert times.tolist() == [0, 1, 2, 3, 4, 4.5, 5, 5.5, 6]
    np.testing.assert_array_equal(result["Stock"].values, times)
