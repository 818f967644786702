"""The virtual-machine backend (engine.compiled) against the numpy plan it is traced from.

Both backends run the same compiled plan; the machine executes a tape recorded from it.
They must agree to rounding (1e-10 relative) on every returned variable, for Euler and
RK4, single runs and ensembles, parameter overrides, cell patches and time series; and
whatever the tape cannot express must fall back to numpy (backend "auto") or be refused
with the reason (backend "vm").
"""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from engine_cases import CASES_ROOT, copy_case, list_cases
from mdl_text import write_model

from renaissance.engine import UnsupportedFeatureError, compiled, load_model
from renaissance.engine.tape import TraceError
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE

pytestmark = pytest.mark.skipif(not compiled.available(), reason="Numba is not installed")

RTOL = 1e-10


def _assert_same(a, b, rtol=RTOL):
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        x, y = np.asarray(a[name], dtype=float), np.asarray(b[name], dtype=float)
        assert x.shape == y.shape, name
        scale = np.max(np.abs(y[np.isfinite(y)]), initial=0.0)
        close = np.isclose(x, y, rtol=rtol, atol=rtol * scale, equal_nan=True)
        assert close.all(), f"{name}: largest difference {np.nanmax(np.abs(x - y))}"


@pytest.fixture(scope="module")
def showcase(tmp_path_factory):
    folder = tmp_path_factory.mktemp("showcase")
    shutil.copytree(MODEL_DIRECTORY, folder / "models")
    return load_model(folder / "models" / MODEL_FILE.name)


def _both(model, method, *args, **kwargs):
    model.backend = "vm"
    try:
        machine = method(model, *args, **kwargs)
        model.backend = "numpy"
        reference = method(model, *args, **kwargs)
    finally:
        model.backend = "auto"
    assert machine.attrs["backend"] == "vm"
    assert reference.attrs["backend"] == "numpy"
    return machine, reference


@pytest.mark.parametrize("integrator", ["euler", "rk4"])
def test_showcase_single_run_matches_numpy(showcase, integrator):
    machine, reference = _both(
        showcase, type(showcase).run, integrator=integrator, dt=0.25, final_time=2020
    )
    _assert_same(machine, reference)


def test_showcase_ensemble_matches_numpy_member_by_member(showcase):
    rng = np.random.default_rng(7)
    params = {
        "Low Cost Competition Increase": rng.uniform(0.5, 1.5, 6),
        "Technical Capital Depreciation Rate": rng.uniform(0.08, 0.14, 6),
    }
    machine, reference = _both(
        showcase,
        type(showcase).run_ensemble,
        params,
        dt=0.25,
        final_time=2030,
        return_columns=["District Manufacturing Employment", "Technical Capital"],
    )
    _assert_same(machine, reference)
    # members really differ (the member-specific constants reach the machine)
    employment = machine["District Manufacturing Employment"].isel(time=-1).values
    assert np.ptp(employment, axis=0).max() > 0


def test_an_ensemble_after_a_single_run_of_the_same_tape_matches_numpy(showcase):
    # one cached tape, two bindings: the single run's prologue and sparse sums (all
    # constants shared) must not leak into the ensemble's (some constants per member)
    columns = ["Technical Capital", "District Manufacturing Employment"]
    kwargs = {"dt": 0.25, "final_time": 2010, "return_columns": columns}
    single, single_reference = _both(showcase, type(showcase).run, **kwargs)
    _assert_same(single, single_reference)
    params = {"Technical Capital Depreciation Rate": np.linspace(0.08, 0.14, 5)}
    machine, reference = _both(showcase, type(showcase).run_ensemble, params, **kwargs)
    _assert_same(machine, reference)


def test_results_do_not_depend_on_lanes(showcase, monkeypatch):
    params = {"Low Cost Competition Increase": np.linspace(0.5, 1.5, 11)}
    kwargs = {"dt": 0.5, "final_time": 2010, "return_columns": ["Technical Capital"]}
    runs = []
    for lanes in (1, 4, 8):
        monkeypatch.setattr(compiled, "LANES", lanes)
        runs.append(showcase.run_ensemble(params, **kwargs))
    for other in runs[1:]:
        np.testing.assert_array_equal(
            runs[0]["Technical Capital"].values, other["Technical Capital"].values
        )


def test_cached_tape_binds_new_parameter_values(showcase):
    showcase.backend = "vm"
    try:
        low = showcase.run(params={"Low Cost Competition Increase": 0.5}, final_time=2030)
        high = showcase.run(params={"Low Cost Competition Increase": 1.5}, final_time=2030)
        showcase.backend = "numpy"
        high_numpy = showcase.run(params={"Low Cost Competition Increase": 1.5}, final_time=2030)
    finally:
        showcase.backend = "auto"
    assert not np.allclose(low["Technical Capital"], high["Technical Capital"])
    _assert_same(high, high_numpy)


