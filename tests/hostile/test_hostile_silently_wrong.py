"""Silently wrong, or checked too late (issue 18): refused at validation, exit 2."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hostile_helpers import assert_refused, model_text

from renaissance import hard_limits
from renaissance.parameters import parameter_table
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE
from renaissance.roster_schema import RosterError, check_roster


def roster_folder(tmp_path, change=None, regions_change=None):
    """A copy of the showcase roster in ``tmp_path/roster``, ``change``d (a function)."""
    folder = tmp_path / "roster"
    folder.mkdir(exist_ok=True)
    districts = pd.read_csv(MODEL_DIRECTORY / "districts.csv").astype(object)
    regions = pd.read_csv(MODEL_DIRECTORY / "regions.csv").astype(object)
    if change:
        districts = change(districts)
    if regions_change:
        regions = regions_change(regions)
    districts.to_csv(folder / "districts.csv", index=False)
    regions.to_csv(folder / "regions.csv", index=False)
    return folder


def cell(column, value, row=0):
    def change(table):
        table.loc[row, column] = value
        return table

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (cell("region_number", 99), "region_number (row 1 'Sassuolo'): 99 names no region"),
        (cell("region_number", 1), "but the region column says 'Emilia-Romagna'"),
        (cell("segment_number", 0), "segment_number (row 1 'Sassuolo'): 0"),
        (cell("segment_number", 1), "is the segment 'Person Goods'"),
        (cell("region", "Atlantis"), "'Atlantis' is not a region of regions.csv"),
        (cell("employment_1991", ""), "employment_1991 (row 1 'Sassuolo'): empty"),
        (cell("employment_1991", "many"), "'many' is not a number"),
        (cell("skill_level_1991", -1), "skill_level_1991 (row 1 'Sassuolo'): -1"),
        (cell("exports_1991", "inf"), "'inf' is not a number"),
        (cell("export_market_share_1991", 1.5), "export_market_share_1991 (row 1 'Sassuolo'): 1.5"),
        (cell("urban_cluster", 0.5), "urban_cluster (row 1 'Sassuolo'): 0.5"),
        (cell("archetype", "high-road"), "'high-road' is not one of"),
        (cell("district", "Prato"), "'Prato' is given twice"),
        (cell("district", "../up"), "a slash"),
        (lambda t: t.drop(columns=["confidence_1991"]), "missing column(s): confidence_1991"),
        (lambda t: t[[*t.columns[1:2], t.columns[0], *t.columns[2:]]], "the model reads column A"),
        (lambda t: t.iloc[0:0], "header only"),
        (cell("employment_1991", 4.9e6), "not below the model's national 1991 total"),
    ],
)
def test_roster_problem_is_refused_at_validation(cli, tmp_path, change, expected):
    roster_folder(tmp_path, change)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: n\ndescription: d\nroster: roster\n", encoding="utf-8")
    outcome = cli("validate", scenario)
    assert_refused(outcome, str(tmp_path / "roster" / "districts.csv"))
    assert expected in outcome.stderr


def test_every_roster_problem_is_listed_at_once(tmp_path):
    def change(table):
        table.loc[0, "segment_number"] = 0
        table.loc[3, "export_market_share_1991"] = 1.5
        table.loc[5, "employment_1991"] = "many"
        return table

    with pytest.raises(RosterError) as caught:
        check_roster(roster_folder(tmp_path, change))
    assert len(caught.value.errors) == 3
    assert [e.line for e in caught.value.errors] == [2, 5, 7]


def test_empty_roster_file_is_refused(tmp_path):
    folder = roster_folder(tmp_path)
    (folder / "districts.csv").write_bytes(b"")
    with pytest.raises(RosterError, match="empty"):
        check_roster(folder)


def test_binary_roster_file_is_refused(tmp_path):
    folder = roster_folder(tmp_path)
    (folder / "regions.csv").write_bytes(b"\x00\xff" * 100)
    with pytest.raises(RosterError, match=r"regions\.csv"):
        check_roster(folder)


def test_shipped_rosters_follow_the_schema():
    check_roster(MODEL_DIRECTORY)
    check_roster(MODEL_DIRECTORY / "national")


def test_committed_roster_schema_is_current():
    import json

    from renaissance.roster_schema import table_schema

    committed = json.loads((MODEL_DIRECTORY / "roster.schema.json").read_text("utf-8"))
    assert committed == table_schema(), (
        "regenerate: renaissance schema roster > models/roster.schema.json"
    )


def test_parameter_given_twice_once_with_a_trailing_space_is_refused(cli, write):
    path = write(
        "s.yaml",
        'name: n\ndescription: d\nparameters:\n  "Hiring Adjustment Time": 2\n'
        '  "Hiring Adjustment Time ": 3\n',
    )
    outcome = cli("validate", path)
    assert_refused(outcome, f"{path}:5")
    assert "given twice" in outcome.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "policies:\n  - {instrument: Network Contracts, scale: local, budget: 1"
            + "0" * 400
            + "}",
            "too large to be a number",
        ),
        ("seed: 9223372036854775808", "above the largest allowed value"),
        ("seed: " + "9" * 5000, "too many digits"),
    ],
)
def test_huge_integers_are_refused(cli, write, text, words):
    path = write("s.yaml", "name: n\ndescription: d\n" + text + "\n")
    outcome = cli("validate", path)
    assert_refused(outcome, str(path))
    assert words in outcome.stderr


@pytest.mark.parametrize(
    ("parameter", "value", "words"),
    [
        ("Hiring Adjustment Time", 0, "a time constant, > 0"),
        ("Technical Capital Depreciation Rate", -0.1, "a rate, >= 0"),
        ("Subsidy Deadweight Share", 1.5, "a share, in [0, 1]"),
    ],
)
def test_allow_out_of_range_does_not_lift_hard_limits(cli, write, parameter, value, words):
    path = write(
        "s.yaml",
        f"name: n\ndescription: d\nallow_out_of_range: true\nparameters:\n  {parameter}: {value}\n",
    )
    outcome = cli("validate", path)
    assert_refused(outcome, f"{path}:5")
    assert words in outcome.stderr and "does not lift hard limits" in outcome.stderr


def test_allow_out_of_range_still_lifts_plausible_ranges(cli, write):
    path = write(
        "s.yaml",
        "name: n\ndescription: d\nallow_out_of_range: true\nparameters:\n"
        "  Technical Capital Depreciation Rate: 0.5\n",
    )
    assert cli("validate", path).status == 0


def test_every_default_and_plausible_range_lies_within_the_hard_limits():
    table = parameter_table(MODEL_FILE)
    for row in table.itertuples():
        assert (
            hard_limits.violation(row.default, row.hard_rule, row.hard_low, row.hard_high) is None
        ), row.name
        for end in (row.low, row.high):
            if math.isnan(end) or (row.hard_rule in ("time", "divisor", "index") and end == 0):
                continue
            assert hard_limits.violation(end, row.hard_rule, row.hard_low, row.hard_high) is None, (
                row.name,
                end,
            )


@pytest.mark.parametrize(
    ("name", "units", "rule"),
    [
        ("Hiring Adjustment Time", "year", "time"),
        ("Policy Start Year", "year", "year"),
        ("Policy Ramp Years", "year", "span"),
        ("World Demand Growth Rate", "1/year", "growth"),
        ("Social Capital Erosion Rate", "1/year", "rate"),
        ("Subsidy Deadweight Share", "Dmnl", "share"),
        ("Initial National Social Capital", "Dmnl", "index"),
        ("Export Price Elasticity", "Dmnl", "signed"),
        ("Confidence Shock Size", "Dmnl", "signed"),
        ("Policy Allocation Rule", "Dmnl", "whole"),
        ("Initial National Public Goods", "M€", "divisor"),
        ("Policy Budget", "M€/year", "amount"),
    ],
)
def test_hard_limit_rules_follow_units_and_names(name, units, rule):
    assert hard_limits.rule_of(name, units) == rule


def test_final_time_before_initial_time_is_refused(cli, write):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n", final=-5))
    outcome = cli("simulate", model)
    assert outcome.status == 2 and "FINAL TIME (-5) is before INITIAL TIME (0)" in outcome.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_params_with_a_non_finite_value_are_refused(cli, write, value):
    model = write("m.mdl", model_text("Rate = 1\n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", model, "--params", f"Rate={value}")
    assert outcome.status == 2 and "not a finite number" in outcome.stderr


@pytest.mark.parametrize("flag", ["--dt", "--saveper"])
@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_non_positive_time_flags_are_refused(cli, write, flag, value):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n"))
    assert cli("simulate", model, flag, value).status == 2


def test_lookup_with_unsorted_x_is_refused_with_its_line(cli, write):
    model = write(
        "m.mdl",
        model_text(
            "f(\n[(0,0)-(1,1)],(0,0),(0.8,1),(0.5,0.2),(1,1))\n~ Dmnl\n~ |\n"
            "x = f(Time/10)\n~ Dmnl\n~ |\n"
        ),
    )
    outcome = cli("simulate", model)
    assert_refused(outcome, "m.mdl:2")
    assert "x values must increase" in outcome.stderr


def test_duplicate_years_of_a_series_are_refused(cli, write):
    path = write(
        "s.yaml",
        "name: n\ndescription: d\nexogenous:\n  World Demand Growth Rate:\n"
        "    2020: 0.01\n    2020.0: 0.02\n",
    )
    outcome = cli("validate", path)
    assert_refused(outcome, str(path))
    assert "2020" in outcome.stderr


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--params", "Nothing=1", "is not a variable of the model"),
        ("--params", "x[a]=1", "needs 0 elements"),
        ("--return-columns", "Nothing", "is not a variable of the model"),
    ],
)
def test_simulate_flags_naming_what_the_model_lacks_exit_2(cli, write, flag, value, words):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", model, flag, value)
    assert_refused(outcome, flag)
    assert words in outcome.stderr
