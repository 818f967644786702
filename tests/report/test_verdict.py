"""The analyst's answer: ranking, level differences, pairwise shares (issue 15, issue 13 §4).

Synthetic results with hand-computed values (``tests/metrics/synthetic_results.py``):
district employment grows linearly at a per-scenario rate, so levels, differences and
shares of members follow by hand.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from renaissance.metrics.regional import regional_table
from renaissance.metrics.table import band_table, headline_table
from renaissance.metrics.verdict import pairwise_shares, pairwise_table, verdict
from renaissance.report import write_comparison_outputs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "metrics"))
from synthetic_results import INITIAL_EMPLOYMENT, make_results

SCENARIOS = ("baseline", "mix-a", "mix-b")


def ensemble(growths):
    """Members of synthetic results: ``growths[m]`` gives each scenario's rate in member m."""
    members = [make_results(SCENARIOS, growth) for growth in growths]
    return xr.concat(members, dim=xr.Variable("member", np.arange(len(growths))))


@pytest.fixture
def four_members():
    # mix-a beats mix-b in members 0, 1, 2 and loses in member 3; both beat the baseline
    return ensemble(
        [
            (0.0, 0.02, 0.01),
            (0.0, 0.02, 0.01),
            (0.0, 0.03, 0.01),
            (0.0, 0.01, 0.02),
        ]
    )


def test_pairwise_share_counts_members_where_a_beats_b(four_members):
    employment = four_members["National Manufacturing Employment"].sel(time=2050)
    shares = pairwise_shares(employment, "higher")
    assert shares.loc["mix-a", "mix-b"] == pytest.approx(0.75)
    assert shares.loc["mix-b", "mix-a"] == pytest.approx(0.25)
    assert shares.loc["mix-a", "baseline"] == 1.0
    assert shares.loc["baseline", "mix-a"] == 0.0
    assert np.isnan(shares.loc["mix-a", "mix-a"])


def test_lower_is_better_reverses_and_nan_is_worst():
    values = xr.DataArray(
        [[1.0, np.nan, 5.0], [2.0, 3.0, np.nan]],
        dims=("scenario", "member"),
        coords={"scenario": ["a", "b"]},
    )
    shares = pairwise_shares(values, "lower")
    # member 0: a (1) < b (2): a wins; member 1: a undefined, b defined: b wins;
    # member 2: b undefined: a wins
    assert shares.loc["a", "b"] == pytest.approx(2 / 3)
    assert shares.loc["b", "a"] == pytest.approx(1 / 3)


def test_every_ordered_pair_of_every_headline_metric_is_in_pairwise_table(four_members):
    table = pairwise_table(four_members, "baseline", (2025, 2050))
    assert set(table["metric"]) >= {"nation_employment_2050", "cost_per_job_2025_2050"}
    levels = table[table["metric"] == "nation_employment_2050"]
    assert len(levels) == 3 * 2  # every ordered pair, all at once
    costs = table[table["metric"] == "cost_per_job_2025_2050"]
    assert set(costs["scenario"]) == {"mix-a", "mix-b"}  # the reference spends nothing extra


def test_difference_is_of_levels_in_the_end_year_not_of_own_growth():
    """A mix that grows faster from a lower start ends below the baseline: it must lose."""
    results = make_results(("baseline", "late-grower"), (0.01, 0.02))
    start = results["time"] <= 2025
    lowered = results["District Manufacturing Employment"].copy()
    # the late grower starts at half the baseline's level, so it ends lower in 2050
    lowered.loc[{"scenario": "late-grower"}] = lowered.sel(scenario="late-grower") * 0.5
    results["District Manufacturing Employment"] = lowered
    results["Total District Manufacturing Employment"] = lowered.sum("District")
    del start
    table = verdict(results, "baseline", (2025, 2050))
    rows = table[table["metric"] == "districts_employment_2050"].set_index("scenario")
    baseline_2050 = INITIAL_EMPLOYMENT.sum() * (1 + 0.01 * 30) / 1000
    grower_2050 = 0.5 * INITIAL_EMPLOYMENT.sum() * (1 + 0.02 * 30) / 1000
    assert rows.loc["baseline", "rank"] == 1
    assert rows.loc["late-grower", "difference"] == pytest.approx(grower_2050 - baseline_2050)
    assert rows.loc["late-grower", "difference_percent"] == pytest.approx(
        100 * (grower_2050 / baseline_2050 - 1)
    )
    # its own growth 2025-2050 is larger than the baseline's, which the old table showed
    own = headline_table(results, "baseline", [(2025, 2050)])
    column = "district employment change 2025–2050 (%)"
    assert own.loc["late-grower", column] > own.loc["baseline", column]


def test_verdict_ranks_by_median_with_a_band(four_members):
    table = verdict(four_members, "baseline", (2025, 2050))
    rows = table[table["metric"] == "nation_employment_2050"]
    assert list(rows["scenario"]) == ["mix-a", "mix-b", "baseline"]
    first = rows.iloc[0]
    assert first["low"] <= first["median"] <= first["high"]
    assert first["members"] == 4


def test_band_table_brackets_the_median(four_members):
    bands = band_table(four_members, "baseline", [(2025, 2050)])
    assert {"metric", "scenario", "median", "p05", "p95"} <= set(bands.columns)
    finite = bands.dropna(subset=["median", "p05", "p95"])
    assert (finite["p05"] <= finite["median"] + 1e-9).all()
    assert (finite["median"] <= finite["p95"] + 1e-9).all()
    assert (finite["p05"] < finite["p95"]).any()


def test_regional_view_gives_each_region_its_difference(four_members):
    table = regional_table(four_members, "baseline", 2050)
    north = table[(table["quantity"] == "employment") & (table["Region"] == "North")]
    north = north.set_index("scenario")
    assert north.loc["baseline", "difference_percent"] == pytest.approx(0.0)
    # member medians of mix-a's growth: 0.02, 0.02, 0.03, 0.01 -> median factor 1.6 vs 1
    assert north.loc["mix-a", "difference_percent"] == pytest.approx(60.0)


def test_report_opens_with_the_answer_and_writes_pairwise_csv(four_members, tmp_path):
    meta = {
        name: {
            "description": name,
            "file": "",
            "sha256": "",
            "policies": [{"instrument": "Network Contracts", "targets": "regions: North"}],
        }
        for name in SCENARIOS
    }
    write_comparison_outputs(
        four_members, meta, tmp_path, reference="baseline", windows=[(2025, 2050)]
    )
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    answer = page.index("The answer")
    assert answer < page.index("Headline metrics") < page.index("Figures")
    assert "mix-a &gt; mix-b &gt; baseline" in page
    assert "75%" in page  # mix-a beats mix-b in three members of four
    assert "By region" in page and "North" in page
    assert "<th>targets</th>" in page and "regions: North" in page
    pairs = (tmp_path / "pairwise.csv").read_text(encoding="utf-8").splitlines()
    assert pairs[0] == "metric,better,scenario,other,share_a_beats_b,share_b_beats_a,members"
    assert any(
        line.startswith("nation_employment_2050,higher,mix-a,mix-b,0.75,0.25,4") for line in pairs
    )
