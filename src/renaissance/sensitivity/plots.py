"""Figures of a study: index bars, Morris screening plots, fan charts, differences.

Every function draws on a matplotlib ``Axes`` (a new figure when none is given) and
returns the ``Figure``; nothing is shown or saved here.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def _axes(ax, size=(7.0, 4.0)):
    import matplotlib.pyplot as plt

    if ax is None:
        figure, ax = plt.subplots(figsize=size, layout="constrained")
        return figure, ax
    return ax.figure, ax


def plot_indices(indices: xr.Dataset, output: str, ax=None, top: int = 15):
    """Horizontal bars of the indices of one output, largest first.

    Sobol/eFAST: S1 and ST with their confidence half-widths; RBD-FAST: S1; Morris:
    mu* with its confidence half-width. At most ``top`` parameters are drawn.
    """
    selected = indices.sel(output=output)
    if "time" in selected.dims:
        raise ValueError("indices over time: select a time first (indices.sel(time=...))")
    if "mu_star" in selected:
        bars = [("mu_star", "mu_star_conf", "μ* (mean |elementary effect|)")]
    elif "ST" in selected:
        bars = [("S1", "S1_conf", "S1 (first order)"), ("ST", "ST_conf", "ST (total)")]
    else:
        bars = [("S1", "S1_conf", "S1 (first order)")]
    key = np.nan_to_num(selected[bars[-1][0]].values, nan=-np.inf)
    order = np.argsort(-key, kind="stable")[:top][::-1]
    names = [str(n) for n in selected["parameter"].values[order]]
    figure, ax = _axes(ax, (7.0, 0.9 + 0.32 * len(names) * len(bars)))
    height = 0.8 / len(bars)
    positions = np.arange(len(names))
    for i, (value, conf, label) in enumerate(bars):
        ax.barh(
            positions + (i - (len(bars) - 1) / 2) * height,
            selected[value].values[order],
            height=height,
            xerr=selected[conf].values[order],
            label=label,
            capsize=2,
        )
    ax.set_yticks(positions, names, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_title(
        f"{output}: {indices.attrs.get('method', '')} "
        f"(N = {indices.attrs.get('samples', '?')}, "
        f"{indices.attrs.get('runs', '?')} runs)",
        fontsize=9,
    )
    ax.legend(fontsize=8, loc="lower right")
    return figure


def plot_indices_over_time(
    indices: xr.Dataset, output: str, index: str = "ST", ax=None, top: int = 6
):
    """Lines of one index per year for the ``top`` parameters of its final year."""
    selected = indices[index].sel(output=output)
    final = np.nan_to_num(selected.isel(time=-1).values, nan=-np.inf)
    figure, ax = _axes(ax)
    for position in np.argsort(-final, kind="stable")[:top]:
        line = selected.isel(parameter=position)
        ax.plot(line["time"], line, label=str(line["parameter"].values))
    ax.set_xlabel("year")
    ax.set_ylabel(index)
    ax.set_title(f"{output}: {index} per year", fontsize=9)
    ax.legend(fontsize=7)
    return figure


def plot_fan_chart(bands: xr.DataArray, ax=None, color: str = "C0", label: str | None = None):
    """Shaded percentile bands over time, widest outermost, the median as a line.

    Parameters
    ----------
    bands : xarray.DataArray, dims (percentile, time)
        From :func:`~renaissance.sensitivity.bands.uncertainty_bands`; percentiles
        paired from the outside in (5-95, 25-75 …).
    """
    if set(bands.dims) != {"percentile", "time"}:
        raise ValueError(f"a fan chart needs dims (percentile, time), got {bands.dims}")
    levels = list(np.asarray(bands["percentile"].values, dtype=float))
    figure, ax = _axes(ax)
    times = bands["time"].values
    low, high = 0, len(levels) - 1
    shade = 0.15
    while low < high:
        ax.fill_between(
            times,
            bands.sel(percentile=levels[low]),
            bands.sel(percentile=levels[high]),
            color=color,
            alpha=shade,
            linewidth=0,
            label=f"{levels[low]:g}-{levels[high]:g}th percentile",
        )
        low, high, shade = low + 1, high - 1, shade + 0.15
    if 50.0 in levels:
        ax.plot(times, bands.sel(percentile=50.0), color=color, label=label or "median")
    ax.set_xlabel("year")
    ax.set_ylabel(f"{bands.name} [{bands.attrs.get('units', '')}]", fontsize=8)
    ax.set_title(f"{bands.name}: {bands.attrs.get('members', '?')} runs", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return figure


def plot_difference(comparison, ax=None):
    """Histogram of A - B over the runs, with zero marked."""
    values = comparison.difference.values
    values = values[np.isfinite(values)]
    figure, ax = _axes(ax)
    ax.hist(values, bins=min(40, max(5, values.size // 10)), color="C2")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(
        f"{comparison.first} - {comparison.second} [{comparison.difference.attrs.get('units', '')}]"
    )
    ax.set_ylabel("runs")
    ax.set_title(
        f"{comparison.output}: {comparison.first} better in {100 * comparison.share:.0f}% of runs",
        fontsize=9,
    )
    return figure
