"""Fixtures of the diagram tests: this project's model, its structure and polarities."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from diagram_models import MODEL_FOLDER


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory) -> Path:
    """A copy of models/renaissance.mdl with the data files it reads (one per module)."""
    folder = tmp_path_factory.mktemp("copy") / "models"
    folder.mkdir()
    for path in MODEL_FOLDER.iterdir():
        if path.suffix in (".mdl", ".csv"):
            shutil.copy2(path, folder / path.name)
    return folder / "renaissance.mdl"


@pytest.fixture(scope="module")
def structure():
    from renaissance.diagrams import read_structure

    return read_structure(MODEL_FOLDER / "renaissance.mdl")


@pytest.fixture(scope="module")
def polarity(structure):
    from renaissance.diagrams import link_polarities

    return link_polarities(structure)