def test_patches_and_time_series_run_on_the_machine(showcase):
    years = np.arange(1991.0, 2051.0)
    series = pd.Series(1.0 + 0.02 * (years - 1991.0), index=years)
    ranges = showcase.plan.subscripts.ranges
    cell = f"{ranges['Instrument'][0]},{ranges['Scale'][0]}"
    params = {"World Demand Index": series, "Policy Budget": {cell: 50.0}}
    machine, reference = _both(showcase, type(showcase).run, params=params, final_time=2030)
    _assert_same(machine, reference)
    baseline = showcase.run(final_time=2030)
    assert not np.allclose(machine["Technical Capital"], baseline["Technical Capital"])


def test_national_roster_matches_numpy(tmp_path):
    from renaissance.roster import model_for_roster

    model = load_model(model_for_roster("national", tmp_path / "national"))
    machine, reference = _both(model, type(model).run, dt=0.5, final_time=2000)
    _assert_same(machine, reference)


def test_untraceable_step_falls_back_or_is_refused(tmp_path):
    path = write_model(
        tmp_path, {"level": "INTEG(inflow, 1)", "inflow": "DELAY FIXED(level, 2, 0)"}
    )
    model = load_model(path)
    result = model.run()
    assert result.attrs["backend"] == "numpy"
    assert "discrete" in compiled.why_not(model.plan)
    model.backend = "vm"
    with pytest.raises(UnsupportedFeatureError, match="discrete states"):
        model.run()


def test_a_wrong_tape_is_never_used(showcase):
    """The self-check catches a tape that computes something else than numpy."""
    from renaissance.engine import vm

    showcase.backend = "vm"
    try:
        showcase.run(final_time=1995)
        programs = showcase.plan.__dict__["_programs"]
        program = next(iter(programs.values()))
        saved = program.ops.copy()
        adds = np.flatnonzero(program.ops[:, vm.OPCODE] == vm.ADD)
        program.ops[adds, vm.OPCODE] = vm.SUBTRACT
        program.checked = False
        state = showcase.plan.initialize(1, {"final_time": np.array([1995.0])}, set())
        ops, shared, matrix, _ = compiled._bind(program, state.env, 1)
        with pytest.raises(TraceError, match="disagrees with numpy"):
            compiled._check(program, ops, shared, matrix, state, compiled._initial_states(
                program, state))  # fmt: skip
        program.ops[:] = saved
    finally:
        showcase.backend = "auto"


def test_without_numba_auto_uses_numpy_and_vm_is_refused(showcase, monkeypatch):
    monkeypatch.setattr(compiled, "available", lambda: False)
    assert showcase.run(final_time=1995).attrs["backend"] == "numpy"
    showcase.backend = "vm"
    try:
        with pytest.raises(UnsupportedFeatureError, match="needs Numba"):
            showcase.run(final_time=1995)
    finally:
        showcase.backend = "auto"


def test_ensembles_from_worker_threads_match_the_main_thread(showcase):
    """Worker threads use the serial machine (the parallel one is main-thread only)."""
    from concurrent.futures import ThreadPoolExecutor

    params = {"Low Cost Competition Increase": np.linspace(0.5, 1.5, 20)}
    kwargs = {"final_time": 2000, "return_columns": ["Technical Capital"]}
    main = showcase.run_ensemble(params, **kwargs)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: showcase.run_ensemble(params, **kwargs), range(2)))
    for run in runs:
        np.testing.assert_array_equal(main["Technical Capital"], run["Technical Capital"])


def test_backend_names_are_checked(showcase):
    with pytest.raises(ValueError, match="backend 'fast' is not one of"):
        showcase.backend = "fast"


@pytest.mark.skipif(not CASES_ROOT.is_dir(), reason="SD test models not found")
def test_sd_test_models_run_on_the_machine(tmp_path):
    """Most canonical cases trace; each one that does equals the numpy plan's result."""
    traced, fell_back = [], {}
    for case, model_file in list_cases():
        folder = copy_case(case, tmp_path / case)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = load_model(folder / model_file)
        except UnsupportedFeatureError:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            machine = model.run()
            if machine.attrs["backend"] != "vm":
                fell_back[case] = compiled.why_not(model.plan)
                continue
            model.backend = "numpy"
            reference = model.run()
        _assert_same(machine, reference, rtol=1e-9)
        traced.append(case)
    assert len(traced) >= 90, fell_back
