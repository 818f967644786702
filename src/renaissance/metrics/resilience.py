"""Resilience after a shock: how deep a path falls and how long it takes to recover.

Definition (docs/results.md, "Resilience"). Let ``x(t)`` be the path of a quantity,
``t0`` the first year of the shock and ``r(t)`` the reference: either a reference path
(the same scenario without the shock, or a baseline) or, when none is given, the level in
the last saved year before ``t0`` held constant. Over the saved years ``t ≥ t0``:

- the *relative gap* is ``g(t) = 1 − x(t) / r(t)`` (a fraction; positive when the path
  is below its reference);
- the *depth* is ``max(0, max_t g(t))``, the largest relative fall;
- the *trough year* is the first year in which the gap reaches that maximum;
- the *recovery time* is the first saved year at or after the trough in which
  ``g(t) ≤ tolerance``, minus ``t0`` (years). It is NaN when the path does not recover
  within the horizon, and 0 when it never falls more than ``tolerance`` below the
  reference.

This follows the "resistance" (depth) and "recovery" dimensions of regional economic
resilience (Martin 2012, *J. Econ. Geogr.* 12(1), 1–32, doi:10.1093/jeg/lbr019), which
seed 004 (question 1) asks smart-specialisation policies to raise; seed 000 names
entrepreneurial confidence as the district's factor of resilience.
"""

import numpy as np
import xarray as xr

from renaissance.metrics.quantities import quantity_path

SHOCKS = (
    ("World Demand Shock Size", "World Demand Shock Start"),
    ("District Demand Shock Size", "District Demand Shock Start"),
    ("Low Cost Shock Size", "Low Cost Shock Start"),
    ("Confidence Shock Size", "Confidence Shock Start"),
)
"""Scenario shocks of the model: (size variable, start variable)."""


def _reduce_recovery(gap, times, starts, tolerance):
    """Depth, trough year and recovery time along the last axis of ``gap``.

    ``starts`` has the shape of ``gap`` without its last axis (one shock start per
    element; NaN: no shock, all outputs NaN).
    """
    after = times >= starts[..., None] - 1e-9
    gap_filled = np.where(after & ~np.isnan(gap), gap, -np.inf)
    trough_index = gap_filled.argmax(axis=-1)
    depth = np.maximum(0.0, np.take_along_axis(gap_filled, trough_index[..., None], -1)[..., 0])
    index = np.arange(times.size)
    recovered = after & (gap <= tolerance) & (index >= trough_index[..., None])
    first = recovered.argmax(axis=-1)
    recovery = np.where(recovered.any(axis=-1), times[first] - starts, np.nan)
    recovery = np.where(depth <= tolerance, 0.0, recovery)
    trough = times[trough_index]
    no_shock = np.isnan(starts)
    return (
        np.where(no_shock, np.nan, depth),
        np.where(no_shock, np.nan, trough),
        np.where(no_shock, np.nan, recovery),
    )


def _pre_shock_level(path, starts):
    """Level of ``path`` (time last) in the last saved year before each start."""
    times = path["time"].values.astype(float)
    positions = np.searchsorted(times, np.nan_to_num(starts, nan=times[-1]) - 1e-9) - 1
    if np.any(positions[~np.isnan(starts)] < 0):
        raise ValueError(
            "no saved year before the shock start: give a reference path "
            f"(first saved year {times[0]:g})"
        )
    positions = np.clip(positions, 0, None)
    return np.take_along_axis(path.values, positions[..., None], -1)[..., 0]


