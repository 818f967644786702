"""Models the diagram tests draw: this project's model (copied with its data) and SD test models.

The SD test models live outside the repository, in ``../shared/sd-test-models`` relative
to its root; they are copied to a temporary folder, because PySD reads files beside them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_FOLDER = REPO_ROOT / "models"
SD_TEST_MODELS = REPO_ROOT.parent / "shared" / "sd-test-models"
SAMPLES = {
    "teacup": "samples/teacup/teacup.mdl",
    "SIR": "samples/SIR/SIR.mdl",
    "Lotka_Volterra": "samples/Lotka_Volterra/Lotka_Volterra.mdl",
    "population": "samples/Population/Subscripted Population Model.mdl",
    "subscripted_flows": "tests/subscripted_flows/test_subscripted_flows.mdl",
    "delays": "tests/delays/test_delays.mdl",
    "smooth_and_stock": "tests/smooth_and_stock/test_smooth_and_stock.mdl",
    "macro_expression": "tests/macro_expression/test_macro_expression.mdl",
    "subscript_aggregation": "tests/subscript_aggregation/test_subscript_aggregation.mdl",
}


def copy_sample(name: str, destination: Path) -> Path:
    source = SD_TEST_MODELS / SAMPLES[name]
    if not source.is_file():
        pytest.fail(f"SD test model {source} is missing (expected ../shared/sd-test-models)")
    folder = destination / name
    shutil.copytree(source.parent, folder)
    return folder / source.name


def all_test_models() -> list[str]:
    """Every ``.mdl`` of the SD test suite, as ``folder/file`` under ``tests/``."""
    root = SD_TEST_MODELS / "tests"
    return sorted(
        f"{folder.name}/{mdl.name}" for folder in root.iterdir() if folder.is_dir()
        for mdl in folder.glob("*.mdl")
    )  # fmt: skip
