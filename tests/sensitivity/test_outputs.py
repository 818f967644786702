"""Output specifications: parsing, values against the raw results, clear errors."""

import numpy as np
import pytest
import xarray as xr

from renaissance.sensitivity import parse_output

TIMES = np.arange(2020.0, 2026.0)
RESULTS = xr.Dataset(
    {
        "Jobs": (("time", "member"), np.arange(12.0).reshape(6, 2), {"units": "person"}),
        "Exports": (
            ("time", "member", "District"),
            np.arange(36.0).reshape(6, 2, 3),
            {"units": "M€/year"},
        ),
    },
    coords={"time": TIMES, "member": [0, 1], "District": ["Prato", "Biella", "Fermo"]},
)


def test_value_at_a_year():
    value = parse_output("Jobs@2022").compute(RESULTS)
    np.testing.assert_array_equal(value, RESULTS["Jobs"].sel(time=2022))
    assert value.dims == ("member",) and value.attrs["units"] == "person"


def test_change_between_years():
    value = parse_output("Jobs@2021:2025").compute(RESULTS)
    expected = RESULTS["Jobs"].sel(time=2025) - RESULTS["Jobs"].sel(time=2021)
    np.testing.assert_array_equal(value, expected)


@pytest.mark.parametrize("aggregate", ["sum", "mean", "min", "max"])
def test_aggregate_over_districts(aggregate):
    value = parse_output(f"{aggregate}(Exports)@2023").compute(RESULTS)
    expected = getattr(RESULTS["Exports"].sel(time=2023), aggregate)("District")
    np.testing.assert_array_equal(value, expected)


def test_one_element_and_trajectory():
    spec = parse_output("Exports[Biella]")
    value = spec.compute(RESULTS)
    assert spec.over_time and value.dims == ("member", "time")
    np.testing.assert_array_equal(value, RESULTS["Exports"].sel(District="Biella").T)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Exports@2023", r"has dims \['District'\]; select an element"),
        ("Exports[Carpi]@2023", r"'Carpi' is not an element of 'District'"),
        ("Jobs@2030", r"2030 is not a saved time \(saved: 2020 to 2025 every 1\)"),
        ("Unknown@2022", r"variable 'Unknown' is not in the results"),
    ],
)
def test_errors_name_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        parse_output(text).compute(RESULTS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("median(Jobs)@2022", r"aggregate 'median' is not one of"),
        ("Jobs@2025:2021", r"must end after it starts"),
        ("", r"non-empty string"),
        ("@2022", r"names no variable"),
    ],
)
def test_malformed_specifications(text, message):
    with pytest.raises(ValueError, match=message):
        parse_output(text)


def test_metric_names_are_outputs_and_reference_metrics_are_refused():
    assert parse_output("nation_employment_2050").metric == "nation_employment_2050"
    with pytest.raises(ValueError, match=r"'cost_per_job_2025_2050' needs a reference"):
        parse_output("cost_per_job_2025_2050")