def resilience(path, shock_start, reference=None, tolerance=0.01):
    """Depth of the fall and time to recover after a shock.

    Parameters
    ----------
    path : xarray.DataArray
        A quantity over ``time`` (year), any other dims.
    shock_start : float or xarray.DataArray
        First year of the shock (year); a DataArray gives one start per element of
        ``path`` without ``time`` (broadcast; NaN: no shock, outputs NaN). With
        ``reference`` None a start must come after the first saved year.
    reference : xarray.DataArray or None
        Reference path broadcastable to ``path`` (same units). None: the level of
        ``path`` in the last saved year before the shock start.
    tolerance : float
        Relative gap (fraction) below which the path counts as recovered.

    Returns
    -------
    xarray.Dataset
        ``depth`` (Dmnl, fraction of the reference), ``trough_year`` (year) and
        ``recovery_years`` (year; NaN if not recovered by the last saved year), each
        with the dims of ``path`` except ``time``.
    """
    times = path["time"].values.astype(float)
    starts = xr.DataArray(shock_start) if not isinstance(shock_start, xr.DataArray) else shock_start
    starts = starts.astype(float)
    finite = starts.values[np.isfinite(starts.values)]
    if finite.size and not (times[0] <= finite.min() and finite.max() <= times[-1]):
        raise ValueError(
            f"shock start {finite.min():g}-{finite.max():g} is outside the saved years "
            f"{times[0]:g}-{times[-1]:g}"
        )
    path, starts = xr.broadcast(path, starts)
    path = path.transpose(..., "time")
    starts = starts.isel(time=0, drop=True) if "time" in starts.dims else starts
    starts = starts.transpose(*path.dims[:-1])
    if reference is None:
        level = _pre_shock_level(path, starts.values)
        gap_values = 1.0 - path.values / level[..., None]
    else:
        gap_values = (1.0 - path / reference).transpose(*path.dims).values
    depth, trough, recovery = _reduce_recovery(gap_values, times, starts.values, tolerance)
    dims = path.dims[:-1]
    coordinates = {name: path.coords[name] for name in dims if name in path.coords}
    return xr.Dataset(
        {
            "depth": (dims, depth, {"units": "Dmnl", "description": "largest relative fall"}),
            "trough_year": (dims, trough, {"units": "year"}),
            "recovery_years": (
                dims,
                recovery,
                {
                    "units": "year",
                    "description": f"years from shock start until the gap "
                    f"is at most {tolerance:g}; NaN if never",
                },
            ),
        },
        coords=coordinates,
    )


def shock_start_year(results):
    """First year of the earliest scenario shock in each scenario or member.

    Parameters
    ----------
    results : xarray.Dataset
        Model results carrying the shock parameters (``World Demand Shock Size`` ...).

    Returns
    -------
    xarray.DataArray
        Year (float) over the extra dims (``scenario``, ``member``); NaN where no shock of
        non-zero size is set. The built-in 2009 trade collapse and 2020 pandemic are part
        of every run's history and do not count.
    """
    starts = []
    for size_name, start_name in SHOCKS:
        if size_name not in results.data_vars:
            continue
        size, start = results[size_name], results[start_name]
        size = size.isel(time=0, drop=True) if "time" in size.dims else size
        start = start.isel(time=0, drop=True) if "time" in start.dims else start
        if "District" in size.dims:
            size = abs(size).max("District")
        starts.append(start.where(abs(size) > 0))
    if not starts:
        raise ValueError("the results carry none of the model's shock parameters")
    return xr.concat(starts, dim="shock").min("shock", skipna=True)


def resilience_after_own_shock(results, quantity="employment", scale="nation", tolerance=0.01):
    """Resilience of each scenario or member after its own shock, against the pre-shock level.

    Parameters
    ----------
    results : xarray.Dataset
        Results with the shock parameters (see :func:`shock_start_year`).
    quantity, scale : str
        See :func:`renaissance.metrics.quantity_path`; ``scale`` must be ``nation`` or
        ``districts`` (one path per scenario).
    tolerance : float
        See :func:`resilience`.

    Returns
    -------
    xarray.Dataset
        ``depth`` (Dmnl), ``trough_year`` and ``recovery_years`` (year) over the extra dims;
        NaN where a scenario or member has no shock.
    """
    if scale not in ("nation", "districts"):
        raise ValueError(f"scale {scale!r} must be 'nation' or 'districts'")
    starts = shock_start_year(results)
    if not np.isfinite(starts.values).any():
        nothing = xr.full_like(starts, np.nan, dtype=float)
        return xr.Dataset({"depth": nothing, "trough_year": nothing, "recovery_years": nothing})
    return resilience(quantity_path(results, quantity, scale), starts, tolerance=tolerance)
