"""Figures of a comparison: national paths, district small multiples, metric bars.

Every function returns a matplotlib ``Figure`` made without pyplot (so no GUI backend is
ever chosen and nothing is shown or kept in a global registry); the caller
saves it (:func:`save_figure` writes PNG and SVG). Scenario colours are fixed by the
order of the ``scenario`` dim, so every figure uses the same colour for a scenario; a
scenario named "baseline …" is drawn black and dashed.
"""

import math
import textwrap

import numpy as np
from matplotlib.figure import Figure

from renaissance.metrics import quantity_path, value_at

PANEL_UNITS = {
    "employment": (1e-6, "million persons"),  # thousands where the values are below a million
    "exports": (1e-3, "bn € / year (constant prices)"),
    "value added": (1e-3, "bn € / year (constant prices)"),
    "composite capital": (1.0, "index (1 = reference district 1991)"),
}
"""Display scale and axis label of each quantity."""

_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"]
"""Okabe-Ito colours (distinguishable with common colour-vision deficiencies)."""


def scenario_names(results):
    """Scenario names in dim order (``["run"]`` for a single run)."""
    if "scenario" not in results.dims:
        return ["run"]
    return [str(name) for name in results["scenario"].values]


def scenario_styles(results):
    """Line style of each scenario: ``{name: dict(color=..., linestyle=..., linewidth=...)}``."""
    styles = {}
    colours = iter(_PALETTE * 4)
    for name in scenario_names(results):
        if name.lower().startswith("baseline"):
            styles[name] = {"color": "black", "linestyle": "--", "linewidth": 1.6}
        else:
            styles[name] = {"color": next(colours), "linestyle": "-", "linewidth": 1.8}
    return styles


def policy_start_year(results):
    """First year of new policy in any scenario, or None.

    Parameters
    ----------
    results : xarray.Dataset
        Results with ``Policy Budget`` and ``Policy Start Year`` (model constants) or at
        least ``Public Policy Spending`` (M€/year).

    Returns
    -------
    float or None
        The earliest ``Policy Start Year`` of an instrument with a positive budget; if
        the constants are missing, the first saved year with positive spending (a ramp
        makes that later than the start); None without new policy.
    """
    if {"Policy Budget", "Policy Start Year"} <= set(results.data_vars):
        budget, start = results["Policy Budget"], results["Policy Start Year"]
        if "time" in budget.dims:
            budget, start = budget.isel(time=0), start.isel(time=0)
        starts = start.where(budget > 0).values
        return float(np.nanmin(starts)) if np.isfinite(starts).any() else None
    if "Public Policy Spending" not in results.data_vars:
        return None
    spending = results["Public Policy Spending"]
    active = (spending > 0).any([dim for dim in spending.dims if dim != "time"])
    years = spending["time"].values[active.values]
    return float(years[0]) if years.size else None


def _per_scenario(values, results):
    """Yield (name, 1-d path over time) per scenario; members shown as their median
    (:func:`_bands` gives their 5th-95th percentiles)."""
    if "member" in values.dims:
        values = values.median("member")
    if "scenario" not in values.dims:
        yield "run", values
        return
    for name in scenario_names(results):
        yield name, values.sel(scenario=name)


def member_quantiles(values, quantiles=(0.05, 0.95)):
    """``(low, high)``: quantiles over ``member`` (numpy at once, much faster than
    xarray's per-call quantile on the many small selections of the small multiples)."""
    axis = values.get_axis_num("member")
    low, high = np.quantile(values.values, quantiles, axis=axis)
    template = values.isel(member=0, drop=True)
    return template.copy(data=low), template.copy(data=high)


def _bands(values, results, quantiles=(0.05, 0.95), precomputed=None):
    """``{name: (low, high)}`` paths over members per scenario ({} without members)."""
    if "member" not in values.dims or values.sizes["member"] < 2:
        return {}
    low, high = precomputed or member_quantiles(values, quantiles)
    if "scenario" not in values.dims:
        return {"run": (low, high)}
    return {
        name: (low.sel(scenario=name), high.sel(scenario=name)) for name in scenario_names(results)
    }


def _draw_paths(axis, values, results, styles, factor=1.0, precomputed=None):
    """Median line per scenario, with its 5th-95th percentile band if there are members.

    ``precomputed``: ``(low, high)`` of ``values`` from :func:`member_quantiles`."""
    bands = _bands(values, results, precomputed=precomputed)
    start = policy_start_year(results)
    for name, (low, high) in bands.items():
        low, high = _from_policy_start(name, low, high, start, styles)
        colour = styles[name]["color"]
        axis.fill_between(
            low["time"], low * factor, high * factor, color=colour, alpha=0.12, linewidth=0
        )
    for name, path in _baseline_last(_per_scenario(values, results), styles):
        axis.plot(path["time"], path * factor, label=name, **styles[name])
    return bool(bands)


