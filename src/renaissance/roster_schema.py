"""The schema of a roster's two CSV files, and the check of a roster against it.

The model reads ``districts.csv`` and ``regions.csv`` by column letter (``GET DIRECT
CONSTANTS('districts.csv', ',', 'E2*')``), so a column out of place, a text where a
number belongs or a share of 1.5 would be read without complaint and fail later, or run
and be wrong. :func:`check_roster` reads both files completely and reports every problem
at once, each as ``FILE:LINE: column (row N, district X): value: what is allowed``:

- columns: every column of the schema present, the model's columns first and in the
  model's order, no column twice;
- values: numbers where numbers belong (finite, within the column's limits, whole where
  the column counts), names that are safe (:mod:`renaissance.safe_names`), text columns
  not empty, categories from their lists;
- rows: at least one, at most :data:`~renaissance.limits.MAX_DISTRICTS` districts and
  :data:`~renaissance.limits.MAX_REGIONS` regions, names unique;
- references: ``region`` is a region of ``regions.csv`` and ``region_number`` its 1-based
  row there; ``segment`` is the element of the model's Segment range that
  ``segment_number`` points at; the districts' 1991 employment and exports leave a
  positive remainder for the rest of the nation (the model's national 1991 totals).

The limits are hard limits (what the model can run: a share outside [0, 1], a zero that
the model divides by), not plausible ranges. :func:`table_schema` exports the schema as a
Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/), written to
``models/roster.schema.json``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from renaissance.input_errors import InputError, InputErrors
from renaissance.limits import MAX_DISTRICTS, MAX_REGIONS
from renaissance.safe_names import name_problem

MAX_ROSTER_BYTES = 50_000_000
"""Largest roster CSV read (bytes); the national districts.csv is about 100 kB."""
MAX_REPORTED = 50
"""Most problems listed in one message (the count of the rest is given)."""

SEGMENTS = ("Person Goods", "Home Goods", "Mechanics", "Food")
"""The model's Segment range, in order (``segment_number`` is the 1-based position)."""
ARCHETYPES = ("low-road", "locally rooted GVC-led", "outward-oriented GVC-led")
"""Giuliani and Rabellotti's district/GVC models (seed 003 §3.3-3.5)."""
TRAJECTORIES = (
    "classic",
    "restructuring",
    "general development",
    "consolidation of medium firms",
    "decline",
)
"""Bellandi's trajectories (seed 001 §2) and decline."""

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class RosterError(InputErrors):
    """A roster's CSV files do not follow the schema (every problem found is listed)."""


@dataclass(frozen=True)
class Column:
    """One column of a roster file.

    Attributes
    ----------
    name : str
    kind : {"name", "text", "number", "integer", "category"}
        ``name``: a safe, unique name; ``integer``: a whole number; ``category``: one of
        ``choices``.
    units : str
        Units of a number ("" for text).
    low, high : float or None
        Hard limits of a number (None: unbounded).
    low_open, high_open : bool
        Whether ``low``/``high`` themselves are excluded.
    description : str
    choices : tuple of str
    """

    name: str
    kind: str
    units: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    description: str = ""
    choices: tuple = ()

    def allowed(self) -> str:
        """What the column allows, in words."""
        if self.kind == "category":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind in ("name", "text"):
            return "a non-empty text" + (", unique" if self.kind == "name" else "")
        what = "a whole number" if self.kind == "integer" else "a finite number"
        if self.low is None and self.high is None:
            return what
        unit = f" {self.units}" if self.units and self.units != "Dmnl" else ""
        if self.high is None:
            return f"{what} {'>' if self.low_open else '>='} {self.low:g}{unit}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = f"{self.high:g}"
        return f"{what} in {left}{low}, {high}{right}{unit}"


def _share(name, description, low_open=False, high_open=False):
    return Column(name, "number", "Dmnl", 0.0, 1.0, low_open, high_open, description)


def _positive(name, units, description):
    return Column(name, "number", units, 0.0, None, True, False, description)


