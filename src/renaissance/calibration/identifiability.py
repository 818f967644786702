"""Which fitted parameters the targets pin down, and which they leave free.

Two views, both from ensembles of the fast engine:

- a *slice* through the best fit: each parameter in turn is moved over its whole
  plausible range (the others held at the best fit), and the share of the range in which
  every target the best fit meets stays inside its range is measured (a target the best
  fit misses is reported as missed, and does not make every slice empty). A parameter
  whose acceptable share is small is pinned by the data; one that can take most of its
  range is not identified by these targets (given the others).
- *profiles* (optional, slower): each parameter is held at points of its range while
  the others are re-fitted (L-BFGS-B from the best fit); where the re-fitted set still
  meets every target, the data cannot tell that value from the best fit.
- the *screening envelope*: the Latin-hypercube members binned by each parameter's value,
  with the share of members in each bin that meet every target. It shows the whole
  plausible space, not only the neighbourhood of the best fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renaissance.calibration.problem import CalibrationProblem
from renaissance.calibration.search import Screening, refine

SLICE_POINTS = 21
"""Points per parameter in a slice through the best fit (every 5% of the range)."""

PINNED_SHARE = 0.25
"""At most this share of the range acceptable: the parameter is pinned."""

FREE_SHARE = 0.75
"""At least this share acceptable: the targets do not identify the parameter."""

BOUND_TOLERANCE = 0.01
"""A best-fit value within 1% of the range from a bound is reported as at the bound."""


def classify(acceptable_share: float) -> str:
    """Word for an acceptable share of the range: pinned, partly constrained, not identified."""
    if acceptable_share <= PINNED_SHARE:
        return "pinned"
    if acceptable_share >= FREE_SHARE:
        return "not identified"
    return "partly constrained"


def slices(
    problem: CalibrationProblem, best: np.ndarray, points: int = SLICE_POINTS
) -> pd.DataFrame:
    """Slice through the best fit, one ensemble of P × ``points`` members.

    Parameters
    ----------
    problem : CalibrationProblem
    best : numpy.ndarray, shape (P,)
        Best fit in unit-cube coordinates.
    points : int
        Grid points over each parameter's range.

    Returns
    -------
    pandas.DataFrame
        One row per parameter: ``parameter``, ``units``, ``low``, ``high``, ``fitted``,
        ``acceptable_low``/``acceptable_high`` (smallest and largest grid value with every
        target inside, NaN if none), ``acceptable_share`` (share of grid points with every
        target inside), ``at_bound``, ``verdict``, and ``binding_targets`` (targets that
        leave their range first on the grid).
    """
    grid = np.linspace(0.0, 1.0, points)
    size = len(problem.parameters)
    unit = np.repeat(best[None, :], size * points, axis=0)
    for j in range(size):
        unit[j * points : (j + 1) * points, j] = grid
    values, _ = problem.simulate(unit)
    met_at_best = problem.inside(problem.simulate(best[None, :])[0])[0]
    inside = problem.inside(values) | ~met_at_best
    rows = []
    for j, parameter in enumerate(problem.parameters):
        block = inside[j * points : (j + 1) * points]
        every = block.all(axis=1)
        accepted = parameter.value(grid[every])
        failing = ~block.all(axis=0)
        fitted_unit = float(best[j])
        at_bound = (
            "low"
            if fitted_unit <= BOUND_TOLERANCE
            else "high"
            if fitted_unit >= 1 - BOUND_TOLERANCE
            else ""
        )
        rows.append(
            {
                "parameter": parameter.name,
                "units": parameter.units,
                "low": parameter.low,
                "high": parameter.high,
                "fitted": float(parameter.value(fitted_unit)),
                "acceptable_low": float(accepted.min()) if accepted.size else np.nan,
                "acceptable_high": float(accepted.max()) if accepted.size else np.nan,
                "acceptable_share": float(every.mean()),
                "at_bound": at_bound,
                "verdict": classify(float(every.mean())),
                "binding_targets": " ".join(
                    t.id for t, fails in zip(problem.targets, failing, strict=True) if fails
                ),
            }
        )
    return pd.DataFrame(rows)


def screening_envelope(
    problem: CalibrationProblem, screening: Screening, bins: int = 5
) -> pd.DataFrame:
    """Share of screening members meeting every target, by bin of each parameter.

    Returns
    -------
    pandas.DataFrame
        Rows: parameters; columns ``bin 1`` … ``bin n`` (equal fifths of the range by
        default) with the share of members in that bin meeting every target, and
        ``members`` (screening size).
    """
    every = screening.inside.all(axis=1)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for j, parameter in enumerate(problem.parameters):
        which = np.clip(np.digitize(screening.unit[:, j], edges[1:-1]), 0, bins - 1)
        row = {"parameter": parameter.name}
        for b in range(bins):
            members = which == b
            row[f"bin {b + 1}"] = float(every[members].mean()) if members.any() else np.nan
        row["members"] = len(every)
        rows.append(row)
    return pd.DataFrame(rows)


def profiles(
    problem: CalibrationProblem, best: np.ndarray, points: int = 5, max_iterations: int = 10
) -> pd.DataFrame:
    """Profile each parameter: hold it on a grid, re-fit the others, record the fit.

    Parameters
    ----------
    problem : CalibrationProblem
    best : numpy.ndarray, shape (P,)
        Best fit in unit-cube coordinates (start of every re-fit).
    points : int
        Grid points over each parameter's range.
    max_iterations : int
        L-BFGS-B iterations of each re-fit (a few: the profile is a bound on the best
        loss at that value, not its exact minimum).

    Returns
    -------
    pandas.DataFrame
        One row per parameter and grid value: ``parameter``, ``value``, ``loss``,
        ``targets_met`` (count), ``all_met`` (bool).
    """
    grid = np.linspace(0.0, 1.0, points)
    rows = []
    for j, parameter in enumerate(problem.parameters):
        for value in grid:
            fit = refine(problem, best, max_iterations, fixed=(j, float(value)))
            met = problem.inside(fit.values[None, :])[0]
            rows.append(
                {
                    "parameter": parameter.name,
                    "value": float(parameter.value(value)),
                    "loss": fit.loss,
                    "targets_met": int(met.sum()),
                    "all_met": bool(met.all()),
                }
            )
    return pd.DataFrame(rows)


def profile_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: share of profile points meeting every target, and their span."""
    rows = []
    for name, group in table.groupby("parameter", sort=False):
        ok = group[group["all_met"]]
        share = float(group["all_met"].mean())
        rows.append(
            {
                "parameter": name,
                "profile_low": float(ok["value"].min()) if len(ok) else np.nan,
                "profile_high": float(ok["value"].max()) if len(ok) else np.nan,
                "profile_share": share,
                "profile_verdict": classify(share),
            }
        )
    return pd.DataFrame(rows)
