"""Time-series overrides: a constant or auxiliary replaced by a series of values in time.

Same semantics as PySD's ``run(params={name: pandas.Series})``: the value at time ``t``
is the linear interpolation of the series between its two neighbouring times, held at
the first value before the first time and at the last value after the last time
(``numpy.interp``). The series is read at every evaluation time: the start of each Euler
step, every RK4 stage time, every time an adaptive method evaluates the right-hand side,
and at initialisation (the value at INITIAL TIME). Everything that depends on the
replaced variable is recomputed from it at those times.

One difference from PySD 3.14: for a series whose values are arrays, PySD interpolates
with ``xarray.DataArray.interp``, which gives NaN outside the series' time range; here
such a series is held at its end values like a scalar one.

Forms accepted (see :func:`to_series`): a ``pandas.Series`` of numbers (the same value
in every cell of a subscripted variable); a ``pandas.Series`` whose values are arrays
over the variable's dims or ``xarray.DataArray`` objects; a ``pandas.DataFrame`` with
one column per element of a 1-D subscripted variable; an ``xarray.DataArray`` with a
``time`` dim plus some or all of the variable's dims and, in ``run_ensemble``, a
``member`` dim giving each member its own series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from renaissance.engine import tape

TIMES = "$series-times:"
VALUES = "$series-values:"
SLOPES = "$series-slopes:"


@dataclass(frozen=True)
class TimeSeries:
    """A variable's values at given times, for every ensemble member.

    Attributes
    ----------
    name : str
        The variable's name (for messages).
    times : ndarray of shape (T,)
        Strictly increasing times, in the model's time unit.
    values : ndarray of shape (E or 1, T, *sizes)
        Values at ``times``; a leading axis of length 1 is shared by all members.
    """

    name: str
    times: np.ndarray
    values: np.ndarray

    @property
    def members(self) -> int:
        return self.values.shape[0]

    def cut(self, start: int, stop: int, members: int) -> TimeSeries:
        """The series of members ``start:stop`` (a shared series is kept)."""
        if self.members != members:
            return self
        return TimeSeries(self.name, self.times, self.values[start:stop])

    def environment(self, key: str) -> dict:
        """Arrays stored in the run environment for :func:`evaluator` of ``key``.

        The times get a leading axis of length 1 so that per-member slicing of the
        environment (adaptive integration member by member) leaves them whole; values
        and slopes (shape ``(E or 1, T - 1, *sizes)``) are sliced with the members.
        """
        with np.errstate(all="ignore"):
            slopes = np.diff(self.values, axis=1) / np.diff(self.times).reshape(
                (1, -1) + (1,) * (self.values.ndim - 2)
            )
        return {TIMES + key: self.times[None], VALUES + key: self.values, SLOPES + key: slopes}


def evaluator(key: str):
    """``f(env)`` giving the value of the series stored for ``key`` at ``env['time']``.

    Returns an array of shape ``(E or 1, *sizes)``: ``numpy.interp``'s formula
    ``slope * (t - t_i) + v_i`` inside the range, the end values outside it.
    """
    times_key, values_key, slopes_key = TIMES + key, VALUES + key, SLOPES + key

    def at_time(env):
        if tape.is_traced(env["time"]):
            return _traced_series(env["time"], env[times_key][0], env[values_key])
        t = float(env["time"][0])
        times = env[times_key][0]
        values = env[values_key]
        if t <= times[0]:
            return values[:, 0]
        if t >= times[-1]:
            return values[:, -1]
        i = int(np.searchsorted(times, t, side="right")) - 1
        return env[slopes_key][:, i] * (t - times[i]) + values[:, i]

    return at_time


def _traced_series(time, times: np.ndarray, values: np.ndarray):
    """The series at traced ``time``: interpolation rows over the variable's cells."""
    if values.shape[0] != 1:
        raise tape.TraceError("a time series that differs between members")
    rows = np.moveaxis(values, 1, -1)  # (1, *sizes, T)
    at = time.reshape((1,) * (rows.ndim - 1)) if rows.ndim > 2 else time
    return tape.interpolate(at, times, rows)


def is_series(value) -> bool:
    """Whether a user value is one of the time-series forms."""
    if isinstance(value, pd.Series | pd.DataFrame):
        return True
    return hasattr(value, "dims") and hasattr(value, "transpose") and "time" in value.dims


def _times(index, name: str) -> np.ndarray:
    try:
        times = np.asarray(index, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"time series for {name!r}: the time index must be numbers in the model's time "
            f"unit, got {getattr(index, 'dtype', type(index))}"
        ) from None
    if times.ndim != 1 or len(times) == 0:
        raise ValueError(f"time series for {name!r}: needs at least one time")
    if not np.isfinite(times).all():
        raise ValueError(f"time series for {name!r}: the time index has NaN or infinite times")
    if len(times) > 1 and not (np.diff(times) > 0).all():
        where = int(np.argmin(np.diff(times) > 0))
        raise ValueError(
            f"time series for {name!r}: times must be strictly increasing, but "
            f"{times[where]:g} is followed by {times[where + 1]:g}"
        )
    return times


