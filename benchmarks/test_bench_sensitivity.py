"""A Sobol' study of the showcase model against the same work done by PySD.

Issue 6: 20 parameters, N = 1,024, no second-order indices, so 1,024 × (20 + 2) = 22,528
runs of the baseline scenario (1991-2050, Euler, dt = 1/8), first- and total-order
indices of two outputs at 2050 and, per year, of one trajectory. The whole study (sample,
evaluate in chunks of 1,000 runs, analyse, bands) is timed once. PySD runs the same model
at the same dt once in the same session; PySD integrates one parameter set at a time, so
the same study would cost 22,528 times that run (plus the same sampling and analysis).

``test_sobol_study[64-...]`` is the scaled version (1,408 runs) for a quick look; the
``processes`` case runs it on a two-worker ``LocalCluster`` in four chunks of 352 runs
(two per worker; the in-process cases use the default chunks of 1,000 runs).

    .venv/bin/python -m pytest benchmarks/test_bench_sensitivity.py --benchmark-enable -s
"""

from __future__ import annotations

import time
import warnings

import pytest

PARAMETERS = [
    "World Demand Growth Rate[Mechanics]",
    "Low Cost Competition Increase",
    "Competitor Quality Upgrading Rate",
    "Smart Manufacturing Maximum",
    "Automation Labour Saving",
    "Trend Productivity Growth Rate",
    "Hiring Adjustment Time",
    "Separation Adjustment Time",
    "Export Price Elasticity",
    "Quality Elasticity of Demand",
    "Technical Capital Elasticity",
    "Human Capital Elasticity",
    "Social Capital Elasticity",
    "Technical Capital Depreciation Rate",
    "Social Capital Erosion Rate",
    "Base Small Firm Exit Rate",
    "Maximum Functional Upgrading Share",
    "Offshoring Adjustment Time",
    "Confidence Rise Time",
    "Initial National Strategy Credibility",
]
OUTPUTS = [
    "National Manufacturing Employment@2050",
    "Total District Exports@2050",
    "National Manufacturing Employment",
]
TIMES: dict[str, float] = {}


def _report(request, line: str) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


@pytest.mark.parametrize(
    ("samples", "scheduler"),
    [(64, "in-process"), (64, "processes"), (1024, "in-process")],
)
def test_sobol_study(benchmark, request, samples, scheduler):
    from renaissance.sensitivity.study import run_study

    runs = samples * (len(PARAMETERS) + 2)
    chunk_size = runs // 4 if scheduler == "processes" else 1000

    def study():
        return run_study(
            "baseline",
            OUTPUTS,
            method="sobol",
            samples=samples,
            parameters=PARAMETERS,
            scheduler=scheduler,
            quiet=True,
            chunk_size=chunk_size,
        )

    result = benchmark.pedantic(study, rounds=1, warmup_rounds=0)
    seconds = benchmark.stats.stats.mean
    assert result.samples.runs == runs
    TIMES[f"{samples}-{scheduler}"] = seconds
    benchmark.extra_info.update(
        runs=runs,
        samples=samples,
        scheduler=scheduler,
        chunk_size=chunk_size,
        failed_runs=int(result.outputs["status"].sum()),
        evaluation_and_analysis_s=result.seconds,
    )
    pysd = TIMES.get("pysd")
    line = (
        f"sobol N={samples} ({runs:,} runs, {scheduler}): {seconds:.1f} s, "
        f"{1e3 * seconds / runs:.2f} ms per run"
    )
    if pysd:
        line += (
            f"; PySD: {pysd * runs / 3600:.1f} h for the same runs, x{pysd * runs / seconds:,.0f}"
        )
    _report(request, line)


@pytest.fixture(autouse=True, scope="module")
def _pysd_first(request):
    """Time one PySD run before the studies, so each study prints its ratio."""
    import pysd

    from renaissance.paths import MODEL_FILE

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(MODEL_FILE))
        start = time.perf_counter()
        model.run(
            time_step=1 / 8,
            saveper=1,
            final_time=2050,
            return_columns=[o.split("@")[0] for o in OUTPUTS],
        )
        TIMES["pysd"] = time.perf_counter() - start
    _report(request, f"PySD, one run of the same model (dt 1/8, to 2050): {TIMES['pysd']:.1f} s")