def _nonnegative(name, units, description):
    return Column(name, "number", units, 0.0, None, False, False, description)


_SOURCE_COLUMNS = tuple(
    Column(f"source_{what}", "text", description=f"source or assumption behind the {words}")
    for what, words in (
        ("size", "size columns"),
        ("export_market_share", "export market share"),
        ("structure", "structure columns"),
        ("social_capital", "social capital"),
        ("archetype", "GVC model"),
        ("trajectory", "trajectory"),
    )
)

DISTRICT_COLUMNS = (
    Column("district", "name", description="district name (an element of the District range)"),
    Column("region", "text", description="its region: a region of regions.csv"),
    Column(
        "region_number",
        "integer",
        "Dmnl",
        1,
        None,
        description="1-based row of the region in regions.csv",
    ),
    Column(
        "segment_number",
        "integer",
        "Dmnl",
        1,
        len(SEGMENTS),
        description="1-based position of the segment in the Segment range",
    ),
    _positive("employment_1991", "person", "manufacturing employment in 1991"),
    _nonnegative("small_firms_1991", "firm", "small firms in 1991"),
    _nonnegative("medium_large_firms_1991", "firm", "medium and large firms in 1991"),
    _positive("exports_1991", "M€/year", "exports in 1991"),
    _share("export_market_share_1991", "share of world exports of its niche", low_open=True),
    _share("export_intensity", "share of output sold abroad", low_open=True),
    _positive(
        "technical_capital_per_worker_1991", "M€/person", "technical capital per worker, 1991"
    ),
    _positive("skill_level_1991", "Dmnl", "skill-weighted workers per worker, 1991"),
    _share("social_capital_1991", "social capital index 0-1 (the model divides by it)", True),
    _nonnegative("public_goods_1991", "M€", "local public goods, 1991"),
    _share(
        "functional_upgrading_1991",
        "share of high-value activities kept (the model divides by it)",
        True,
        True,
    ),
    _share("offshored_share_1991", "share of manufacturing done abroad (divided by)", True, True),
    _share("confidence_1991", "entrepreneurial confidence index 0-1 (divided by)", True),
    _nonnegative("offshoring_propensity", "Dmnl", "elasticity of offshoring to cost pressure"),
    _share("lead_firm_capture", "share of upgrading gains kept by external lead firms"),
    Column("urban_cluster", "integer", "Dmnl", 0, 1, description="1 for an urban cluster, else 0"),
    _nonnegative("translocal_skill_inflow", "1/year", "skills from trans-local ties per year"),
    Column("segment", "category", choices=SEGMENTS, description="world segment"),
    Column("specialisation", "text", description="specialisation in words"),
    Column("archetype", "category", choices=ARCHETYPES, description="GVC model"),
    Column("trajectory", "category", choices=TRAJECTORIES, description="Bellandi trajectory"),
    *_SOURCE_COLUMNS,
)
"""Columns of ``districts.csv``; the first 21 (A-U) are read by the model in this order."""

REGION_COLUMNS = (
    Column("region", "name", description="region name (an element of the Region range)"),
    Column("macro_area", "text", description="macro area (North-West, Centre, ...)"),
    _positive(
        "innovation_capacity_1991", "Dmnl", "innovation capacity, 1 = national average, 1991"
    ),
    _nonnegative("knowledge_spending_1991", "M€/year", "university and public research spending"),
    _positive("public_goods_1991", "M€", "regional public goods, 1991 (the model divides by it)"),
    Column("metropolitan_hub", "text", description="the region's metropolitan hub"),
    Column("source", "text", description="source or assumption behind the row"),
)
"""Columns of ``regions.csv``; the first 5 (A-E) are read by the model in this order."""

MODEL_READS = {"districts.csv": 21, "regions.csv": 5}
"""How many leading columns of each file the model reads by letter."""


@dataclass
class _Table:
    file: Path
    shown: str
    header: list
    rows: list  # (line, [cells])


