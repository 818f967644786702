"""Published annual series for Italy, 1991-2023, that the model is calibrated and tested on.

The table ``models/history/series.csv`` holds one published figure a row, with the columns
of :data:`COLUMNS`: a snake_case ``series`` id, the ``year`` (``"2011"``) or the period of a
change (``"2001-2011"``), the ``value`` with an optional ``low``/``high`` range, the
``unit`` and ``price_basis`` exactly as the source gives them, the ``scope`` (``Italy``, a
region, a district perimeter), the ``source`` and the ``address`` where the figure was
read, and ``use``: ``calibration`` for figures that end by 2008, ``validation`` for any
that reach 2009 or later (the post-2008 years are a test, not a target). What each series
means and how it maps onto model quantities is in ``models/history/README.md``.

Errors name the file, the row (1 = the header line), the column and the bad value.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from pathlib import Path

import pandas as pd

from renaissance.calibration.facts import check_header
from renaissance.paths import MODEL_DIRECTORY

COLUMNS = (
    "series",
    "year",
    "value",
    "low",
    "high",
    "unit",
    "scope",
    "price_basis",
    "source",
    "address",
    "use",
    "note",
)
"""Columns of the history table, in file order."""

HISTORY_FILE = MODEL_DIRECTORY / "history" / "series.csv"
"""The shipped table of published series."""

FIRST_YEAR = 1991
LAST_YEAR = 2023
"""Years a row may refer to (inclusive)."""

LAST_CALIBRATION_YEAR = 2008
"""Figures ending in or before this year are calibration targets; later ones test the model."""

USES = ("calibration", "validation")
"""Allowed values of the ``use`` column."""

_REQUIRED_TEXT = ("series", "year", "value", "unit", "scope", "price_basis", "source", "address")
_SERIES_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_ADDRESS = re.compile(r"^https?://\S+$")
_PER_SERIES = ("unit", "price_basis")


class HistorySeriesError(ValueError):
    """A history table that cannot be read; the message names file, row, column and value."""


def expected_use(end_year: int) -> str:
    """The ``use`` a row must carry, given the last year it refers to."""
    return "calibration" if end_year <= LAST_CALIBRATION_YEAR else "validation"


def _fail(path: Path, row: int, column: str, message: str) -> HistorySeriesError:
    return HistorySeriesError(f"{path}: row {row}, column {column!r}: {message}")


def _number(text: str, path: Path, row: int, column: str, required: bool) -> float:
    text = text.strip()
    if text == "":
        if required:
            raise _fail(path, row, column, "empty; a number is required")
        return math.nan
    try:
        number = float(text)
    except ValueError:
        raise _fail(path, row, column, f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise _fail(path, row, column, f"{text!r} is not a finite number")
    return number


def _years(text: str, path: Path, row: int) -> tuple[int, int]:
    match = _YEAR.match(text)
    if match is None:
        raise _fail(path, row, "year", f"{text!r} is not a year (YYYY) or a period (YYYY-YYYY)")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if match.group(2) is not None and end <= start:
        raise _fail(path, row, "year", f"{text!r}: a period must end after it starts")
    if start < FIRST_YEAR or end > LAST_YEAR:
        raise _fail(path, row, "year", f"{text!r} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return start, end


def _read_rows(path: Path) -> list[dict[str, object]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        check_header(path, reader.fieldnames, COLUMNS, HistorySeriesError)
        rows: list[dict[str, object]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for row_number, record in enumerate(reader, start=2):
            if None in record or any(record[c] is None for c in COLUMNS):
                fields = len([v for v in record.values() if v is not None])
                raise HistorySeriesError(
                    f"{path}: row {row_number}: expected {len(COLUMNS)} fields, got {fields}"
                )
            text = {c: str(record[c]).strip() for c in COLUMNS}
            for column in _REQUIRED_TEXT:
                if not text[column]:
                    raise _fail(path, row_number, column, "empty; every row needs one")
            if not _SERIES_ID.match(text["series"]):
                raise _fail(
                    path, row_number, "series", f"{text['series']!r} is not a snake_case id"
                )
            if not _ADDRESS.match(text["address"]):
                raise _fail(
                    path,
                    row_number,
                    "address",
                    f"{text['address']!r} is not an http(s) address",
                )
            start, end = _years(text["year"], path, row_number)
            value = _number(text["value"], path, row_number, "value", required=True)
            low = _number(text["low"], path, row_number, "low", required=False)
            high = _number(text["high"], path, row_number, "high", required=False)
            if not math.isnan(low) and not math.isnan(high) and low > high:
                raise _fail(path, row_number, "low/high", f"low {low} > high {high}")
            if (not math.isnan(low) and value < low) or (not math.isnan(high) and value > high):
                raise _fail(
                    path, row_number, "value", f"{text['value']!r} is outside [{low}, {high}]"
                )
            if text["use"] not in USES:
                raise _fail(path, row_number, "use", f"{text['use']!r} is not one of {list(USES)}")
            if text["use"] != expected_use(end):
                raise _fail(
                    path,
                    row_number,
                    "use",
                    f"{text['use']!r} for {text['year']}: figures ending by "
                    f"{LAST_CALIBRATION_YEAR} are 'calibration', later ones 'validation'",
                )
            key = (text["series"], text["year"], text["scope"])
            if key in seen:
                raise _fail(
                    path,
                    row_number,
                    "series/year/scope",
                    f"{key} already given on row {seen[key]}",
                )
            seen[key] = row_number
            rows.append(
                {
                    **text,
                    "value": value,
                    "low": low,
                    "high": high,
                    "start": start,
                    "end": end,
                    "row": row_number,
                }
            )
    return rows


def _check_series_consistency(path: Path, rows: list[dict[str, object]]) -> None:
    # One meaning per id: a series mixes neither units nor price bases nor levels with
    # changes over a period, so a model quantity can be compared with it row by row.
    first: dict[str, dict[str, object]] = {}
    for row in rows:
        name = str(row["series"])
        reference = first.setdefault(name, row)
        for column in _PER_SERIES:
            if row[column] != reference[column]:
                raise _fail(
                    path,
                    int(row["row"]),  # type: ignore[call-overload]
                    column,
                    f"{row[column]!r} differs from {reference[column]!r} on row "
                    f"{reference['row']} of series {name!r}",
                )
        is_period = row["start"] != row["end"]
        was_period = reference["start"] != reference["end"]
        if is_period != was_period:
            raise _fail(
                path,
                int(row["row"]),  # type: ignore[call-overload]
                "year",
                f"series {name!r} mixes annual figures and changes over a period "
                f"(compare row {reference['row']})",
            )


def load_history_series(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the table of published series.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A CSV file with the columns of :data:`COLUMNS` (in any order; extra columns are an
        error). Default: :data:`HISTORY_FILE`, the repository's ``models/history/series.csv``.

    Returns
    -------
    pandas.DataFrame
        One row a figure, in file order, with the columns of :data:`COLUMNS` (``value``,
        ``low`` and ``high`` as float, NaN where no range is given; the others as text)
        plus ``start`` and ``end`` (int, first and last year the figure refers to; equal
        for an annual figure) and ``row`` (int, line of the file, header = 1). Units are
        those of the ``unit`` column (e.g. persons, M EUR, fraction of the earlier level).

    Raises
    ------
    HistorySeriesError
        A subclass of ValueError: missing file; missing or unknown columns; a short row;
        an empty required field (every row needs a source and an address); a non-numeric
        or non-finite number; ``low > high`` or a value outside its range; a year outside
        1991-2023; a ``use`` that contradicts the year rule; a duplicate
        (series, year, scope); a series that mixes units, price bases, or levels and
        changes. The message names the file, row, column and value.
    """
    path = Path(path) if path is not None else HISTORY_FILE
    if not path.is_file():
        raise HistorySeriesError(f"{path}: no such history table")
    rows = _read_rows(path)
    _check_series_consistency(path, rows)
    table = pd.DataFrame(rows, columns=[*COLUMNS, "start", "end", "row"])
    return table.astype(
        {"value": float, "low": float, "high": float, "start": int, "end": int, "row": int}
    )


