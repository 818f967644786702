"""Time-series parameter overrides: PySD's ``params={name: pandas.Series}`` semantics.

Agreement with PySD (1e-9), every accepted form gives the same run, each ensemble member
its own series, the series is read at every RK4 stage and adaptive evaluation time,
replaced constants propagate into hoisted sub-expressions, and bad series are refused
with the variable named.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from mdl_text import write_model

from renaissance.engine import load_model
from renaissance.engine.results import to_table

HERE = Path(__file__).resolve().parent
RTOL = 1e-9
ATOL = 1e-12
REGIONS = ["north", "south", "east"]

SMALL_MODEL = {
    "Region": ": north, south, east",
    "rate": "0.1",
    "scale[Region]": "1, 2, 3",
    "doubled": "rate * 2",
    "stock": "INTEG(inflow, 10)",
    # (rate * 2 + 1) is static in the model, so the compiler hoists it out of the step
    "inflow": "stock * (rate * 2 + 1) * 0.05 - doubled",
    "level[Region]": "INTEG(scale[Region] * doubled - level[Region] * rate, scale[Region])",
    "total": "SUM(level[Region!])",
}


@pytest.fixture(scope="module")
def small_path(tmp_path_factory) -> Path:
    return write_model(
        tmp_path_factory.mktemp("series"), SMALL_MODEL, final=10, dt=0.25, saveper=0.5
    )


@pytest.fixture(scope="module")
def small(small_path):
    return load_model(small_path)


def _pysd_table(path: Path, params: dict):
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pysd.read_vensim(str(path)).run(params=params)


def _assert_same_as_pysd(ours, reference):
    assert set(reference.columns) <= set(ours.columns)
    np.testing.assert_allclose(ours.index.to_numpy(), reference.index.to_numpy(), rtol=0)
    for column in reference.columns:
        np.testing.assert_allclose(
            ours[column].to_numpy(),
            reference[column].to_numpy(dtype=float),
            rtol=RTOL,
            atol=ATOL,
            err_msg=column,
        )


def _region_array(values) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), {"Region": REGIONS}, ["Region"])


RATE = pd.Series([0.05, 0.2, 0.1], index=[1.0, 4.0, 7.5])  # held before 1 and after 7.5
SCALE = pd.Series([_region_array([1, 2, 3]), _region_array([2, 1, 0.5])], index=[0.0, 12.0])


def test_scalar_and_array_series_agree_with_pysd(small, small_path):
    params = {"rate": RATE, "scale": SCALE}
    reference = _pysd_table(small_path, params)
    _assert_same_as_pysd(to_table(small.run(params=params)), reference)


def test_series_differs_from_the_constant_it_replaces(small):
    # guards the agreement test against a series that is silently ignored
    base = small.run()
    changed = small.run(params={"rate": RATE})
    assert not np.allclose(base["stock"].values, changed["stock"].values)
    np.testing.assert_allclose(changed["rate"].sel(time=[0.0, 0.5, 1.0]).values, 0.05, rtol=0)
    np.testing.assert_allclose(changed["rate"].sel(time=4.0).values, 0.2, rtol=0)
    np.testing.assert_allclose(changed["rate"].sel(time=[7.5, 10.0]).values, 0.1, rtol=0)
    np.testing.assert_allclose(changed["rate"].sel(time=2.5).values, 0.125, rtol=1e-15)
    np.testing.assert_allclose(changed["doubled"].values, 2 * changed["rate"].values, rtol=0)


def test_features_model_agrees_with_pysd(tmp_path):
    """A 1-D constant inside a hoisted SUM and a scalar inside a stock's flow."""
    shutil.copytree(HERE / "models", tmp_path / "features")
    path = tmp_path / "features" / "features.mdl"
    weights = pd.Series(
        [
            xr.DataArray(
                np.asarray(w, dtype=float),
                {"Instrument": ["training", "networks", "transfer"]},
                ["Instrument"],
            )
            for w in ([0.5, 0.3, 0.2], [0.1, 0.8, 0.4])
        ],
        index=[1990.0, 2005.0],
    )
    params = {
        "Hiring Time": pd.Series([2.0, 6.0, 3.0], index=[1992.0, 1995.0, 1999.0]),
        "Policy Weight": weights,
    }
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = pysd.read_vensim(str(path)).run(params=params, final_time=2001)
        ours = to_table(load_model(path).run(params=params, final_time=2001))
    _assert_same_as_pysd(ours, reference)


def test_every_form_gives_the_same_run(small):
    times = [0.0, 5.0, 10.0]
    rows = np.array([[1.0, 2.0, 3.0], [3.0, 0.5, 1.0], [2.0, 2.0, 2.0]])
    expected = small.run(params={"scale": pd.Series([_region_array(r) for r in rows], index=times)})
    forms = {
        "series of arrays": pd.Series(list(rows), index=times),
        "data frame": pd.DataFrame(rows[:, ::-1], index=times, columns=REGIONS[::-1]),
        "data array": xr.DataArray(rows, {"time": times, "Region": REGIONS}, ["time", "Region"]),
        "transposed data array": xr.DataArray(
            rows.T, {"Region": REGIONS, "time": times}, ["Region", "time"]
        ),
    }
    for value in forms.values():
        xr.testing.assert_identical(small.run(params={"scale": value}), expected)


