"""Figures, metrics.csv and report.html of a real two-scenario comparison."""

import re
import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest
import xarray as xr

import renaissance
from renaissance.metrics import (
    BELLANDI_TRAJECTORIES,
    GVC_MODELS,
    headline_table,
    quantity_path,
    value_at,
)
from renaissance.report import (
    district_index_figure,
    policy_start_year,
    render_report,
    write_comparison_outputs,
)

BASELINE = "baseline (no new policy)"
MIX = "training & <networks>"  # characters that HTML must escape
SYSTEM_MIX = ["Vocational Training", "Network Contracts", "Innovation Funds"]

SCENARIOS_META = {
    BASELINE: {
        "description": "No new policy.",
        "file": "scenarios/baseline.yaml",
        "sha256": "a" * 64,
        "policies": [],
    },
    MIX: {
        "description": "A place-based mix <script>alert(1)</script> at local scale.",
        "file": "scenarios/mix.yaml",
        "sha256": "b" * 64,
        "policies": [
            {
                "instrument": name,
                "scale": "Local",
                "budget": 30.0,
                "start": 2026,
                "end": 2051,
                "allocation": "place-based",
            }
            for name in SYSTEM_MIX
        ],
    },
}

EXPECTED_FIGURES = [
    "national_employment",
    "national_exports",
    "national_value_added",
    "national_composite_capital",
    "district_employment_index",
    "metric_bars",
]


@pytest.fixture(scope="module")
def results():
    model = renaissance.load_model(renaissance.MODEL_FILE)
    mix = {"Policy Budget": {f"{name},Local": 30.0 for name in SYSTEM_MIX}}
    runs = [
        model.run().expand_dims(scenario=[BASELINE]),
        model.run(params=mix).expand_dims(scenario=[MIX]),
    ]
    return xr.concat(runs, dim="scenario", combine_attrs="override")


@pytest.fixture(scope="module")
def written(results, tmp_path_factory):
    directory = tmp_path_factory.mktemp("comparison")
    outputs = write_comparison_outputs(results, SCENARIOS_META, directory)
    return directory, outputs


def test_every_expected_file_is_written_and_not_empty(written):
    directory, outputs = written
    expected = [f"{stem}.{extension}" for stem in EXPECTED_FIGURES for extension in ("png", "svg")]
    expected += [
        "metrics.csv",
        "verdict.csv",
        "pairwise.csv",
        "metrics_band.csv",
        "district_metrics.csv",
        "region_metrics.csv",
        "report.html",
    ]
    assert [path.name for path in outputs.files] == expected
    assert sorted(path.name for path in directory.iterdir()) == sorted(expected)
    for path in outputs.files:
        if path.name == "pairwise.csv":  # two scenarios: two ordered pairs per metric
            # (five levels; the cost per job ranks only the non-reference scenario)
            assert len(path.read_text(encoding="utf-8").splitlines()) == 1 + 2 * 5
        else:
            assert path.stat().st_size > 1000, path.name


@pytest.mark.parametrize("stem", EXPECTED_FIGURES)
def test_figures_are_valid_png_and_svg(written, stem):
    directory, _ = written
    assert (directory / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    root = ElementTree.parse(directory / f"{stem}.svg").getroot()
    assert root.tag.endswith("svg")


def test_metrics_csv_has_one_row_per_scenario(written):
    directory, outputs = written
    table = pd.read_csv(directory / "metrics.csv", index_col="scenario")
    assert list(table.index) == [BASELINE, MIX]
    assert list(table.columns) == list(outputs.table.columns)


def test_territorial_csvs_have_one_row_per_scenario_and_territory(written, results):
    directory, _ = written
    districts = pd.read_csv(directory / "district_metrics.csv", index_col=[0, 1])
    regions = pd.read_csv(directory / "region_metrics.csv", index_col=[0, 1])
    assert len(districts) == 2 * results.sizes["District"]
    assert len(regions) == 2 * results.sizes["Region"]
    assert districts.index.names == ["scenario", "District"]
    assert set(districts["Bellandi trajectory 2025–2050"]) <= set(BELLANDI_TRAJECTORIES)
    assert set(districts["GVC model 2050"]) <= set(GVC_MODELS)


def test_report_has_no_external_urls(written):
    page = (written[0] / "report.html").read_text(encoding="utf-8")
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", page, flags=re.IGNORECASE)
    assert links, "the figures should be embedded with src attributes"
    assert all(link.startswith("data:image/png;base64,") for link in links)
    assert not re.search(r"https?://", page)
    assert "<script" not in page
    assert page.count("data:image/png;base64,") == len(EXPECTED_FIGURES)


def test_report_shows_scenarios_escaped_and_provenance(written, results):
    page = (written[0] / "report.html").read_text(encoding="utf-8")
    assert "training &amp; &lt;networks&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "scenarios/mix.yaml" in page and "b" * 64 in page
    assert results.attrs["model_sha256"] in page
    for policy in SYSTEM_MIX:
        assert policy in page
    assert "<td>2026</td>" in page and "2,026" not in page  # years without separators
    assert "District trajectories 2025–2050" in page


def test_policy_mix_gains_jobs_at_a_finite_cost(written):
    table = written[1].table
    cost = table.loc[MIX, "cost per job 2025–2050 (k€/job)"]
    assert table.loc[MIX, "policy spending 2025–2050 (M€)"] > 0
    assert table.loc[BASELINE, "policy spending 2025–2050 (M€)"] == 0
    assert table.loc[MIX, "national jobs vs reference 2050 (thousand persons)"] > 0
    assert 0 < cost < float("inf")


def test_policy_start_is_read_from_the_model_constants(results):
    assert policy_start_year(results) == 2026.0


def test_aggregates_agree_with_the_models_own_reporting_variables(results):
    districts = results["District Manufacturing Employment"].sum("District")
    xr.testing.assert_allclose(
        quantity_path(results, "employment", "districts"), districts, rtol=1e-12
    )
    # value added has no regional reporting variable; exports do: same membership rule
    regional_exports = quantity_path(results, "exports", "region")
    by_membership = (results["District Exports"] * results["Region Membership"]).sum("District")
    xr.testing.assert_allclose(regional_exports, by_membership, rtol=1e-9)
    value_added = value_at(quantity_path(results, "value added", "nation"), 2030)
    expected = results["District Value Added"].sum("District") + results["Non District Value Added"]
    xr.testing.assert_allclose(value_added, value_at(expected, 2030), rtol=1e-12)


def test_render_report_without_figures_is_a_complete_page(results):
    table = headline_table(results)
    page = render_report(results, table, {}, [], (2025, 2050))
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "(no description given)" in page


def test_missing_directory_is_refused(results, tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        write_comparison_outputs(results, SCENARIOS_META, tmp_path / "absent")


def test_small_multiples_keep_the_largest_districts(results):
    figure = district_index_figure(results, 2025, largest=5)
    titles = {axis.get_title() for axis in figure.axes if axis.get_visible()}
    titles.discard("")
    assert titles == {"Prato", "Livenza", "Fermo", "Biella", "Sassuolo"}
    assert "the 5 largest of 19 districts" in figure.get_suptitle()
