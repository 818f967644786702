"""Calibration targets from ``history_facts.csv``: the 1990s census and its profile.

``shared/data/history_facts.csv`` has the columns ``id, quantity, period, value, low,
high, unit, source, address, use``. Rows with ``use = calibration`` that a model output
can be compared with become :class:`~renaissance.calibration.mapping.Target` objects:

- H01: national manufacturing employment (census *addetti*) 1991→2001, −6.1% (range
  −8% to −4% as in the table), and its profile "the fall is all in 1991–96, +0.8% in
  1996–2001" (range ±2 percentage points around +0.8%: an assumption, the census gives
  no uncertainty);
- H02–H04: textiles −23.4%, clothing −28.8%, footwear −15.4% in 1991–2001. The model's
  Person Goods segment holds textiles, clothing, footwear and jewellery districts, so the
  target is the range the three sectors span (−28.8% to −15.4%) for the employment of
  Person Goods districts;
- H05: "falls in the early 1990s, stops falling 1996–97, roughly constant from 1998":
  employment change 1991→1996 negative.

H06 (district share of manufacturing employment of manufacturing local labour systems)
has no counterpart (the model has no local labour systems) and the rows of
``use = validation`` or ``policy effect`` are tests, not targets.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from renaissance.calibration.mapping import (
    Target,
    _relative_change,
    _segment_employment_change,
)

COLUMNS = ("id", "quantity", "period", "value", "low", "high", "unit", "source", "address", "use")
"""Columns of ``history_facts.csv``."""

PROFILE_HALF_WIDTH = 0.02
"""Half-width of the range put on the 1996–2001 change (+0.8%, H01). Assumption: the
census gives a point, and two percentage points is about the size of a revision."""

NATIONAL = "National Manufacturing Employment"


class HistoryFactsError(ValueError):
    """A history facts table that cannot be read; the message names file, row and column."""


def read_history_facts(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows of ``history_facts.csv`` by id.

    Raises
    ------
    HistoryFactsError
        Missing file, wrong header or a row without id, source or address.
    """
    path = Path(path)
    if not path.is_file():
        raise HistoryFactsError(f"{path}: no such file (the history facts table)")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise HistoryFactsError(
                f"{path}: header {reader.fieldnames} is not the expected {list(COLUMNS)}"
            )
        rows = {}
        for number, row in enumerate(reader, start=2):
            for column in ("id", "source", "address"):
                if not (row.get(column) or "").strip():
                    raise HistoryFactsError(f"{path}:{number}: column {column!r} is empty")
            rows[row["id"]] = row
    return rows


def _number(rows, fact_id: str, column: str, path) -> float:
    try:
        return float(rows[fact_id][column])
    except (KeyError, ValueError) as error:
        raise HistoryFactsError(
            f"{path}: fact {fact_id}: column {column!r} is not a number ({error})"
        ) from None


def history_targets(path: str | Path) -> list[Target]:
    """Targets H01, H01-profile, H02-H04 and H05 from ``history_facts.csv``.

    Facts absent from the table are skipped (a shorter table gives fewer targets).
    """
    rows = read_history_facts(path)
    targets: list[Target] = []
    variables = (NATIONAL,)
    if "H01" in rows:
        source = f"H01: {rows['H01']['source']} ({rows['H01']['address']})"
        value = _number(rows, "H01", "value", path)
        targets.append(
            Target(
                "H01",
                "national manufacturing employment, relative change 1991-2001",
                "level",
                value,
                _number(rows, "H01", "low", path),
                _number(rows, "H01", "high", path),
                "fraction",
                source,
                variables,
                _relative_change(NATIONAL, 1991, 2001),
            )
        )
        targets.append(
            Target(
                "H01-profile",
                "national manufacturing employment, relative change 1996-2001 (+0.8%)",
                "level",
                0.008,
                0.008 - PROFILE_HALF_WIDTH,
                0.008 + PROFILE_HALF_WIDTH,
                "fraction",
                source + "; range: assumption (PROFILE_HALF_WIDTH)",
                variables,
                _relative_change(NATIONAL, 1996, 2001),
            )
        )
    sectors = [row for key, row in sorted(rows.items()) if key in ("H02", "H03", "H04")]
    if sectors:
        values = [float(row["value"]) for row in sectors]
        ids = "-".join(row["id"] for row in sectors)
        targets.append(
            Target(
                ids,
                "employment of Person Goods districts, relative change 1991-2001 "
                "(textiles, clothing, footwear census range)",
                "level",
                float(np.mean(values)),
                min(values),
                max(values),
                "fraction",
                "; ".join(f"{row['id']}: {row['source']} ({row['address']})" for row in sectors),
                ("District Manufacturing Employment", "District Segment Number"),
                _segment_employment_change("Person Goods", 1991, 2001),
            )
        )
    if "H05" in rows:
        targets.append(
            Target(
                "H05",
                "national manufacturing employment falls in the early 1990s (1991-1996)",
                "sign",
                -1.0,
                -np.inf,
                0.0,
                "fraction",
                f"H05: {rows['H05']['source']} ({rows['H05']['address']})",
                variables,
                _relative_change(NATIONAL, 1991, 1996),
            )
        )
    return targets
