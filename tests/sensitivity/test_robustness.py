"""Policy comparison: shares, intervals, indices of the difference, discovered rules."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from renaissance.sensitivity import Problem, evaluate_function, sample
from renaissance.sensitivity.discovery import discover_rules
from renaissance.sensitivity.robustness import compare_outputs, wilson_interval

PROBLEM = Problem.from_bounds({"cost": (0.0, 1.0), "noise": (0.0, 1.0), "demand": (0.0, 1.0)})


def test_rules_recover_a_known_box():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.uniform(size=(2000, 3)), columns=["cost", "noise", "demand"])
    holds = (frame["cost"] < 0.3) & (frame["demand"] > 0.6)
    rules = discover_rules(frame, holds, depth=2)
    best = rules[0]
    assert best.share == 1.0 and best.coverage == 1.0
    assert {str(c).split()[0] for c in best.conditions} == {"cost", "demand"}
    thresholds = {c.parameter: c.threshold for c in best.conditions}
    assert thresholds["cost"] == pytest.approx(0.3, abs=0.02)
    assert thresholds["demand"] == pytest.approx(0.6, abs=0.02)
    assert sum(rule.runs for rule in rules) == 2000


def test_conditions_on_one_parameter_read_as_an_interval():
    from renaissance.sensitivity.discovery import Condition, Rule

    rule = Rule(
        (Condition("x", 0.2, True), Condition("y", 5.0, False), Condition("x", 0.6, False)),
        runs=10,
        share=0.5,
        coverage=0.25,
    )
    assert rule.box() == "0.2 < x <= 0.6 and y <= 5"
    assert str(rule) == (
        "if 0.2 < x <= 0.6 and y <= 5: outcome holds in 50% of 10 runs "
        "(25% of all runs where it holds)"
    )


def test_a_constant_outcome_gives_one_rule_for_everything():
    frame = pd.DataFrame({"a": np.linspace(0, 1, 50)})
    (rule,) = discover_rules(frame, np.ones(50, dtype=bool))
    assert rule.conditions == () and rule.share == 1.0
    assert str(rule).startswith("if everywhere")


def test_outcome_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match=r"expected \(3,\), one value per run"):
        discover_rules(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), [True, False])


def test_wilson_interval_known_value():
    # Wilson (1927): 8 successes in 10 trials -> (0.490, 0.943) at 95%
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)


def _compare(better):
    drawn = sample(PROBLEM, "sobol", 256, seed=5)
    # A wins exactly where cost < 0.25; the difference is driven by cost alone
    first = evaluate_function(lambda x: 1.0 - 4.0 * x[:, 0], drawn).rename("y")
    second = xr.zeros_like(first)
    return compare_outputs(drawn, first, second, first_label="A", second_label="B", better=better)


def test_share_indices_and_rules_of_a_comparison():
    comparison = _compare("higher")
    assert comparison.share == pytest.approx(0.25, abs=0.01)
    assert comparison.interval[0] < comparison.share < comparison.interval[1]
    st = comparison.indices["ST"].isel(output=0)
    assert float(st.sel(parameter="cost")) > 0.9
    assert float(st.sel(parameter="noise")) == pytest.approx(0, abs=0.01)
    best = comparison.rules[0]
    assert [c.parameter for c in best.conditions] == ["cost"] and best.share == 1.0
    assert "A beats B" in comparison.summary()


def test_lower_is_better_flips_the_share():
    assert _compare("lower").share == pytest.approx(0.75, abs=0.01)


def test_trajectories_cannot_be_compared():
    drawn = sample(PROBLEM, "lhs", 64, seed=1)
    trajectory = xr.DataArray(np.zeros((64, 3)), dims=("member", "time"), name="y")
    with pytest.raises(ValueError, match=r"use an output at a year"):
        compare_outputs(drawn, trajectory, trajectory)
