"""What a scenario may name: the model's instruments, parameters and variables, and the
districts, regions, archetypes, trajectories and segments of a roster.

Read from the ``.mdl`` file (through the cached parse) and the roster's CSV files, never
written by hand, so the vocabulary cannot drift from the model.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.model_file import main_section
from renaissance.parameters import parameter_table
from renaissance.paths import MODEL_FILE
from renaissance.roster import read_roster

LEVER_PREFIXES = ("Policy ",)
"""Constants set through ``policies:``, not ``parameters:``."""


@dataclass(frozen=True)
class Vocabulary:
    """Names a scenario may use, with the parameter table's ranges.

    Attributes
    ----------
    ranges : dict
        Subscript range name -> tuple of its elements (District and Region from the roster).
    parameters : pandas.DataFrame
        The parameter table (name, units, default, low, high, source).
    variables : dict
        Variable name -> tuple of its subscript range names, for every model element.
    constants : frozenset
        Names of variables that are constants (may appear under ``parameters:``).
    roster_table : pandas.DataFrame
        The roster's ``districts.csv``.
    """

    ranges: dict
    parameters: pd.DataFrame
    variables: dict
    constants: frozenset
    roster_table: pd.DataFrame

    @functools.cached_property
    def _indexed_parameters(self) -> pd.DataFrame:
        return self.parameters.set_index("name")

    @property
    def instruments(self) -> tuple[str, ...]:
        return self.ranges["Instrument"]

    @property
    def districts(self) -> tuple[str, ...]:
        return self.ranges["District"]

    @property
    def regions(self) -> tuple[str, ...]:
        return self.ranges["Region"]

    def column_values(self, column: str) -> tuple[str, ...]:
        """Distinct values of a roster column (archetype, trajectory, segment), sorted."""
        return tuple(sorted(set(self.roster_table[column].astype(str))))

    def range_of(self, name: str, dims: tuple[str, ...], cell: tuple[str, ...] | None):
        """``(low, high, units)`` of a parameter cell from the table (NaN if no range)."""
        table = self._indexed_parameters
        candidates = [name, f"{name}[{','.join(dims)}]"]
        if cell:
            candidates.insert(0, f"{name}[{','.join(cell)}]")
        for candidate in candidates:
            if candidate in table.index:
                row = table.loc[candidate]
                return float(row["low"]), float(row["high"]), str(row["units"])
        # Cells of a subscripted constant share one range in the .mdl.
        rows = table[table.index.str.startswith(f"{name}[")]
        if len(rows):
            return float(rows["low"].min()), float(rows["high"].max()), str(rows["units"].iat[0])
        return np.nan, np.nan, ""

    def hard_limit_of(self, name: str, dims: tuple[str, ...], cell: tuple[str, ...] | None):
        """``(rule, hard_low, hard_high)`` of a parameter (:mod:`renaissance.hard_limits`);
        ``("signed", nan, nan)`` (any finite number) if the table does not list it."""
        table = self._indexed_parameters
        candidates = [name, f"{name}[{','.join(dims)}]"]
        if cell:
            candidates.insert(0, f"{name}[{','.join(cell)}]")
        rows = table.loc[[c for c in candidates if c in table.index]]
        if not len(rows):
            rows = table[table.index.str.startswith(f"{name}[")]
        if not len(rows) or "hard_rule" not in rows:
            return "signed", np.nan, np.nan
        row = rows.iloc[0]
        return str(row["hard_rule"]), float(row["hard_low"]), float(row["hard_high"])

    def default_of(self, name: str, dims: tuple[str, ...], cell: tuple[str, ...]) -> float:
        """The model's value of one cell of a constant (from the parameter table)."""
        table = self._indexed_parameters
        for candidate in (f"{name}[{','.join(cell)}]", f"{name}[{','.join(dims)}]", name):
            if candidate in table.index:
                return float(table.loc[candidate, "default"])
        raise KeyError(f"{name}[{','.join(cell)}] has no default in the parameter table")


@functools.lru_cache(maxsize=8)
def _model_vocabulary(model_file: Path, stamp: float):
    section = main_section(model_file)
    ranges = {
        rng.name: tuple(rng.subscripts)
        for rng in section.subscripts
        if isinstance(rng.subscripts, list)
    }
    variables, constants = {}, set()
    for element in section.elements:
        if type(element).__name__ == "AbstractControlElement":
            continue
        dims = tuple(element.components[0].subscripts[0]) if element.components else ()
        variables[element.name] = dims
        if all(
            isinstance(c.ast, (int, float, np.integer, np.floating, np.ndarray))
            for c in element.components
        ):
            constants.add(element.name)
    return ranges, variables, frozenset(constants), parameter_table(model_file)


def vocabulary(roster: str | Path = "showcase", model_file: Path = MODEL_FILE) -> Vocabulary:
    """The vocabulary of ``model_file`` on ``roster`` (a roster name or folder)."""
    model_file = Path(model_file)
    ranges, variables, constants, parameters = _model_vocabulary(
        model_file, model_file.stat().st_mtime
    )
    districts, regions = read_roster(roster)
    ranges = {
        **ranges,
        "District": tuple(districts["district"].astype(str)),
        "Region": tuple(regions["region"].astype(str)),
    }
    return Vocabulary(ranges, parameters, variables, constants, districts)
