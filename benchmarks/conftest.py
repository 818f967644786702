"""Shared fixtures for the engine benchmarks and the ratio summary printed at the end.

Run with ``.venv/bin/python -m pytest benchmarks --benchmark-enable`` (see README.md).
Each benchmark records its mean time in ``TIMINGS``; the terminal summary turns them into
ratios measured in the same session: per-run throughput against PySD, and time against
the machine bound of ``bound.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS = REPO_ROOT / "models"
YEARS_DT = 1 / 8
TIMINGS: dict[tuple[str, str, int], float] = {}
BOUNDS: dict[tuple[str, int], dict] = {}


def roster_folder(tmp_root: Path, roster: str) -> Path:
    """A copy of the model beside the requested roster's CSV files (``renaissance.roster``)."""
    from renaissance.roster import model_for_roster

    try:
        return model_for_roster(roster, tmp_root / roster)
    except (FileNotFoundError, KeyError, ValueError) as err:
        pytest.skip(f"roster {roster!r} not available: {err}")


@pytest.fixture(scope="session", params=["showcase", "national"])
def roster(request, tmp_path_factory):
    if not (MODELS / "renaissance.mdl").is_file():
        pytest.skip("models/renaissance.mdl does not exist")
    path = roster_folder(tmp_path_factory.mktemp("models"), request.param)
    return request.param, path


@pytest.fixture(scope="session")
def fast_model(roster):
    from renaissance.engine import load_model

    name, path = roster
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return name, load_model(path)


def stock_names(model) -> list[str]:
    """The model's stocks: what an ensemble study keeps (all variables would be GBs)."""
    plan = model.plan
    keys = {s.key for s in plan.statefuls if type(s).__name__ == "Integ"}
    return [
        v.name
        for v in plan.variables.values()
        if v.kind == "aux" and v.node.step_deps & keys and v.node.cost == 0
    ]


def ensemble_params(model, members: int) -> dict:
    """Spread every scalar constant +-10 % around its value across the members."""
    rng = np.random.default_rng(12345)
    params = {}
    state = model.plan.initialize(1, {}, set())
    for var in model.plan.variables.values():
        if (
            var.kind == "aux"
            and not var.dims
            and var.node.is_literal
            and var.key not in ("initial_time", "final_time", "time_step", "saveper")
        ):
            value = float(state.env[var.key].ravel()[0])
            if value != 0 and not float(value).is_integer():
                params[var.name] = value * rng.uniform(0.9, 1.1, members)
    return params


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    import numba

    write = terminalreporter.write_line
    write("")
    write(f"renaissance engine: ratios measured in this session ({numba.get_num_threads()} "
          "Numba threads)")  # fmt: skip
    for (roster, backend, members, returned), seconds in sorted(TIMINGS.items()):
        per_run = seconds / members
        line = (
            f"  {roster:9s} {backend:5s} E={members:<6d} {returned:6s} {seconds:9.3f} s "
            f"{per_run * 1e3:9.3f} ms/run"
        )
        pysd = TIMINGS.get((roster, "pysd", 1, "all"))
        if backend != "pysd" and pysd:
            line += f"  x{pysd / per_run:,.0f} PySD"
        numpy_seconds = TIMINGS.get((roster, "numpy", members, returned))
        if backend == "vm" and numpy_seconds:
            line += f"  x{numpy_seconds / seconds:.1f} numpy backend"
        bound = BOUNDS.get((roster, backend, members, returned), {})
        if bound.get("vm_bound_s"):
            line += f"  {seconds / bound['vm_bound_s']:.2f}x VM bound"
        if bound.get("total_s"):
            line += f"  {seconds / bound['total_s']:.2f}x numpy-plan bound"
        write(line)
