"""IF THEN ELSE chains over constant conditions: the gather equals the element-wise path."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from mdl_text import write_model

from renaissance.engine import load_model, selection

EQUATIONS = {
    "Kind": ": k1, k2, k3, k4",
    "Place": ": p1, p2, p3, p4, p5",
    "is blind[Kind]": "1, 0, 0, 0.5",
    "is firm[Kind]": "0, 1, 0, 0",
    "weight[Kind, Place]": "1 + 0.1 * Kind - 0.05 * Place",
    "growth": "0.1",
    "level[Place]": "INTEG(growth * level[Place] / Place, Place)",
    "share[Place]": "level[Place] / SUM(level[Place!])",
    "basis[Kind, Place]": (
        "weight[Kind, Place] * IF THEN ELSE(is blind[Kind], share[Place], "
        "IF THEN ELSE(is firm[Kind] = 1, level[Place], 2))"
    ),
    "flipped[Place, Kind]": "IF THEN ELSE(is firm[Kind], share[Place] * Time, -1)",
    "total": "SUM(basis[Kind!, Place!]) + SUM(flipped[Place!, Kind!])",
}


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return load_model(write_model(tmp_path_factory.mktemp("select"), EQUATIONS, final=5))


@pytest.mark.parametrize("members", [1, 300])
def test_gather_equals_element_wise(model, members, monkeypatch):
    params = {"growth": np.linspace(0.05, 0.2, members)}
    monkeypatch.setattr(selection, "GATHER_MIN_CELLS", 0)
    gathered = model.run_ensemble(params, integrator="rk4")
    monkeypatch.setattr(selection, "GATHER_MIN_CELLS", np.inf)
    element_wise = model.run_ensemble(params, integrator="rk4")
    xr.testing.assert_identical(gathered, element_wise)
    blind = gathered["basis"].sel(Kind="k1") / gathered["weight"].sel(Kind="k1")
    np.testing.assert_allclose(blind.values, gathered["share"].values, rtol=1e-14)
    assert (
        gathered["basis"].sel(Kind="k4") == (gathered["weight"] * gathered["share"]).sel(Kind="k4")
    ).all()  # any non-zero condition: the true branch
    assert (gathered["basis"].sel(Kind="k3") == 2 * gathered["weight"].sel(Kind="k3")).all()
