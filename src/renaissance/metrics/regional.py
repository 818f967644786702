"""The regional view of a comparison: each region's level in the end year against the reference."""

import warnings

import numpy as np
import pandas as pd

from renaissance.metrics.quantities import quantity_path, value_at

REGIONAL_QUANTITIES = {
    "employment": (1e-3, "thousand persons"),
    "exports": (1e-3, "bn€/year"),
}
"""Quantities of the regional view, with the factor to the shown units."""


def regional_table(results, reference, year):
    """Level of district employment and exports of every region in ``year``, per scenario.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results (dims ``scenario``, ``Region`` through the roster, optionally
        ``member``).
    reference : str
        Scenario the differences are measured against.
    year : float
        A saved year (the end of the comparison's last window).

    Returns
    -------
    pandas.DataFrame
        One row per quantity, region and scenario: ``quantity``, ``units``, ``Region``,
        ``scenario``, ``median`` (shown units), ``difference_percent`` (median over
        members of ``100 × (level − reference level) / reference level``, the same
        member in both).
    """
    rows = []
    for quantity, (scale, units) in REGIONAL_QUANTITIES.items():
        level = value_at(quantity_path(results, quantity, "region"), year)
        if "member" not in level.dims:
            level = level.expand_dims(member=[0])
        percent = 100.0 * (level / level.sel(scenario=reference) - 1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a region of zero employment
            medians = level.median("member")
            percents = percent.median("member")
        for region in level["Region"].values:
            for scenario in level["scenario"].values:
                rows.append(
                    {
                        "quantity": quantity,
                        "units": units,
                        "Region": str(region),
                        "scenario": str(scenario),
                        "median": float(medians.sel(Region=region, scenario=scenario)) * scale,
                        "difference_percent": float(percents.sel(Region=region, scenario=scenario)),
                    }
                )
    table = pd.DataFrame(rows)
    table["difference_percent"] = table["difference_percent"].replace([np.inf, -np.inf], np.nan)
    return table
