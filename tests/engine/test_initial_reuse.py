"""Runs of one member reuse the model's own initial values where nothing they change reaches.

``Plan.initialize`` keeps the initialisation of one member with no overrides (the
baseline, made at load time) and recomputes only what depends on a run's overrides
and initial states. Every run here is compared, exactly, with the same run initialised
from scratch (no baseline).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mdl_text import write_model

from renaissance.engine import load_model
from renaissance.paths import MODEL_FILE


def _assert_identical(a, b):
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        assert np.array_equal(a[name].values, b[name].values, equal_nan=True), name


def _from_scratch(model, **kwargs):
    """The run initialised without the baseline (which is put back afterwards)."""
    plan = model.plan
    baseline, plan.baseline = plan.baseline, None
    try:
        return model.run(**kwargs)
    finally:
        plan.baseline = baseline


@pytest.fixture(scope="module")
def project_model():
    model = load_model(MODEL_FILE)
    assert model.plan.baseline is not None  # made by load_model's initialisation
    return model


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"dt": 0.125},
        {"params": {"Technical Capital Depreciation Rate": 0.2}},
        {"params": {"INITIAL TIME": 1993}},
        {"params": {"Policy Budget": 5.0}, "integrator": "rk4"},
        {"initial": {"Technical Capital": 2.0}},
        {"params": {"World Demand Scale": pd.Series([1.0, 2.0], index=[1991.0, 2050.0])}},
    ],
    ids=["defaults", "dt", "constant", "initial-time", "policy-rk4", "initial-state", "series"],
)
def test_a_run_reusing_the_baseline_equals_one_initialised_from_scratch(project_model, kwargs):
    _assert_identical(project_model.run(**kwargs), _from_scratch(project_model, **kwargs))


def test_only_what_depends_on_a_change_is_recomputed(project_model):
    plan = project_model.plan
    baseline = plan.baseline
    everything = set(baseline.env)
    assert baseline.reusable(plan, {}, {}) == everything - plan.always_initialised
    # an override equal to the model's own value changes nothing
    same_dt = {"time_step": baseline.env["time_step"].copy()}
    assert baseline.reusable(plan, same_dt, {}) == everything - plan.always_initialised
    rate = "technical_capital_depreciation_rate"
    reused = baseline.reusable(plan, {rate: np.array([0.2])}, {})
    assert rate not in reused
    dependents = plan.orders.init_dependents({rate})
    assert reused == everything - dependents - plan.always_initialised
    assert "technical_capital" not in dependents  # its initial value does not use the rate
    assert len(dependents) < len(everything) / 10
    # a new initial time moves the clock: everything that reads Time is recomputed
    moved = baseline.reusable(plan, {"initial_time": np.array([1993.0])}, {})
    assert "world_demand_index" not in moved


def test_baseline_values_are_read_only(project_model):
    baseline = project_model.plan.baseline
    arrays = [v for v in baseline.env.values() if isinstance(v, np.ndarray)]
    assert arrays and not any(a.flags.writeable for a in arrays)


def test_a_step_at_the_initial_time_follows_the_run_time_step(tmp_path):
    # STEP switches once Time + dt/2 passes its start: at t = 0 with start 0.3 it is 0
    # for dt = 0.25 and 1 for dt = 1, so the stock's initial value depends on TIME STEP
    path = write_model(
        tmp_path,
        {"Switch": "STEP(1, 0.3)", "Level": "INTEG(0, Switch)"},
        final=4,
        dt=0.25,
    )
    model = load_model(path, backend="numpy")
    coarse = model.run(dt=1)
    assert coarse["Level"].values[0] == 1.0
    _assert_identical(coarse, _from_scratch(model, dt=1))
    assert model.run()["Level"].values[0] == 0.0


@pytest.mark.parametrize("backend", ["numpy", "auto"])
def test_a_smooth_order_set_by_one_run_does_not_leak_into_the_next(tmp_path, backend):
    path = write_model(
        tmp_path,
        {
            "Order": "3",
            "Input": "STEP(1, 1)",
            "Smoothed": "SMOOTH N(Input, 2, 0, Order)",
        },
        final=6,
        dt=0.25,
    )
    model = load_model(path, backend=backend)
    default = model.run()
    first_order = model.run(params={"Order": 1})
    assert not np.array_equal(first_order["Smoothed"].values, default["Smoothed"].values)
    _assert_identical(model.run(), default)
    _assert_identical(model.run(), _from_scratch(model))


def test_ensembles_and_overridden_runs_leave_the_baseline_alone(project_model):
    plan = project_model.plan
    baseline = plan.baseline
    project_model.run(params={"Technical Capital Depreciation Rate": 0.2})
    project_model.run_ensemble(
        {"Technical Capital Depreciation Rate": [0.1, 0.12]},
        final_time=1993,
        return_columns=["Technical Capital"],
    )
    assert plan.baseline is baseline


def test_the_machine_traces_again_for_another_smooth_order(tmp_path):
    path = write_model(
        tmp_path,
        {"Order": "3", "Input": "STEP(1, 1)", "Smoothed": "SMOOTH N(Input, 2, 0, Order)"},
        final=6,
        dt=0.25,
    )
    machine = load_model(path, backend="vm")
    reference = load_model(path, backend="numpy")
    for params in (None, {"Order": 1}, None):
        got, expected = machine.run(params=params), reference.run(params=params)
        assert got.attrs["backend"] == "vm"
        np.testing.assert_allclose(got["Smoothed"].values, expected["Smoothed"].values,
                                   rtol=1e-12)  # fmt: skip