def _from_policy_start(name, low, high, start, styles):
    """The band of a policy scenario from the policy start on (before it, every scenario
    runs the same members through the same history, and overlaid bands only add mud);
    the baseline's band is drawn whole."""
    if start is None or styles[name]["color"] == "black":
        return low, high
    inside = low["time"] >= start - 1e-9
    return low.where(inside), high.where(inside)


def _draw_median_and_band(axis, median, band, results, styles):
    """Like :func:`_draw_paths` from a median path and its ``(low, high)`` band."""
    low, high = band
    start = policy_start_year(results)
    for name in scenario_names(results):
        shown_low, shown_high = _from_policy_start(
            name, low.sel(scenario=name), high.sel(scenario=name), start, styles
        )
        axis.fill_between(
            shown_low["time"],
            shown_low,
            shown_high,
            color=styles[name]["color"],
            alpha=0.12,
            linewidth=0,
        )
    paths = [(name, median.sel(scenario=name)) for name in scenario_names(results)]
    for name, path in _baseline_last(paths, styles):
        axis.plot(path["time"], path, label=name, **styles[name])


def _mark_policy_start(axis, start):
    if start is not None:
        axis.axvline(start, color="grey", linestyle=":", linewidth=1.2)
        axis.annotate(
            f"policy start {start:g}",
            xy=(start, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
            color="dimgrey",
        )


def _legend_below(figure, axes, results):
    """One legend for the figure, below the panels, scenarios in their dim order."""
    handles = dict(zip(*reversed(axes[0].get_legend_handles_labels()), strict=True))
    labels = [name for name in scenario_names(results) if name in handles]
    figure.legend(
        [handles[name] for name in labels],
        labels,
        loc="lower center",
        ncol=2 if len(labels) > 2 else max(len(labels), 1),
        frameon=False,
        fontsize=9,
    )


def _baseline_last(paths, styles):
    """Paths in drawing order: the baseline last, so its dashed line stays visible."""
    return sorted(paths, key=lambda item: styles[item[0]]["color"] == "black")


def national_figure(results, quantity):
    """Paths of one quantity for the nation and for all districts, one line per scenario.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results.
    quantity : {"employment", "exports", "value added", "composite capital"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (nation, all modelled districts), shared legend below, policy start
        marked with a dotted line.
    """
    scale, unit = PANEL_UNITS[quantity]
    styles = scenario_styles(results)
    start = policy_start_year(results)
    figure = Figure(figsize=(11, 4.8))
    axes = figure.subplots(1, 2)
    titles = {
        "nation": f"National manufacturing: {quantity}",
        "districts": f"All modelled districts: {quantity}",
    }
    if quantity == "composite capital":
        titles["districts"] += "\n(mean of districts weighted by first-year employment)"
    for axis, (where, title) in zip(axes, titles.items(), strict=True):
        path = quantity_path(results, quantity, where)
        panel_scale, panel_unit = scale, unit
        if quantity == "employment" and float(path.max()) < 1e6:
            panel_scale, panel_unit = 1e-3, "thousand persons"
        if quantity == "composite capital" and where == "nation":
            panel_unit = "index (1991 = 1)"  # National Composite Capital Index, §3.13
        banded = _draw_paths(axis, path, results, styles, panel_scale)
        _mark_policy_start(axis, start)
        axis.set_title(title, fontsize=10)
        axis.set_xlabel("year")
        axis.set_ylabel(panel_unit)
        axis.grid(alpha=0.3)
    suffix = (
        f" (median and 5th–95th percentile band over {results.sizes['member']} members)"
        if banded
        else ""
    )
    figure.suptitle(f"{quantity.capitalize()}, by scenario{suffix}", fontsize=12)
    figure.tight_layout(rect=(0, 0.12, 1, 0.95))
    _legend_below(figure, axes, results)
    return figure


def district_index_figure(results, base_year, years_before=10, largest=30):
    """Employment index of every district (base year = 100), one line per scenario.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results with ``District Manufacturing Employment`` (person).
    base_year : float
        Saved year in which the index is 100.
    years_before : float
        Years shown before ``base_year`` (year). The figure is about the policy period;
        the whole history would stretch the shared axis (some districts had 8 times
        their 2025 employment in 1991).
    largest : int
        At most this many panels: the districts with the most employment in the first
        saved year (the national roster has 141 districts); the title says so.

    Returns
    -------
    matplotlib.figure.Figure
        Small multiples, one panel per district, shared axes.
    """
    employment = quantity_path(results, "employment", "district")
    index = 100.0 * employment / value_at(employment, base_year)
    index = index.sel(time=index["time"] >= base_year - years_before - 1e-9)
    first_year = employment.isel(time=0)
    for dim in ("scenario", "member"):
        if dim in first_year.dims:
            first_year = first_year.isel({dim: 0})
    order = np.argsort(-first_year.values, kind="stable")
    shown = sorted(order[:largest]) if len(order) > largest else range(len(order))
    districts = [str(results["District"].values[position]) for position in shown]
    columns = 5
    rows = math.ceil(len(districts) / columns)
    figure = Figure(figsize=(13, 2.3 * rows + 1.2))
    axes = np.atleast_1d(figure.subplots(rows, columns, sharex=True, sharey=True)).ravel()
    styles = scenario_styles(results)
    start = policy_start_year(results)
    quantiles = member_quantiles(index) if "member" in index.dims else None
    medians = index.median("member") if "member" in index.dims else None
    for axis, district in zip(axes, districts, strict=False):
        precomputed = (
            None if quantiles is None else tuple(q.sel(District=district) for q in quantiles)
        )
        values = index.sel(District=district)
        if medians is not None:
            # the median line from the precomputed medians, the band from the quantiles
            _draw_median_and_band(
                axis, medians.sel(District=district), precomputed, results, styles
            )
        else:
            _draw_paths(axis, values, results, styles)
        axis.axhline(100, color="grey", linewidth=0.6)
        if start is not None:
            axis.axvline(start, color="grey", linestyle=":", linewidth=1)
        axis.set_title(district, fontsize=9)
        axis.grid(alpha=0.3)
        axis.tick_params(labelsize=8)
    for axis in axes[len(districts) :]:
        axis.set_visible(False)
    for axis in axes[::columns]:
        axis.set_ylabel(f"index, {base_year:g} = 100", fontsize=8)
    title = (
        f"District manufacturing employment, index {base_year:g} = 100 (dotted line: policy start)"
    )
    if results.sizes.get("member", 1) > 1:
        title += f"\nmedian and 5th–95th percentile band over {results.sizes['member']} members"
    if len(districts) < results.sizes["District"]:
        title += f"\nthe {len(districts)} largest of {results.sizes['District']} districts"
    figure.suptitle(title, fontsize=12)
    figure.supxlabel("year", fontsize=9, y=0.065)
    figure.tight_layout(rect=(0, 0.07, 1, 0.97))
    _legend_below(figure, axes, results)
    return figure


def metric_bars_figure(table, columns):
    """Horizontal bars of chosen headline-table columns, one bar per scenario.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`renaissance.metrics.headline_table`.
    columns : sequence of str
        Column names of ``table`` (their units are in the names).

    Returns
    -------
    matplotlib.figure.Figure
        One panel per column; a bar that is not defined (NaN) is labelled "n/a".
    """
    scenarios = [str(name) for name in table.index]
    colours = {}
    palette = iter(_PALETTE * 4)
    for name in scenarios:
        colours[name] = "dimgrey" if name.lower().startswith("baseline") else next(palette)
    count = len(columns)
    panel_columns = 2 if count > 1 else 1
    rows = math.ceil(count / panel_columns)
    figure = Figure(figsize=(12, 0.45 * len(scenarios) * rows + 1.4 * rows + 0.6))
    axes = np.atleast_1d(figure.subplots(rows, panel_columns)).ravel()
    positions = np.arange(len(scenarios))
    for axis, column in zip(axes, columns, strict=False):
        values = table[column].to_numpy(dtype=float)
        shown = np.nan_to_num(values, nan=0.0)
        axis.barh(positions, shown, color=[colours[name] for name in scenarios])
        for position, value in zip(positions, values, strict=True):
            text = "n/a" if np.isnan(value) else f"{value:,.1f}"
            axis.annotate(
                text,
                xy=(0 if np.isnan(value) else value, position),
                xytext=(3 if np.isnan(value) or value >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if np.isnan(value) or value >= 0 else "right",
                va="center",
                fontsize=8,
            )
        axis.axvline(0, color="black", linewidth=0.8)
        axis.set_yticks(positions, [_wrap(name, 28) for name in scenarios], fontsize=8)
        axis.invert_yaxis()
        axis.set_title(column, fontsize=9)
        axis.grid(axis="x", alpha=0.3)
        axis.margins(x=0.2)
    for axis in axes[count:]:
        axis.set_visible(False)
    figure.tight_layout()
    return figure


def _wrap(text, width):
    return "\n".join(textwrap.wrap(text, width)) or text


def save_figure(figure, directory, stem):
    """Write ``stem.png`` (150 dpi) and ``stem.svg`` into ``directory``.

    Returns
    -------
    dict
        ``{"png": Path, "svg": Path}``.
    """
    paths = {}
    for extension in ("png", "svg"):
        path = directory / f"{stem}.{extension}"
        figure.savefig(path, dpi=150 if extension == "png" else None)
        paths[extension] = path
    return paths
