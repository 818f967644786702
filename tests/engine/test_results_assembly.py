"""Datasets are assembled directly, and identical to what xarray's constructor builds."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from renaissance.engine import load_model
from renaissance.engine.results import assemble
from renaissance.paths import MODEL_FILE


def _parts():
    coords = {"time": np.arange(3.0), "district": ["a", "b"]}
    variables = {
        "Stock": xr.Variable(("time", "district"), np.arange(6.0).reshape(3, 2), {"units": "t"}),
        "Rate": xr.Variable(("time",), np.ones(3), {"units": "1/Year"}),
        "status": xr.Variable((), np.int8(0)),
    }
    return variables, coords, {"model_file": "m.mdl"}


def test_direct_assembly_is_identical_to_the_public_constructor():
    variables, coords, attrs = _parts()
    direct = assemble(variables, coords, attrs)
    public = xr.Dataset(variables, coords=coords, attrs=attrs)
    xr.testing.assert_identical(direct, public)
    assert list(direct.data_vars) == list(public.data_vars)
    assert direct.indexes["district"].equals(public.indexes["district"])


def test_inconsistent_lengths_are_refused_as_xarray_refuses_them():
    variables, coords, attrs = _parts()
    variables["Bad"] = xr.Variable(("district",), np.zeros(3))
    with pytest.raises(ValueError):
        assemble(variables, coords, attrs)


def test_a_model_run_is_identical_to_the_public_constructor():
    run = load_model(MODEL_FILE).run(final_time=1995)
    assert len(run.data_vars) > 300
    variables = {name: run[name].variable for name in run.data_vars}
    coords = {name: run[name].values for name in run.coords}
    xr.testing.assert_identical(run, xr.Dataset(variables, coords=coords, attrs=run.attrs))


def test_remembered_coordinates_are_private_to_each_dataset():
    variables, coords, attrs = _parts()
    first = assemble(variables, coords, attrs)
    second = assemble(variables, coords, attrs)  # the coordinates are remembered now
    xr.testing.assert_identical(first, second)
    first["time"].attrs["units"] = "year"
    first["district"].attrs["long_name"] = "district"
    assert second["time"].attrs == {} and second["district"].attrs == {}
    xr.testing.assert_identical(assemble(variables, coords, attrs), second)


def test_other_coordinate_values_are_not_taken_for_remembered_ones():
    variables, coords, attrs = _parts()
    assemble(variables, coords, attrs)
    moved = dict(coords, time=np.arange(3.0) + 0.5, district=["a", "c"])
    direct = assemble(variables, moved, attrs)
    xr.testing.assert_identical(direct, xr.Dataset(variables, coords=moved, attrs=attrs))
