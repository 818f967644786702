"""Quantities at each scale and their change over a window, on hand-made paths."""

import numpy as np
import pytest
import xarray as xr
from synthetic_results import INITIAL_EMPLOYMENT, make_results

from renaissance.metrics import change, quantity_path, value_at


@pytest.fixture(scope="module")
def results():
    return make_results(growth=(0.0, 0.01))


def test_national_employment_change_is_known_percent(results):
    # policy scenario: districts 10,000 × (1 + 0.01 × 5) in 2025 and × 1.15 in 2035,
    # plus 90,000 outside the districts
    expected = 100 * ((10000 * 1.15 + 90000) / (10000 * 1.05 + 90000) - 1)
    value = change(results, "employment", "nation", (2025, 2035))
    assert value.sel(scenario="policy").item() == pytest.approx(expected, rel=1e-12)
    assert value.sel(scenario="baseline").item() == pytest.approx(0.0, abs=1e-12)
    assert value.attrs["units"] == "%"


def test_absolute_change_has_the_quantity_units(results):
    value = change(results, "exports", "districts", (2025, 2035), relative=False)
    assert value.sel(scenario="policy").item() == pytest.approx(0.1 * 10000 * 0.10)
    assert value.attrs["units"] == "M€/year"


def test_region_value_added_sums_its_districts(results):
    region = quantity_path(results, "value added", "region")
    north = 0.05 * (INITIAL_EMPLOYMENT[0] + INITIAL_EMPLOYMENT[1])
    assert region.sel(Region="North", scenario="baseline").values == pytest.approx(north)
    assert region.dims == ("scenario", "time", "Region")


def test_national_value_added_adds_the_rest_of_manufacturing(results):
    nation = value_at(quantity_path(results, "value added", "nation"), 2020)
    assert nation.sel(scenario="baseline").item() == pytest.approx(0.05 * 10000 + 4500)


def test_composite_capital_of_districts_is_weighted_by_first_year_employment(results):
    # indices 1.0, 0.8, 0.5 with weights 0.1, 0.3, 0.6 in the baseline
    value = value_at(quantity_path(results, "composite capital", "districts"), 2030)
    assert value.sel(scenario="baseline").item() == pytest.approx(0.1 + 0.24 + 0.3)
    region = value_at(quantity_path(results, "composite capital", "region"), 2030)
    assert region.sel(scenario="baseline", Region="North").item() == pytest.approx(
        (1.0 * 1000 + 0.8 * 3000) / 4000
    )


def test_district_change_keeps_the_district_dim(results):
    value = change(results, "employment", "district", (2020, 2040))
    assert set(value.dims) == {"scenario", "District"}
    np.testing.assert_allclose(value.sel(scenario="policy").values, 20.0)


def test_member_dim_is_kept(results):
    ensemble = xr.concat([results, results], dim="member")
    value = change(ensemble, "employment", "nation", (2025, 2035))
    assert set(value.dims) == {"scenario", "member"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("jobs", "nation", (2025, 2035)), "quantity"),
        (("employment", "world", (2025, 2035)), "scale"),
        (("employment", "nation", (2035, 2025)), "after its start"),
        (("employment", "nation", (2025, 2060)), "not a saved time"),
    ],
)
def test_bad_arguments_are_refused(results, arguments, message):
    with pytest.raises(ValueError, match=message):
        change(results, *arguments)
