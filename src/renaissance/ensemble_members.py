"""Parameter sets of a calibrated ensemble, read from a CSV file and drawn as members.

A comparison over an ensemble runs every scenario over the *same* parameter sets, so
that the share of members in which one mix beats another is a paired comparison. The
file (``models/calibration/accepted.csv`` when the calibration has shipped one) has the
header ``member,<parameter>,...[,distance]``:

- ``member``: an integer id, unique;
- one column per parameter, named as a scenario's ``parameters:`` accepts them: a whole
  variable ``Name`` or a cell ``Name[Subscript]``; every value a finite number within
  the parameter's plausible range (``models/parameters.csv``);
- ``distance`` (optional): the calibration's distance, ignored here.

:func:`read_members` validates the file like every other input (an
:class:`~renaissance.input_errors.InputError` naming the file, column, row and value);
:func:`draw_members` takes a seeded subsample; :func:`members_for_scenario` removes the
values a scenario sets itself (a scenario's own ``parameters:`` win over the ensemble's).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.engine.params import split_cell
from renaissance.input_errors import InputError
from renaissance.paths import MODEL_DIRECTORY

DEFAULT_ENSEMBLE_FILE = MODEL_DIRECTORY / "calibration" / "accepted.csv"
"""The accepted parameter sets of the calibration, used by ``compare`` when present."""

IGNORED_COLUMNS = ("distance",)
"""Columns of the file that are not parameters (read and ignored)."""


class EnsembleFileError(InputError):
    """The ensemble file is missing, malformed, or names or sets a parameter wrongly."""


def _suggest(word, allowed):
    from renaissance.scenarios.checks import suggestion

    return suggestion(word, allowed)


def _check_column(path, column, words):
    """``(name, dims, cell)`` of a parameter column, or an error naming the column."""
    from renaissance.scenarios.vocabulary import LEVER_PREFIXES

    name, cell = split_cell(column)
    if name not in words.variables:
        raise EnsembleFileError(
            path,
            f"column {column!r}",
            f"not a variable of the model{_suggest(name, sorted(words.constants))}",
        )
    if name not in words.constants:
        raise EnsembleFileError(
            path, f"column {column!r}", f"{name!r} is computed by the model, not a constant"
        )
    if name.startswith(LEVER_PREFIXES):
        raise EnsembleFileError(
            path,
            f"column {column!r}",
            f"{name!r} is a policy lever; policies belong in scenarios, not in an ensemble",
        )
    dims = words.variables[name]
    elements = None
    if cell is not None:
        elements = tuple(cell.split(","))
        if len(elements) != len(dims):
            raise EnsembleFileError(
                path,
                f"column {column!r}",
                f"{name!r} has {len(dims)} subscript(s) ({', '.join(dims) or 'none'}); "
                f"[{cell}] gives {len(elements)}",
            )
        for element, dim in zip(elements, dims, strict=True):
            allowed = words.ranges.get(dim, (dim,))
            if element not in allowed and element != dim:
                raise EnsembleFileError(
                    path,
                    f"column {column!r}",
                    f"{element!r} is not an element of {dim}{_suggest(element, allowed)} "
                    f"(allowed: {', '.join(allowed)})",
                )
    return name, dims, elements


def _header(path):
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def read_members(path, roster="showcase", model_file=None) -> pd.DataFrame:
    """Read and validate an ensemble file.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file with the header ``member,<parameter>,...[,distance]``.
    roster : str or pathlib.Path
        Roster whose districts and regions a cell column may name.
    model_file : pathlib.Path or None
        Model whose parameter table gives the names and plausible ranges (None: the
        shipped model).

    Returns
    -------
    pandas.DataFrame
        Index ``member`` (int), one float column per parameter, in file order.

    Raises
    ------
    EnsembleFileError
        Missing or unreadable file, no ``member`` column, no parameter column, a
        duplicate column or member, an unknown parameter, a non-numeric or non-finite
        value, or a value outside the parameter's plausible range (the message names the
        file, the column, the row and the value).
    """
    from renaissance.paths import MODEL_FILE
    from renaissance.scenarios.vocabulary import vocabulary

    path = Path(path)
    if not path.is_file():
        raise EnsembleFileError(path, "", "no such file (an ensemble of parameter sets, CSV)")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        header = [str(column).strip() for column in _header(path)]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise EnsembleFileError(path, "", f"not a readable CSV table ({error})") from None
    for position, column in enumerate(header):
        if column in header[:position]:
            raise EnsembleFileError(path, f"column {column!r}", "appears twice in the header")
    table.columns = header
    if "member" not in table.columns:
        raise EnsembleFileError(
            path, "header", "no 'member' column; the header is member,<parameter>,...[,distance]"
        )
    parameters = [c for c in table.columns if c not in ("member", *IGNORED_COLUMNS)]
    if not parameters:
        raise EnsembleFileError(path, "header", "no parameter column")
    if table.empty:
        raise EnsembleFileError(path, "", "no rows (no parameter set)")
    words = vocabulary(roster, Path(model_file) if model_file else MODEL_FILE)
    members = []
    for row, text in enumerate(table["member"], start=2):
        try:
            members.append(int(text))
        except ValueError:
            raise EnsembleFileError(
                path, f"member (row {row})", f"{text!r} is not an integer id"
            ) from None
    seen = {}
    for row, member in enumerate(members, start=2):
        if member in seen:
            raise EnsembleFileError(
                path,
                f"member (row {row})",
                f"member {member} appears twice (rows {seen[member]} and {row}); ids must differ",
            )
        seen[member] = row
    values = {}
    for column in parameters:
        name, dims, cell = _check_column(path, column, words)
        low, high, units = words.range_of(name, dims, cell)
        unit_text = f" {units}" if units else ""
        numbers = []
        for row, text in enumerate(table[column], start=2):
            try:
                number = float(text)
            except ValueError:
                number = math.nan
                if text.strip().lower() not in ("nan",):
                    raise EnsembleFileError(
                        path, f"column {column!r} (row {row})", f"{text!r} is not a number"
                    ) from None
            if not math.isfinite(number):
                raise EnsembleFileError(
                    path, f"column {column!r} (row {row})", f"{text!r} is not a finite number"
                )
            if not (math.isnan(low) or low <= number) or not (math.isnan(high) or number <= high):
                raise EnsembleFileError(
                    path,
                    f"column {column!r} (row {row})",
                    f"{number:g}{unit_text} is outside the plausible range "
                    f"[{low:g}, {high:g}] (models/parameters.csv)",
                )
            numbers.append(number)
        values[column] = numbers
    return pd.DataFrame(values, index=pd.Index(members, name="member"))


def draw_members(table: pd.DataFrame, count: int | None, seed: int, file="--members"):
    """A seeded subsample of ``count`` members (all of them if ``count`` is None).

    The same seed and file give the same members; they are returned in file order.

    Raises
    ------
    EnsembleFileError
        ``count`` < 1 or larger than the number of members in the file.
    """
    if count is None:
        return table
    if count < 1:
        raise EnsembleFileError("--members", "", f"{count} is not allowed: give N >= 1")
    if count > len(table):
        raise EnsembleFileError(
            "--members",
            "",
            f"{count} members asked for, but {file} has {len(table)}; give N <= {len(table)}",
        )
    chosen = np.random.default_rng(seed).choice(len(table), size=count, replace=False)
    return table.iloc[np.sort(chosen)]


def members_for_scenario(table: pd.DataFrame, scenario, words=None) -> pd.DataFrame:
    """The ensemble's columns without the values ``scenario`` sets itself.

    A scenario's own ``parameters:`` override the ensemble: a column for a variable the
    scenario sets as a whole is dropped; a cell column the scenario sets is dropped; a
    whole-variable column whose cells the scenario sets in part is split into one column
    per cell and the scenario's cells dropped.

    Returns
    -------
    pandas.DataFrame
        Same rows; columns ``Name`` or ``Name[cell]`` (``overlay_table``'s format).
    """
    set_whole, set_cells = set(), {}
    for key, _value in scenario.parameters:
        name, cell = split_cell(key)
        if cell is None:
            set_whole.add(name)
        else:
            set_cells.setdefault(name, set()).add(cell)
    columns = {}
    for column in table.columns:
        name, cell = split_cell(column)
        if name in set_whole:
            continue
        if cell is not None:
            if cell not in set_cells.get(name, ()):
                columns[column] = table[column].to_numpy()
            continue
        if name not in set_cells:
            columns[column] = table[column].to_numpy()
            continue
        if words is None:
            from renaissance.scenarios.vocabulary import vocabulary

            words = vocabulary(scenario.roster)
        cells = [()]
        for dim in words.variables[name]:
            cells = [(*c, e) for c in cells for e in words.ranges.get(dim, (dim,))]
        for each in cells:
            key = ",".join(each)
            if key not in set_cells[name]:
                columns[f"{name}[{key}]"] = table[column].to_numpy()
    return pd.DataFrame(columns, index=table.index)
