"""Values read from files beside the model: ``GET DIRECT/XLS CONSTANTS`` and ``LOOKUPS``.

Cell ranges, the ``*`` (transposed) suffix and named ranges are read by PySD's own
``pysd.py_backend.external`` readers, so both engines read files identically.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from pysd.py_backend.external import ExtConstant, ExtLookup


def read_constant(ast, coords: dict, root: Path, name: str) -> np.ndarray:
    """Array of a ``GET … CONSTANTS`` component laid out as ``coords`` (dim order kept).

    Returns
    -------
    ndarray of shape ``tuple(len(v) for v in coords.values())``.
    """
    reader = ExtConstant(ast.file, ast.tab, ast.cell, coords, root, coords, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader.initialize()
    data = reader.data
    if hasattr(data, "transpose"):
        return np.asarray(data.transpose(*coords).values, dtype=float)
    return np.asarray(data, dtype=float)


def read_lookup(ast, coords: dict, root: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of a ``GET … LOOKUPS`` component: x of shape (n,), y of (*sizes, n)."""
    reader = ExtLookup(ast.file, ast.tab, ast.x_row_or_col, ast.cell, coords, root, coords, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader.initialize()
    data = reader.data
    x = np.asarray(data.coords["lookup_dim"].values, dtype=float)
    y = np.asarray(data.transpose(*coords, "lookup_dim").values, dtype=float)
    return x, y
