"""Scenario files: policy mixes, shocks and parameter changes as YAML, validated and run.

>>> from renaissance.scenarios import load_scenario, prepare_scenario
>>> scenario = load_scenario("system-mix")          # a library name or a path
>>> result = prepare_scenario(scenario).run()        # xarray.Dataset, provenance in attrs

The schema is documented in ``docs/scenarios.md``; :func:`json_schema` exports it for
editors.
"""

from __future__ import annotations

from pathlib import Path

from renaissance.scenarios.errors import ScenarioError
from renaissance.scenarios.inheritance import library_names, read_chain, resolve
from renaissance.scenarios.json_schema import json_schema
from renaissance.scenarios.preparation import PreparedScenario, prepare_scenario, scenario_params
from renaissance.scenarios.schema import Horizon, Policy, Scenario, Shock, StopAndGo, Targets
from renaissance.scenarios.validation import build_scenario

__all__ = [
    "Horizon",
    "Policy",
    "PreparedScenario",
    "Scenario",
    "ScenarioError",
    "Shock",
    "StopAndGo",
    "Targets",
    "json_schema",
    "library_names",
    "load_scenario",
    "prepare_scenario",
    "scenario_params",
]


def load_scenario(reference: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario.

    Parameters
    ----------
    reference : str or pathlib.Path
        A path to a YAML file, or the name of a scenario in the library (``scenarios/``).

    Raises
    ------
    ScenarioError
        With the file, key path and line of the first problem found.
    """
    root, files = read_chain(resolve(reference))
    return build_scenario(root, files)
