"""Uncertainty bands: percentiles of an output over a sampled ensemble (fan charts)."""

from __future__ import annotations

import numpy as np
import xarray as xr

DEFAULT_PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)


def uncertainty_bands(
    values: xr.DataArray | xr.Dataset, percentiles=DEFAULT_PERCENTILES
) -> xr.DataArray | xr.Dataset:
    """Percentiles over the ``member`` dim, ignoring failed (NaN) runs.

    Parameters
    ----------
    values : xarray.DataArray or xarray.Dataset
        Outputs with a ``member`` dim (e.g. from :func:`~renaissance.sensitivity.evaluate`;
        ``status`` is dropped).
    percentiles : sequence of float
        Percentiles in [0, 100].

    Returns
    -------
    xarray.DataArray or xarray.Dataset
        The member dim replaced by ``percentile``; units kept; ``attrs["members"]``
        says how many runs had a value.
    """
    levels = np.asarray(percentiles, dtype=float)
    if levels.ndim != 1 or not levels.size or np.any((levels < 0) | (levels > 100)):
        raise ValueError(f"percentiles must be numbers in [0, 100], got {percentiles!r}")
    if isinstance(values, xr.Dataset):
        names = [n for n in values.data_vars if n != "status"]
        return xr.Dataset({n: uncertainty_bands(values[n], levels) for n in names})
    if "member" not in values.dims:
        raise ValueError(f"{values.name!r} has no member dim (dims {values.dims})")
    data = values.transpose("member", ...).values
    with np.errstate(all="ignore"):
        bands = (
            np.nanpercentile(data, levels, axis=0)
            if np.isfinite(data).any()
            else (np.full((levels.size, *data.shape[1:]), np.nan))
        )
    dims = ("percentile", *[d for d in values.transpose("member", ...).dims[1:]])
    coords = {d: values[d] for d in dims[1:] if d in values.coords}
    coords["percentile"] = levels
    result = xr.DataArray(bands, dims=dims, coords=coords, name=values.name)
    result.attrs = {
        **values.attrs,
        "members": int(np.isfinite(data).reshape(data.shape[0], -1).all(1).sum()),
    }
    return result
