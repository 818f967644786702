"""Run several scenarios and gather them into one Dataset with a ``scenario`` dim.

Per-scenario provenance (file, SHA-256 of the file and of the chain it extends, seed,
description, total budget) becomes coordinates along ``scenario``; what all runs share
(model hash, package version, engine, integrator, time step, roster, creation time)
stays in the Dataset's attrs.
"""

from __future__ import annotations

import datetime
import sys
import time

import numpy as np
import xarray as xr

from renaissance.outputs import netcdf_safe
from renaissance.scenarios import Scenario, ScenarioError, prepare_scenario

SHARED_ATTRIBUTES = (
    "model_file",
    "model_sha256",
    "renaissance_version",
    "engine",
    "integrator",
    "time_step",
    "saveper",
    "initial_time",
    "final_time",
    "roster",
)


def check_comparable(scenarios: list[Scenario]) -> None:
    """Refuse scenarios that cannot share one Dataset (names, roster, horizon, integrator)."""
    names = [s.name for s in scenarios]
    for name in set(names):
        if names.count(name) > 1:
            files = [str(s.path) for s in scenarios if s.name == name]
            raise ScenarioError(
                files[1],
                "name",
                f"two scenarios are named {name!r} "
                f"({', '.join(files)}); names must differ to be compared",
            )
    first = scenarios[0]
    for other in scenarios[1:]:
        for field, label in (
            ("roster", "roster"),
            ("horizon", "horizon"),
            ("integrator", "integrator"),
        ):
            if getattr(other, field) != getattr(first, field):
                raise ScenarioError(
                    other.path or other.name,
                    field,
                    f"{label} {getattr(other, field)!r} differs from {first.name!r}'s "
                    f"{getattr(first, field)!r}; scenarios compared together must share it",
                )


def _progress(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def run_scenarios(scenarios: list[Scenario], quiet: bool = True) -> xr.Dataset:
    """Run every scenario; return the runs along a ``scenario`` dim.

    Raises
    ------
    RuntimeError
        A run went non-finite (the message names the scenario and the time).
    """
    check_comparable(scenarios)
    runs = []
    for number, scenario in enumerate(scenarios, start=1):
        started = time.perf_counter()
        result = prepare_scenario(scenario).run()
        if int(result["status"]) != 0:
            raise RuntimeError(
                f"scenario {scenario.name!r}: the model state went non-finite at time "
                f"{float(result['failure_time']):g}"
            )
        _progress(
            f"[{number}/{len(scenarios)}] {scenario.name}: {time.perf_counter() - started:.1f} s",
            quiet,
        )
        runs.append(result)
    return combine(scenarios, runs)


def combine(scenarios: list[Scenario], runs: list[xr.Dataset]) -> xr.Dataset:
    """Concatenate single runs along ``scenario`` with provenance as coordinates."""
    names = [s.name for s in scenarios]
    data = xr.concat([r.drop_attrs() for r in runs], dim=xr.Variable("scenario", names))
    coordinates = {
        "scenario_description": [" ".join(s.description.split()) for s in scenarios],
        "scenario_file": [s.path.name if s.path else "" for s in scenarios],
        "scenario_sha256": [s.sha256 for s in scenarios],
        "scenario_chain": [r.attrs.get("scenario_chain", "") for r in runs],
        "scenario_seed": np.array([s.seed for s in scenarios], dtype=np.int64),
        # how each run executed: the Numba virtual machine or the numpy plan
        "scenario_backend": [r.attrs.get("backend", "") for r in runs],
        "scenario_budget": (
            "scenario",
            np.array([s.total_budget for s in scenarios]),
            {"units": "M€/year", "description": "total yearly policy budget"},
        ),
    }
    data = data.assign_coords(
        {k: v if isinstance(v, tuple) else ("scenario", v) for k, v in coordinates.items()}
    )
    data.attrs = {k: runs[0].attrs[k] for k in SHARED_ATTRIBUTES if k in runs[0].attrs}
    data.attrs["created"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    data.attrs["scenarios"] = ", ".join(names)
    return data


def netcdf_ready(dataset: xr.Dataset) -> xr.Dataset:
    """A copy NetCDF can store: numeric variables only, '/' in names replaced by '∕'."""
    dataset = dataset.drop_vars(
        [v for v in dataset.data_vars if dataset[v].dtype.kind not in "fiub"]
    )
    return netcdf_safe(dataset)
