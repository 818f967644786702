"""Tables of the headline changes for every district and every region (long format)."""

import pandas as pd

from renaissance.metrics.changes import DEFAULT_WINDOWS, change, check_window
from renaissance.metrics.quantities import QUANTITIES
from renaissance.metrics.trajectories import bellandi_trajectory, gvc_model


def _long(values, dim):
    """A DataArray over ``scenario`` (maybe ``member``) and ``dim`` as a Series."""
    if "member" in values.dims:
        values = values.median("member")
    if "scenario" not in values.dims:
        values = values.expand_dims(scenario=["run"])
    return values.transpose("scenario", dim).to_series()


def territorial_table(results, scale, windows=DEFAULT_WINDOWS):
    """Percent changes of the four quantities for every district or region.

    Parameters
    ----------
    results : xarray.Dataset
        Results (dims ``scenario`` optional, ``member`` summarised by its median).
    scale : {"district", "region"}
    windows : sequence of (float, float)
        Windows of the changes; for districts the Bellandi trajectory uses the last
        window and the GVC model its last year.

    Returns
    -------
    pandas.DataFrame
        Index (``scenario``, ``District`` or ``Region``), one row per scenario and
        territory; columns ``{quantity} change {start}–{end} (%)`` and, for districts of
        results without members, ``Bellandi trajectory {start}–{end}`` and
        ``GVC model {end}`` (classes of an ensemble are counted by the registry).
    """
    if scale not in ("district", "region"):
        raise ValueError(f"scale {scale!r} is not one of ('district', 'region')")
    dim = "District" if scale == "district" else "Region"
    windows = [check_window(window) for window in windows]
    columns = {}
    for window in windows:
        for quantity in QUANTITIES:
            name = f"{quantity} change {window[0]:g}–{window[1]:g} (%)"
            columns[name] = _long(change(results, quantity, scale, window), dim)
    if scale == "district" and "member" not in results.dims:
        last = windows[-1]
        columns[f"Bellandi trajectory {last[0]:g}–{last[1]:g}"] = _long(
            bellandi_trajectory(results, last), dim
        )
        columns[f"GVC model {last[1]:g}"] = _long(gvc_model(results, last[1]), dim)
    table = pd.DataFrame(columns)
    table.index = table.index.set_names(["scenario", dim])
    return table
