"""The rosters beside the model: content, sources, the seeded national rule, runs on both."""

import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pysd
import pytest

from renaissance.engine import load_model
from renaissance.model_file import main_section
from renaissance.paths import MODEL_FILE
from renaissance.roster import ROSTERS, SEGMENTS, model_for_roster, national_roster, read_roster

ARCHETYPES = {"low-road", "locally rooted GVC-led", "outward-oriented GVC-led"}
TRAJECTORIES = {"consolidation of medium firms", "classic", "general development", "restructuring"}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def model_csv_columns():
    """(file, column letter, variable) for every GET DIRECT CONSTANTS of the model."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    pattern = r"^([^\n=]+?)\[[^\]]+\] = GET DIRECT CONSTANTS\('(\w+\.csv)', ',', '([A-Z]+)2\*'\)"
    return [(file, letter, name.strip()) for name, file, letter in re.findall(pattern, text, re.M)]


EXPECTED_HEADER = {
    "District Region Number": "region_number",
    "District Segment Number": "segment_number",
    "Initial Manufacturing Employment": "employment_1991",
    "Initial Small Firms": "small_firms_1991",
    "Initial Medium Large Firms": "medium_large_firms_1991",
    "Initial District Exports": "exports_1991",
    "Initial Export Market Share": "export_market_share_1991",
    "Export Intensity": "export_intensity",
    "Initial Technical Capital per Worker": "technical_capital_per_worker_1991",
    "Initial Skill Level": "skill_level_1991",
    "Initial Social Capital": "social_capital_1991",
    "Initial Local Public Goods": "public_goods_1991",
    "Initial Functional Upgrading Share": "functional_upgrading_1991",
    "Initial Offshored Share": "offshored_share_1991",
    "Initial Entrepreneurial Confidence": "confidence_1991",
    "Offshoring Propensity": "offshoring_propensity",
    "Lead Firm Capture": "lead_firm_capture",
    "Urban Cluster": "urban_cluster",
    "Translocal Skill Inflow Rate": "translocal_skill_inflow",
    "Initial Regional Innovation Capacity": "innovation_capacity_1991",
    "Regional Knowledge Spending": "knowledge_spending_1991",
    "Initial Regional Public Goods": "public_goods_1991",
}


@pytest.mark.parametrize("roster", sorted(ROSTERS))
def test_model_reads_the_columns_it_names(roster):
    districts, regions = read_roster(roster)
    tables = {"districts.csv": districts, "regions.csv": regions}
    pairs = model_csv_columns()
    assert len(pairs) == len(EXPECTED_HEADER)
    for file, letter, variable in pairs:
        headers = {column_letter(i): name for i, name in enumerate(tables[file].columns)}
        assert headers[letter] == EXPECTED_HEADER[variable], (file, letter, variable)


@pytest.mark.parametrize("roster", sorted(ROSTERS))
def test_roster_covers_the_seeds_typologies_with_sources(roster):
    districts, regions = read_roster(roster)
    assert len(districts) >= 12
    assert districts["region"].nunique() >= 6
    assert set(districts["archetype"]) == ARCHETYPES
    assert set(districts["trajectory"]) == TRAJECTORIES
    assert districts["district"].is_unique
    sources = [column for column in districts.columns if column.startswith("source_")]
    assert sources and districts[sources].notna().all().all()
    assert (districts[sources].apply(lambda column: column.str.len()) > 0).all().all()
    assert regions["source"].notna().all()
    numeric = districts.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all() and (numeric.to_numpy() >= 0).all()
    assert (
        (districts["export_market_share_1991"] > 0) & (districts["export_market_share_1991"] < 1)
    ).all()


def test_roster_segments_are_the_models_segment_range():
    ranges = {rng.name: rng.subscripts for rng in main_section(MODEL_FILE).subscripts}
    assert ranges["Segment"] == SEGMENTS


@pytest.mark.parametrize("roster", sorted(ROSTERS))
def test_region_and_segment_numbers_match_their_names(roster):
    districts, regions = read_roster(roster)
    region_names = regions["region"].tolist()
    assert [region_names[n - 1] for n in districts["region_number"]] == districts["region"].tolist()
    assert [SEGMENTS[n - 1] for n in districts["segment_number"]] == districts["segment"].tolist()


def test_national_roster_files_are_the_seeded_rule():
    districts, regions = national_roster()
    shipped_districts, shipped_regions = read_roster("national")
    assert len(shipped_districts) == 141  # ISTAT 2011 method, F04
    pd.testing.assert_frame_equal(shipped_districts, districts, check_dtype=False, rtol=1e-5)
    pd.testing.assert_frame_equal(shipped_regions, regions, check_dtype=False)


def test_national_roster_depends_on_its_seed_only():
    first, _ = national_roster(seed=7)
    again, _ = national_roster(seed=7)
    other, _ = national_roster(seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first["employment_1991"].equals(other["employment_1991"])


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return model_for_roster("national", tmp_path_factory.mktemp("national"))


def test_model_runs_on_the_national_roster_within_the_structure_facts(
    national, stock_names, assert_finite_non_negative
):
    result = load_model(national).run()
    assert result.sizes["District"] == 141
    assert_finite_non_negative(result, stock_names)
    employment_share = float(
        result["District Share of National Manufacturing Employment"].sel(time=2011)
    )
    assert 0.33 <= employment_share <= 0.40  # F05
    export_share = float(result["District Share of National Manufacturing Exports"].sel(time=2015))
    assert 0.24 <= export_share <= 0.35  # F06
    district_employment_2001 = float(
        result["Total District Manufacturing Employment"].sel(time=2001)
    )
    assert 1.7e6 <= district_employment_2001 <= 2.2e6  # F03: 1.93 million


def test_fast_engine_agrees_with_pysd_on_the_national_roster(national, stock_names):
    """Euler at the same dt, 1991-1995, every stock and reporting variable to 1e-9 relative."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = pysd.read_vensim(str(national))
        names = [
            *stock_names,
            "National Manufacturing Employment",
            "Total District Exports",
            "District Value Added",
            "Composite Capital Index",
            "Public Policy Spending",
        ]
        expected = reference.run(return_columns=names, final_time=1995)
    result = load_model(national).run(final_time=1995)
    assert list(result.time.values) == list(expected.index)
    for name in names:
        ours = result[name]
        columns = [c for c in expected.columns if c == name or c.startswith(name + "[")]
        assert len(columns) == max(
            1, int(np.prod([ours.sizes[d] for d in ours.dims if d != "time"]))
        )
        for column in columns:
            elements = column[len(name) + 1 : -1].split(",") if "[" in column else []
            dims = [dim for dim in ours.dims if dim != "time"]
            values = (
                ours.sel(dict(zip(dims, elements, strict=True))).values if elements else ours.values
            )
            np.testing.assert_allclose(
                values, expected[column].to_numpy(), rtol=1e-9, atol=1e-9, err_msg=column
            )
    shutil.rmtree(national.parent / "__pycache__", ignore_errors=True)
