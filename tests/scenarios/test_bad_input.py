"""Every kind of bad scenario input gives a ScenarioError naming the file, key and line."""

import pytest

from renaissance.scenarios import ScenarioError, load_scenario


def error_of(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value


def test_malformed_yaml_gives_line_and_column(write):
    path = write(
        "bad.yaml",
        """
        name: trial
        description: [unclosed
        horizon: {start: 1991}
    """,
    )
    error = error_of(path)
    assert error.file == str(path)
    assert error.line == 3 and error.column is not None
    assert "malformed YAML" in str(error) and str(path) in str(error)


def test_unknown_top_level_key_suggests_the_close_match(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        polices: []
    """,
        )
    )
    assert error.key == "polices" and error.line == 3
    assert "did you mean 'policies'" in str(error)


def test_unknown_key_inside_a_policy(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        policies:
          - {instrument: Network Contracts, scale: local, budget: 5, budjet: 3}
    """,
        )
    )
    assert error.key == "policies[0].budjet"
    assert "did you mean 'budget'" in str(error)


def test_duplicate_key_is_refused(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        name: again
    """,
        )
    )
    assert error.key == "name" and "twice" in str(error)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("instrument", "Network Contract", "did you mean 'Network Contracts'"),
        ("scale", "provincial", "unknown scale 'provincial'"),
        ("allocation", "place based", "did you mean 'place-based'"),
    ],
)
def test_unknown_vocabulary_in_a_policy(write, field, value, message):
    policy = {"instrument": "Network Contracts", "scale": "local", "budget": 5, field: value}
    text = ", ".join(f"{k}: {v}" for k, v in policy.items())
    error = error_of(
        write(
            "s.yaml",
            f"""
        name: trial
        description: d
        policies:
          - {{{text}}}
    """,
        )
    )
    assert error.key == f"policies[0].{field}"
    assert message in str(error) and error.line == 4


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("{districts: [Sasuolo]}", "did you mean 'Sassuolo'"),
        ("{regions: [Tuscanny]}", "did you mean 'Tuscany'"),
        ("{archetypes: [high-road]}", "unknown archetype (GVC model) 'high-road'"),
        ("{provinces: [Prato]}", "unknown key 'provinces'"),
        ("some", "targets must be 'all' or a mapping"),
    ],
)
def test_unknown_targets(write, targets, message):
    error = error_of(
        write(
            "s.yaml",
            f"""
        name: trial
        description: d
        policies:
          - instrument: Network Contracts
            scale: local
            budget: 5
            targets: {targets}
    """,
        )
    )
    assert message in str(error)
    assert error.key.startswith("policies[0].targets")


def test_unknown_parameter_suggests_a_close_name(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        parameters:
          Low Cost Competition Increse: 2
    """,
        )
    )
    assert error.key == "parameters.'Low Cost Competition Increse'"
    assert error.line == 4
    assert "did you mean 'Low Cost Competition Increase'" in str(error)


def test_parameter_cell_with_an_unknown_element(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        parameters:
          World Demand Growth Rate[Mechanic]: 0.03
    """,
        )
    )
    assert "'Mechanic' is not an element of Segment" in str(error)
    assert "did you mean 'Mechanics'" in str(error)


def test_policy_levers_and_shock_hooks_are_refused_under_parameters(write):
    lever = error_of(
        write(
            "a.yaml",
            """
        name: trial
        description: d
        parameters: {Policy Budget: 5}
    """,
        )
    )
    assert "policy lever: write it under policies" in str(lever)
    hook = error_of(
        write(
            "b.yaml",
            """
        name: trial
        description: d
        parameters: {World Demand Shock Size: -0.1}
    """,
        )
    )
    assert "shock hook: write it under shocks (variable: world demand)" in str(hook)


def test_computed_variable_is_not_a_parameter(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        parameters: {National Manufacturing Employment: 5}
    """,
        )
    )
    assert "computed by the model" in str(error) and "exogenous" in str(error)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"much"', "expected a number, got a text"),
        ("true", "expected a number, got a boolean"),
        ("[1, 2]", "expected a number, got a list"),
        (".nan", "nan is not a finite number"),
        (".inf", "inf is not a finite number"),
        ("-5", "-5 M€/year is outside the allowed range [0, 5000] M€/year"),
    ],
)
def test_wrong_budget_values(write, value, message):
    error = error_of(
        write(
            "s.yaml",
            f"""
        name: trial
        description: d
        policies:
          - instrument: Innovation Funds
            scale: regional
            budget: {value}
    """,
        )
    )
    assert error.key == "policies[0].budget" and error.line == 6
    assert message in str(error)


