"""Trajectory class of each district, read from its simulated paths.

Two classifications, each an ordered list of rules (the first that holds wins), with
thresholds in frozen dataclasses so a user can change them and the documentation can
list them (docs/results.md, "Trajectory classes").

**Bellandi's district trajectories** (seed 001 §2, after Bellandi et al. 2010 and
Bellandi and Coltorti 2014), over a window ``(start, end)``, from the ratios
``end / start`` of manufacturing employment, small firms, leading firms (medium-large
firms plus multinational affiliates) and all district firms:

1. ``decline``: the district "lost both the density of the district relationships and an
   important part of the production capacity and manufacturing employment" and needs an
   industrial turn-around (seed 001 §2): employment ratio and firm ratio both below
   ``decline_ratio``.
2. ``general development``: "all types of district firms grow" (trajectory iii): small
   and leading firms each at least ``hold_ratio``, and employment and all firms at least
   ``growth_ratio``.
3. ``consolidation of medium firms``: "the growth of such type of firms counterbalance
   the decline of the other types" (trajectory i): leading firms at least
   ``consolidation_ratio`` (their number does not fall) while small firms fall below
   ``hold_ratio``.
4. ``classic``: specialised small firms hold (trajectory ii): small firms at least
   ``hold_ratio`` (without all types growing).
5. ``restructuring``: otherwise: "the manufacturing capacity of local small firms is
   reduced", the district is "at a crossroad" (trajectory iv).

**Giuliani and Rabellotti's district/GVC models** (seed 003 §3.2–3.5, their Figure 1:
where the value-chain activities are performed), from the ``Functional Upgrading Share``
(share of high-value functions, R&D, design, branding, kept in the district) and the
``Offshored Share`` of manufacturing in the window's last year:

1. ``low-road``: few high-value functions (upgrading share below ``low_upgrading``):
   "low-value added manufacturing", "very low investments in branding and design"
   (§3.3); or manufacturing offshored (at least ``offshoring``) without keeping
   high-value functions (upgrading below ``high_upgrading``): "outsourced manufacturing
   without being able to move up the value chain" (§3.5, summing up).
2. ``outward-oriented GVC-led``: manufacturing offshored (at least ``offshoring``) and
   high-value functions kept (upgrading at least ``high_upgrading``): "globally outsource
   most of their manufacturing activities but keep the high value added activities"
   (§3.5).
3. ``locally-rooted GVC-led``: otherwise, manufacturing kept in the district's supply
   chain with some high-value functions (§3.4).

The thresholds are assumptions at round values. With the defaults, the baseline run of
the showcase roster over 2025–2050 reproduces the GVC model assigned in
``models/districts.csv`` for 18 of the 19 districts (docs/results.md).
"""

from dataclasses import dataclass

import numpy as np
import xarray as xr

from renaissance.metrics.changes import check_window
from renaissance.metrics.quantities import value_at

BELLANDI_TRAJECTORIES = (
    "decline",
    "general development",
    "consolidation of medium firms",
    "classic",
    "restructuring",
)
"""Bellandi's trajectories (seed 001 §2) plus decline, in rule order."""

GVC_MODELS = ("low-road", "outward-oriented GVC-led", "locally-rooted GVC-led")
"""Giuliani and Rabellotti's three district/GVC models (seed 003 §3.3–3.5), in rule order."""


@dataclass(frozen=True)
class TrajectoryThresholds:
    """Thresholds of the Bellandi rules, as ratios end / start of the window (Dmnl).

    Attributes
    ----------
    decline_ratio : float
        Employment and firms both below this: lost capacity and density.
    hold_ratio : float
        A firm type at or above this holds (a fall of less than 10%).
    growth_ratio : float
        Employment and firms at or above this grow.
    consolidation_ratio : float
        Leading firms at or above this consolidate (they grow or keep their number).
    """

    decline_ratio: float = 0.5
    hold_ratio: float = 0.9
    growth_ratio: float = 1.05
    consolidation_ratio: float = 1.0


@dataclass(frozen=True)
class GVCThresholds:
    """Thresholds of the GVC-model rules, as shares (Dmnl, 0 to 1).

    Attributes
    ----------
    low_upgrading : float
        Functional upgrading share below this: few high-value functions.
    high_upgrading : float
        Functional upgrading share at or above this: high-value functions kept.
    offshoring : float
        Offshored share at or above this: manufacturing offshored.
    """

    low_upgrading: float = 0.10
    high_upgrading: float = 0.20
    offshoring: float = 0.06


