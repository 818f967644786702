"""Locations of the model file and the data shipped beside it.

The model and its CSV tables live in ``models/`` at the repository root, where SD
modellers expect them (Vensim and PySD read them from there). The package finds them
relative to its own source tree, or through the ``RENAISSANCE_MODEL_DIRECTORY``
environment variable when installed elsewhere.
"""

import os
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]

MODEL_DIRECTORY = Path(os.environ.get("RENAISSANCE_MODEL_DIRECTORY", _SOURCE_ROOT / "models"))
"""Directory holding ``renaissance.mdl`` and its CSV tables."""

MODEL_FILE = MODEL_DIRECTORY / "renaissance.mdl"
"""The Vensim model file."""

SCENARIO_DIRECTORY = Path(
    os.environ.get("RENAISSANCE_SCENARIO_DIRECTORY", _SOURCE_ROOT / "scenarios")
)
"""Directory of the scenario library (``*.yaml``)."""
