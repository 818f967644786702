"""Scenario discovery: a shallow decision tree of where a conclusion holds or flips.

Given the sampled parameter sets and a yes/no outcome per run (policy A beats policy
B), the tree splits the plausible space on one parameter at a time, at the threshold
that most reduces the Gini impurity of the outcome (Breiman et al. 1984, *Classification
and Regression Trees*). Each leaf is a box — a list of ``parameter <= t`` / ``> t``
conditions — with the share of runs in it where the outcome holds. It is the
rule-list form of scenario discovery (Bryant & Lempert 2010,
doi:10.1016/j.techfore.2009.08.002), in numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Condition:
    """``parameter <= threshold`` (``above`` False) or ``parameter > threshold``."""

    parameter: str
    threshold: float
    above: bool

    def holds(self, frame: pd.DataFrame) -> np.ndarray:
        """Boolean mask of the rows of ``frame`` meeting the condition."""
        column = frame[self.parameter].to_numpy(dtype=float)
        return column > self.threshold if self.above else column <= self.threshold

    def __str__(self) -> str:
        return f"{self.parameter} {'>' if self.above else '<='} {self.threshold:.4g}"


@dataclass(frozen=True)
class Rule:
    """One leaf of the tree: a box of the parameter space and the outcome inside it.

    Attributes
    ----------
    conditions : tuple of Condition
        All must hold (empty: the whole space).
    runs : int
        Runs inside the box.
    share : float
        Share of those runs where the outcome holds (0-1).
    coverage : float
        Share of all runs where the outcome holds that fall in the box (0-1).
    """

    conditions: tuple[Condition, ...]
    runs: int
    share: float
    coverage: float

    def box(self) -> str:
        """The conditions with those on one parameter merged into one interval."""
        lows: dict[str, float] = {}
        highs: dict[str, float] = {}
        for condition in self.conditions:
            if condition.above:
                lows[condition.parameter] = max(
                    condition.threshold, lows.get(condition.parameter, -np.inf)
                )
            else:
                highs[condition.parameter] = min(
                    condition.threshold, highs.get(condition.parameter, np.inf)
                )
        parts = []
        for name in dict.fromkeys(c.parameter for c in self.conditions):
            low, high = lows.get(name), highs.get(name)
            if low is not None and high is not None:
                parts.append(f"{low:.4g} < {name} <= {high:.4g}")
            elif low is not None:
                parts.append(f"{name} > {low:.4g}")
            else:
                parts.append(f"{name} <= {high:.4g}")
        return " and ".join(parts) or "everywhere"

    def __str__(self) -> str:
        box = self.box()
        return (
            f"if {box}: outcome holds in {100 * self.share:.0f}% of {self.runs} runs "
            f"({100 * self.coverage:.0f}% of all runs where it holds)"
        )


def _best_split(x: np.ndarray, y: np.ndarray, min_leaf: int):
    """Best ``(gain, column, threshold)`` by Gini impurity, or None."""
    runs = y.size
    parent = 2 * y.mean() * (1 - y.mean())
    best = None
    for column in range(x.shape[1]):
        order = np.argsort(x[:, column], kind="stable")
        values, outcome = x[order, column], y[order]
        left_count = np.arange(1, runs)
        left_yes = np.cumsum(outcome)[:-1]
        right_count = runs - left_count
        right_yes = outcome.sum() - left_yes
        left_share = left_yes / left_count
        right_share = right_yes / right_count
        impurity = (
            left_count * 2 * left_share * (1 - left_share)
            + right_count * 2 * right_share * (1 - right_share)
        ) / runs
        valid = (values[1:] > values[:-1]) & (left_count >= min_leaf) & (right_count >= min_leaf)
        if not valid.any():
            continue
        gains = np.where(valid, parent - impurity, -np.inf)
        at = int(np.argmax(gains))
        if best is None or gains[at] > best[0] + 1e-12:
            best = (float(gains[at]), column, float((values[at] + values[at + 1]) / 2))
    return best


def discover_rules(
    samples: pd.DataFrame,
    outcome,
    *,
    depth: int = 2,
    min_share_of_runs: float = 0.05,
    min_gain: float = 1e-3,
) -> list[Rule]:
    """Boxes of the parameter space where an outcome holds or fails.

    Parameters
    ----------
    samples : pandas.DataFrame, shape (runs, D)
        Parameter sets, one column per parameter.
    outcome : array-like of bool, shape (runs,)
        Whether the conclusion holds in each run (NaN-free; drop failed runs first).
    depth : int
        Largest number of conditions in a rule (a tree of this depth).
    min_share_of_runs : float
        Smallest box, as a share of all runs.
    min_gain : float
        Smallest impurity reduction worth a split.

    Returns
    -------
    list of Rule
        The leaves, the boxes where the outcome holds most often first.
    """
    y = np.asarray(outcome, dtype=bool)
    if y.ndim != 1 or y.size != len(samples):
        raise ValueError(
            f"outcome has shape {y.shape}; expected ({len(samples)},), one value per run"
        )
    if y.size == 0:
        raise ValueError("no runs to explain")
    if isinstance(depth, bool) or int(depth) < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    x = samples.to_numpy(dtype=float)
    names = list(samples.columns)
    min_leaf = max(1, int(np.ceil(min_share_of_runs * y.size)))
    total_yes = max(int(y.sum()), 1)
    rules: list[Rule] = []

    def grow(mask: np.ndarray, conditions: tuple[Condition, ...], level: int) -> None:
        inside = y[mask]
        split = None
        if level < depth and 0 < inside.mean() < 1:
            split = _best_split(x[mask], inside.astype(float), min_leaf)
        if split is None or split[0] < min_gain:
            rules.append(
                Rule(
                    conditions,
                    int(mask.sum()),
                    float(inside.mean()),
                    float(inside.sum() / total_yes),
                )
            )
            return
        _, column, threshold = split
        below = x[:, column] <= threshold
        for above, side in ((False, below), (True, ~below)):
            condition = Condition(names[column], threshold, above)
            grow(mask & side, (*conditions, condition), level + 1)

    grow(np.ones(y.size, dtype=bool), (), 0)
    return sorted(rules, key=lambda r: (-r.share, -r.runs))
