"""Speed of the fast engine against PySD and against the machine bound.

60 years (1991-2050) at dt = 1/8 on the showcase roster (and the national roster when
``models/national_districts.csv`` exists): one run, and ensembles of 100, 1,000 and
10,000 members that spread every fractional scalar constant +-10 %. PySD runs once per
roster in the same session; its per-run time is the reference for throughput ratios.
"""

from __future__ import annotations

import time
import warnings

import pytest
from bound import measure_bandwidth, measure_element_op, step_bound
from conftest import BOUNDS, TIMINGS, YEARS_DT, ensemble_params, stock_names

MACHINE = {}


def _machine():
    if not MACHINE:
        MACHINE["bandwidth"] = measure_bandwidth()
        MACHINE["op_seconds"] = measure_element_op()
    return MACHINE


def _steps(model) -> int:
    state = model.plan.initialize(1, {}, set())
    return round((state.final_time - state.t0) / YEARS_DT)


def test_single_run(benchmark, fast_model):
    roster, model = fast_model
    benchmark.extra_info.update(roster=roster, members=1)
    benchmark.pedantic(lambda: model.run(dt=YEARS_DT), rounds=5, warmup_rounds=1)
    TIMINGS[(roster, "fast", 1)] = benchmark.stats.stats.mean


@pytest.mark.parametrize("members", [100, 1_000, 10_000])
def test_ensemble(benchmark, fast_model, members):
    roster, model = fast_model
    params = ensemble_params(model, members)
    keep = stock_names(model)
    machine = _machine()
    bound = step_bound(model, members, machine["bandwidth"], machine["op_seconds"])
    bound["total_s"] = bound["bound_s"] * _steps(model)
    BOUNDS[(roster, members)] = bound
    benchmark.extra_info.update(
        roster=roster, members=members, parameters=len(params), bound_s=bound["total_s"]
    )
    rounds = 3 if members < 1_000 else 1

    def run():
        return model.run_ensemble(params, dt=YEARS_DT, return_columns=keep)

    result = benchmark.pedantic(run, rounds=rounds, warmup_rounds=0)
    benchmark.extra_info["failed_members"] = int(result["status"].sum())
    TIMINGS[(roster, "fast", members)] = benchmark.stats.stats.mean


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
    TIMINGS[(name, "pysd", 1)] = benchmark.stats.stats.mean
