"""One call that calibrates a scenario: read targets, screen, refine, assess.

>>> from renaissance.calibration import calibrate
>>> result = calibrate("history", "stylized_facts.csv", "pwt91_selected.csv", seed=2011)
>>> result.fitted        # {"Trend Productivity Growth Rate": 0.011, ...}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.calibration.facts import read_facts
from renaissance.calibration.history_targets import history_targets
from renaissance.calibration.identifiability import (
    profiles,
    screening_envelope,
    slices,
)
from renaissance.calibration.mapping import Target, Unmapped, calibration_targets
from renaissance.calibration.problem import (
    DEFAULT_PARAMETERS,
    CalibrationProblem,
    free_parameters,
)
from renaissance.calibration.pwt import read_pwt
from renaissance.calibration.search import LocalFit, Screening, multistart, screen
from renaissance.paths import MODEL_FILE

DEFAULT_SCREENING_SIZE = 512
"""Latin-hypercube points of the screening ensemble."""

DEFAULT_STARTS = 3
"""Best screening points refined locally."""


@dataclass
class CalibrationResult:
    """Everything a calibration produced.

    Attributes
    ----------
    scenario : str
        Name of the calibrated scenario.
    seed : int
    problem : CalibrationProblem
    screening : Screening
    fits : list of LocalFit
        Local refinements, best first.
    slices, envelope : pandas.DataFrame
        Identifiability (:mod:`renaissance.calibration.identifiability`).
    unmapped : list of Unmapped
        Facts that are not targets, with the reason.
    pwt : pandas.DataFrame
        Italy's Penn World Table series (for the figure).
    profiles : pandas.DataFrame or None
        Profile points (:func:`renaissance.calibration.identifiability.profiles`), when
        asked for.
    """

    scenario: str
    seed: int
    problem: CalibrationProblem
    screening: Screening
    fits: list[LocalFit]
    slices: pd.DataFrame
    envelope: pd.DataFrame
    unmapped: list[Unmapped] = field(default_factory=list)
    pwt: pd.DataFrame | None = None
    profiles: pd.DataFrame | None = None

    @property
    def best(self) -> LocalFit:
        """The refinement with the lowest loss."""
        return self.fits[0]

    @property
    def targets(self) -> list[Target]:
        return self.problem.targets

    @property
    def fitted(self) -> dict[str, float]:
        """Fitted parameter values of the best fit (rounded to 6 significant digits)."""
        return {
            p.name: float(f"{float(p.value(u)):.6g}")
            for p, u in zip(self.problem.parameters, self.best.unit, strict=True)
        }

    def fit_table(self) -> pd.DataFrame:
        """Target, range, simulated value (best fit) and whether it is inside."""
        rows = []
        for target, value in zip(self.targets, self.best.values, strict=True):
            rows.append(
                {
                    "target": target.id,
                    "description": target.description,
                    "kind": target.kind,
                    "observed": target.observed,
                    "low": target.low,
                    "high": target.high,
                    "unit": target.unit,
                    "simulated": float(value),
                    "inside": bool(target.inside(np.array([value]))[0]),
                    "source": target.source,
                }
            )
        return pd.DataFrame(rows)


def calibrate(
    scenario,
    targets_file: str | Path,
    pwt_file: str | Path,
    parameters=DEFAULT_PARAMETERS,
    screening_size: int = DEFAULT_SCREENING_SIZE,
    starts: int = DEFAULT_STARTS,
    seed: int = 2011,
    max_iterations: int = 60,
    slice_points: int = 21,
    profile_points: int = 0,
    progress=None,
    history_file: str | Path | None = None,
) -> CalibrationResult:
    """Calibrate a scenario's parameters to the stylised facts up to 2008 and PWT.

    Parameters
    ----------
    scenario : str, pathlib.Path or renaissance.scenarios.PreparedScenario
        A scenario name or file (loaded and prepared), or a prepared scenario.
    targets_file, pwt_file : path
        ``stylized_facts.csv`` and the Penn World Table extract.
    parameters : sequence of str
        Parameters to fit, within their ranges in ``models/parameters.csv``.
    screening_size : int
        Latin-hypercube points (the scenario's own values are evaluated as well).
    starts : int
        Best screening points refined with L-BFGS-B.
    seed : int
        Seed of the hypercube; the same seed gives the same result.
    max_iterations : int
        Iterations of each local refinement.
    slice_points : int
        Grid points per parameter in the identifiability slices.
    profile_points : int
        Grid points per parameter of the profiles (0: no profiles; each point is a
        re-fit of the other parameters, so this is the slow part).
    progress : callable, optional
        ``progress(message)`` is called between stages.
    history_file : path, optional
        ``history_facts.csv``: adds the 1990s census targets of
        :func:`renaissance.calibration.history_targets.history_targets`.

    Returns
    -------
    CalibrationResult
    """
    say = progress or (lambda message: None)
    if screening_size < 1 or starts < 1:
        raise ValueError("screening_size and starts must be at least 1")
    if starts > screening_size + 1:
        raise ValueError(f"starts ({starts}) exceeds the screening points ({screening_size + 1})")
    prepared = _prepare(scenario)
    pwt = read_pwt(pwt_file)
    targets, unmapped = calibration_targets(read_facts(targets_file), pwt)
    if history_file is not None:
        targets = [*targets, *history_targets(history_file)]
    problem = CalibrationProblem(prepared, free_parameters(parameters, MODEL_FILE), targets)
    rng = np.random.default_rng(seed)
    say(f"screening {screening_size + 1} points of {len(problem.parameters)} parameters")
    screening = screen(problem, screening_size, rng)
    say(f"refining the {starts} best points")
    fits = multistart(problem, screening, starts, max_iterations)
    say("identifiability slices")
    result = CalibrationResult(
        scenario=prepared.scenario.name,
        seed=seed,
        problem=problem,
        screening=screening,
        fits=fits,
        slices=slices(problem, fits[0].unit, slice_points),
        envelope=screening_envelope(problem, screening),
        unmapped=unmapped,
        pwt=pwt,
    )
    if profile_points > 0:
        say(f"profiles: {profile_points} points for each of {len(problem.parameters)} parameters")
        result.profiles = profiles(problem, fits[0].unit, profile_points)
    say(f"done: {problem.evaluations} runs")
    return result


def _prepare(scenario):
    if hasattr(scenario, "run_ensemble") and hasattr(scenario, "params"):
        return scenario
    from renaissance.scenarios import load_scenario, prepare_scenario

    return prepare_scenario(load_scenario(scenario))
