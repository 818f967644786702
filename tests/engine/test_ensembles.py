"""Ensemble properties: one member equals a single run, members are independent and
permutable, failures stay with the member that failed, parameter forms all agree."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from mdl_text import write_model

from renaissance.engine import load_model

HERE = Path(__file__).resolve().parent
HORIZON = 2001

# a local setting, not a profile: loading a profile would change other folders' tests
ENSEMBLE_SETTINGS = settings(max_examples=15, deadline=None)


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    folder = tmp_path_factory.mktemp("features")
    shutil.copytree(HERE / "models", folder, dirs_exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_model(folder / "features.mdl")


def _run(model, **kwargs):
    return model.run_ensemble(final_time=HORIZON, **kwargs)


def test_ensemble_of_one_equals_single_run(features):
    single = features.run(params={"Hiring Time": 3.0}, final_time=HORIZON)
    ensemble = _run(features, params={"Hiring Time": [3.0]})
    xr.testing.assert_identical(
        ensemble.drop_vars(["status", "failure_time"]).isel(member=0, drop=True),
        single.drop_vars(["status", "failure_time"]),
    )


hiring_times = st.lists(st.floats(0.5, 8.0), min_size=2, max_size=6)


@ENSEMBLE_SETTINGS
@given(values=hiring_times, seed=st.integers(0, 2**32 - 1))
def test_permuting_members_permutes_outputs(features, values, seed):
    order = np.random.default_rng(seed).permutation(len(values))
    base = _run(features, params={"Hiring Time": values})
    permuted = _run(features, params={"Hiring Time": np.asarray(values)[order]})
    expected = base.isel(member=order).assign_coords(member=np.arange(len(values)))
    xr.testing.assert_allclose(permuted, expected, rtol=0, atol=0)


@ENSEMBLE_SETTINGS
@given(values=hiring_times, changed=st.floats(0.5, 8.0))
def test_members_are_independent(features, values, changed):
    """Changing member 0's parameter leaves every other member exactly as it was."""
    base = _run(features, params={"Hiring Time": values})
    other = _run(features, params={"Hiring Time": [changed, *values[1:]]})
    xr.testing.assert_identical(base.isel(member=slice(1, None)), other.isel(member=slice(1, None)))


def test_each_member_equals_its_single_run(features):
    values = [1.0, 2.5, 6.0]
    ensemble = _run(features, params={"Hiring Time": values, "Shock Depth": 0.5})
    for member, value in enumerate(values):
        single = features.run(params={"Hiring Time": value, "Shock Depth": 0.5}, final_time=HORIZON)
        xr.testing.assert_allclose(
            ensemble.isel(member=member, drop=True), single, rtol=1e-13, atol=0
        )


def test_subscripted_parameter_per_member(features):
    growth = np.array([[0.01, 0.0, 0.02], [0.03, -0.02, 0.0]])
    ensemble = _run(features, params={"Demand Growth": growth})
    for member in range(2):
        single = features.run(params={"Demand Growth": growth[member]}, final_time=HORIZON)
        xr.testing.assert_allclose(ensemble.isel(member=member, drop=True), single, rtol=1e-13)


def test_partial_override_by_element(features):
    base = features.run(final_time=HORIZON)
    patched = features.run(params={"Demand Growth": {"person": 0.05}}, final_time=HORIZON)
    growth = patched["Demand Growth"].isel(time=0)
    assert growth.sel(Segment="person") == 0.05
    xr.testing.assert_identical(
        growth.sel(Segment=["home", "mechanics"]),
        base["Demand Growth"].isel(time=0).sel(Segment=["home", "mechanics"]),
    )