def _ordered_elements(elements: list[str], given, name: str, dim: str) -> list[int]:
    """Positions in ``given`` of each element of ``dim``; refuses unknown or missing ones."""
    given = [str(g) for g in given]
    unknown = [g for g in given if g not in elements]
    missing = [e for e in elements if e not in given]
    if unknown or missing or len(set(given)) != len(given):
        parts = []
        if unknown:
            parts.append(f"unknown elements {unknown}")
        if missing:
            parts.append(f"missing elements {missing}")
        if len(set(given)) != len(given):
            parts.append("repeated elements")
        raise ValueError(
            f"time series for {name!r}: {', '.join(parts)} of {dim!r} (allowed: {elements})"
        )
    return [given.index(e) for e in elements]


def _from_data_array(plan, var, array, ensemble: bool) -> tuple[np.ndarray, np.ndarray]:
    name = var.name
    allowed = ("member", "time", *var.dims) if ensemble else ("time", *var.dims)
    extra = [d for d in array.dims if d not in allowed]
    if extra:
        hint = " (a member dim needs run_ensemble)" if "member" in extra else ""
        raise ValueError(
            f"time series for {name!r}: unknown dims {extra}; allowed {list(allowed)}{hint}"
        )
    for dim in var.dims:
        if dim in array.dims and dim in array.coords:
            elements = plan.subscripts.ranges[dim]
            positions = _ordered_elements(elements, array[dim].values, name, dim)
            array = array.isel({dim: positions})
    order = [d for d in ("member", "time", *var.dims) if d in array.dims]
    array = array.transpose(*order)
    if "time" not in array.coords:
        raise ValueError(f"time series for {name!r}: the 'time' dim needs coordinates (times)")
    times = _times(array["time"].values, name)
    values = np.asarray(array.values, dtype=float)
    if "member" not in array.dims:
        values = values[None]
    for dim in var.dims:
        if dim not in array.dims:
            values = np.expand_dims(values, 2 + var.dims.index(dim))
    return times, values


def _from_series(plan, var, series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    times = _times(series.index, var.name)
    cells = list(series.values)
    first = cells[0]
    if hasattr(first, "dims") and hasattr(first, "transpose"):  # xarray.DataArray values
        import xarray as xr

        stacked = xr.concat(cells, dim=pd.Index(times, name="time"))
        return _from_data_array(plan, var, stacked, ensemble=False)
    try:
        values = np.array([np.asarray(c, dtype=float) for c in cells])
    except (TypeError, ValueError):
        raise ValueError(
            f"time series for {var.name!r}: values must be numbers or arrays of numbers"
        ) from None
    if values.ndim == 1:  # one number per time: every cell
        values = values.reshape((1, len(times)) + (1,) * len(var.dims))
    else:
        values = values[None]
    return times, values


def _from_frame(plan, var, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if len(var.dims) != 1:
        raise ValueError(
            f"time series for {var.name!r}: a DataFrame (one column per element) fits only "
            f"a variable with one dim; {var.name!r} has dims {var.dims} (use an "
            f"xarray.DataArray with a 'time' dim)"
        )
    dim = var.dims[0]
    positions = _ordered_elements(plan.subscripts.ranges[dim], frame.columns, var.name, dim)
    times = _times(frame.index, var.name)
    try:
        values = np.asarray(frame.iloc[:, positions].to_numpy(), dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"time series for {var.name!r}: values must be numbers") from None
    return times, values[None]


def to_series(plan, var, value, ensemble: bool) -> TimeSeries:
    """Validate one user series for ``var`` and lay it out as a :class:`TimeSeries`.

    Parameters
    ----------
    plan : renaissance.engine.plan.Plan
    var : renaissance.engine.compiler.Variable
    value : pandas.Series, pandas.DataFrame or xarray.DataArray
        See the module docstring for the accepted forms.
    ensemble : bool
        True in ``run_ensemble`` (a DataArray may carry a ``member`` dim).

    Raises
    ------
    ValueError
        Naming the variable: times not strictly increasing or not numbers, NaN values,
        unknown or missing elements, dims or shapes that do not fit the variable.
    """
    if isinstance(value, pd.DataFrame):
        times, values = _from_frame(plan, var, value)
    elif isinstance(value, pd.Series):
        times, values = _from_series(plan, var, value)
    else:
        times, values = _from_data_array(plan, var, value, ensemble)
    sizes = plan.sizes(var.key)
    try:
        values = np.array(np.broadcast_to(values, (values.shape[0], len(times), *sizes)), order="C")
    except ValueError:
        raise ValueError(
            f"time series for {var.name!r}: values of shape {values.shape[2:]} per time do "
            f"not fit dims {var.dims} of sizes {sizes}"
        ) from None
    if np.isnan(values).any():
        where = float(
            times[
                np.isnan(values).any(axis=tuple(a for a in range(values.ndim) if a != 1)).argmax()
            ]
        )
        raise ValueError(f"time series for {var.name!r}: NaN value at time {where:g}")
    return TimeSeries(var.name, times, values)
