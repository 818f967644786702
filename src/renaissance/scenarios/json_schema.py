"""A JSON Schema (draft 2020-12) of scenario files, for editors' completion and checks.

The vocabulary (instruments, scales, allocations, shock kinds, integrators) comes from the
model and :mod:`renaissance.scenarios.schema`; names that depend on the roster (districts,
regions) and on the model's parameters are left as strings, checked by the loader.
"""

from __future__ import annotations

from renaissance.paths import MODEL_FILE
from renaissance.scenarios.schema import ALLOCATIONS, INTEGRATORS, SCALES, SHOCK_HOOKS

_NUMBER = {"type": "number"}
_YEAR = {"type": "number", "minimum": 1991, "maximum": 2100}


def _names():
    return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def _targets():
    return {
        "description": "'all', or districts/regions/archetypes/trajectories/segments to reach",
        "anyOf": [
            {"const": "all"},
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    k: _names()
                    for k in ("districts", "regions", "archetypes", "trajectories", "segments")
                },
            },
        ],
    }


def json_schema() -> dict:
    """The schema as a dict (``json.dumps`` it to a ``.json`` file)."""
    from renaissance.scenarios.vocabulary import vocabulary

    instruments = list(vocabulary("showcase", MODEL_FILE).instruments)
    policy_fields = {
        "instrument": {"enum": instruments},
        "scale": {
            "anyOf": [{"enum": list(SCALES)}, {"type": "array", "items": {"enum": list(SCALES)}}]
        },
        "targets": _targets(),
        "budget": {
            "type": "number",
            "minimum": 0,
            "maximum": 5000,
            "description": "M€/year once ramped up",
        },
        "start": {**_YEAR, "maximum": 2050},
        "end": {**_YEAR, "maximum": 2051},
        "ramp": {"type": "number", "minimum": 0, "maximum": 10, "description": "years"},
        "capture_share": {"type": "number", "minimum": 0, "maximum": 0.9},
        "allocation": {"enum": list(ALLOCATIONS)},
        "stop_and_go": {
            "type": "object",
            "additionalProperties": False,
            "required": ["cycle_years"],
            "properties": {
                "cycle_years": {"type": "number", "exclusiveMinimum": 0, "maximum": 20},
                "on_share": {"type": "number", "minimum": 0.1, "maximum": 1},
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "renaissance scenario",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "description"],
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "extends": {"type": "string", "description": "library name or path of a scenario"},
            "horizon": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "start": _YEAR,
                    "stop": _YEAR,
                    "dt": {"type": "number", "exclusiveMinimum": 0},
                    "saveper": {"type": "number", "exclusiveMinimum": 0},
                },
            },
            "integrator": {"enum": list(INTEGRATORS)},
            "roster": {"type": "string", "description": "showcase, national or a folder"},
            "model": {
                "type": "string",
                "pattern": "\\.[mM][dD][lL]$",
                "description": "a Vensim .mdl file (relative to the scenario file) to run "
                "instead of the shipped model",
            },
            "seed": {"type": "integer", "minimum": 0},
            "allow_out_of_range": {"type": "boolean"},
            "parameters": {"type": "object", "additionalProperties": _NUMBER},
            "exogenous": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": _NUMBER},
            },
            "shocks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["variable", "start", "size"],
                    "properties": {
                        "variable": {"enum": list(SHOCK_HOOKS)},
                        "start": _YEAR,
                        "duration": {"type": "number", "exclusiveMinimum": 0},
                        "size": _NUMBER,
                        "targets": _targets(),
                    },
                },
            },
            "policies": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["instrument", "scale", "budget"],
                    "properties": policy_fields,
                },
            },
            "all_policies": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    k: v for k, v in policy_fields.items() if k not in ("instrument", "scale")
                },
            },
        },
    }
