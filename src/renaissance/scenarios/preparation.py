"""From a :class:`~renaissance.scenarios.schema.Scenario` to model runs.

:func:`scenario_params` translates policies, shocks, parameters and exogenous series into
the engine's parameter overrides (the model's lever and hook constants);
:func:`prepare_scenario` compiles the model on the scenario's roster once and returns a
:class:`PreparedScenario` that runs it, alone or as an ensemble over sampled parameters.
"""

from __future__ import annotations

import datetime
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from renaissance._version import __version__
from renaissance.engine import load_model
from renaissance.engine.params import overlay_table, split_cell
from renaissance.leftovers import remove_roster_leftovers, roster_prefix
from renaissance.roster import model_for_roster
from renaissance.scenarios.schema import ALLOCATIONS, SHOCK_HOOKS, Scenario
from renaissance.scenarios.validation import reached_districts
from renaissance.scenarios.vocabulary import vocabulary


def _set(params: dict, key: str, value) -> None:
    name, cell = split_cell(key)
    if cell is None:
        params[name] = value
    else:
        params[name] = {**params.get(name, {}), cell: value}


def _series(pairs) -> pd.Series:
    years, values = zip(*pairs, strict=True)
    return pd.Series(values, index=pd.Index(years, name="time"), dtype=float)


def _cell_series(name: str, series: dict, words) -> xr.DataArray:
    """A DataArray (time, *dims) with the given cells' series and the model's default
    (constant) values in the other cells, on the union of the series' years.

    Linear interpolation of each cell onto the union of knots is exact, so the engine's
    interpolation of the result equals that of each series.
    """
    dims = words.variables[name]
    coords = {dim: list(words.ranges[dim]) for dim in dims}
    shape = [len(coords[d]) for d in dims]
    defaults = np.empty(shape)
    for index in np.ndindex(*shape):
        cell = tuple(coords[d][i] for d, i in zip(dims, index, strict=True))
        defaults[index] = words.default_of(name, dims, cell)
    times = np.array(sorted({year for pairs in series.values() for year, _ in pairs}))
    values = np.broadcast_to(defaults, (len(times), *shape)).copy()
    for cell, pairs in series.items():
        index = tuple(coords[d].index(e) for d, e in zip(dims, cell, strict=True))
        years, points = zip(*pairs, strict=True)
        values[(slice(None), *index)] = np.interp(times, years, points)
    return xr.DataArray(values, dims=("time", *dims), coords={"time": times, **coords})


def scenario_params(scenario: Scenario) -> dict:
    """The engine parameter overrides a scenario implies.

    Returns
    -------
    dict
        Variable name -> number, ``pandas.Series`` over time (exogenous) or dict
        ``"element,element"`` -> value for the cells a scenario sets.
    """
    words = vocabulary(scenario.roster, scenario.model_file)
    params: dict = {}
    for key, value in scenario.parameters:
        _set(params, key, value)
    whole = {k: pairs for k, pairs in scenario.exogenous if split_cell(k)[1] is None}
    for key, pairs in whole.items():
        params[key] = _series(pairs)
    cells: dict = {}
    for key, pairs in scenario.exogenous:
        name, cell = split_cell(key)
        if cell is not None:
            cells.setdefault(name, {})[tuple(cell.split(","))] = pairs
    for name, series in cells.items():
        params[name] = _cell_series(name, series, words)
    for shock in scenario.shocks:
        hook = SHOCK_HOOKS[shock.variable]
        params[f"{hook} Start"] = shock.start
        params[f"{hook} Duration"] = shock.duration
        if shock.variable == "district demand":
            params[f"{hook} Size"] = {
                d: shock.size for d in reached_districts(shock.targets, words)
            }
        else:
            params[f"{hook} Size"] = shock.size
    levers = {
        "Policy Budget": "budget",
        "Policy Start Year": "start",
        "Policy End Year": "end",
        "Policy Ramp Years": "ramp",
        "Policy Capture Share": "capture_share",
    }
    for policy in scenario.policies:
        cell = f"{policy.instrument},{policy.scale}"
        for lever, attribute in levers.items():
            params.setdefault(lever, {})[cell] = getattr(policy, attribute)
        params.setdefault("Policy Allocation Rule", {})[cell] = ALLOCATIONS[policy.allocation]
        if policy.stop_and_go is not None:
            params.setdefault("Policy Stop Go Cycle Years", {})[cell] = (
                policy.stop_and_go.cycle_years
            )
            params.setdefault("Policy On Share of Cycle", {})[cell] = policy.stop_and_go.on_share
        if not policy.targets.everything:
            reached = set(reached_districts(policy.targets, words))
            weights = params.setdefault("Policy Target Weight", {})
            for district in words.districts:
                if district not in reached:
                    weights[f"{cell},{district}"] = 0.0
    return params


