"""CSV tables of one run that keep the units: wide (one column per cell) or long (tidy).

A spreadsheet takes at most :data:`SPREADSHEET_COLUMNS` columns, and the national roster's
``history`` run has about 80,000 cells; the long format (one row per time, variable and
cell) has no such limit and is what ``pandas``, R and databases read best.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

SPREADSHEET_COLUMNS = 16_384
"""Columns of a sheet in common spreadsheets (Excel, LibreOffice Calc)."""

CSV_FORMATS = ("auto", "wide", "long")
"""``auto``: wide if it fits :data:`SPREADSHEET_COLUMNS`, long otherwise."""


def _cells(array):
    other = [d for d in array.dims if d != "time"]
    stacked = array.transpose("time", *other)
    flat = stacked.values.reshape(len(stacked["time"]), -1)
    if not other:
        return [""], flat
    cells = pd.MultiIndex.from_product([stacked[d].values for d in other])
    return [",".join(map(str, cell)) for cell in cells], flat


def _timed(dataset: xr.Dataset):
    return [(name, a) for name, a in dataset.data_vars.items() if "time" in a.dims]


def wide_column_count(dataset: xr.Dataset) -> int:
    """Columns of the wide table (one per cell of every variable over time)."""
    return sum(
        int(np.prod([a.sizes[d] for d in a.dims if d != "time"])) for _, a in _timed(dataset)
    )


def wide_table(dataset: xr.Dataset) -> pd.DataFrame:
    """One column per variable cell, ``Name[a,b] (units)``, index ``Time``.

    Parameters
    ----------
    dataset : xarray.Dataset
        A single run (dims ``time`` and subscript dims).
    """
    columns = {}
    for name, array in _timed(dataset):
        units = array.attrs.get("units", "")
        suffix = f" ({units})" if units else ""
        cells, flat = _cells(array)
        for j, cell in enumerate(cells):
            label = f"{name}[{cell}]" if cell else str(name)
            columns[label + suffix] = flat[:, j]
    return pd.DataFrame(columns, index=pd.Index(dataset["time"].values, name="Time"))


def long_table(dataset: xr.Dataset) -> pd.DataFrame:
    """One row per time, variable and cell: ``time, variable, cell, value, units``.

    ``cell`` is the subscript elements joined by commas (empty for a scalar variable).
    """
    frames = []
    times = dataset["time"].values
    for name, array in _timed(dataset):
        cells, flat = _cells(array)
        frames.append(
            pd.DataFrame(
                {
                    "time": np.repeat(times, len(cells)),
                    "variable": str(name),
                    "cell": np.tile(np.array(cells, dtype=object), len(times)),
                    "value": flat.reshape(-1),
                    "units": array.attrs.get("units", ""),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["time", "variable", "cell", "value", "units"])
    return pd.concat(frames, ignore_index=True)


def write_table(dataset: xr.Dataset, path, csv_format: str = "auto") -> str:
    """Write ``dataset`` as CSV in ``csv_format``; return the format used."""
    if csv_format not in CSV_FORMATS:
        raise ValueError(f"csv format {csv_format!r} is not one of {CSV_FORMATS}")
    if csv_format == "auto":
        csv_format = "wide" if wide_column_count(dataset) + 1 <= SPREADSHEET_COLUMNS else "long"
    if csv_format == "wide":
        wide_table(dataset).to_csv(path)
    else:
        long_table(dataset).to_csv(path, index=False)
    return csv_format