def _read(file: Path, shown: str, problems: list) -> _Table | None:
    """Read a CSV file with the line of each row; None (and a problem) if unreadable."""
    try:
        with open(file, "rb") as handle:
            raw = handle.read(MAX_ROSTER_BYTES + 1)
    except OSError as error:
        problems.append(InputError(shown, "", f"cannot read the file: {error.strerror}"))
        return None
    if len(raw) > MAX_ROSTER_BYTES:
        problems.append(InputError(shown, "", f"larger than {MAX_ROSTER_BYTES:,} bytes"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            InputError(shown, "", f"byte {error.start} is not UTF-8 text (a CSV file is)", line)
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(InputError(shown, "", "holds a NUL character; not a CSV text", line))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            problems.append(InputError(shown, "", "the file is empty; it needs a header line"))
            return None
        rows = []
        line = reader.line_num
        for cells in reader:
            if cells:  # blank lines are skipped, like pandas does
                rows.append((line + 1, cells))
            line = reader.line_num
    except csv.Error as error:
        problems.append(InputError(shown, "", f"malformed CSV: {error}", reader.line_num))
        return None
    return _Table(file, shown, [h.strip() for h in header], rows)


def _check_header(table: _Table, columns, problems: list) -> bool:
    """Column names and order; False if the rows cannot be read column by column."""
    before = len(problems)
    names = [c.name for c in columns]
    seen = set()
    for position, name in enumerate(table.header, start=1):
        if name in seen:
            problems.append(
                InputError(table.shown, f"column {position}", f"{name!r} is given twice", 1)
            )
        seen.add(name)
    missing = [n for n in names if n not in table.header]
    if missing:
        problems.append(
            InputError(table.shown, "header", f"missing column(s): {', '.join(missing)}", 1)
        )
    read = MODEL_READS[table.file.name if table.file.name in MODEL_READS else "districts.csv"]
    for position, name in enumerate(names[:read]):
        given = table.header[position] if position < len(table.header) else None
        if given != name and name in table.header:
            letter = chr(ord("A") + position)
            problems.append(
                InputError(
                    table.shown,
                    f"column {position + 1} ({letter})",
                    f"{given!r}: the model reads column {letter} as {name!r}; the first "
                    f"{read} columns must be, in order: {', '.join(names[:read])}",
                    1,
                )
            )
    return len(problems) == before


def _where(table: _Table, line: int, number: int, name: str, column: str) -> str:
    label = f" {name!r}" if name else ""
    return f"{column} (row {number}{label})"


def _value(column: Column, text: str):
    """(value, problem) of one cell."""
    text = text.strip()
    if column.kind in ("name", "text", "category"):
        if not text:
            return None, f"empty: expected {column.allowed()}"
        if column.kind == "name":
            problem = name_problem(text)
            if problem:
                return None, f"{text!r}: {problem}"
        if column.kind == "category" and text not in column.choices:
            return None, f"{text!r} is not {column.allowed()}"
        return text, None
    if not text:
        return None, f"empty: expected {column.allowed()}"
    if not _NUMBER.match(text):
        return None, f"{text[:40]!r} is not a number: expected {column.allowed()}"
    value = float(text)
    if not math.isfinite(value):
        return None, f"{text[:40]!r} is not finite: expected {column.allowed()}"
    if column.kind == "integer" and value != int(value):
        return None, f"{text}: expected {column.allowed()}"
    below = column.low is not None and (
        value <= column.low if column.low_open else value < column.low
    )
    above = column.high is not None and (
        value >= column.high if column.high_open else value > column.high
    )
    if below or above:
        return None, f"{text}: expected {column.allowed()}"
    return value, None


def _rows(table: _Table, columns, limit: int, what: str, problems: list) -> list[dict]:
    """Every row as a dict (None for bad cells); problems for bad cells and names."""
    if not table.rows:
        problems.append(InputError(table.shown, "", f"no {what}: the file has a header only", 1))
        return []
    if len(table.rows) > limit:
        problems.append(
            InputError(
                table.shown,
                "",
                f"{len(table.rows):,} {what}; at most {limit:,} are allowed (the model's "
                "working memory and time grow with their number)",
            )
        )
        return []
    index = {name: table.header.index(name) for name in table.header}
    key = columns[0].name
    out, first_seen = [], {}
    for number, (line, cells) in enumerate(table.rows, start=1):
        if len(cells) != len(table.header):
            problems.append(
                InputError(
                    table.shown,
                    f"row {number}",
                    f"{len(cells)} cells for {len(table.header)} columns",
                    line,
                )
            )
            continue
        row = {"line": line, "number": number}
        label = cells[index[key]].strip()
        for column in columns:
            value, problem = _value(column, cells[index[column.name]])
            if problem:
                problems.append(
                    InputError(
                        table.shown, _where(table, line, number, label, column.name), problem, line
                    )
                )
            row[column.name] = value
        name = row[key]
        if name is not None and name in first_seen:
            problems.append(
                InputError(
                    table.shown,
                    _where(table, line, number, label, key),
                    f"{name!r} is given twice (first on line {first_seen[name]}); names must "
                    "be unique",
                    line,
                )
            )
        elif name is not None:
            first_seen[name] = line
        out.append(row)
    return out


def _check_references(districts, regions, table: _Table, problems: list) -> None:
    region_names = [r["region"] for r in regions]
    for row in districts:
        line, number, label = row["line"], row["number"], row["district"] or ""
        region, position = row["region"], row["region_number"]
        if region is not None and regions and region not in region_names:
            problems.append(
                InputError(
                    table.shown,
                    _where(table, line, number, label, "region"),
                    f"{region!r} is not a region of regions.csv (regions: "
                    f"{', '.join(str(r) for r in region_names)})",
                    line,
                )
            )
        if position is not None and regions:
            if position > len(regions):
                problems.append(
                    InputError(
                        table.shown,
                        _where(table, line, number, label, "region_number"),
                        f"{position:g} names no region: regions.csv has {len(regions)} rows "
                        f"(allowed: 1-{len(regions)})",
                        line,
                    )
                )
            elif region is not None and region_names[int(position) - 1] != region:
                problems.append(
                    InputError(
                        table.shown,
                        _where(table, line, number, label, "region_number"),
                        f"{position:g} is row {position:g} of regions.csv, "
                        f"{region_names[int(position) - 1]!r}, but the region column says "
                        f"{region!r}",
                        line,
                    )
                )
        segment, position = row["segment"], row["segment_number"]
        if segment is not None and position is not None and SEGMENTS[int(position) - 1] != segment:
            problems.append(
                InputError(
                    table.shown,
                    _where(table, line, number, label, "segment_number"),
                    f"{position:g} is the segment {SEGMENTS[int(position) - 1]!r}, but the "
                    f"segment column says {segment!r} (Segment range: {', '.join(SEGMENTS)})",
                    line,
                )
            )
        small, medium = row["small_firms_1991"], row["medium_large_firms_1991"]
        if small == 0 and medium == 0:
            problems.append(
                InputError(
                    table.shown,
                    _where(table, line, number, label, "small_firms_1991"),
                    "0 small and 0 medium-large firms: a district needs at least one firm",
                    line,
                )
            )


def _check_totals(districts, table: _Table, national: dict, problems: list) -> None:
    """The districts' 1991 totals must leave a positive rest of the nation."""
    for column, (total, parameter) in national.items():
        values = [row[column] for row in districts]
        if any(v is None for v in values) or not values:
            continue
        if sum(values) >= total:
            problems.append(
                InputError(
                    table.shown,
                    column,
                    f"the districts' total {sum(values):g} is not below the model's national "
                    f"1991 total ({parameter} = {total:g}); the rest of the nation would be "
                    "empty or negative",
                )
            )


def _national_totals() -> dict:
    """Column -> (national 1991 total, parameter name) from the model's parameter table."""
    from renaissance.parameters import parameter_table
    from renaissance.paths import MODEL_FILE

    table = parameter_table(MODEL_FILE).set_index("name")
    out = {}
    for column, parameter in (
        ("employment_1991", "Initial National Manufacturing Employment"),
        ("exports_1991", "Initial National Manufacturing Exports"),
    ):
        if parameter in table.index:
            out[column] = (float(table.loc[parameter, "default"]), parameter)
    return out


def check_roster(folder: Path, shown: Path | None = None, national: dict | None = None) -> None:
    """Check ``folder/districts.csv`` and ``folder/regions.csv`` against the schema.

    Parameters
    ----------
    folder : pathlib.Path
        The folder holding the two files.
    shown : pathlib.Path, optional
        Folder to name in messages (the user's folder when ``folder`` is a copy).
    national : dict, optional
        Column -> (national 1991 total, parameter name) the district totals must stay
        below; by default from the model's parameter table.

    Raises
    ------
    RosterError
        Listing every problem found (at most :data:`MAX_REPORTED`, and how many more).
    """
    folder = Path(folder)
    shown = Path(shown) if shown is not None else folder
    problems: list[InputError] = []
    tables = {}
    for name, columns in (("regions.csv", REGION_COLUMNS), ("districts.csv", DISTRICT_COLUMNS)):
        table = _read(folder / name, str(shown / name), problems)
        if table is not None and _check_header(table, columns, problems):
            tables[name] = table
    regions = (
        _rows(tables["regions.csv"], REGION_COLUMNS, MAX_REGIONS, "regions", problems)
        if "regions.csv" in tables
        else []
    )
    if "districts.csv" in tables:
        table = tables["districts.csv"]
        districts = _rows(table, DISTRICT_COLUMNS, MAX_DISTRICTS, "districts", problems)
        _check_references(districts, regions, table, problems)
        _check_totals(
            districts, table, _national_totals() if national is None else national, problems
        )
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        shown_problems = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown_problems.append(
                InputError(str(shown), "", f"and {len(problems) - MAX_REPORTED} more problems")
            )
        raise RosterError(shown_problems)


def table_schema() -> dict:
    """The roster schema as Frictionless Table Schemas, one per file (``json.dumps`` it)."""

    def field(column: Column) -> dict:
        out = {"name": column.name, "description": column.description}
        constraints: dict = {"required": True}
        if column.kind in ("name", "text", "category"):
            out["type"] = "string"
            if column.kind == "name":
                constraints["unique"] = True
                constraints["pattern"] = r'[^./\\"\s][^/\\"]*'
            if column.kind == "category":
                constraints["enum"] = list(column.choices)
        else:
            out["type"] = "integer" if column.kind == "integer" else "number"
            out["unit"] = column.units
            for bound, open_, inclusive, exclusive in (
                (column.low, column.low_open, "minimum", "exclusiveMinimum"),
                (column.high, column.high_open, "maximum", "exclusiveMaximum"),
            ):
                if bound is not None:
                    constraints[exclusive if open_ else inclusive] = bound
        out["constraints"] = constraints
        return out

    return {
        "districts.csv": {
            "description": (
                "districts of a roster; the model reads columns A-U by letter, so they come "
                f"first and in this order; at most {MAX_DISTRICTS} rows; region must be a "
                "region of regions.csv and region_number its 1-based row there; segment must "
                "be the element segment_number points at in the Segment range"
            ),
            "fields": [field(c) for c in DISTRICT_COLUMNS],
            "primaryKey": "district",
            "foreignKeys": [
                {"fields": "region", "reference": {"resource": "regions.csv", "fields": "region"}}
            ],
        },
        "regions.csv": {
            "description": (
                "regions of a roster; the model reads columns A-E by letter; at most "
                f"{MAX_REGIONS} rows"
            ),
            "fields": [field(c) for c in REGION_COLUMNS],
            "primaryKey": "region",
        },
    }
