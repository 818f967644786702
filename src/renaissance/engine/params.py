"""Parameter overrides: user values -> arrays of shape ``(E or 1, *sizes)`` per variable.

Accepted forms for one variable (``run`` takes values for one member; ``run_ensemble``
takes a leading member axis of length E on every value that varies between members):

- a number: the same value in every cell;
- an array over the variable's dims (``run``) or ``(E, *dims)`` (``run_ensemble``);
  a ``(E,)`` array for a subscripted variable gives each member one value for all cells;
- an ``xarray.DataArray`` with the variable's dims (and ``member``), in any order;
- a dict element -> value (``"a"`` or ``("a", "b")``/``"a,b"`` for several dims) that
  changes only those cells and keeps the model's values elsewhere.

A ``pandas.DataFrame`` with E rows is accepted by ``run_ensemble``: one column per scalar
variable, or ``Name[a,b]`` for one cell of a subscripted one.

Time series (exogenous series replacing a constant or an auxiliary; semantics of PySD's
``params={name: pandas.Series}``: linear interpolation in time, end values held outside
the series' range; see :mod:`renaissance.engine.series`):

- a ``pandas.Series`` indexed by time (numbers in the model's time unit) with number
  values: the variable's value, in every cell if it is subscripted;
- a ``pandas.Series`` indexed by time whose values are arrays over the variable's dims
  (or ``xarray.DataArray`` objects with those dims);
- a ``pandas.DataFrame`` indexed by time with one column per element of a variable with
  one dim (every element exactly once);
- an ``xarray.DataArray`` with a ``time`` dim (coordinates = times), some or all of the
  variable's dims (missing ones are broadcast; coordinates, if any, must name every
  element) and, in ``run_ensemble``, optionally a ``member`` dim (length E: each member
  its own series). Without ``member`` every member gets the same series.

Times must be strictly increasing and values free of NaN; errors name the variable.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from renaissance.engine import tape
from renaissance.engine.names import normalize
from renaissance.engine.series import TimeSeries, is_series, to_series


@dataclass(frozen=True)
class Patch:
    """Cell-wise changes applied to a variable's computed value.

    ``cells`` holds ``(index tuple, value array of shape (E or 1,))`` pairs.
    """

    cells: tuple

    def apply(self, value: np.ndarray, members: int) -> np.ndarray:
        shape = (max(members, value.shape[0]), *value.shape[1:])
        if tape.is_traced(value):  # recorded for the virtual machine (engine.tape)
            out = np.broadcast_to(value, shape).copy()
        else:
            out = np.array(np.broadcast_to(value, shape), order="C")
        for index, cell in self.cells:
            out[(slice(None), *index)] = cell
        return out


def find_variable(plan, name: str):
    """The Variable named ``name`` (any spelling Vensim treats as equal)."""
    key = normalize(name)
    if key in plan.variables:
        return plan.variables[key]
    names = [v.name for v in plan.variables.values()]
    close = difflib.get_close_matches(name, names, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"parameter {name!r} is not a variable of the model{hint}")


def _cell_index(plan, var, element) -> tuple:
    parts = element if isinstance(element, tuple) else tuple(str(element).split(","))
    parts = tuple(p.strip() for p in parts)
    if len(parts) != len(var.dims):
        raise ValueError(
            f"parameter {var.name!r}: cell {element!r} needs {len(var.dims)} elements "
            f"(dims {var.dims})"
        )
    index = []
    for part, dim in zip(parts, var.dims, strict=True):
        elements = plan.subscripts.ranges[dim]
        if part not in elements:
            raise ValueError(
                f"parameter {var.name!r}: {part!r} is not an element of {dim!r} "
                f"(allowed: {elements})"
            )
        index.append(elements.index(part))
    return tuple(index)


def _member_values(value, ensemble: bool, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if ensemble:
        return array.reshape(-1) if array.ndim else array.reshape(1)
    if array.ndim:
        raise ValueError(f"parameter {name!r}: a cell value must be a number")
    return array.reshape(1)


def to_override(plan, var, value, ensemble: bool):
    """Array ``(E or 1, *sizes)``, :class:`Patch` or :class:`TimeSeries` for one value."""
    if is_series(value):
        return to_series(plan, var, value, ensemble)
    sizes = plan.sizes(var.key)
    if isinstance(value, dict):
        cells = tuple(
            (_cell_index(plan, var, element), _member_values(v, ensemble, var.name))
            for element, v in value.items()
        )
        return Patch(cells)
    if hasattr(value, "dims") and hasattr(value, "transpose"):  # xarray.DataArray
        order = [d for d in ("member", *var.dims) if d in value.dims]
        extra = set(value.dims) - set(order)
        if extra:
            raise ValueError(f"parameter {var.name!r}: unknown dims {sorted(extra)}")
        value = value.transpose(*order)
        array = np.asarray(value.values, dtype=float)
        if "member" not in value.dims:
            array = array[None]
        missing = [d for d in var.dims if d not in value.dims]
        for d in missing:
            array = np.expand_dims(array, 1 + var.dims.index(d))
        return np.array(np.broadcast_to(array, (array.shape[0], *sizes)), order="C")
    array = np.asarray(value, dtype=float)
    if not ensemble:
        array = array[None]
    elif array.ndim == 1 and sizes:
        array = array.reshape((-1,) + (1,) * len(sizes))
    elif array.ndim == 0:
        array = array.reshape(1)
    try:
        return np.array(
            np.broadcast_to(
                array.reshape(array.shape[:1] + array.shape[1:]), (array.shape[0], *sizes)
            ),
            order="C",
        )
    except ValueError:
        raise ValueError(
            f"parameter {var.name!r}: value of shape {np.shape(value)} does not fit dims "
            f"{var.dims} of sizes {sizes}" + (" after the member axis" if ensemble else "")
        ) from None


def split_cell(text: str) -> tuple[str, str | None]:
    """``"Name[a, b]"`` -> ``("Name", "a,b")``; ``"Name"`` -> ``("Name", None)``."""
    text = str(text).strip()
    if text.endswith("]") and "[" in text:
        name, inside = text[:-1].split("[", 1)
        return name.strip(), ",".join(part.strip() for part in inside.split(","))
    return text, None


def overlay_table(params: dict, table) -> dict:
    """``params`` with the columns of a table (one row per member) on top.

    A column ``Name`` replaces the variable; ``Name[a,b]`` replaces one cell and keeps
    the other cells ``params`` sets for it. A cell column for a variable ``params`` sets
    as a whole (a number, array or series) is refused: sample the variable itself.
    """
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in params.items()}
    for column in table.columns:
        values = np.asarray(table[column], dtype=float)
        name, cell = split_cell(column)
        if cell is None:
            merged[name] = values
            continue
        current = merged.get(name, {})
        if not isinstance(current, dict):
            raise ValueError(
                f"column {column!r} sets one cell of {name!r}, which is already set as a "
                f"whole; give {name!r} itself instead"
            )
        merged[name] = {**current, cell: values}
    return merged


def from_table(table) -> dict:
    """Turn a pandas DataFrame (one row per member) into a params dict."""
    return overlay_table({}, table)


def members_of(overrides: dict) -> int:
    """Ensemble size implied by the overrides (1 if nothing varies)."""
    sizes = set()
    for value in overrides.values():
        if isinstance(value, Patch):
            sizes.update(len(v) for _, v in value.cells)
        elif isinstance(value, TimeSeries):
            sizes.add(value.members)
        else:
            sizes.add(value.shape[0])
    sizes.discard(1)
    if len(sizes) > 1:
        raise ValueError(f"parameters disagree on the ensemble size: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def slice_members(overrides: dict, start: int, stop: int, members: int) -> dict:
    """The overrides of members ``start:stop`` (values shared by all members are kept)."""
    if members == 1:
        return overrides

    def cut(value):
        return value[start:stop] if value.shape[0] == members else value

    out = {}
    for key, value in overrides.items():
        if isinstance(value, Patch):
            out[key] = Patch(tuple((index, cut(cell)) for index, cell in value.cells))
        elif isinstance(value, TimeSeries):
            out[key] = value.cut(start, stop, members)
        else:
            out[key] = cut(value)
    return out
