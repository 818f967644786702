"""Read the stylised-facts table (``stylized_facts.csv``) into validated records.

The table has one fact a row with the columns ``id, quantity, period, value, low, high,
unit, source, reliability, use`` (see ``shared/data/README.md``). Values may be numbers,
signs (``positive``/``negative``) or free text (a trajectory such as F21); ``low`` and
``high`` are optional numbers. Errors name the file, the row (1 = the header line), the
column and the bad value.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

COLUMNS = (
    "id",
    "quantity",
    "period",
    "value",
    "low",
    "high",
    "unit",
    "source",
    "reliability",
    "use",
)
"""Columns of the facts table, in the order of ``shared/data/stylized_facts.csv``."""

USES = ("parameter", "input", "level", "structure", "behaviour", "policy-lever trajectory")
"""Allowed values of the ``use`` column."""

RELIABILITIES = ("high", "medium", "low")
"""Allowed values of the ``reliability`` column."""

SIGNS = {"positive": 1, "negative": -1}


class FactsError(ValueError):
    """A facts table that cannot be read; the message names file, row, column and value."""


@dataclass(frozen=True)
class Fact:
    """One stylised fact.

    Attributes
    ----------
    id : str
        Code such as ``"F07"``.
    quantity, period, unit, source, reliability, use : str
        As in the table; ``period`` is a year (``"2007"``), a span (``"1995-2006"``),
        ``"to 2016"`` or empty.
    value : float or str
        The number, or the text (signs are kept as ``"positive"``/``"negative"``).
    low, high : float or None
        Plausible range, when given.
    row : int
        Line of the file (the header is line 1).
    """

    id: str
    quantity: str
    period: str
    value: float | str
    low: float | None
    high: float | None
    unit: str
    source: str
    reliability: str
    use: str
    row: int

    @property
    def sign(self) -> int | None:
        """+1 or -1 for a sign fact, otherwise None."""
        return SIGNS.get(self.value) if isinstance(self.value, str) else None

    @property
    def years(self) -> tuple[float, float] | None:
        """First and last year of ``period`` (equal for a single year), or None."""
        text = self.period.removeprefix("to ").strip()
        if not text:
            return None
        parts = text.split("-")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            return None
        return (numbers[0], numbers[-1])


def check_header(path: Path, header, columns, error: type[ValueError]) -> None:
    """Refuse a CSV header that lacks one of ``columns`` or has others.

    Raises
    ------
    error
        With the file, row 1, the missing and unknown columns and the expected ones.
    """
    header = list(header or [])
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        raise error(
            f"{path}: row 1 (header): missing columns {missing}, unknown columns "
            f"{unknown}; expected {list(columns)}"
        )


def _number(text: str, path: Path, row: int, column: str) -> float | None:
    if text.strip() == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise FactsError(
            f"{path}: row {row}, column {column!r}: {text!r} is not a number"
        ) from None


def read_facts(path: str | Path) -> list[Fact]:
    """Read and validate a stylised-facts table.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV file with the columns of :data:`COLUMNS` (in any order; extra columns are
        an error).

    Returns
    -------
    list of Fact
        One record a row, in file order.

    Raises
    ------
    FactsError
        Missing file, missing or unknown columns, duplicate ids, a non-numeric ``low`` or
        ``high``, ``low > high``, a value outside its own range, an unknown ``use`` or
        ``reliability``; the message names the file, row, column and value.
    """
    path = Path(path)
    if not path.is_file():
        raise FactsError(f"{path}: no such targets file")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        check_header(path, reader.fieldnames, COLUMNS, FactsError)
        facts: list[Fact] = []
        seen: dict[str, int] = {}
        for row_number, record in enumerate(reader, start=2):
            if None in record or any(record[c] is None for c in COLUMNS):
                raise FactsError(
                    f"{path}: row {row_number}: expected {len(COLUMNS)} fields, "
                    f"got {len([v for v in record.values() if v is not None])}"
                )
            fact_id = record["id"].strip()
            if not fact_id:
                raise FactsError(f"{path}: row {row_number}, column 'id': empty id")
            if fact_id in seen:
                raise FactsError(
                    f"{path}: row {row_number}, column 'id': {fact_id!r} already used on "
                    f"row {seen[fact_id]}"
                )
            seen[fact_id] = row_number
            use = record["use"].strip()
            if use not in USES:
                raise FactsError(
                    f"{path}: row {row_number}, column 'use': {use!r} is not one of {list(USES)}"
                )
            reliability = record["reliability"].strip()
            if reliability not in RELIABILITIES:
                raise FactsError(
                    f"{path}: row {row_number}, column 'reliability': {reliability!r} is not "
                    f"one of {list(RELIABILITIES)}"
                )
            low = _number(record["low"], path, row_number, "low")
            high = _number(record["high"], path, row_number, "high")
            if low is not None and high is not None and low > high:
                raise FactsError(
                    f"{path}: row {row_number}, columns 'low'/'high': low {low} > high {high}"
                )
            text = record["value"].strip()
            try:
                value: float | str = float(text)
            except ValueError:
                value = text
            if isinstance(value, float) and use in ("level", "structure", "parameter"):
                if (low is not None and value < low) or (high is not None and value > high):
                    raise FactsError(
                        f"{path}: row {row_number}, column 'value': {text!r} is outside its "
                        f"range [{low}, {high}]"
                    )
            facts.append(
                Fact(
                    id=fact_id,
                    quantity=record["quantity"].strip(),
                    period=record["period"].strip(),
                    value=value,
                    low=low,
                    high=high,
                    unit=record["unit"].strip(),
                    source=record["source"].strip(),
                    reliability=reliability,
                    use=use,
                    row=row_number,
                )
            )
    return facts
