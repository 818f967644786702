"""Multi-start search: Latin-hypercube screening, then local refinement.

The screening is one ensemble of the fast engine over a Latin hypercube of the unit
cube (McKay, Beckman and Conover 1979, doi:10.1080/00401706.1979.10489755). The best
points are refined with L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995,
doi:10.1137/0916069) inside the bounds of the cube; each gradient is a forward difference
whose P + 1 runs are one ensemble, so a step costs one vectorised pass. Everything is
seeded: the same seed gives the same points, the same runs and the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc

from renaissance.calibration.problem import CalibrationProblem

DIFFERENCE_STEP = 1e-3
"""Forward-difference step in unit-cube coordinates (0.1% of a parameter's range)."""


@dataclass
class Screening:
    """The Latin-hypercube ensemble.

    Attributes
    ----------
    unit : numpy.ndarray, shape (N, P)
        Points in the unit cube.
    values : numpy.ndarray, shape (N, T)
        Simulated target values.
    loss : numpy.ndarray, shape (N,)
    inside : numpy.ndarray of bool, shape (N, T)
    """

    unit: np.ndarray
    values: np.ndarray
    loss: np.ndarray
    inside: np.ndarray


@dataclass
class LocalFit:
    """One local refinement: where it started, where it ended, and how."""

    start: np.ndarray
    unit: np.ndarray
    loss: float
    values: np.ndarray
    iterations: int
    message: str


def screen(
    problem: CalibrationProblem, size: int, rng: np.random.Generator, chunk: int = 256
) -> Screening:
    """Evaluate a Latin hypercube of ``size`` points (plus the defaults as point 0).

    Parameters
    ----------
    problem : CalibrationProblem
    size : int
        Number of hypercube points (N - 1; the scenario's defaults are added first).
    rng : numpy.random.Generator
        Source of the hypercube's randomness.
    chunk : int
        Points per ensemble call (bounds memory; results do not depend on it).
    """
    sampler = qmc.LatinHypercube(d=len(problem.parameters), rng=rng)
    defaults = np.array([[np.clip(p.unit(p.default), 0, 1) for p in problem.parameters]])
    unit = np.vstack([defaults, sampler.random(size)])
    values = np.vstack(
        [problem.simulate(unit[i : i + chunk])[0] for i in range(0, len(unit), chunk)]
    )
    return Screening(unit, values, problem.loss(values), problem.inside(values))


def refine(
    problem: CalibrationProblem,
    start: np.ndarray,
    max_iterations: int = 60,
    fixed: tuple[int, float] | None = None,
) -> LocalFit:
    """Refine one start with L-BFGS-B in the unit cube (ensemble forward differences).

    Parameters
    ----------
    problem : CalibrationProblem
    start : numpy.ndarray, shape (P,)
        Starting point in unit-cube coordinates.
    max_iterations : int
        L-BFGS-B iterations.
    fixed : (int, float), optional
        Coordinate held at a value (for profiles): its bounds are set equal.
    """
    size = len(start)
    bounds = [(0.0, 1.0)] * size
    if fixed is not None:
        bounds[fixed[0]] = (fixed[1], fixed[1])
        start = np.array(start, dtype=float)
        start[fixed[0]] = fixed[1]
    cache: dict[bytes, tuple[float, np.ndarray]] = {}  # point -> (loss, gradient)

    def loss_and_gradient(point: np.ndarray):
        point = np.clip(point, 0.0, 1.0)
        key = point.tobytes()
        if key not in cache:
            # step inwards at the upper bound so every run stays inside the range
            steps = np.where(point + DIFFERENCE_STEP <= 1.0, DIFFERENCE_STEP, -DIFFERENCE_STEP)
            points = np.vstack([point, point + np.diag(steps)])
            values, _ = problem.simulate(points)
            losses = problem.loss(values)
            gradient = (losses[1:] - losses[0]) / steps
            cache[key] = (float(losses[0]), gradient)
        value, gradient = cache[key]
        return value, gradient

    result = minimize(
        loss_and_gradient,
        np.asarray(start, dtype=float),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": max_iterations, "ftol": 1e-10},
    )
    best = np.clip(result.x, 0.0, 1.0)
    values, _ = problem.simulate(best[None, :])
    return LocalFit(
        np.asarray(start),
        best,
        float(problem.loss(values)[0]),
        values[0],
        int(result.nit),
        str(result.message),
    )


def multistart(
    problem: CalibrationProblem, screening: Screening, starts: int, max_iterations: int = 60
) -> list[LocalFit]:
    """Refine the ``starts`` best screening points; fits sorted by loss (best first)."""
    order = np.argsort(screening.loss, kind="stable")[:starts]
    fits = [refine(problem, screening.unit[i], max_iterations) for i in order]
    return sorted(fits, key=lambda fit: fit.loss)
