"""The model's parameter table: every constant with units, default, plausible range and source.

The ``.mdl`` file is the single source of truth. A constant's plausible range is the
Vensim range in its units field (``1/year [0.09, 0.125]``) and its source is its
comment; its hard limits follow from its units and name
(:mod:`renaissance.hard_limits`). ``models/parameters.csv`` is generated from the model by
``python tools/parameter_table.py`` and checked against it by the tests; the
sensitivity analysis draws its ranges from this table.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.hard_limits import limits_of, rule_of
from renaissance.model_file import main_section

COLUMNS = [
    "name",
    "units",
    "default",
    "low",
    "high",
    "hard_low",
    "hard_high",
    "hard_rule",
    "source",
]

# Constants that are data of the roster (read from CSV), control variables, or
# structural 0/1 masks are not parameters to vary.
_STRUCTURAL_UNITS_FREE = {
    "Instrument Reaches Firms Directly",
    "Knowledge Instrument",
    "City Instrument",
    "Scale Is National",
}


def _is_constant(tree) -> bool:
    return isinstance(tree, (int, float, np.integer, np.floating, np.ndarray))


def _elements_of(element, component, subscript_elements):
    """Yield ``(label, value)`` for each cell a constant component defines."""
    value = component.ast
    dims = component.subscripts[0]
    if not dims:
        yield element.name, float(value)
        return
    ranges = [subscript_elements.get(dim, [dim]) for dim in dims]
    cells = [[]]
    for options in ranges:
        cells = [[*cell, option] for cell in cells for option in options]
    if np.size(value) not in (1, len(cells)):
        raise ValueError(f"{element.name}: {np.size(value)} values for {len(cells)} cells")
    values = np.broadcast_to(np.asarray(value, dtype=float).reshape(-1), (len(cells),))
    uniform = np.all(values == values[0])
    if uniform:
        yield f"{element.name}[{','.join(dims)}]", float(values[0])
        return
    for cell, cell_value in zip(cells, values, strict=True):
        yield f"{element.name}[{','.join(cell)}]", float(cell_value)


def parameter_table(model_file: Path) -> pd.DataFrame:
    """Build the parameter table of a model.

    Parameters
    ----------
    model_file : pathlib.Path
        The ``.mdl`` file.

    Returns
    -------
    pandas.DataFrame
        One row per scalar constant, per subscripted constant with a uniform value
        (``Name[Dim1,Dim2]``) or per cell of a subscripted constant whose cells differ
        (``Name[element]``); columns ``name, units, default, low, high, hard_low,
        hard_high, hard_rule, source``. ``low``/``high`` are the plausible range (NaN
        where the model gives none); ``hard_low``/``hard_high`` the hard limits and
        ``hard_rule`` their rule (:mod:`renaissance.hard_limits`; NaN: no limit).
    """
    section = main_section(Path(model_file))
    subscript_elements = {
        rng.name: list(rng.subscripts)
        for rng in section.subscripts
        if isinstance(rng.subscripts, list)  # ranges written out in the file
    }
    rows = []
    for element in section.elements:
        if (
            element.name in _STRUCTURAL_UNITS_FREE
            or type(element).__name__ == "AbstractControlElement"  # INITIAL TIME, SAVEPER …
        ):
            continue
        limits = (*tuple(element.limits), None, None)
        low = np.nan if limits[0] is None else float(limits[0])
        high = np.nan if limits[1] is None else float(limits[1])
        rule = rule_of(element.name, element.units)
        hard_low, hard_high = limits_of(rule, low, high)
        for component in element.components:
            if not _is_constant(component.ast):
                continue
            for label, value in _elements_of(element, component, subscript_elements):
                rows.append(
                    {
                        "name": label,
                        "units": element.units,
                        "default": value,
                        "low": low,
                        "high": high,
                        "hard_low": hard_low,
                        "hard_high": hard_high,
                        "hard_rule": rule,
                        "source": element.documentation,
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)
