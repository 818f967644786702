"""The targets reader: the shared table reads, and bad tables fail with file, row, column."""

from __future__ import annotations

import pytest

from renaissance.calibration.facts import COLUMNS, FactsError, read_facts

HEADER = ",".join(COLUMNS)
GOOD_ROW = 'F07,employment,2007,4.7e6,4.4e6,5.0e6,persons,"CSC",medium,level'


def test_shared_table_reads(data_files):
    facts = read_facts(data_files[0])
    assert [f.id for f in facts][:3] == ["F01", "F02", "F03"]
    f07 = next(f for f in facts if f.id == "F07")
    assert (f07.value, f07.low, f07.high, f07.years) == (4.7e6, 4.4e6, 5.0e6, (2007, 2007))
    assert next(f for f in facts if f.id == "F08").sign == -1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER.replace("unit", "units") + "\n" + GOOD_ROW, ["row 1", "units", "unit"]),
        (
            HEADER + "\n" + GOOD_ROW.replace("4.4e6", "about 4.4e6"),
            ["row 2", "'low'", "'about 4.4e6'", "not a number"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace("4.4e6,5.0e6", "5.0e6,4.4e6"),
            ["row 2", "'low'/'high'", "5000000.0 > high 4400000.0"],
        ),
        (HEADER + "\n" + GOOD_ROW + "\n" + GOOD_ROW, ["row 3", "'id'", "'F07'", "row 2"]),
        (
            HEADER + "\n" + GOOD_ROW.replace(",level", ",target"),
            ["row 2", "'use'", "'target'", "behaviour"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace(",medium,", ",sure,"),
            ["row 2", "'reliability'", "'sure'"],
        ),
        (
            HEADER + "\n" + GOOD_ROW.replace("4.7e6", "6e6"),
            ["row 2", "'value'", "'6e6'", "outside its range"],
        ),
        (HEADER + "\n" + "F07,employment,2007", ["row 2", "expected 10 fields"]),
    ],
    ids=[
        "header",
        "low-not-number",
        "low-above-high",
        "duplicate-id",
        "use",
        "reliability",
        "value-outside",
        "short-row",
    ],
)
def test_bad_tables_name_file_row_column_value(tmp_path, text, expected):
    path = tmp_path / "facts.csv"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        read_facts(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FactsError, match="no such targets file"):
        read_facts(tmp_path / "absent.csv")