def test_end_before_start(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        policies:
          - {instrument: Innovation Funds, scale: local, budget: 5, start: 2030, end: 2028}
    """,
        )
    )
    assert error.key == "policies[0].end"
    assert "end (2028) must be after start (2030)" in str(error)


@pytest.mark.parametrize(
    ("horizon", "key", "message"),
    [
        ("{dt: 0}", "horizon.dt", "outside the allowed range (0, 59] year"),
        ("{dt: -0.25}", "horizon.dt", "outside the allowed range"),
        ("{stop: 2000, dt: 20}", "horizon.dt", "outside the allowed range (0, 9] year"),
        ("{start: 2030, stop: 2020}", "horizon.stop", "must be after start"),
        ("{start: 1980}", "horizon.start", "outside the allowed range [1991, 2100]"),
        ("{dt: 0.3, saveper: 1}", "horizon.saveper", "must be a multiple of dt"),
    ],
)
def test_bad_horizons(write, horizon, key, message):
    error = error_of(
        write(
            "s.yaml",
            f"""
        name: trial
        description: d
        horizon: {horizon}
    """,
        )
    )
    assert error.key == key
    assert message in str(error)


def test_nan_parameter_and_out_of_range_parameter(write):
    error = error_of(
        write(
            "a.yaml",
            """
        name: trial
        description: d
        parameters: {Low Cost Competition Increase: .nan}
    """,
        )
    )
    assert "not a finite number" in str(error)
    error = error_of(
        write(
            "b.yaml",
            """
        name: trial
        description: d
        parameters: {Low Cost Competition Increase: 9}
    """,
        )
    )
    assert "outside the allowed range [0.5, 2.5] Dmnl" in str(error)
    assert "allow_out_of_range: true" in str(error)


def test_allow_out_of_range_lifts_the_range_but_not_finiteness(write):
    scenario = load_scenario(
        write(
            "a.yaml",
            """
        name: trial
        description: d
        allow_out_of_range: true
        parameters: {Low Cost Competition Increase: 9}
    """,
        )
    )
    assert dict(scenario.parameters) == {"Low Cost Competition Increase": 9.0}
    error = error_of(
        write(
            "b.yaml",
            """
        name: trial
        description: d
        allow_out_of_range: true
        parameters: {Low Cost Competition Increase: .inf}
    """,
        )
    )
    assert "not a finite number" in str(error)


def test_cycle_in_extends_names_the_chain(write):
    write("a.yaml", "name: a\ndescription: d\nextends: b\n")
    write("b.yaml", "name: b\ndescription: d\nextends: c\n")
    path = write("c.yaml", "name: c\ndescription: d\nextends: a.yaml\n")
    error = error_of(path.parent / "a.yaml")
    assert "cycle" in str(error) and "a.yaml -> b.yaml -> c.yaml -> a.yaml" in str(error)
    assert error.key == "extends"


def test_extends_a_missing_scenario(write):
    error = error_of(write("a.yaml", "name: a\ndescription: d\nextends: basline\n"))
    assert error.key == "extends" and "no such scenario" in str(error)
    assert "did you mean 'baseline'" in str(error)


def test_missing_file_and_missing_required_keys(write, tmp_path):
    error = error_of(tmp_path / "nowhere.yaml")
    assert "file not found" in str(error) and "nowhere.yaml" in str(error)
    error = error_of(write("empty.yaml", "\n"))
    assert "empty" in str(error)
    error = error_of(write("noname.yaml", "description: d\n"))
    assert "missing required key 'name'" in str(error)


def test_two_policies_for_one_instrument_and_scale(write):
    error = error_of(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        policies:
          - {instrument: Innovation Funds, scale: local, budget: 5}
          - {instrument: Innovation Funds, scale: [regional, local], budget: 5}
    """,
        )
    )
    assert "a second policy for Innovation Funds at scale local" in str(error)


def test_two_shocks_of_one_kind_and_targets_on_a_world_shock(write):
    error = error_of(
        write(
            "a.yaml",
            """
        name: trial
        description: d
        shocks:
          - {variable: low cost, start: 2030, size: 1}
          - {variable: low cost, start: 2035, size: 1}
    """,
        )
    )
    assert "a second 'low cost' shock" in str(error)
    error = error_of(
        write(
            "b.yaml",
            """
        name: trial
        description: d
        shocks:
          - {variable: world demand, start: 2030, size: -0.1, targets: {districts: [Prato]}}
    """,
        )
    )
    assert "only a district demand shock has targets" in str(error)


def test_bad_roster(write):
    error = error_of(write("s.yaml", "name: a\ndescription: d\nroster: regional\n"))
    assert error.key == "roster" and "neither 'showcase' nor 'national'" in str(error)


@pytest.mark.parametrize("section", ["parameters", "exogenous"])
def test_a_variable_given_as_a_whole_and_by_cell_is_refused(write, section):
    values = ("0.02", "0.03") if section == "parameters" else ("{2000: 0.02}", "{2000: 0.03}")
    error = error_of(
        write(
            "s.yaml",
            f"""
        name: trial
        description: d
        {section}:
          World Demand Growth Rate: {values[0]}
          World Demand Growth Rate[Mechanics]: {values[1]}
    """,
        )
    )
    assert "given both as a whole and by cell" in str(error)
    assert error.key == f"{section}.'World Demand Growth Rate[Mechanics]'"
