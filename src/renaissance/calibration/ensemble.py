"""Calibration as an ensemble: history matching by rejection over a Latin hypercube.

A point estimate hides what the data do not pin down. Here every parameter set of a
seeded Latin hypercube over the plausible ranges (``models/parameters.csv``) is run to
2008 with the fast engine, and a set is **accepted** when it meets every calibration
target (each simulated value inside its observed range). This is history matching with
a zero implausibility cut-off on ranges (Craig, Goldstein, Seheult and Smith 1997;
Vernon, Goldstein and Bower 2010), equivalently approximate Bayesian computation by
rejection with a uniform prior on the plausible ranges and a uniform kernel on the
targets' ranges (Beaumont, Zhang and Balding 2002). It was chosen over MCMC because the
targets are ranges, not likelihoods with known errors, and because one ensemble of the
fast engine evaluates tens of thousands of sets at once, while a chain is sequential.

Parameters that shape only the years after 2008 (the projection parameters) are drawn
from their plausible ranges with the others: the history cannot constrain them, so the
accepted set keeps their whole range and comparisons over the ensemble carry that
uncertainty. :func:`pinning` reports, for every parameter, how much of its range the
accepted sets still cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import qmc

from renaissance.calibration.problem import CalibrationProblem

CALIBRATED_PARAMETERS = (
    "Initial National Manufacturing Employment",
    "Early Trend Productivity Growth Rate",
    "Trend Productivity Growth Rate",
    "Productivity Slowdown Time",
    "Automation Labour Saving",
    "Early Low Cost Competition Increase",
    "Segment Low Cost Exposure[Person Goods]",
    "Low Cost Competition Increase",
    "Devaluation Cost Advantage",
    "Post Euro Unit Labour Cost Drift",
    "Large Firm System Decline Rate",
    "World Demand Growth Rate[Person Goods]",
    "Domestic Manufacturing Demand Elasticity",
    "Investment Return Sensitivity",
    "Maximum District Productivity Premium",
    "Switching Cost Sensitivity",
    "Schooling Human Capital Ceiling",
    "Schooling Convergence Time",
)
"""Parameters the years up to 2008 can inform: the 1991 level, the productivity, cost
and demand drivers of employment, the response of investment, the district premium and
its fading, the schooling path."""

PROJECTION_PARAMETERS = (
    "Long Run World Demand Growth Rate",
    "Low Cost Catch Up Share",
    "Social Capital Threshold",
    "Cooperation Steepness",
    "Multi Scale Coordination Gain",
    "Programme Decay Time",
)
"""Parameters that act mainly after 2008 or through policy: drawn from their plausible
ranges, kept whole by the history (reported as not pinned), so that projections and
policy comparisons over the ensemble carry their uncertainty."""

ENSEMBLE_PARAMETERS = CALIBRATED_PARAMETERS + PROJECTION_PARAMETERS

UNIFORM_STANDARD_DEVIATION = 1 / np.sqrt(12)
"""Standard deviation of a uniform distribution on the unit interval."""


@dataclass
class EnsembleCalibration:
    """Result of :func:`history_match`.

    Attributes
    ----------
    problem : CalibrationProblem
        Parameters and targets.
    unit : numpy.ndarray, shape (N, P)
        Every sampled point of the unit cube.
    values : numpy.ndarray, shape (N, T)
        Simulated target values (NaN for a failed member).
    ok : numpy.ndarray of bool, shape (N,)
        Members whose integration stayed finite.
    seed : int
        Seed of the hypercube.
    required : numpy.ndarray of bool, shape (T,), optional
        Targets a set must meet to be accepted (default: all).
    """

    problem: CalibrationProblem
    unit: np.ndarray
    values: np.ndarray
    ok: np.ndarray
    seed: int
    required: np.ndarray | None = None
    inside: np.ndarray = field(init=False)

    def __post_init__(self):
        self.inside = self.problem.inside(self.values) & self.ok[:, None]
        if self.required is None:
            self.required = np.ones(self.inside.shape[1], bool)

    @property
    def accepted(self) -> np.ndarray:
        """Boolean mask (N,) of the sets that meet every required target."""
        return self.inside[:, self.required].all(axis=1)

    @property
    def distance(self) -> np.ndarray:
        """Fit loss of every set (0 is best), shape (N,)."""
        return self.problem.loss(self.values)

    def accepted_table(self) -> pd.DataFrame:
        """The accepted sets: ``member``, one column per parameter, ``distance``.

        ``member`` is the set's index in the hypercube, so the same seed and size give
        the same members. Rows are sorted by member.
        """
        mask = self.accepted
        table = self.problem.samples(self.unit[mask])
        table.insert(0, "member", np.flatnonzero(mask))
        table["distance"] = self.distance[mask]
        return table

    def target_table(self) -> pd.DataFrame:
        """Per target: range, share of all sets inside it, accepted 5/50/95% values."""
        accepted = self.values[self.accepted]
        rows = []
        for j, target in enumerate(self.problem.targets):
            column = accepted[:, j]
            quantiles = np.quantile(column, [0.05, 0.5, 0.95]) if column.size else [np.nan] * 3
            rows.append(
                {
                    "target": target.id,
                    "description": target.description,
                    "low": target.low,
                    "high": target.high,
                    "observed": target.observed,
                    "share_inside": float(self.inside[:, j].mean()),
                    "accepted_p05": quantiles[0],
                    "accepted_median": quantiles[1],
                    "accepted_p95": quantiles[2],
                    "source": target.source,
                }
            )
        return pd.DataFrame(rows)


def history_match(
    problem: CalibrationProblem, samples: int, seed: int, chunk: int = 1024, progress=None
) -> EnsembleCalibration:
    """Run a seeded Latin hypercube of ``samples`` sets and keep those meeting every target.

    Parameters
    ----------
    problem : CalibrationProblem
        Scenario, parameters (their ranges are the prior) and targets.
    samples : int
        Size of the hypercube (number of runs).
    seed : int
        Seed of ``scipy.stats.qmc.LatinHypercube``; same seed and size, same sets.
    chunk : int
        Members run as one ensemble of the engine (memory bound, not results).
    progress : callable, optional
        ``progress(message)`` after each chunk.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    unit = qmc.LatinHypercube(d=len(problem.parameters), seed=seed).random(samples)
    return _run(problem, unit, seed, chunk, progress)


