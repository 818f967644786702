"""Speed of the fast engine against PySD and against the machine bound.

60 years (1991-2050) at dt = 1/8 on the showcase roster (and the national roster when
``models/national_districts.csv`` exists): one run, and ensembles of 100, 1,000 and
10,000 members that spread every fractional scalar constant +-10 %, on both backends of
the engine (``vm``: the traced tape on the Numba virtual machine; ``numpy``: the plan's
numpy closures; the numpy backend skips 10,000 members, up to 7 minutes a run). PySD
runs once per roster in the same session; its per-run time is the reference for
throughput ratios. Every case checks that the requested backend really ran.
"""

from __future__ import annotations

import itertools
import time
import warnings

import pytest
from bound import (
    machine_bound,
    measure_bandwidth,
    measure_element_op,
    measure_in_cache_op,
    step_bound,
)
from conftest import BOUNDS, TIMINGS, YEARS_DT, ensemble_params, stock_names

MACHINE = {}


def _machine():
    if not MACHINE:
        MACHINE["bandwidth"] = measure_bandwidth()
        MACHINE["op_seconds"] = measure_element_op()
        MACHINE["in_cache_seconds"] = measure_in_cache_op()
    return MACHINE


def _steps(model) -> int:
    state = model.plan.initialize(1, {}, set())
    return round((state.final_time - state.t0) / YEARS_DT)


@pytest.mark.parametrize("returned", ["all", "stocks"])
@pytest.mark.parametrize("backend", ["vm", "numpy"])
def test_single_run(benchmark, fast_model, backend, returned):
    roster, model = fast_model
    columns = None if returned == "all" else stock_names(model)
    benchmark.extra_info.update(roster=roster, members=1, backend=backend, returned=returned)
    model.backend = backend
    try:
        rounds, warmup = (30, 3) if backend == "vm" else (5, 1)
        result = benchmark.pedantic(
            lambda: model.run(dt=YEARS_DT, return_columns=columns),
            rounds=rounds,
            warmup_rounds=warmup,
        )
    finally:
        model.backend = "auto"
    assert result.attrs["backend"] == backend
    TIMINGS[(roster, backend, 1, returned)] = benchmark.stats.stats.mean
    if backend == "vm":
        bound = machine_bound(model, 1, _steps(model) + 1, _machine()["in_cache_seconds"])
        benchmark.extra_info.update(bound)
        BOUNDS[(roster, "vm", 1, returned)] = bound


@pytest.mark.parametrize("changed", ["one", "every"])
def test_single_run_with_changed_parameters(benchmark, fast_model, changed):
    """A single run, every variable returned, with other parameter values every round.

    A run of one member recomputes at the initial time only what its overrides reach
    (the rest is the model's own initialisation, kept from load time): ``one`` changes
    one constant (a slider), ``every`` changes every fractional scalar constant (the
    initialisation is then nearly all recomputed). Values alternate between two sets,
    so each round's values differ from the last round's.
    """
    roster, model = fast_model
    spread = ensemble_params(model, 2)
    if changed == "one":
        spread = {"Technical Capital Depreciation Rate": [0.1, 0.12]}
    value_sets = [{name: values[i] for name, values in spread.items()} for i in (0, 1)]
    rounds = itertools.count()

    def setup():
        return (), {"dt": YEARS_DT, "params": value_sets[next(rounds) % 2]}

    benchmark.extra_info.update(roster=roster, members=1, backend="vm", changed=changed)
    model.backend = "vm"
    try:
        result = benchmark.pedantic(model.run, setup=setup, rounds=30, warmup_rounds=3)
    finally:
        model.backend = "auto"
    assert result.attrs["backend"] == "vm"
    TIMINGS[(roster, "vm", 1, f"{changed}-changed")] = benchmark.stats.stats.mean


@pytest.mark.parametrize("members", [100, 1_000, 10_000])
@pytest.mark.parametrize("backend", ["vm", "numpy"])
def test_ensemble(benchmark, fast_model, members, backend):
    roster, model = fast_model
    if backend == "numpy" and members > 1_000:
        pytest.skip("numpy backend at 10,000 members: up to 7 minutes, measured before")
    params = ensemble_params(model, members)
    keep = stock_names(model)
    machine = _machine()
    bound = step_bound(model, members, machine["bandwidth"], machine["op_seconds"])
    bound["total_s"] = bound["bound_s"] * _steps(model)
    benchmark.extra_info.update(
        roster=roster,
        members=members,
        backend=backend,
        parameters=len(params),
        bound_s=bound["total_s"],
    )
    rounds = 3 if members < 1_000 else 1
    model.backend = backend

    def run():
        return model.run_ensemble(params, dt=YEARS_DT, return_columns=keep)

    try:
        # one unmeasured run traces the tape (about 0.7 s, once per returned set)
        result = benchmark.pedantic(run, rounds=rounds, warmup_rounds=1 if members < 10_000 else 0)
    finally:
        model.backend = "auto"
    assert result.attrs["backend"] == backend
    if backend == "vm":
        evaluations = _steps(model) + 1
        bound.update(machine_bound(model, members, evaluations, machine["in_cache_seconds"]))
    BOUNDS[(roster, backend, members, "stocks")] = bound
    benchmark.extra_info.update({k: v for k, v in bound.items() if k.endswith("_s")})
    benchmark.extra_info["failed_members"] = int(result["status"].sum())
    TIMINGS[(roster, backend, members, "stocks")] = benchmark.stats.stats.mean


def test_pysd_single_run(benchmark, roster):
    import pysd

    name, path = roster
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(path))

        def run():
            model.reload()
            return model.run(time_step=YEARS_DT, saveper=1)

        start = time.perf_counter()
        benchmark.pedantic(run, rounds=1, warmup_rounds=0)
    benchmark.extra_info.update(roster=name, members=1, wall_s=time.perf_counter() - start)
    TIMINGS[(name, "pysd", 1, "all")] = benchmark.stats.stats.mean
