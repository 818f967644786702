"""Ensemble calibration: history matching and ABC-MCMC on a problem with a known answer,
the history targets read from ``history_facts.csv``, and one short real run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from renaissance.calibration.ensemble import (
    EnsembleCalibration,
    abc_mcmc,
    history_match,
    pinning,
    required_targets,
)
from renaissance.calibration.history_targets import (
    HistoryFactsError,
    history_targets,
)
from renaissance.calibration.mapping import Target
from renaissance.calibration.problem import FreeParameter

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


class BoxProblem:
    """Targets on the coordinates themselves: the accepted region is a known box.

    Parameter 0 must lie in [0.45, 0.55] of its range (pinned), parameter 1 in
    [0.1, 0.9] (narrowed a little), parameter 2 anywhere (not pinned).
    """

    def __init__(self):
        self.parameters = [FreeParameter(f"p{i}", 0.0, 10.0, 5.0, "Dmnl") for i in range(3)]
        self.targets = [
            Target(f"t{i}", "", "level", 0.5, low, high, "Dmnl", "test", (), lambda d: d)
            for i, (low, high) in enumerate([(0.45, 0.55), (0.1, 0.9), (0.0, 1.0)])
        ]
        self.evaluations = 0

    def samples(self, unit):
        import pandas as pd

        unit = np.atleast_2d(unit)
        return pd.DataFrame({p.name: p.value(unit[:, j]) for j, p in enumerate(self.parameters)})

    def simulate(self, unit):
        unit = np.atleast_2d(unit)
        self.evaluations += len(unit)
        return unit.copy(), np.ones(len(unit), bool)

    def inside(self, values):
        values = np.atleast_2d(values)
        return np.column_stack([t.inside(values[:, j]) for j, t in enumerate(self.targets)])

    def loss(self, values):
        values = np.atleast_2d(values)
        return sum(t.violation(values[:, j]) ** 2 for j, t in enumerate(self.targets))


def test_history_match_accepts_exactly_the_sets_inside_every_range():
    result = history_match(BoxProblem(), 2000, seed=1)
    inside = (abs(result.unit[:, 0] - 0.5) <= 0.05) & (abs(result.unit[:, 1] - 0.5) <= 0.4)
    np.testing.assert_array_equal(result.accepted, inside)
    table = result.accepted_table()
    assert len(table) == inside.sum()
    assert (table["distance"] == 0).all()


def test_same_seed_same_sets_other_seed_other_sets():
    first = history_match(BoxProblem(), 64, seed=5).unit
    np.testing.assert_array_equal(first, history_match(BoxProblem(), 64, seed=5).unit)
    assert not np.array_equal(first, history_match(BoxProblem(), 64, seed=6).unit)


def test_abc_mcmc_chains_stay_in_and_fill_the_accepted_region():
    problem = BoxProblem()
    start = np.array([[0.5, 0.5, 0.5]])
    sample = abc_mcmc(problem, start, chains=400, steps=60, seed=3, scale=0.05)
    unit = sample.result.unit
    assert sample.result.accepted.all()
    assert 0.45 <= unit[:, 0].min() and unit[:, 0].max() <= 0.55
    # the region is filled: the chains reach near every face of the box, not only the start
    assert unit[:, 1].min() < 0.2 and unit[:, 1].max() > 0.8
    assert unit[:, 2].min() < 0.1 and unit[:, 2].max() > 0.9
    assert (sample.moves > 0).mean() > 0.95
    pins = pinning(sample.result)
    verdicts = dict(zip(pins["parameter"], pins["verdict"], strict=True))
    assert verdicts == {"p0": "pinned", "p1": "narrowed", "p2": "not pinned"}


def test_abc_mcmc_refuses_a_start_outside_the_accepted_region():
    with pytest.raises(ValueError, match="every start"):
        abc_mcmc(BoxProblem(), np.array([[0.9, 0.5, 0.5]]), chains=4, steps=2, seed=0)


def test_an_allowed_miss_is_not_required_and_an_unknown_one_is_refused():
    problem = BoxProblem()
    np.testing.assert_array_equal(required_targets(problem, ["t0"]), [False, True, True])
    with pytest.raises(ValueError, match="names no target"):
        required_targets(problem, ["t9"])
    start = np.array([[0.9, 0.5, 0.5]])  # misses t0, which is allowed
    sample = abc_mcmc(
        problem, start, chains=8, steps=3, seed=0, required=required_targets(problem, ["t0"])
    )
    assert isinstance(sample.result, EnsembleCalibration)
    assert sample.result.accepted.all()


def test_history_targets_read_the_census_facts():
    targets = {t.id: t for t in history_targets(DATA / "history_facts.csv")}
    assert set(targets) == {"H01", "H01-profile", "H02-H03-H04", "H05"}
    assert (targets["H01"].low, targets["H01"].high) == (-0.08, -0.04)
    assert (targets["H02-H03-H04"].low, targets["H02-H03-H04"].high) == (-0.288, -0.154)
    assert targets["H05"].kind == "sign"


def test_history_facts_without_an_address_are_refused(tmp_path):
    import csv

    with (DATA / "history_facts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("address")] = ""
    broken = tmp_path / "history_facts.csv"
    with broken.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[:2])
    with pytest.raises(HistoryFactsError, match=r"history_facts.csv:2: column 'address'"):
        history_targets(broken)