def _run(problem, unit, seed, chunk, progress) -> EnsembleCalibration:
    def report(done, values):
        accepted = int(problem.inside(values).all(axis=1).sum())
        progress(f"{done} of {len(unit)} sets run, {accepted} accepted")

    values, ok = _simulate(problem, unit, chunk, report if progress else None)
    return EnsembleCalibration(problem, unit, values, ok, seed)


@dataclass
class ChainSample:
    """Result of :func:`abc_mcmc`.

    Attributes
    ----------
    result : EnsembleCalibration
        The chains' final states (every one meets the acceptance rule).
    moves : numpy.ndarray of int, shape (K,)
        Accepted moves of each chain (a chain that never moved is still at its start).
    acceptance : float
        Share of proposals accepted after burn-in.
    steps : int
        Steps of every chain.
    scale : float
        Final proposal standard deviation in the unit cube.
    """

    result: EnsembleCalibration
    moves: np.ndarray
    acceptance: float
    steps: int
    scale: float


def abc_mcmc(
    problem: CalibrationProblem,
    starts: np.ndarray,
    chains: int,
    steps: int,
    seed: int,
    scale: float = 0.05,
    required: np.ndarray | None = None,
    chunk: int = 1024,
    progress=None,
) -> ChainSample:
    """Approximate Bayesian computation by Markov chain Monte Carlo, run as one ensemble.

    ``chains`` random-walk Metropolis chains (Marjoram, Molitor, Plagnol and Tavaré 2003)
    with a uniform prior on the plausible ranges and an indicator likelihood: a proposal
    (the state plus a Gaussian step in the unit cube, reflected at its faces) is accepted
    when it meets every required target, otherwise the chain stays. The step's covariance
    is twice that of the chains' current states (the population kernel of Beaumont,
    Cornuet, Marin and Robert 2009) plus an isotropic part of standard deviation
    ``scale``, so steps follow the shape of the accepted region once the chains spread.
    The kernel adapts during the first half of the steps and is then frozen, so that the
    second half is plain Metropolis with a fixed symmetric kernel. The stationary
    distribution is the uniform distribution on the accepted region, whatever its shape,
    so the final states are draws from it once the chains have mixed. Every step of all
    chains is one ensemble of the engine. During the first half of the steps the isotropic
    part and a factor on the whole kernel are adapted towards a quarter of proposals
    accepted.

    Parameters
    ----------
    problem : CalibrationProblem
    starts : numpy.ndarray, shape (S, P)
        Accepted points of the unit cube; chain ``k`` starts at ``starts[k % S]``.
    chains, steps : int
        Number of chains and steps of each.
    seed : int
        Seed of the proposals.
    scale : float
        Initial standard deviation of a step in the unit cube.
    required : numpy.ndarray of bool, shape (T,), optional
        Targets a set must meet (default: all).
    """
    rng = np.random.default_rng(seed)
    required = np.ones(len(problem.targets), bool) if required is None else np.asarray(required)
    state = np.asarray(starts, float)[np.arange(chains) % len(starts)]
    values, _ = _simulate(problem, state, chunk)
    if not problem.inside(values)[:, required].all():
        raise ValueError("every start must meet the required targets")
    moves = np.zeros(chains, int)
    tried = taken = 0
    width = 1.0  # factor on the whole kernel, adapted with the isotropic part
    for step in range(steps):
        # proposal: Gaussian with twice the chains' covariance (Beaumont et al. 2009) plus
        # an isotropic part, reflected at the bounds of the unit cube (a symmetric proposal
        # on the box, so the uniform prior needs no correction)
        if step <= steps // 2:  # adapt, then freeze the kernel
            population = 2 * np.cov(state, rowvar=False) + scale**2 * np.eye(state.shape[1])
            covariance = width**2 * population
        proposal = state + rng.multivariate_normal(np.zeros(state.shape[1]), covariance, chains)
        proposal = np.abs(proposal)
        proposal = np.where(proposal > 1, 2 - proposal, proposal)
        proposal = np.clip(proposal, 0.0, 1.0)
        new_values, ok = _simulate(problem, proposal, chunk)
        met = problem.inside(new_values)[:, required].all(axis=1) & ok
        state[met] = proposal[met]
        values[met] = new_values[met]
        moves += met
        rate = float(met.mean())
        if step < steps // 2:  # adapt towards a quarter accepted, then keep the step fixed
            scale *= float(np.exp(rate - 0.25))
            width *= float(np.exp(rate - 0.25))
        else:
            tried += chains
            taken += int(met.sum())
        if progress:
            progress(f"step {step + 1} of {steps}: {rate:.0%} accepted, scale {scale:.3f}")
    result = EnsembleCalibration(problem, state, values, np.ones(chains, bool), seed, required)
    return ChainSample(result, moves, taken / max(1, tried), steps, scale)


