"""Values read from files beside the model: ``GET DIRECT/XLS CONSTANTS`` and ``LOOKUPS``.

Cell ranges, the ``*`` (transposed) suffix and named ranges are read by PySD's own
``pysd.py_backend.external`` readers, so both engines read files identically.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

import numpy as np
from pysd.py_backend.external import ExtConstant, ExtLookup

from renaissance.engine.errors import ModelFileError


@contextlib.contextmanager
def reading(file, root: Path, name: str):
    """Turn a failure to read a data file into a :class:`ModelFileError` naming it.

    Parameters
    ----------
    file : str
        The file as the model names it (relative to ``root``).
    root : pathlib.Path
        The model's folder.
    name : str
        The variable or subscript range that reads it.
    """
    try:
        yield
    except ModelFileError:
        raise
    except Exception as error:  # PySD's readers: FileNotFoundError, ValueError, KeyError …
        message = " ".join(str(error).split()) or type(error).__name__
        raise ModelFileError(
            Path(root) / str(file), name, f"cannot be read for {name!r}: {message}"
        ) from None


def read_constant(ast, coords: dict, root: Path, name: str) -> np.ndarray:
    """Array of a ``GET … CONSTANTS`` component laid out as ``coords`` (dim order kept).

    Returns
    -------
    ndarray of shape ``tuple(len(v) for v in coords.values())``.
    """
    with reading(ast.file, root, name), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = ExtConstant(ast.file, ast.tab, ast.cell, coords, root, coords, name)
        reader.initialize()
    data = reader.data
    if hasattr(data, "transpose"):
        return np.asarray(data.transpose(*coords).values, dtype=float)
    return np.asarray(data, dtype=float)


def read_lookup(ast, coords: dict, root: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of a ``GET … LOOKUPS`` component: x of shape (n,), y of (*sizes, n)."""
    with reading(ast.file, root, name):
        reader = ExtLookup(
            ast.file, ast.tab, ast.x_row_or_col, ast.cell, coords, root, coords, name
        )
        return _series(reader, coords, "lookup_dim")


def read_data(ast, keyword, coords: dict, root: Path, name: str):
    """``(times, values, method)`` of a ``GET … DATA`` component.

    ``values`` has shape ``(*sizes, n_times)``; ``method`` is PySD's interpolation keyword
    (``interpolate``, ``look_forward``, ``hold_backward`` or ``raw``).
    """
    from pysd.py_backend.external import ExtData

    method = (keyword or "interpolate").replace(" ", "_")
    with reading(ast.file, root, name):
        reader = ExtData(
            ast.file, ast.tab, ast.time_row_or_col, ast.cell, method, coords, root, coords, name
        )
        times, values = _series(reader, coords, "time")
    return times, values, method


def _series(reader, coords: dict, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """Load a PySD external reader quietly; return its ``axis`` and values ``(*sizes, n)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader.initialize()
    data = reader.data
    points = np.asarray(data.coords[axis].values, dtype=float)
    values = np.asarray(data.transpose(*coords, axis).values, dtype=float)
    return points, values


def data_at(t: float, times: np.ndarray, values: np.ndarray, method: str) -> np.ndarray:
    """Value of a data series at time ``t`` (end values held outside the data range)."""
    exact = np.flatnonzero(times == t)
    if exact.size:
        return values[..., exact[0]]
    if method == "raw":
        return np.full(values.shape[:-1], np.nan)
    if t >= times[-1]:
        return values[..., -1]
    if t <= times[0]:
        return values[..., 0]
    if method == "look_forward":
        return values[..., np.searchsorted(times, t, side="left")]
    if method == "hold_backward":
        return values[..., np.searchsorted(times, t, side="right") - 1]
    i = np.searchsorted(times, t, side="right") - 1
    weight = (t - times[i]) / (times[i + 1] - times[i])
    return values[..., i] + weight * (values[..., i + 1] - values[..., i])
