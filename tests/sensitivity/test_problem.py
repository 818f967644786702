"""Problems built from the parameter table: selection, ranges, distributions, errors."""

import numpy as np
import pandas as pd
import pytest

from renaissance.sensitivity import Problem, define_problem

TABLE = pd.DataFrame(
    {
        "name": ["Hiring Adjustment Time", "Growth[a]", "Growth[b]", "Fixed", "Backwards"],
        "units": ["year", "1/year", "1/year", "Dmnl", "Dmnl"],
        "default": [2.0, 0.01, 0.02, 1.0, 0.5],
        "low": [1.0, 0.0, 0.0, np.nan, 0.7],
        "high": [4.0, 0.08, 0.08, np.nan, 0.2],
        "source": [""] * 5,
    }
)


def test_names_and_globs_select_rows_in_order():
    problem = define_problem(["growth*", "hiring adjustment time"], table=TABLE)
    assert problem.names == ("Growth[a]", "Growth[b]", "Hiring Adjustment Time")
    assert problem.bounds == ((0.0, 0.08), (0.0, 0.08), (1.0, 4.0))


def test_brackets_are_literal_not_character_classes():
    assert define_problem(["Growth[b]"], table=TABLE).names == ("Growth[b]",)


def test_unknown_parameter_is_named_with_close_matches():
    with pytest.raises(ValueError, match=r"'Hiring Adjustmnt Time'.*did you mean 'Hiring Adj"):
        define_problem(["Hiring Adjustmnt Time"], table=TABLE)


def test_parameter_without_range_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'Fixed' has no plausible range"):
        define_problem(["Fixed"], table=TABLE)


def test_empty_range_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'Backwards' has an empty range \[0.7, 0.2\]"):
        define_problem(["Backwards"], table=TABLE)


def test_bounds_override_the_table():
    problem = define_problem(["Fixed"], table=TABLE, bounds={"Fixed": (0.5, 2.0)})
    assert problem.bounds == ((0.5, 2.0),)


def test_default_selection_leaves_out_unranged_and_broken_rows():
    assert define_problem(table=TABLE).names == (
        "Hiring Adjustment Time",
        "Growth[a]",
        "Growth[b]",
    )


def test_default_selection_on_the_model_leaves_out_scenario_levers():
    names = define_problem().names
    assert "Hiring Adjustment Time" in names
    assert "Policy Half Saturation Intensity[Vocational Training]" in names
    assert not [n for n in names if n.startswith(("Policy Budget", "Confidence Shock"))]


def test_triangular_has_its_mode_at_the_default():
    problem = define_problem(["Hiring*"], table=TABLE, distribution="triangular")
    assert problem.to_salib()["bounds"] == [[1.0, 4.0, pytest.approx(1 / 3)]]
    assert problem.to_salib()["dists"] == ["triang"]


def test_unknown_distribution_is_refused():
    with pytest.raises(ValueError, match=r"distribution 'beta' is not one of"):
        define_problem(["Hiring*"], table=TABLE, distribution="beta")


def test_log_uniform_needs_a_positive_range():
    with pytest.raises(ValueError, match=r"'Growth\[a\]': a log-uniform .* positive"):
        define_problem(["Growth[a]"], table=TABLE, distribution="log-uniform")


def test_duplicates_and_empty_problems_are_refused():
    with pytest.raises(ValueError, match="more than once"):
        Problem.from_bounds({"x": (0, 1)}).__class__(
            names=("x", "x"),
            bounds=((0, 1), (0, 1)),
            defaults=(0.5, 0.5),
            units=("", ""),
            distributions=("uniform", "uniform"),
        )
    with pytest.raises(ValueError, match="at least one parameter"):
        Problem.from_bounds({})