def test_scalar_series_fills_every_cell(small):
    result = small.run(params={"scale": pd.Series([1.0, 4.0], index=[0.0, 10.0])})
    for region in REGIONS:
        np.testing.assert_allclose(
            result["scale"].sel(Region=region).values, 1.0 + 0.3 * result["time"].values, rtol=1e-14
        )


def test_member_series_equal_single_runs(small):
    times = [0.0, 3.0, 10.0]
    per_member = np.array([[0.1, 0.3, 0.0], [0.2, 0.05, 0.15], [0.0, 0.0, 0.4]])
    rates = xr.DataArray(per_member, {"time": times}, ["member", "time"])
    shared_scale = pd.DataFrame(
        [[1.0, 2.0, 3.0], [0.0, 1.0, 5.0]], index=[2.0, 6.0], columns=REGIONS
    )
    for integrator in ("euler", "rk4", "RK45"):
        ensemble = small.run_ensemble({"rate": rates, "scale": shared_scale}, integrator=integrator)
        for member, row in enumerate(per_member):
            single = small.run(
                params={"rate": pd.Series(row, index=times), "scale": shared_scale},
                integrator=integrator,
            )
            xr.testing.assert_allclose(
                ensemble.isel(member=member, drop=True).drop_vars(["status", "failure_time"]),
                single.drop_vars(["status", "failure_time"]),
                rtol=1e-12,
                atol=1e-12,
            )


def test_member_series_in_chunks_equal_one_pass(small):
    rates = xr.DataArray(
        np.linspace(0.0, 0.3, 10).reshape(5, 2), {"time": [0.0, 10.0]}, ["member", "time"]
    )
    whole = small.run_ensemble({"rate": rates})
    chunked = small.run_ensemble({"rate": rates}, chunk_size=2)
    xr.testing.assert_identical(whole, chunked)


LINEAR_INPUT = {"input": "1", "accumulated": "INTEG(input, 0)"}


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    return load_model(
        write_model(tmp_path_factory.mktemp("linear"), LINEAR_INPUT, final=4, dt=0.5, saveper=0.5)
    )


def test_rk4_and_adaptive_read_the_series_at_every_stage(linear):
    """input(t) = 1 + 2t: RK4 and RK45 integrate it exactly only if each stage sees input(t)."""
    ramp = pd.Series([1.0, 9.0], index=[0.0, 4.0])
    for integrator in ("rk4", "RK45"):
        result = linear.run(params={"input": ramp}, integrator=integrator)
        t = result["time"].values
        np.testing.assert_allclose(
            result["accumulated"].values, t + t**2, rtol=1e-9, atol=1e-9, err_msg=integrator
        )
    euler = linear.run(params={"input": ramp})
    t = euler["time"].values
    np.testing.assert_allclose(
        euler["accumulated"].values, t + t**2 - 0.5 * t, rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (pd.Series([0.1, 0.2, 0.3], index=[0.0, 5.0, 2.0]), "strictly increasing"),
        (pd.Series([0.1, 0.2], index=[1.0, 1.0]), "strictly increasing"),
        (pd.Series([0.1, np.nan], index=[0.0, 5.0]), "NaN value at time 5"),
        (pd.Series([0.1, 0.2], index=[0.0, np.nan]), "NaN or infinite times"),
        (pd.Series([0.1, 0.2], index=["a", "b"]), "time index must be numbers"),
    ],
)
def test_bad_scalar_series_is_refused_naming_the_variable(small, value, message):
    with pytest.raises(ValueError, match=message) as error:
        small.run(params={"rate": value})
    assert "'rate'" in str(error.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            pd.DataFrame([[1.0, 2.0, 3.0]], index=[0.0], columns=["north", "south", "west"]),
            r"unknown elements \['west'\].*missing elements \['east'\]",
        ),
        (
            pd.DataFrame([[1.0, 2.0]], index=[0.0], columns=["north", "south"]),
            r"missing elements \['east'\]",
        ),
        (
            xr.DataArray(
                [[1.0, 2.0, 3.0]], {"time": [0.0], "Region": ["a", "b", "c"]}, ["time", "Region"]
            ),
            "unknown elements",
        ),
        (
            xr.DataArray([[1.0, 2.0, 3.0]], {"time": [0.0]}, ["time", "Sector"]),
            r"unknown dims \['Sector'\]",
        ),
        (xr.DataArray([[1.0, 2.0]], {"time": [0.0]}, ["time", "Region"]), "do not fit"),
        (
            xr.DataArray([[1.0], [2.0]], {"time": [0.0]}, ["member", "time"]),
            "member dim needs run_ensemble",
        ),
        (pd.Series([np.ones(2)], index=[0.0]), "do not fit"),
    ],
)
def test_bad_subscripted_series_is_refused_naming_the_variable(small, value, message):
    with pytest.raises(ValueError, match=message) as error:
        small.run(params={"scale": value})
    assert "'scale'" in str(error.value)


def test_ensemble_sizes_must_agree(small):
    rates = xr.DataArray(np.zeros((3, 2)), {"time": [0.0, 1.0]}, ["member", "time"])
    with pytest.raises(ValueError, match="ensemble size"):
        small.run_ensemble({"rate": rates, "scale": np.ones((2, 3))})
