"""The analyst's answer: which mix wins on each headline metric, by how much, how surely.

For each headline metric (:data:`HEADLINE_METRICS`, levels in the end year of a window
and the cost per job over it) :func:`verdict` gives

- the ranking of the scenarios by the metric's median over the ensemble (better first,
  in the metric's direction: more jobs, more exports, lower cost per job);
- each scenario's difference from the reference scenario as the difference of *levels*
  in the end year (not the difference of each scenario's own growth), in the metric's
  units and in percent of the reference's level, computed member by member (the same
  parameter set in both scenarios) and summarised by the median and the 5th-95th
  percentiles;
- with an ensemble, :func:`pairwise_shares`: for every ordered pair (A, B) the share of
  members in which A beats B.

The reference itself is not ranked on cost per job (it spends nothing extra). A cost per
job that is not defined (no job gained against the reference) counts as worse
than any defined cost, and two undefined costs are a tie: neither beats the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from renaissance.metrics.costs import cost_per_job
from renaissance.metrics.quantities import quantity_path, value_at

BAND = (0.05, 0.95)
"""Quantiles of the band shown with every median (a 90% band)."""


@dataclass(frozen=True)
class HeadlineMetric:
    """A metric of the verdict.

    Attributes
    ----------
    stem : str
        Name with ``{start}``/``{end}`` placeholders, as the metrics registry and
        ``--outputs`` spell it (``nation_employment_{end}``).
    label : str
        Words for a reader.
    units : str
        Units of the values shown (after ``scale``).
    scale : float
        Factor from the model's units to the shown ones.
    better : {"higher", "lower"}
        Direction in which a scenario beats another.
    level : bool
        True for a level in the end year (differences from the reference are shown);
        False for a ratio against the reference (cost per job).
    compute : callable
        ``compute(results, reference, window) -> DataArray`` over ``scenario`` (and
        ``member``) in the model's units.
    """

    stem: str
    label: str
    units: str
    scale: float
    better: str
    level: bool
    compute: Any

    def name(self, window) -> str:
        """The metric's name for ``window`` (``nation_employment_2050``)."""
        return self.stem.format(start=int(window[0]), end=int(window[1]))


def _level(quantity, where):
    return lambda results, reference, window: value_at(
        quantity_path(results, quantity, where), window[1]
    )


HEADLINE_METRICS = (
    HeadlineMetric(
        "nation_employment_{end}",
        "national manufacturing employment",
        "thousand persons",
        1e-3,
        "higher",
        True,
        _level("employment", "nation"),
    ),
    HeadlineMetric(
        "districts_employment_{end}",
        "employment of all modelled districts",
        "thousand persons",
        1e-3,
        "higher",
        True,
        _level("employment", "districts"),
    ),
    HeadlineMetric(
        "nation_exports_{end}",
        "national manufacturing exports",
        "bn€/year",
        1e-3,
        "higher",
        True,
        _level("exports", "nation"),
    ),
    HeadlineMetric(
        "districts_exports_{end}",
        "exports of all modelled districts",
        "bn€/year",
        1e-3,
        "higher",
        True,
        _level("exports", "districts"),
    ),
    HeadlineMetric(
        "districts_composite_capital_{end}",
        "composite capital of the districts (employment-weighted index)",
        "index",
        1.0,
        "higher",
        True,
        _level("composite capital", "districts"),
    ),
    HeadlineMetric(
        "cost_per_job_{start}_{end}",
        "cost per national job gained against the reference",
        "k€/job",
        1.0,
        "lower",
        False,
        lambda results, reference, window: cost_per_job(results, reference, window),
    ),
)
"""The metrics of the verdict, in page order."""


def _with_members(values):
    """``values`` as (scenario, member), a single run being one member."""
    if "member" not in values.dims:
        values = values.expand_dims(member=[0])
    return values.transpose("scenario", "member")


def _score(values, better):
    """Values turned so that larger is better; NaN (undefined) becomes the worst."""
    values = np.asarray(values, dtype=float)
    score = values if better == "higher" else -values
    return np.where(np.isnan(score), -np.inf, score)


