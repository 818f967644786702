"""Resilience: depth and recovery time of constructed paths with known answers."""

import numpy as np
import pytest
import xarray as xr
from synthetic_results import make_results

from renaissance.metrics import resilience, shock_start_year

YEARS = np.arange(2020.0, 2051.0)


def path_of(values):
    return xr.DataArray(np.asarray(values, dtype=float), dims="time", coords={"time": YEARS})


def v_shape(level=100.0, start=2030, bottom=80.0, fall_years=3, rise_years=4):
    """Level until ``start``, linear fall to ``bottom``, linear rise back to the level."""
    values = np.full(YEARS.size, level)
    for index, year in enumerate(YEARS):
        if start <= year <= start + fall_years:
            values[index] = level - (level - bottom) * (year - start) / fall_years
        elif start + fall_years < year <= start + fall_years + rise_years:
            elapsed = year - start - fall_years
            values[index] = bottom + (level - bottom) * elapsed / rise_years
    return values


def test_v_shaped_path_against_its_pre_shock_level():
    outcome = resilience(path_of(v_shape()), shock_start=2030)
    assert outcome["depth"].item() == pytest.approx(0.2)
    assert outcome["trough_year"].item() == 2033
    # 95 in 2036 (gap 5% > 1%), 100 in 2037: recovered 7 years after the shock
    assert outcome["recovery_years"].item() == pytest.approx(7.0)


def test_tolerance_shortens_recovery():
    outcome = resilience(path_of(v_shape()), shock_start=2030, tolerance=0.06)
    assert outcome["recovery_years"].item() == pytest.approx(6.0)


def test_path_that_never_recovers_has_nan_recovery():
    values = v_shape(rise_years=100)
    outcome = resilience(path_of(values), shock_start=2030)
    assert outcome["depth"].item() == pytest.approx(0.2)
    assert np.isnan(outcome["recovery_years"].item())


def test_path_without_a_fall_recovers_at_once():
    outcome = resilience(path_of(np.linspace(100, 130, YEARS.size)), shock_start=2030)
    assert outcome["depth"].item() == 0.0
    assert outcome["recovery_years"].item() == 0.0


def test_reference_path_measures_the_gap_to_a_growing_counterfactual():
    trend = np.linspace(100.0, 160.0, YEARS.size)
    shocked = trend * v_shape(level=1.0, bottom=0.9)
    outcome = resilience(path_of(shocked), shock_start=2030, reference=path_of(trend))
    assert outcome["depth"].item() == pytest.approx(0.1)
    assert outcome["recovery_years"].item() == pytest.approx(7.0)
    # against its pre-shock level the same path is not even below 2029's value for long
    alone = resilience(path_of(shocked), shock_start=2030)
    assert alone["depth"].item() < 0.1


def test_extra_dims_are_kept_per_element():
    paths = xr.concat(
        [path_of(v_shape(bottom=80.0)), path_of(v_shape(bottom=50.0))], dim="scenario"
    ).assign_coords(scenario=["mild", "severe"])
    outcome = resilience(paths, shock_start=2030)
    assert outcome["depth"].sel(scenario="mild").item() == pytest.approx(0.2)
    assert outcome["depth"].sel(scenario="severe").item() == pytest.approx(0.5)


def test_shock_outside_the_horizon_is_refused():
    with pytest.raises(ValueError, match="outside the saved years"):
        resilience(path_of(v_shape()), shock_start=2060)


def test_shock_start_is_read_from_the_scenario_shocks():
    results = make_results()
    results["District Demand Shock Size"].loc[{"scenario": "policy", "District": "Beta"}] = -0.2
    starts = shock_start_year(results)
    assert np.isnan(starts.sel(scenario="baseline").item())
    assert starts.sel(scenario="policy").item() == 2030.0


def test_each_element_can_have_its_own_shock_start():
    paths = xr.concat(
        [path_of(v_shape(start=2030)), path_of(v_shape(start=2040)), path_of(v_shape())],
        dim="member",
    )
    starts = xr.DataArray([2030.0, 2040.0, np.nan], dims="member")
    outcome = resilience(paths, starts)
    np.testing.assert_allclose(outcome["depth"].values[:2], 0.2)
    np.testing.assert_allclose(outcome["trough_year"].values[:2], [2033, 2043])
    np.testing.assert_allclose(outcome["recovery_years"].values[:2], 7.0)
    assert np.isnan(outcome["depth"].values[2])  # no shock, no measure


def test_a_shock_in_the_first_year_needs_a_reference_path():
    with pytest.raises(ValueError, match="give a reference path"):
        resilience(path_of(v_shape()), shock_start=2020)
    outcome = resilience(path_of(v_shape()), shock_start=2020, reference=100.0)
    assert outcome["depth"].item() == pytest.approx(0.2)