def series(name: str, scope: str | None = None, path: str | Path | None = None) -> pd.Series:
    """One published series, indexed by year.

    Parameters
    ----------
    name : str
        A ``series`` id of the table, e.g. ``"district_exports_nominal"``.
    scope : str, optional
        The ``scope`` to select (``"Italy"``, a region, a district perimeter). Needed only
        when the series is published for more than one scope.
    path : str or pathlib.Path, optional
        The table to read; default :data:`HISTORY_FILE`.

    Returns
    -------
    pandas.Series
        ``value`` indexed by ``year``: int years for annual figures, ``"YYYY-YYYY"`` labels
        for changes over a period. ``attrs`` carries ``units``, ``price_basis`` and
        ``scope``; the unit is the table's (persons, M EUR, fraction, ...).

    Raises
    ------
    ValueError
        Unknown series (with close matches), an unknown scope, or several scopes and no
        ``scope`` given.
    """
    table = load_history_series(path)
    rows = table[table["series"] == name]
    if rows.empty:
        names = sorted(set(table["series"]))
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {close}?" if close else f"; known series: {names}"
        raise ValueError(f"series {name!r} is not in the history table{hint}")
    scopes = list(dict.fromkeys(rows["scope"]))
    if scope is None:
        if len(scopes) > 1:
            raise ValueError(f"series {name!r} has several scopes {scopes}; pass scope=")
        scope = scopes[0]
    elif scope not in scopes:
        raise ValueError(f"series {name!r} has no scope {scope!r}; it has {scopes}")
    rows = rows[rows["scope"] == scope]
    annual = bool((rows["start"] == rows["end"]).all())
    index = pd.Index(rows["start"].tolist() if annual else rows["year"].tolist(), name="year")
    result = pd.Series(rows["value"].to_numpy(), index=index, name=name).sort_index()
    result.attrs = {
        "units": rows["unit"].iloc[0],
        "price_basis": rows["price_basis"].iloc[0],
        "scope": scope,
    }
    return result
