"""Sampling the plausible space with SALib's samplers, seeded and reproducible.

=========  ==========================================  ==================================
method     SALib sampler                               runs for N samples, D parameters
=========  ==========================================  ==================================
sobol      ``SALib.sample.sobol`` (Saltelli's scheme   ``N (D + 2)``; ``N (2D + 2)`` with
           on a scrambled Sobol' sequence)             second-order indices
morris     ``SALib.sample.morris`` (N trajectories)    ``N (D + 1)``
fast       ``SALib.sample.fast_sampler`` (eFAST)       ``N D``, N > 4 M² (M = 4: N > 64)
lhs        ``SALib.sample.latin``                      ``N``; N >= 42 to analyse (RBD-FAST)
=========  ==========================================  ==================================

Every sampler gets a seed derived from the study's seed, so the same seed gives the same
samples on every machine and scheduler.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from renaissance.sensitivity.problem import Problem

METHODS = ("sobol", "morris", "fast", "lhs")
RBD_HARMONICS = 10
"""Harmonics M of the RBD-FAST analysis of a Latin hypercube (SALib's default)."""
LHS_ANALYSED_MINIMUM = 4 * RBD_HARMONICS + 2
"""Fewest Latin hypercube runs RBD-FAST can analyse: its bias correction divides by
``1 - 2M/n`` and its bootstrap draws ``n = N // 2`` runs, so ``N // 2 > 2M``."""
DEFAULT_SEED = 20260401


def derived_seed(seed: int, purpose: str) -> int:
    """A positive integer seed for one use of the study's seed.

    SALib treats a seed of 0 as "no seed" (``if seed:``), so the seed handed to it is
    derived from the study's seed and the purpose and is never 0.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    entropy = [int(seed), *purpose.encode()]
    return int(np.random.SeedSequence(entropy).generate_state(1, np.uint32)[0]) | 1


@dataclass(frozen=True)
class SampleSet:
    """Parameter sets drawn for one study.

    Attributes
    ----------
    problem : Problem
        The uncertain inputs.
    method : str
        One of :data:`METHODS`.
    samples : int
        N as asked for (base samples, trajectories or LHS points).
    seed : int
        The study's seed.
    values : numpy.ndarray, shape (runs, D)
        One row per model run, one column per parameter, in the parameters' units.
    options : dict
        Method options (``second_order``, ``levels``, ``harmonics``).
    """

    problem: Problem
    method: str
    samples: int
    seed: int
    values: np.ndarray = field(repr=False)
    options: dict = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """Number of model runs (rows of :attr:`values`)."""
        return int(self.values.shape[0])

    def to_frame(self) -> pd.DataFrame:
        """The samples as a table: one row per run, one column per parameter."""
        return pd.DataFrame(self.values, columns=list(self.problem.names))


def _check_method(method: str) -> None:
    if method not in METHODS:
        close = difflib.get_close_matches(str(method), METHODS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"method {method!r} is not one of {METHODS}{hint}")


def check_samples(method: str, samples: int, harmonics: int = 4, *, analysed: bool = False) -> None:
    """Refuse a sample size the method cannot use.

    ``analysed``: the samples will be analysed too (Latin hypercubes then need more
    :data:`LHS_ANALYSED_MINIMUM` runs for RBD-FAST; for bands any N >= 2 does).
    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise ValueError(f"samples must be an integer, got {samples!r}")
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        lower = 1 << max(1, int(samples).bit_length() - 1)
        raise ValueError(
            f"sobol: samples N={samples} is not a power of two; the Sobol' sequence keeps "
            f"its balance only for N = 2^k (try {lower} or {lower * 2})"
        )
    if method == "fast" and samples <= 4 * harmonics**2:
        raise ValueError(
            f"fast: samples N={samples} must exceed 4 M^2 = {4 * harmonics**2} "
            f"(M = {harmonics} harmonics)"
        )
    if method == "morris" and samples < 2:
        raise ValueError(f"morris: samples N={samples} must be at least 2 trajectories")
    if method == "lhs" and samples < 2:
        raise ValueError(f"lhs: samples N={samples} must be at least 2")
    if method == "lhs" and analysed and samples < LHS_ANALYSED_MINIMUM:
        raise ValueError(
            f"lhs: samples N={samples} must be at least {LHS_ANALYSED_MINIMUM}: its RBD-FAST "
            f"indices use M = {RBD_HARMONICS} harmonics and bootstrap on half of the runs"
        )


def sample(
    problem: Problem,
    method: str,
    samples: int,
    seed: int = DEFAULT_SEED,
    *,
    second_order: bool = False,
    levels: int = 4,
    harmonics: int = 4,
) -> SampleSet:
    """Draw the parameter sets of a study.

    Parameters
    ----------
    problem : Problem
        The uncertain inputs.
    method : {"sobol", "morris", "fast", "lhs"}
        Sampler (see the module's table for the number of runs).
    samples : int
        N: Sobol' base samples (a power of two), Morris trajectories, eFAST samples per
        parameter (> 4 M²), or Latin hypercube points.
    seed : int
        Non-negative; the same seed gives the same samples.
    second_order : bool
        Sobol only: also sample for second-order indices (about twice the runs).
    levels : int
        Morris only: grid levels p.
    harmonics : int
        eFAST only: interference factor M.

    Returns
    -------
    SampleSet
    """
    from SALib.sample import fast_sampler, latin, morris, sobol

    _check_method(method)
    check_samples(method, samples, harmonics)
    salib = problem.to_salib()
    rng_seed = derived_seed(seed, f"sample:{method}")
    if method == "sobol":
        values = sobol.sample(salib, int(samples), calc_second_order=second_order, seed=rng_seed)
    elif method == "morris":
        values = morris.sample(salib, int(samples), num_levels=levels, seed=rng_seed)
    elif method == "fast":
        values = fast_sampler.sample(salib, int(samples), M=harmonics, seed=rng_seed)
    else:
        values = latin.sample(salib, int(samples), seed=rng_seed)
    options = {
        "second_order": bool(second_order),
        "levels": int(levels),
        "harmonics": int(harmonics),
    }
    return SampleSet(
        problem=problem,
        method=method,
        samples=int(samples),
        seed=int(seed),
        values=np.asarray(values, dtype=float),
        options=options,
    )
