"""Shared fixtures of the calibration tests: data files and the prepared history scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FACTS_FILE = DATA / "stylized_facts.csv"
PWT_FILE = DATA / "pwt91_selected.csv"


@pytest.fixture(scope="session")
def data_files():
    """The shared stylised facts and Penn World Table extract (the tests need both)."""
    for path in (FACTS_FILE, PWT_FILE):
        if not path.is_file():
            raise FileNotFoundError(f"calibration data not found: {path}")
    return FACTS_FILE, PWT_FILE


@pytest.fixture(scope="session")
def history():
    """The history scenario compiled on its roster (built once per session)."""
    from renaissance.scenarios import load_scenario, prepare_scenario

    return prepare_scenario(load_scenario("history"))