def _simulate(problem, unit, chunk, progress=None):
    """Target values and finiteness of ``unit``'s sets, run ``chunk`` members at a time;
    ``progress(done, values so far)`` after each chunk."""
    values, ok = [], []
    for start in range(0, len(unit), chunk):
        part_values, part_ok = problem.simulate(unit[start : start + chunk])
        values.append(part_values)
        ok.append(part_ok)
        if progress:
            progress(min(len(unit), start + chunk), np.vstack(values))
    return np.vstack(values), np.concatenate(ok)


def pinning(result: EnsembleCalibration) -> pd.DataFrame:
    """How much of each parameter's plausible range the accepted sets still cover.

    Columns: ``parameter``, ``low``, ``high`` (plausible range), ``accepted_p05``,
    ``accepted_median``, ``accepted_p95`` (in the parameter's units), ``spread`` (standard
    deviation of the accepted sets in the unit cube over that of a uniform: 1 = the data
    say nothing, 0 = a single value), ``role`` (calibrated or projection) and ``verdict``:
    ``pinned`` (spread below 0.5), ``narrowed`` (0.5-0.85) or ``not pinned``.
    """
    accepted = result.unit[result.accepted]
    rows = []
    for j, parameter in enumerate(result.problem.parameters):
        column = accepted[:, j]
        spread = (
            float(column.std() / UNIFORM_STANDARD_DEVIATION) if column.size > 1 else float("nan")
        )
        values = parameter.value(column)
        quantiles = np.quantile(values, [0.05, 0.5, 0.95]) if values.size else [np.nan] * 3
        verdict = (
            ("pinned" if spread < 0.5 else "narrowed" if spread < 0.85 else "not pinned")
            if np.isfinite(spread)
            else "no accepted set"
        )
        rows.append(
            {
                "parameter": parameter.name,
                "low": parameter.low,
                "high": parameter.high,
                "accepted_p05": quantiles[0],
                "accepted_median": quantiles[1],
                "accepted_p95": quantiles[2],
                "spread": spread,
                "role": "projection" if parameter.name in PROJECTION_PARAMETERS else "calibrated",
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def required_targets(problem: CalibrationProblem, allowed_misses=()) -> np.ndarray:
    """Mask (T,) of the targets a set must meet: all but ``allowed_misses`` (target ids).

    Raises
    ------
    ValueError
        An id that is not a target of the problem.
    """
    ids = [target.id for target in problem.targets]
    unknown = sorted(set(allowed_misses) - set(ids))
    if unknown:
        raise ValueError(f"--allow-miss names no target: {unknown}; targets are {ids}")
    return np.array([target_id not in set(allowed_misses) for target_id in ids])


def ensemble_markdown(sample: ChainSample, allowed_misses, command: str) -> str:
    """A short report of an ensemble calibration (Markdown)."""
    result = sample.result
    targets = result.target_table()
    pins = pinning(result)
    distinct = len(np.unique(np.round(result.unit, 12), axis=0))
    lines = [
        "# Ensemble calibration (ABC-MCMC)",
        "",
        f"Command: `{command}`",
        "",
        f"- chains: {len(result.unit)}, steps each: {sample.steps}, runs: "
        f"{result.problem.evaluations}",
        f"- acceptance of proposals after burn-in: {sample.acceptance:.1%}; final step "
        f"scale {sample.scale:.3f} (unit cube)",
        f"- distinct accepted sets: {distinct}; chains that never moved: "
        f"{int((sample.moves == 0).sum())}",
        "- targets a set may miss: "
        + (", ".join(allowed_misses) if allowed_misses else "none (every target is required)"),
        "",
        "## Targets over the accepted sets",
        "",
        "| target | range | 5% | median | 95% | share of final states inside |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for _, row in targets.iterrows():
        lines.append(
            f"| {row['target']} | [{row['low']:.4g}, {row['high']:.4g}] | "
            f"{row['accepted_p05']:.4g} | {row['accepted_median']:.4g} | "
            f"{row['accepted_p95']:.4g} | {row['share_inside']:.0%} |"
        )
    lines += [
        "",
        "## What the history pins down",
        "",
        "Spread: standard deviation of the accepted sets over that of a uniform draw on the "
        "plausible range (1: the data say nothing; below 0.5: pinned).",
        "",
        "| parameter | role | range | 5% | median | 95% | spread | verdict |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for _, row in pins.iterrows():
        lines.append(
            f"| {row['parameter']} | {row['role']} | [{row['low']:.4g}, {row['high']:.4g}] | "
            f"{row['accepted_p05']:.4g} | {row['accepted_median']:.4g} | "
            f"{row['accepted_p95']:.4g} | {row['spread']:.2f} | {row['verdict']} |"
        )
    return "\n".join(lines) + "\n"


def calibrate_ensemble(
    fit,
    chains: int,
    steps: int,
    seed: int,
    allowed_misses=(),
    progress=None,
    starts=None,
) -> ChainSample:
    """ABC-MCMC over :data:`ENSEMBLE_PARAMETERS`, started from a point fit.

    Parameters
    ----------
    fit : renaissance.calibration.run.CalibrationResult
        A point calibration of the same scenario and targets; its best set (with the
        model's defaults for parameters it did not fit) starts every chain.
    chains, steps, seed : int
        See :func:`abc_mcmc`.
    allowed_misses : sequence of str
        Target ids a set may miss (reported); all others are required.
    starts : pandas.DataFrame, optional
        Parameter sets (an earlier ``accepted.csv``) to start the chains from instead of the
        best fit: those that meet the required targets are used (a second stage, when the
        point fit misses a target that other sets meet).

    Raises
    ------
    ValueError
        No start meets the required targets (so no chain can start): the message names
        the targets the best fit misses.
    """
    from renaissance.calibration.problem import free_parameters
    from renaissance.paths import MODEL_FILE

    base = fit.problem
    problem = CalibrationProblem(
        base.prepared, free_parameters(ENSEMBLE_PARAMETERS, MODEL_FILE), base.targets
    )
    fitted = dict(zip([p.name for p in base.parameters], fit.fits[0].unit, strict=True))

    def _start(parameter):
        if parameter.name in fitted:
            return fitted[parameter.name]
        value = base.prepared.params.get(parameter.name, parameter.default)
        return parameter.unit(float(value) if isinstance(value, int | float) else parameter.default)

    start = np.array([_start(parameter) for parameter in problem.parameters])
    start = np.clip(start, 0.0, 1.0)[None, :]
    if starts is not None:
        missing = [p.name for p in problem.parameters if p.name not in starts]
        if missing:
            raise ValueError(f"the chain starts lack the parameters {missing}")
        start = np.clip(
            np.column_stack([p.unit(starts[p.name].to_numpy()) for p in problem.parameters]),
            0.0,
            1.0,
        )
    required = required_targets(problem, allowed_misses)
    values, ok = problem.simulate(start)
    usable = problem.inside(values)[:, required].all(axis=1) & ok
    if starts is not None and usable.any():
        start = start[usable]
    met = problem.inside(values)[int(np.argmax(usable))]
    missed = [t.id for t, inside in zip(problem.targets, met, strict=True) if not inside]
    blocking = [i for i in missed if i not in set(allowed_misses)]
    if blocking or not usable.any():
        raise ValueError(
            f"the best point fit misses {blocking}: no chain can start; the point fit "
            f"meets {len(problem.targets) - len(missed)} of {len(problem.targets)} targets "
            "(name targets a set may miss with --allow-miss, and report them)"
        )
    return abc_mcmc(problem, start, chains, steps, seed, required=required, progress=progress)


def write_ensemble_outputs(sample: ChainSample, allowed_misses, folder, command: str) -> None:
    """Write ``accepted.csv``, ``ensemble.md``, ``ensemble_targets.csv`` and
    ``ensemble_parameters.csv`` into ``folder``."""
    from pathlib import Path

    folder = Path(folder)
    table = sample.result.accepted_table()
    names = [p.name for p in sample.result.problem.parameters]
    table = table.drop_duplicates(subset=names).reset_index(drop=True)  # unmoved chains
    table["member"] = np.arange(len(table))
    table.to_csv(folder / "accepted.csv", index=False, float_format="%.6g")
    sample.result.target_table().to_csv(folder / "ensemble_targets.csv", index=False)
    pinning(sample.result).to_csv(folder / "ensemble_parameters.csv", index=False)
    (folder / "ensemble.md").write_text(
        ensemble_markdown(sample, allowed_misses, command), encoding="utf-8"
    )
