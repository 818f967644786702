"""The headline table, its text form, its CSV, and the registry of named metrics."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from synthetic_results import make_results

from renaissance.metrics import (
    compute_metric,
    describe_metric,
    format_table,
    headline_table,
    metric_names,
    table_to_csv,
    territorial_table,
)

WINDOWS = ((2025, 2030), (2025, 2040))


@pytest.fixture(scope="module")
def results():
    return make_results(scenarios=("baseline", "policy", "loser"), growth=(0.0, 0.01, -0.01))


@pytest.fixture(scope="module")
def table(results):
    return headline_table(results, windows=WINDOWS)


def test_one_row_per_scenario_in_order(table, results):
    assert list(table.index) == list(results["scenario"].values)
    assert table.index.name == "scenario"


def test_reference_defaults_to_the_baseline(table):
    assert table.attrs["reference"] == "baseline"
    assert table.loc[
        "policy", "national jobs vs reference 2040 (thousand persons)"
    ] == pytest.approx(2.0)
    assert table.loc["policy", "cost per job 2025–2040 (k€/job)"] == pytest.approx(
        1000 * 145.0 / 2000.0
    )


def test_change_columns_for_every_window(table):
    for window in ("2025–2030", "2025–2040"):
        assert f"national employment change {window} (%)" in table.columns
        assert f"district composite capital change {window} (%)" in table.columns


def test_class_counts_cover_every_district(table):
    trajectories = [column for column in table.columns if column.startswith("districts:")]
    bellandi = [column for column in trajectories if "2025–2040" in column]
    gvc = [column for column in trajectories if column not in bellandi]
    np.testing.assert_array_equal(table[bellandi].sum(axis=1), 3)
    np.testing.assert_array_equal(table[gvc].sum(axis=1), 3)


def test_without_a_baseline_there_are_no_cost_columns(results):
    renamed = results.assign_coords(scenario=["a", "b", "c"])
    table = headline_table(renamed, windows=WINDOWS)
    assert not any(column.startswith("cost per") for column in table.columns)
    explicit = headline_table(renamed, reference="a", windows=WINDOWS)
    assert "cost per job 2025–2040 (k€/job)" in explicit.columns


def test_members_are_summarised_by_their_median(results):
    ensemble = xr.concat([results, results, results], dim="member")
    table = headline_table(ensemble, windows=WINDOWS)
    assert len(table) == 3
    assert table.attrs["members"] == 3
    assert "median over 3" in format_table(table)


def test_text_table_shows_every_scenario_and_undefined_values(table):
    text = format_table(table)
    for name in table.index:
        assert name in text
    assert "national employment change 2025–2030 (%)" in text
    # the loser and the reference have no cost per job
    cost_line = next(line for line in text.splitlines() if line.startswith("cost per job"))
    assert cost_line.count("–") >= 2


def test_csv_round_trip(table, tmp_path):
    path = tmp_path / "metrics.csv"
    table_to_csv(table, path)
    back = pd.read_csv(path, index_col="scenario")
    assert list(back.index) == list(table.index)
    pd.testing.assert_frame_equal(back, table, check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("name", metric_names())
def test_every_registered_metric_is_one_number_per_scenario(results, name):
    values = compute_metric(results, name, reference="baseline")
    assert values.dims == ("scenario",)
    assert values.attrs["units"] == describe_metric(name)[0]


def test_registered_metric_agrees_with_the_table(results, table):
    values = compute_metric(results, "nation_employment_change_2025_2050")
    assert values.sel(scenario="policy").item() == pytest.approx(
        100 * ((10000 * 1.30 + 90000) / (10000 * 1.05 + 90000) - 1)
    )


def test_registry_refuses_unknown_names_with_a_suggestion(results):
    with pytest.raises(ValueError, match="did you mean nation_employment_change_2025_2035"):
        compute_metric(results, "nation_employment_change_2025_2036")


def test_cost_metrics_need_a_reference(results):
    with pytest.raises(ValueError, match="needs a reference"):
        compute_metric(results, "cost_per_job_2025_2035")


def test_resilience_metric_uses_the_scenario_shock(results):
    shocked = results.copy(deep=True)
    shocked["World Demand Shock Size"].loc[{"scenario": "loser"}] = -0.3
    depth = compute_metric(shocked, "nation_employment_resilience_depth")
    assert np.isnan(depth.sel(scenario="baseline").item())
    # loser employment keeps falling: deepest in 2050, districts at 0.7 of 2020, against
    # the pre-shock level of 2029 (0.91)
    expected = 1 - (10000 * 0.7 + 90000) / (10000 * 0.91 + 90000)
    assert depth.sel(scenario="loser").item() == pytest.approx(expected)


def test_territorial_table_rows_and_values(results):
    table = territorial_table(results, "region", windows=WINDOWS)
    assert len(table) == 3 * 2
    value = table.loc[("policy", "South"), "employment change 2025–2040 (%)"]
    assert value == pytest.approx(100 * (1.20 / 1.05 - 1))
    districts = territorial_table(results, "district", windows=WINDOWS)
    assert len(districts) == 3 * 3
    assert "Bellandi trajectory 2025–2040" in districts.columns


def test_territorial_table_of_an_ensemble_has_no_class_columns(results):
    ensemble = xr.concat([results, results], dim="member")
    table = territorial_table(ensemble, "district", windows=WINDOWS)
    assert not any("trajectory" in column for column in table.columns)


def test_resilience_columns_appear_only_with_a_shock(results, table):
    assert not any("shock" in column for column in table.columns)
    shocked = results.copy(deep=True)
    shocked["World Demand Shock Size"].loc[{"scenario": "loser"}] = -0.3
    with_shock = headline_table(shocked, windows=WINDOWS)
    fall = with_shock["national employment fall after the shock (%)"]
    assert np.isnan(fall["baseline"])
    assert fall["loser"] == pytest.approx(
        100 * (1 - (10000 * 0.7 + 90000) / (10000 * 0.91 + 90000))
    )
    assert np.isnan(with_shock.loc["loser", "years to recover within 1% of the pre-shock level"])


def test_a_single_run_is_one_row_named_run(results):
    single = results.sel(scenario="policy", drop=True)
    table = headline_table(single, windows=WINDOWS)
    assert list(table.index) == ["run"]
    assert table.attrs["reference"] is None
    assert not any(column.startswith("cost per") for column in table.columns)