def pairwise_shares(values, better):
    """Share of members in which each scenario beats each other one.

    Parameters
    ----------
    values : xarray.DataArray
        Dims ``scenario`` and ``member`` (or ``scenario`` only: one member).
    better : {"higher", "lower"}
        Direction of the metric; NaN counts as worse than any number, NaN vs NaN is a tie.

    Returns
    -------
    pandas.DataFrame
        Index ``scenario`` (A), columns ``other`` (B): the share (0-1) of members in which
        A beats B strictly; the diagonal is NaN. ``share(A, B) + share(B, A) <= 1``, the
        rest being ties.
    """
    values = _with_members(values)
    names = [str(name) for name in values["scenario"].values]
    score = _score(values.values, better)
    shares = np.full((len(names), len(names)), np.nan)
    for first in range(len(names)):
        for second in range(len(names)):
            if first != second:
                shares[first, second] = float(np.mean(score[first] > score[second]))
    table = pd.DataFrame(shares, index=pd.Index(names, name="scenario"), columns=names)
    table.columns.name = "other"
    return table


def _summary(values):
    """Median and band over members, per scenario (arrays over ``scenario``)."""
    values = _with_members(values)
    array = values.values.astype(float)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: undefined
            median = np.nanmedian(array, axis=1)
            low = np.nanquantile(array, BAND[0], axis=1)
            high = np.nanquantile(array, BAND[1], axis=1)
    defined = np.mean(~np.isnan(array), axis=1)
    return median, low, high, defined


def _compared(metric, values, reference):
    """The scenarios a metric ranks: all for levels; for a ratio against the reference
    (cost per job) every scenario but the reference, whose ratio is not defined."""
    if metric.level:
        return values
    names = [str(name) for name in values["scenario"].values]
    return values.sel(scenario=[name for name in names if name != reference])


def verdict(results, reference, window):
    """The verdict table of every headline metric.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results with a ``scenario`` dim (and optionally ``member``).
    reference : str
        The scenario the others are measured against.
    window : tuple of two float
        ``(start, end)``: levels are read in ``end``, costs summed over the window.

    Returns
    -------
    pandas.DataFrame
        One row per metric and scenario, in ranking order within each metric; columns
        ``metric`` (name), ``label``, ``units``, ``better``, ``rank`` (1 = best),
        ``scenario``, ``median``, ``low``, ``high`` (5th/95th percentile over members),
        ``defined`` (share of members where the metric is defined),
        ``difference``, ``difference_low``, ``difference_high`` (level minus the
        reference's level in the end year, per member; NaN for costs),
        ``difference_percent`` (median of the per-member percent difference),
        ``members``. Values in the shown units (``units``).
    """
    rows = []
    members = int(results.sizes.get("member", 1))
    for metric in HEADLINE_METRICS:
        values = _compared(metric, metric.compute(results, reference, window), reference)
        values = values * metric.scale
        names = [str(name) for name in values["scenario"].values]
        median, low, high, defined = _summary(values)
        if metric.level:
            reference_values = values.sel(scenario=reference)
            difference = values - reference_values
            percent = 100.0 * difference / reference_values
            d_median, d_low, d_high, _ = _summary(difference)
            p_median, _, _, _ = _summary(percent)
        else:
            d_median = d_low = d_high = p_median = np.full(len(names), np.nan)
        key = _score(median, metric.better)
        order = sorted(range(len(names)), key=lambda i: (-key[i], i))
        for rank, position in enumerate(order, start=1):
            rows.append(
                {
                    "metric": metric.name(window),
                    "label": metric.label,
                    "units": metric.units,
                    "better": metric.better,
                    "rank": rank,
                    "scenario": names[position],
                    "median": median[position],
                    "low": low[position],
                    "high": high[position],
                    "defined": defined[position],
                    "difference": d_median[position],
                    "difference_low": d_low[position],
                    "difference_high": d_high[position],
                    "difference_percent": p_median[position],
                    "members": members,
                }
            )
    return pd.DataFrame(rows)


def pairwise_table(results, reference, window):
    """:func:`pairwise_shares` of every headline metric, in long format.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric``, ``better``, ``scenario`` (A), ``other`` (B),
        ``share_a_beats_b`` (0-1), ``share_b_beats_a``, ``members``; one row per
        metric and ordered pair of different scenarios.
    """
    rows = []
    members = int(results.sizes.get("member", 1))
    for metric in HEADLINE_METRICS:
        values = _compared(metric, metric.compute(results, reference, window), reference)
        shares = pairwise_shares(values, metric.better)
        for first in shares.index:
            for second in shares.columns:
                if first == second:
                    continue
                rows.append(
                    {
                        "metric": metric.name(window),
                        "better": metric.better,
                        "scenario": first,
                        "other": second,
                        "share_a_beats_b": shares.loc[first, second],
                        "share_b_beats_a": shares.loc[second, first],
                        "members": members,
                    }
                )
    return pd.DataFrame(rows)
