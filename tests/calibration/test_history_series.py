"""The history table: the shipped file is sound, and malformed tables are refused by name."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from renaissance.calibration.history_series import (
    COLUMNS,
    FIRST_YEAR,
    HISTORY_FILE,
    LAST_YEAR,
    HistorySeriesError,
    expected_use,
    load_history_series,
    series,
)

HEADER = ",".join(COLUMNS)
GOOD_ROW = (
    "district_exports_nominal,2019,125500,,,M EUR,Italy districts (Intesa perimeter),"
    'current prices,"Intesa Sanpaolo, Monitor dei distretti",https://example.org/monitor,'
    "validation,"
)
OLD_ROW = (
    "district_exports_nominal,2008,100000,,,M EUR,Italy districts (Intesa perimeter),"
    'current prices,"Intesa Sanpaolo, Monitor dei distretti",https://example.org/monitor,'
    "calibration,"
)


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_history_series()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    # Read the file without the loader, so these checks do not depend on its logic.
    with HISTORY_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_shipped_table_loads(shipped):
    assert HISTORY_FILE.name == "series.csv" and HISTORY_FILE.parent.name == "history"
    assert len(shipped) >= 50
    assert list(shipped.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert shipped["value"].dtype == float
    assert shipped["start"].dtype.kind == "i"


def test_header_is_exactly_the_columns(raw_rows):
    assert list(raw_rows[0].keys()) == list(COLUMNS)


def test_every_row_has_source_and_address(raw_rows):
    for number, row in enumerate(raw_rows, start=2):
        assert row["source"].strip(), f"row {number} has no source"
        assert row["address"].strip().startswith(("http://", "https://")), (
            f"row {number} has no address"
        )


def test_years_are_in_range(raw_rows):
    for number, row in enumerate(raw_rows, start=2):
        years = [int(part) for part in row["year"].split("-")]
        assert all(FIRST_YEAR <= y <= LAST_YEAR for y in years), f"row {number}: {row['year']}"


def test_no_duplicate_series_year_scope(raw_rows):
    keys = [(r["series"], r["year"], r["scope"]) for r in raw_rows]
    duplicated = {k for k in keys if keys.count(k) > 1}
    assert not duplicated


def test_values_are_finite(raw_rows):
    for number, row in enumerate(raw_rows, start=2):
        assert math.isfinite(float(row["value"])), f"row {number}"
        for column in ("low", "high"):
            if row[column].strip():
                assert math.isfinite(float(row[column])), f"row {number}, {column}"


@pytest.mark.parametrize("column", ["unit", "price_basis"])
def test_one_unit_and_price_basis_per_series(raw_rows, column):
    seen: dict[str, set[str]] = {}
    for row in raw_rows:
        seen.setdefault(row["series"], set()).add(row[column])
    mixed = {name: values for name, values in seen.items() if len(values) > 1}
    assert not mixed


def test_use_follows_the_year_rule(raw_rows):
    for number, row in enumerate(raw_rows, start=2):
        end = int(row["year"].split("-")[-1])
        wanted = "calibration" if end <= 2008 else "validation"
        assert row["use"] == wanted, f"row {number}: {row['year']} is {row['use']!r}"


def test_expected_use_boundary():
    assert expected_use(2008) == "calibration"
    assert expected_use(2009) == "validation"


def test_both_halves_of_history_are_present(shipped):
    assert set(shipped["use"]) == {"calibration", "validation"}


def test_series_is_indexed_by_year_with_units():
    exports = series("district_exports_nominal", scope="Italy districts (Intesa perimeter)")
    assert exports.index.name == "year"
    assert exports.loc[2019] == 125500.0
    assert exports.index.is_monotonic_increasing
    assert exports.attrs["units"] == "M EUR"
    assert exports.attrs["price_basis"] == "current prices"


def test_series_of_changes_is_indexed_by_period():
    change = series("manufacturing_employment_census_change_relative")
    assert list(change.index) == ["1991-2001"]
    assert change.iloc[0] == pytest.approx(-0.061)


def test_series_needs_scope_when_several():
    with pytest.raises(ValueError, match="several scopes"):
        series("district_exports_nominal")
    with pytest.raises(ValueError, match="no scope 'Atlantis'"):
        series("district_exports_nominal", scope="Atlantis")


def test_unknown_series_suggests_close_names():
    with pytest.raises(ValueError, match="did you mean") as caught:
        series("district_export_nominal")
    assert "district_exports_nominal" in str(caught.value)


def test_series_reads_a_given_table(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text(HEADER + "\n" + OLD_ROW + "\n" + GOOD_ROW + "\n", encoding="utf-8")
    exports = series("district_exports_nominal", path=path)
    assert exports.to_dict() == {2008: 100000.0, 2019: 125500.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER.replace(",address", "")
            + "\n"
            + GOOD_ROW.replace(",https://example.org/monitor", ""),
            ["row 1", "missing columns ['address']"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace("https://example.org/monitor", ""),
            ["row 2", "'address'", "empty"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace("https://example.org/monitor", "see the PDF"),
            ["row 2", "'address'", "'see the PDF'"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace('"Intesa Sanpaolo, Monitor dei distretti"', ""),
            ["row 2", "'source'", "empty"],
        ),
        (
            HEADER + "\n" + OLD_ROW + "\n" + GOOD_ROW + "\n" + GOOD_ROW,
            ["row 4", "'series/year/scope'", "row 3"],
        ),
        (HEADER + "\n" + GOOD_ROW.replace(",2019,", ",1990,"), ["row 2", "'year'", "'1990'"]),
        (HEADER + "\n" + GOOD_ROW.replace(",2019,", ",2024,"), ["row 2", "'year'", "outside"]),
        (HEADER + "\n" + GOOD_ROW.replace(",2019,", ",2019-2009,"), ["row 2", "'year'"]),
        (HEADER + "\n" + GOOD_ROW.replace(",2019,", ",19,"), ["row 2", "'year'", "'19'"]),
        (HEADER + "\n" + GOOD_ROW.replace("125500", "about 125"), ["row 2", "'value'"]),
        (HEADER + "\n" + GOOD_ROW.replace("125500", "inf"), ["row 2", "'value'", "finite"]),
        (HEADER + "\n" + GOOD_ROW.replace("125500,,", "125500,130000,120000"), ["row 2", "low"]),
        (
            HEADER + "\n" + GOOD_ROW.replace("125500,,", "125500,130000,"),
            ["row 2", "'value'", "outside"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace(",validation,", ",calibration,"),
            ["row 2", "'use'", "'calibration'", "2019"],
        ),
        (HEADER + "\n" + GOOD_ROW.replace(",validation,", ",target,"), ["row 2", "'use'"]),
        (
            HEADER + "\n" + GOOD_ROW.replace("district_exports_nominal", "District Exports"),
            ["row 2", "'series'", "snake_case"],
        ),
        (
            HEADER + "\n" + OLD_ROW + "\n" + GOOD_ROW.replace(",M EUR,", ",bn EUR,"),
            ["row 3", "'unit'", "'bn EUR'", "row 2"],
        ),
        (
            HEADER + "\n" + OLD_ROW + "\n" + GOOD_ROW.replace(",2019,", ",2009-2019,"),
            ["row 3", "'year'", "mixes"],
        ),
        (HEADER + "\n" + "district_exports_nominal,2019,1", ["row 2", "expected 12 fields"]),
    ],
    ids=[
        "missing-column",
        "empty-address",
        "address-not-url",
        "empty-source",
        "duplicate-row",
        "year-too-early",
        "year-too-late",
        "period-backwards",
        "year-not-a-year",
        "value-not-number",
        "value-not-finite",
        "low-above-high",
        "value-below-low",
        "use-contradicts-year",
        "use-unknown",
        "series-not-snake-case",
        "unit-mixed",
        "levels-and-changes-mixed",
        "short-row",
    ],
)
def test_malformed_tables_name_file_row_column(tmp_path, text, expected):
    path = tmp_path / "series.csv"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(HistorySeriesError) as caught:
        load_history_series(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message
    assert isinstance(caught.value, ValueError)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(HistorySeriesError, match="no such history table"):
        load_history_series(tmp_path / "absent.csv")


def test_missing_table_lists_columns():
    path = HISTORY_FILE.parent / "missing.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0].keys()) == ["series", "years", "searched", "note"]
    assert all(row["series"].strip() and row["searched"].strip() for row in rows)