def test_table_dataarray_and_dict_parameters_agree(features):
    values = [[0.02, -0.01, 0.03], [0.0, 0.01, 0.0]]
    table = pd.DataFrame(
        {
            "Hiring Time": [2.0, 4.0],
            "Demand Growth[home]": [v[0] for v in values],
            "Demand Growth[person]": [v[1] for v in values],
            "Demand Growth[mechanics]": [v[2] for v in values],
        }
    )
    array = xr.DataArray(np.array(values).T, dims=("Segment", "member"))
    from_table = _run(features, params=table)
    from_arrays = _run(features, params={"Hiring Time": [2.0, 4.0], "Demand Growth": array})
    xr.testing.assert_identical(from_table, from_arrays)


def test_unknown_parameter_suggests_close_names(features):
    with pytest.raises(ValueError, match="Hiring Time"):
        features.run(params={"Hiring Tme": 2})


def test_parameter_of_wrong_shape_is_refused(features):
    with pytest.raises(ValueError, match="Demand Growth"):
        features.run(params={"Demand Growth": [1.0, 2.0]})


def test_failure_is_reported_per_member(tmp_path):
    """A member that overflows is flagged; the others are computed as if alone."""
    path = write_model(
        tmp_path, {"Stock": "INTEG(Rate * Stock * Stock, 1)", "Rate": "0.1"}, final=20
    )
    model = load_model(path)
    ensemble = model.run_ensemble(params={"Rate": [0.01, 5.0, -0.01]})
    assert ensemble["status"].values.tolist() == [0, 1, 0]
    assert np.isfinite(ensemble["failure_time"].values[1])
    assert np.isnan(ensemble["failure_time"].values[[0, 2]]).all()
    for member, rate in ((0, 0.01), (2, -0.01)):
        single = model.run(params={"Rate": rate})
        np.testing.assert_array_equal(ensemble["Stock"].values[:, member], single["Stock"].values)
    assert ensemble.attrs["failed_members"] == "[1]"


@pytest.mark.parametrize("policy", ["member", "joint"])
def test_adaptive_ensemble_matches_single_runs(tmp_path, policy):
    path = write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"})
    model = load_model(path)
    ensemble = model.run_ensemble(
        params={"Tau": [1.0, 2.0, 4.0]},
        integrator="RK45",
        rtol=1e-9,
        atol=1e-12,
        adaptive_policy=policy,
    )
    t = ensemble["time"].values
    for member, tau in enumerate([1.0, 2.0, 4.0]):
        np.testing.assert_allclose(
            ensemble["Stock"].values[:, member], 100 * np.exp(-t / tau), rtol=1e-6
        )


def test_initial_stock_values(features):
    result = features.run(initial={"Employment": {"Prato": 1000.0}}, final_time=HORIZON)
    assert float(result["Employment"].sel(District="Prato").isel(time=0)) == 1000.0


def test_pysd_engine_ensemble_matches_fast_engine(tmp_path):
    path = write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"}, final=4)
    fast = load_model(path).run_ensemble({"Tau": [1.0, 3.0]})
    reference = load_model(path, engine="pysd").run_ensemble({"Tau": [1.0, 3.0]})
    np.testing.assert_allclose(fast["Stock"].values, reference["Stock"].values, rtol=1e-12)
    assert reference["Stock"].dims == fast["Stock"].dims == ("time", "member")


def test_oversized_output_is_refused_before_running(features, monkeypatch):
    from renaissance.engine import model as model_module

    monkeypatch.setattr(model_module, "MAX_OUTPUT_BYTES", 1000)
    with pytest.raises(ValueError, match="return_columns"):
        features.run_ensemble({"Hiring Time": [1.0, 2.0]})
    small = features.run_ensemble(
        {"Hiring Time": [1.0, 2.0]}, return_columns=["Hiring Time"], final_time=1992
    )
    assert small["Hiring Time"].shape == (2, 2)


def test_chunked_ensemble_equals_one_pass(features):
    values = np.linspace(1.0, 6.0, 7)
    growth = np.linspace(-0.02, 0.03, 7)
    params = {"Hiring Time": values, "Demand Growth": {"home": growth}}
    whole = _run(features, params=params, chunk_size=None)
    chunked = _run(features, params=params, chunk_size=3)
    xr.testing.assert_identical(whole, chunked)