def _ratio(results, name, window):
    start, end = window
    values = results[name]
    return value_at(values, end) / value_at(values, start)


def _choose(conditions, labels):
    """First label whose condition holds, elementwise (conditions in rule order)."""
    conditions = xr.broadcast(*conditions)
    template = conditions[0]
    choice = np.select(
        [condition.values for condition in conditions],
        [np.full(template.shape, label, dtype=object) for label in labels[: len(conditions)]],
        default=None,
    )
    return xr.DataArray(choice, dims=template.dims, coords=template.coords)


def firm_ratios(results, window):
    """Ratios end / start of employment and firm counts per district.

    Returns
    -------
    xarray.Dataset
        ``employment``, ``small_firms``, ``leading_firms`` (medium-large plus
        multinational affiliates) and ``firms`` (all), each Dmnl over ``District`` and
        the extra dims.
    """
    window = check_window(window)
    start, end = window
    leading = results["Medium Large Firms"] + results["Multinational Affiliates"]
    return xr.Dataset(
        {
            "employment": _ratio(results, "District Manufacturing Employment", window),
            "small_firms": _ratio(results, "Small Firms", window),
            "leading_firms": value_at(leading, end) / value_at(leading, start),
            "firms": _ratio(results, "Total District Firms", window),
        }
    )


def bellandi_trajectory(results, window, thresholds=TrajectoryThresholds()):
    """Bellandi trajectory of each district over a window (rules in the module docstring).

    Parameters
    ----------
    results : xarray.Dataset
        Results with ``District Manufacturing Employment``, ``Small Firms``,
        ``Medium Large Firms``, ``Multinational Affiliates``, ``Total District Firms``.
    window : tuple of two float
        ``(start, end)`` saved years.
    thresholds : TrajectoryThresholds
        Rule thresholds.

    Returns
    -------
    xarray.DataArray
        Labels from :data:`BELLANDI_TRAJECTORIES` (object dtype) over ``District`` and the
        extra dims.
    """
    ratios = firm_ratios(results, window)
    small_hold = ratios["small_firms"] >= thresholds.hold_ratio
    leading_hold = ratios["leading_firms"] >= thresholds.hold_ratio
    conditions = [
        (ratios["employment"] < thresholds.decline_ratio)
        & (ratios["firms"] < thresholds.decline_ratio),
        small_hold
        & leading_hold
        & (ratios["employment"] >= thresholds.growth_ratio)
        & (ratios["firms"] >= thresholds.growth_ratio),
        (ratios["leading_firms"] >= thresholds.consolidation_ratio) & ~small_hold,
        small_hold,
        xr.ones_like(small_hold),
    ]
    labels = _choose(conditions, BELLANDI_TRAJECTORIES)
    labels.name = "Bellandi trajectory"
    return labels


def gvc_model(results, year, thresholds=GVCThresholds()):
    """Giuliani and Rabellotti GVC model of each district in one year (module docstring).

    Parameters
    ----------
    results : xarray.Dataset
        Results with ``Functional Upgrading Share`` and ``Offshored Share`` (Dmnl).
    year : float
        A saved year (usually the last year of the window).
    thresholds : GVCThresholds
        Rule thresholds.

    Returns
    -------
    xarray.DataArray
        Labels from :data:`GVC_MODELS` (object dtype) over ``District`` and the extra dims.
    """
    upgrading = value_at(results["Functional Upgrading Share"], year)
    offshored = value_at(results["Offshored Share"], year) >= thresholds.offshoring
    conditions = [
        (upgrading < thresholds.low_upgrading)
        | (offshored & (upgrading < thresholds.high_upgrading)),
        offshored & (upgrading >= thresholds.high_upgrading),
        xr.ones_like(offshored),
    ]
    labels = _choose(conditions, GVC_MODELS)
    labels.name = "GVC model"
    return labels


def class_counts(labels, classes):
    """Number of districts in each class.

    Parameters
    ----------
    labels : xarray.DataArray
        Labels over ``District`` and extra dims.
    classes : sequence of str
        The possible labels.

    Returns
    -------
    xarray.DataArray
        Counts (district) over a new dim ``class`` and the extra dims.
    """
    counts = [(labels == name).sum("District") for name in classes]
    return xr.concat(counts, dim=xr.DataArray(list(classes), dims="class", name="class"))
