"""The calibration problem: free parameters, targets, and an ensemble evaluator.

A point of the search space is a vector in the unit cube, one coordinate per free
parameter; coordinate 0 is the parameter's ``low`` and 1 its ``high`` in
``models/parameters.csv``, so every point the optimisers visit is a plausible parameter
set. One call of :meth:`CalibrationProblem.evaluate` runs E points as one ensemble of the
fast engine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renaissance.calibration.mapping import LAST_CALIBRATION_YEAR, Target
from renaissance.parameters import parameter_table

DEFAULT_PARAMETERS = (
    "Initial National Manufacturing Employment",
    "Trend Productivity Growth Rate",
    "Automation Labour Saving",
    "Low Cost Competition Increase",
    "Devaluation Cost Advantage",
    "Post Euro Unit Labour Cost Drift",
    "Large Firm System Decline Rate",
    "World Demand Growth Rate[Person Goods]",
    "Maximum District Productivity Premium",
    "Switching Cost Sensitivity",
    "Schooling Human Capital Ceiling",
    "Schooling Convergence Time",
)
"""Parameters fitted by default: the assumptions that move the targets most (the 1991
level and the productivity, cost and demand drivers behind national employment, the
district premium and its fading, the schooling path). Depreciation rates and the export
price elasticity are set on data (F13, F15, F18) and only checked."""

CLOSENESS_WEIGHT = 0.01
"""Weight of the squared distance from the observed value inside a range. It only
chooses among parameter sets that meet every range (calibrate to the range, not to the
point), so it is small next to the weight 1 of a violation."""

FAILED_LOSS = 1e6
"""Loss of an ensemble member whose state went non-finite."""


@dataclass(frozen=True)
class FreeParameter:
    """A fitted parameter and its plausible range (``models/parameters.csv``)."""

    name: str
    low: float
    high: float
    default: float
    units: str

    def value(self, unit: np.ndarray) -> np.ndarray:
        """Map unit-cube coordinates to parameter values."""
        return self.low + np.asarray(unit, dtype=float) * (self.high - self.low)

    def unit(self, value: float) -> float:
        """Map a parameter value to its unit-cube coordinate."""
        return (value - self.low) / (self.high - self.low)


def free_parameters(names, model_file) -> list[FreeParameter]:
    """Look up the plausible range of each named parameter.

    Parameters
    ----------
    names : sequence of str
        ``Name`` or ``Name[element]`` as in ``models/parameters.csv``.
    model_file : path
        The model whose parameter table gives the ranges.

    Raises
    ------
    ValueError
        A name that is not in the table, or a parameter without a finite range.
    """
    table = parameter_table(model_file).set_index("name")
    chosen = []
    for name in names:
        if name not in table.index:
            close = [n for n in table.index if n.lower().startswith(name.lower()[:8])][:3]
            raise ValueError(
                f"parameter {name!r} is not in the parameter table"
                + (f"; did you mean {close}?" if close else "")
            )
        row = table.loc[name]
        low, high = float(row["low"]), float(row["high"])
        if not (np.isfinite(low) and np.isfinite(high) and high > low):
            raise ValueError(f"parameter {name!r} has no plausible range to fit within")
        chosen.append(FreeParameter(name, low, high, float(row["default"]), str(row["units"])))
    return chosen


@dataclass
class CalibrationProblem:
    """Targets and free parameters of one scenario, evaluated by ensembles.

    Attributes
    ----------
    prepared : renaissance.scenarios.PreparedScenario
        The scenario to calibrate (its parameters are the base of every run).
    parameters : list of FreeParameter
        The P fitted parameters.
    targets : list of Target
        The T calibration targets.
    final_time : float
        Last year simulated while fitting (targets end in 2008).
    evaluations : int
        Ensemble members run so far.
    """

    prepared: object
    parameters: list[FreeParameter]
    targets: list[Target]
    final_time: float = LAST_CALIBRATION_YEAR
    evaluations: int = 0

    def __post_init__(self):
        options = {**self.prepared.run_options, "final_time": self.final_time}
        self._short = dataclasses.replace(self.prepared, run_options=options)
        self._columns = sorted({v for t in self.targets for v in t.variables})

    def samples(self, unit: np.ndarray) -> pd.DataFrame:
        """Parameter table (E rows, one column per parameter) for unit-cube points (E, P)."""
        unit = np.atleast_2d(unit)
        return pd.DataFrame({p.name: p.value(unit[:, j]) for j, p in enumerate(self.parameters)})

    def simulate(self, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Simulated target values of E points.

        Parameters
        ----------
        unit : numpy.ndarray, shape (E, P)
            Points of the unit cube.

        Returns
        -------
        values : numpy.ndarray, shape (E, T)
            Simulated value of every target (NaN for a failed member).
        ok : numpy.ndarray of bool, shape (E,)
            Members whose integration stayed finite.
        """
        samples = self.samples(unit)
        result = self._short.run_ensemble(samples, return_columns=self._columns)
        self.evaluations += len(samples)
        ok = np.asarray(result["status"]).reshape(-1) == 0
        values = np.column_stack([t.compute(result) for t in self.targets])
        values[~ok] = np.nan
        return values, ok

    def loss(self, values: np.ndarray) -> np.ndarray:
        """Fit loss of each row of simulated target values, shape (E,).

        Sum over targets of ``weight × violation²`` (distance outside the range in
        half-widths) plus :data:`CLOSENESS_WEIGHT` × squared distance from the observed
        value for level targets; :data:`FAILED_LOSS` for a failed member.
        """
        values = np.atleast_2d(values)
        total = np.zeros(values.shape[0])
        for j, target in enumerate(self.targets):
            column = values[:, j]
            total += target.weight * target.violation(column) ** 2
            if target.kind == "level":
                total += CLOSENESS_WEIGHT * ((column - target.observed) / target.scale) ** 2
        return np.where(np.isfinite(total), total, FAILED_LOSS)

    def inside(self, values: np.ndarray) -> np.ndarray:
        """Whether each target is met, boolean array of shape (E, T)."""
        values = np.atleast_2d(values)
        return np.column_stack([t.inside(values[:, j]) for j, t in enumerate(self.targets)])
