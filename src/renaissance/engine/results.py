"""Turn recorded arrays into an ``xarray.Dataset`` (and a flat PySD-style table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from renaissance.engine.memo import remember


def to_dataset(
    plan, times, data: dict, failed_at: np.ndarray, attrs: dict, ensemble: bool
) -> xr.Dataset:
    """Dataset with dims ``time`` (save times), ``member`` (if ``ensemble``) and subscripts.

    Parameters
    ----------
    plan : Plan
    times : sequence of float
        Save times.
    data : dict
        Variable key -> list (one per save time) of arrays ``(E, *sizes)``, or one
        array ``(time, E, *sizes)``.
    failed_at : ndarray of shape (E,)
        First save time with a non-finite state per member (NaN: the member succeeded).
    attrs : dict
        Dataset attributes (provenance).
    ensemble : bool
        Keep the ``member`` dim; otherwise E must be 1 and the dim is dropped.
    """
    members = len(failed_at)
    coords: dict = {"time": np.asarray(times, dtype=float)}
    if ensemble:
        coords["member"] = np.arange(members)
    variables = {}
    for key, frames in data.items():
        var = plan.variables[key]
        if isinstance(frames, np.ndarray):  # already (time, E, *sizes)
            values = frames
        elif frames:
            values = np.stack(frames)
        else:
            values = np.empty((0, members, *plan.sizes(key)))
        if ensemble:
            dims = ("time", "member", *var.dims)
        else:
            values = values[:, 0]
            dims = ("time", *var.dims)
        for d in var.dims:
            if d not in coords:
                coords[d] = plan.subscripts.ranges[d]
        # fastpath: the values are a float ndarray already, nothing to convert
        if values.dtype != float:
            values = values.astype(float)
        attrs_of = {"units": var.units, "description": var.documentation}
        variables[var.name] = xr.Variable(dims, values, attrs_of, fastpath=True)
    status = np.where(np.isnan(failed_at), 0, 1).astype(np.int8)
    status_attrs = {
        "flag_values": [0, 1],
        "flag_meanings": "success non_finite_state",
        "long_name": "integration status of each member",
    }
    time_attrs = {"long_name": "first save time with a non-finite state (NaN: none)"}
    if ensemble:
        variables["status"] = xr.Variable(("member",), status, status_attrs)
        variables["failure_time"] = xr.Variable(("member",), failed_at, time_attrs)
    else:
        variables["status"] = xr.Variable((), status[0], status_attrs)
        variables["failure_time"] = xr.Variable((), failed_at[0], time_attrs)
    failed = [int(m) for m in np.flatnonzero(status)]
    return assemble(variables, coords, {**attrs, "failed_members": str(failed)})


_COORDINATES: dict = {}
COORDINATES_KEPT = 32
"""Coordinate sets :func:`coordinates` remembers (then it starts over)."""


def coordinates(coords: dict) -> tuple[dict, dict]:
    """Coordinate variables and indexes of ``xr.Coordinates(coords)``, remembered:
    building the pandas indexes of a run's time, member and subscript coordinates took
    a fifth of turning a run into a Dataset.

    Each call returns its own shallow copies of the coordinate variables, so a change to
    one Dataset's coordinate attributes does not reach another's (the indexes, which
    are immutable, are shared).
    """
    key = tuple((name, tuple(np.asarray(values).tolist())) for name, values in coords.items())
    variables, indexes = remember(_COORDINATES, key, lambda: _made(coords), COORDINATES_KEPT)
    return {name: variable.copy(deep=False) for name, variable in variables.items()}, indexes


def _made(coords: dict) -> tuple[dict, dict]:
    made = xr.Coordinates(coords)
    return dict(made.variables), dict(made.xindexes)


def assemble(variables: dict, coords: dict, attrs: dict) -> xr.Dataset:
    """``xr.Dataset(variables, coords=coords, attrs=attrs)``, without its merge.

    The public constructor aligns and copies every variable (about 5 ms for the 400
    variables of a model run, a fifth of a single run on the virtual machine). Here
    the variables are consistent by construction, so the Dataset is built directly,
    after checking what the merge would: every dim has one length, and no variable
    shares a coordinate's name. Anything else (or an xarray without the direct
    constructor) goes through the public constructor, which raises its own errors.

    Parameters
    ----------
    variables : dict of str to xarray.Variable
    coords : dict
        Dimension name -> coordinate values (one-dimensional).
    attrs : dict
    """
    construct = getattr(xr.Dataset, "_construct_direct", None)
    if construct is None or set(variables) & set(coords):
        return xr.Dataset(variables, coords=coords, attrs=attrs)
    coordinate_variables, indexes = coordinates(coords)
    everything = {**coordinate_variables, **variables}
    lengths: dict = {}
    for variable in everything.values():
        for dim, length in zip(variable.dims, variable.shape, strict=True):
            if lengths.setdefault(dim, length) != length:
                return xr.Dataset(variables, coords=coords, attrs=attrs)
    if set(lengths) - set(coords):  # a dim without a coordinate: let xarray decide
        return xr.Dataset(variables, coords=coords, attrs=attrs)
    return construct(everything, set(coordinate_variables), lengths, attrs, dict(indexes))


def to_table(dataset: xr.Dataset) -> pd.DataFrame:
    """Flatten a single-run Dataset like PySD and Vensim do: ``Name[a,b]`` columns, Time index."""
    columns = {}
    for name, array in dataset.data_vars.items():
        if "time" not in array.dims:
            continue
        other = [d for d in array.dims if d != "time"]
        if not other:
            columns[name] = array.values
            continue
        stacked = array.transpose("time", *other)
        flat = stacked.values.reshape(len(stacked["time"]), -1)
        cells = pd.MultiIndex.from_product([stacked[d].values for d in other])
        for j, cell in enumerate(cells):
            columns[f"{name}[{','.join(map(str, cell))}]"] = flat[:, j]
    frame = pd.DataFrame(columns, index=pd.Index(dataset["time"].values, name="Time"))
    return frame
