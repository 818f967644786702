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
            ("model_file", "model"),
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


ENSEMBLE_VARIABLES = (
    "District Manufacturing Employment",
    "District Exports",
    "District Value Added",
    "Composite Capital Index",
    "Functional Upgrading Share",
    "Offshored Share",
    "Small Firms",
    "Medium Large Firms",
    "Multinational Affiliates",
    "Total District Firms",
    "Regional District Employment",
    "Regional District Exports",
    "Total District Manufacturing Employment",
    "Total District Exports",
    "Non District Value Added",
    "National Manufacturing Employment",
    "National Manufacturing Exports",
    "National Composite Capital Index",
    "Public Policy Spending",
    "Policy Budget",
    "Policy Start Year",
    "Region Membership",
)
"""Variables an ensemble comparison keeps by default (all the metrics, figures and
classes need) besides every national (unsubscripted) variable: keeping all 400
variables of every member would take about 1.5 MB per member and scenario."""


def ensemble_variables(model, extra_patterns=()) -> list[str]:
    """Names kept by an ensemble run: :data:`ENSEMBLE_VARIABLES`, the model's
    unsubscripted variables and those matching ``extra_patterns`` (shell patterns)."""
    import fnmatch

    names = []
    for variable in model.plan.variables.values():
        if variable.kind != "aux" or variable.hidden:
            continue
        name = variable.name
        if (
            name in ENSEMBLE_VARIABLES
            or not variable.dims
            or any(fnmatch.fnmatchcase(name, pattern) for pattern in extra_patterns)
        ):
            names.append(name)
    return names


def run_scenarios(
    scenarios: list[Scenario],
    quiet: bool = True,
    members=None,
    variables=None,
) -> xr.Dataset:
    """Run every scenario; return the runs along a ``scenario`` dim.

    Parameters
    ----------
    scenarios : list of Scenario
    quiet : bool
        No progress messages on stderr.
    members : pandas.DataFrame or None
        Parameter sets of an ensemble (index ``member``, columns ``Name`` or
        ``Name[cell]``, :func:`renaissance.ensemble_members.read_members`): every
        scenario runs over the same sets, the result keeps a ``member`` dim whose
        coordinate is the file's ids. A scenario's own ``parameters:`` override the
        ensemble's values for the same names. None: one run per scenario.
    variables : sequence of str or None
        Shell patterns of variable names to return (None: all variables for single runs;
        :func:`ensemble_variables` for an ensemble).

    Raises
    ------
    RuntimeError
        A run went non-finite (the message names the scenario, the time and, for an
        ensemble, the members).
    """
    from renaissance.ensemble_members import members_for_scenario

    check_comparable(scenarios)
    runs = []
    for number, scenario in enumerate(scenarios, start=1):
        started = time.perf_counter()
        prepared = prepare_scenario(scenario)
        columns = None
        if members is not None:
            columns = ensemble_variables(prepared.model, variables or ())
        elif variables:
            columns = selected_variables(prepared.model, variables)
        if members is None:
            result = prepared.run(return_columns=columns)
        else:
            samples = members_for_scenario(members, scenario).reset_index(drop=True)
            if samples.shape[1] == 0:
                result = prepared.run(return_columns=columns).expand_dims(member=len(members))
            else:
                result = prepared.run_ensemble(samples, return_columns=columns)
            result = result.assign_coords(member=("member", members.index.to_numpy()))
        _check_status(scenario, result)
        _progress(
            f"[{number}/{len(scenarios)}] {scenario.name}: {time.perf_counter() - started:.1f} s",
            quiet,
        )
        runs.append(result)
    return combine(scenarios, runs)


def selected_variables(model, patterns) -> list[str]:
    """Variables of ``model`` whose names match any shell pattern (case-sensitive).

    Raises
    ------
    InputError
        A pattern matches no variable (``--variables``, with close matches).
    """
    import difflib
    import fnmatch

    from renaissance.input_errors import InputError

    names = [v.name for v in model.plan.variables.values() if v.kind == "aux" and not v.hidden]
    chosen = []
    for pattern in patterns:
        matched = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
        if not matched:
            close = difflib.get_close_matches(pattern, names, n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise InputError(
                "--variables", "", f"{pattern!r} matches no variable of the model{hint}"
            )
        chosen.extend(name for name in matched if name not in chosen)
    return chosen


def _check_status(scenario, result) -> None:
    status = result["status"]
    if int((status != 0).sum()) == 0:
        return
    if "member" in status.dims:
        failed = result["member"].values[(status != 0).values]
        raise RuntimeError(
            f"scenario {scenario.name!r}: the model state went non-finite in "
            f"{len(failed)} member(s) ({', '.join(str(m) for m in failed[:10])}"
            f"{' …' if len(failed) > 10 else ''})"
        )
    raise RuntimeError(
        f"scenario {scenario.name!r}: the model state went non-finite at time "
        f"{float(result['failure_time']):g}"
    )


def combine(scenarios: list[Scenario], runs: list[xr.Dataset]) -> xr.Dataset:
    """Concatenate single runs along ``scenario`` with provenance as coordinates."""
    names = [s.name for s in scenarios]
    # only the runs' own attrs go (they become coordinates below); each variable keeps its
    # units and description, which the NetCDF files must carry
    data = xr.concat([r.drop_attrs(deep=False) for r in runs], dim=xr.Variable("scenario", names))
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