@dataclass
class PreparedScenario:
    """A scenario with its model compiled on its roster, ready to run.

    Attributes
    ----------
    scenario : Scenario
    model : renaissance.engine.Model
    params : dict
        Engine parameter overrides implied by the scenario (:func:`scenario_params`).
    run_options : dict
        ``integrator``, ``dt``, ``saveper``, ``final_time`` for the engine.
    """

    scenario: Scenario
    model: object
    params: dict
    run_options: dict = field(default_factory=dict)

    def provenance(self) -> dict:
        """Attributes every result of this scenario carries (NetCDF-safe scalars)."""
        s = self.scenario
        return {
            "scenario": s.name,
            "scenario_file": Path(s.files[0][0]).name if s.files else "",
            "scenario_sha256": s.sha256,
            "scenario_chain": " <- ".join(f"{Path(f).name}:{h[:12]}" for f, h in s.files),
            "roster": s.roster,
            "seed": s.seed,
            "model_file": Path(s.model_file).name,
            "model_sha256": self.model.sha256,
            "renaissance_version": __version__,
            "engine": self.model.engine,
            "integrator": s.integrator,
            "time_step": s.horizon.dt,
            "saveper": s.horizon.saveper,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }

    def _finish(self, result: xr.Dataset) -> xr.Dataset:
        start = self.scenario.horizon.start
        result = result.sel(time=result.time[result.time >= start - 1e-9])
        result.attrs.update(self.provenance())
        return result

    def run(self, params: dict | None = None, return_columns=None) -> xr.Dataset:
        """Run the scenario once (``params`` override the scenario's own values)."""
        merged = {**self.params, **(params or {})}
        result = self.model.run(params=merged, return_columns=return_columns, **self.run_options)
        return self._finish(result)

    def run_ensemble(
        self, samples: pd.DataFrame, chunk_size: int | None = None, return_columns=None
    ) -> xr.Dataset:
        """Run the scenario once per row of ``samples`` (columns ``Name`` or ``Name[a,b]``).

        Returns
        -------
        xarray.Dataset
            Dims ``time``, ``member`` (``len(samples)``) and the subscript dims.
        """
        if len(samples) == 0:
            raise ValueError("samples has no rows")
        merged = overlay_table(self.params, samples)
        options = dict(self.run_options)
        if chunk_size is not None:
            options["chunk_size"] = chunk_size
        result = self.model.run_ensemble(merged, return_columns=return_columns, **options)
        return self._finish(result)


def prepare_scenario(scenario: Scenario) -> PreparedScenario:
    """Compile the model on the scenario's roster and translate its settings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PySD's translator chatter
        if scenario.roster == "showcase":
            model = load_model(scenario.model_file)
        else:
            remove_roster_leftovers()
            with tempfile.TemporaryDirectory(prefix=roster_prefix()) as folder:
                model = load_model(
                    model_for_roster(scenario.roster, Path(folder), scenario.model_file)
                )
    h = scenario.horizon
    options = {
        "integrator": scenario.integrator,
        "dt": h.dt,
        "saveper": h.saveper,
        "final_time": h.stop,
    }
    return PreparedScenario(scenario, model, scenario_params(scenario), options)
