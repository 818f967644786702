"""Paths of the headline quantities at each territorial scale.

A *quantity* (employment, exports, value added, composite capital) is read from the
model's reporting variables (docs/model.md §3.16) and aggregated to a *scale*:

========== ===================================================================
scale      meaning
========== ===================================================================
district   one value per district (dim ``District``)
region     the districts of each region together (dim ``Region``)
districts  all modelled districts together (no territorial dim)
nation     national manufacturing, districts and the rest (no territorial dim)
========== ===================================================================

Extra dims of the input (``scenario``, ``member``) are kept.
"""

QUANTITIES = ("employment", "exports", "value added", "composite capital")
"""Names of the headline quantities, in table order."""

SCALES = ("district", "region", "districts", "nation")
"""Names of the territorial scales, smallest first."""

UNITS = {
    "employment": "person",
    "exports": "M€/year",
    "value added": "M€/year",
    "composite capital": "Dmnl",
}
"""Units of each quantity at every scale (the model's units)."""

_DISTRICT_VARIABLES = {
    "employment": "District Manufacturing Employment",
    "exports": "District Exports",
    "value added": "District Value Added",
    "composite capital": "Composite Capital Index",
}
_REGION_VARIABLES = {
    "employment": "Regional District Employment",
    "exports": "Regional District Exports",
}
_DISTRICTS_VARIABLES = {
    "employment": "Total District Manufacturing Employment",
    "exports": "Total District Exports",
}
_NATION_VARIABLES = {
    "employment": "National Manufacturing Employment",
    "exports": "National Manufacturing Exports",
    "composite capital": "National Composite Capital Index",
}


def _variable(results, name):
    if name not in results.data_vars:
        raise ValueError(
            f"the results have no variable {name!r}; metrics need the model's reporting "
            "variables (docs/model.md §3.16)"
        )
    return results[name]


def _check(quantity, scale):
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity {quantity!r} is not one of {QUANTITIES}")
    if scale not in SCALES:
        raise ValueError(f"scale {scale!r} is not one of {SCALES}")


def initial_employment_weights(results):
    """Each district's share of district employment in the first saved year.

    Parameters
    ----------
    results : xarray.Dataset
        Model results with ``District Manufacturing Employment`` (person).

    Returns
    -------
    xarray.DataArray
        Weights (Dmnl) over ``District`` (plus any ``scenario``/``member`` dims), summing
        to 1 over districts. Fixed weights keep the comparison across scenarios about the
        districts' capital, not about how employment moved between them.
    """
    employment = _variable(results, "District Manufacturing Employment").isel(time=0)
    return employment / employment.sum("District")


def _region_sum(values, results):
    membership = _variable(results, "Region Membership")
    if "time" in membership.dims:
        membership = membership.isel(time=0, drop=True)
    for dim in ("scenario", "member"):
        if dim in membership.dims:
            membership = membership.isel({dim: 0}, drop=True)
    return (values * membership).sum("District")


def quantity_path(results, quantity, scale):
    """Path over time of one headline quantity at one scale.

    Parameters
    ----------
    results : xarray.Dataset
        Model results with dim ``time`` (year) and the reporting variables.
    quantity : {"employment", "exports", "value added", "composite capital"}
        Manufacturing employment (person), exports (M€/year), value added (M€/year) or
        the composite capital index (Dmnl, 1 = reference district of 1991).
    scale : {"district", "region", "districts", "nation"}
        Territorial scale (see the module docstring).

    Returns
    -------
    xarray.DataArray
        Dims ``time`` plus ``District`` or ``Region`` for those scales, plus any extra
        dims of ``results``; ``attrs["units"]`` set.

    Notes
    -----
    Value added of a region or of all districts is the sum over its districts; national
    value added adds ``Non District Value Added``. Composite capital of a region or of
    all districts is the mean of ``Composite Capital Index`` weighted by each district's
    employment in the first saved year (:func:`initial_employment_weights`); the nation
    uses ``National Composite Capital Index`` (docs/model.md §3.13).
    """
    _check(quantity, scale)
    if scale == "district":
        values = _variable(results, _DISTRICT_VARIABLES[quantity])
    elif quantity == "composite capital" and scale != "nation":
        weights = initial_employment_weights(results)
        weighted = _variable(results, "Composite Capital Index") * weights
        if scale == "region":
            values = _region_sum(weighted, results) / _region_sum(weights, results)
        else:
            values = weighted.sum("District")
    elif scale == "region":
        if quantity in _REGION_VARIABLES:
            values = _variable(results, _REGION_VARIABLES[quantity])
        else:
            values = _region_sum(_variable(results, _DISTRICT_VARIABLES[quantity]), results)
    elif scale == "districts":
        if quantity in _DISTRICTS_VARIABLES:
            values = _variable(results, _DISTRICTS_VARIABLES[quantity])
        else:
            values = _variable(results, _DISTRICT_VARIABLES[quantity]).sum("District")
    elif quantity == "value added":
        values = _variable(results, "District Value Added").sum("District") + _variable(
            results, "Non District Value Added"
        )
    else:
        values = _variable(results, _NATION_VARIABLES[quantity])
    values = values.copy()
    values.attrs = {"units": UNITS[quantity], "description": f"{quantity}, {scale} scale"}
    values.name = f"{scale} {quantity}"
    return values


def value_at(values, year):
    """Values in one saved year.

    Parameters
    ----------
    values : xarray.DataArray
        A path with dim ``time`` (year).
    year : float
        A saved year.

    Returns
    -------
    xarray.DataArray
        ``values`` without the ``time`` dim.

    Raises
    ------
    ValueError
        If ``year`` is not a saved time (within 1e-6 year).
    """
    times = values["time"].values
    matches = abs(times - float(year)) < 1e-6
    if not matches.any():
        raise ValueError(
            f"year {year} is not a saved time of the results "
            f"({times[0]:g} to {times[-1]:g}, step {times[1] - times[0]:g})"
        )
    return values.isel(time=int(matches.argmax()), drop=True)
