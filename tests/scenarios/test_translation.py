"""Scenarios become the model's lever and hook values, and runs carry provenance."""

import numpy as np
import pytest

from renaissance.scenarios import load_scenario, prepare_scenario, scenario_params
from renaissance.scenarios.schema import Targets
from renaissance.scenarios.validation import reached_districts
from renaissance.scenarios.vocabulary import vocabulary


def test_policy_fields_become_lever_cells(write):
    scenario = load_scenario(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        policies:
          - instrument: Innovation Funds
            scale: [local, regional]
            budget: 12
            start: 2030
            end: 2040
            ramp: 3
            capture_share: 0.25
            allocation: firm-level
            stop_and_go: {cycle_years: 4, on_share: 0.25}
    """,
        )
    )
    params = scenario_params(scenario)
    for scale in ("Local", "Regional"):
        cell = f"Innovation Funds,{scale}"
        assert params["Policy Budget"][cell] == 12
        assert params["Policy Start Year"][cell] == 2030
        assert params["Policy End Year"][cell] == 2040
        assert params["Policy Ramp Years"][cell] == 3
        assert params["Policy Capture Share"][cell] == 0.25
        assert params["Policy Allocation Rule"][cell] == 3
        assert params["Policy Stop Go Cycle Years"][cell] == 4
        assert params["Policy On Share of Cycle"][cell] == 0.25
    assert "Innovation Funds,National" not in params["Policy Budget"]
    assert "Policy Target Weight" not in params  # all districts: the model's default


def test_targets_zero_the_weights_of_districts_not_reached(write):
    scenario = load_scenario(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        policies:
          - instrument: Network Contracts
            scale: local
            budget: 3
            targets: {districts: [Prato], regions: [Apulia], archetypes: [outward-oriented GVC-led]}
    """,
        )
    )
    words = vocabulary("showcase")
    table = words.roster_table.set_index("district")
    reached = set(reached_districts(scenario.policies[0].targets, words))
    expected = {
        d
        for d in table.index
        if d == "Prato"
        or table.loc[d, "region"] == "Apulia"
        or table.loc[d, "archetype"] == "outward-oriented GVC-led"
    }
    assert reached == expected and "Barletta" in reached and len(reached) < len(table)
    weights = scenario_params(scenario)["Policy Target Weight"]
    assert {k.split(",")[2] for k in weights} == set(table.index) - expected
    assert set(weights.values()) == {0.0}


def test_all_targets_reach_every_district():
    words = vocabulary("showcase")
    assert reached_districts(Targets(), words) == words.districts


def test_shocks_set_the_hooks(write):
    scenario = load_scenario(
        write(
            "s.yaml",
            """
        name: trial
        description: d
        shocks:
          - {variable: world demand, start: 2031, duration: 2, size: -0.2}
          - {variable: district demand, start: 2032, size: -0.3, targets: {districts: [Prato]}}
    """,
        )
    )
    params = scenario_params(scenario)
    assert params["World Demand Shock Size"] == -0.2
    assert params["World Demand Shock Start"] == 2031
    assert params["World Demand Shock Duration"] == 2
    assert params["District Demand Shock Size"] == {"Prato": -0.3}
    assert params["District Demand Shock Duration"] == 1.0


def test_extends_merges_policies_by_instrument_and_scale(write):
    write(
        "parent.yaml",
        """
        name: parent
        description: d
        seed: 7
        horizon: {stop: 2040}
        parameters: {Low Cost Competition Increase: 1.5, MNE Collaboration Share: 0.2}
        policies:
          - {instrument: Innovation Funds, scale: [local, national], budget: 10, start: 2030}
    """,
    )
    child = load_scenario(
        write(
            "child.yaml",
            """
        name: child
        description: d
        extends: parent
        horizon: {dt: 0.25}
        parameters: {MNE Collaboration Share: 0.9}
        policies:
          - {instrument: Innovation Funds, scale: national, budget: 4}
          - {instrument: Vocational Training, scale: local, budget: 2}
        all_policies: {capture_share: 0.3}
    """,
        )
    )
    assert child.seed == 7 and child.horizon.stop == 2040 and child.horizon.dt == 0.25
    assert dict(child.parameters) == {
        "Low Cost Competition Increase": 1.5,
        "MNE Collaboration Share": 0.9,
    }
    policies = {(p.instrument, p.scale): p for p in child.policies}
    assert set(policies) == {
        ("Innovation Funds", "Local"),
        ("Innovation Funds", "National"),
        ("Vocational Training", "Local"),
    }
    assert policies["Innovation Funds", "National"].budget == 4
    assert policies["Innovation Funds", "National"].start == 2030  # inherited field
    assert policies["Innovation Funds", "Local"].budget == 10
    assert all(p.capture_share == 0.3 for p in child.policies)
    assert [name.rsplit("/", 1)[-1] for name, _ in child.files] == ["child.yaml", "parent.yaml"]


def test_library_compares_equal_budgets():
    budgets = {
        name: load_scenario(name).total_budget
        for name in (
            "system-mix",
            "captured-mix",
            "stop-and-go-mix",
            "firm-subsidies",
            "place-blind-cities",
            "reshoring",
            "mne-collaborative",
            "mne-predatory",
            "system-mix-local",
            "system-mix-national",
        )
    }
    assert set(budgets.values()) == {300.0}, budgets
    assert load_scenario("baseline").total_budget == 0


@pytest.fixture(scope="module")
def baseline_run():
    return prepare_scenario(load_scenario("baseline")).run()


def test_zero_budget_scenario_equals_the_baseline(write, baseline_run):
    scenario = load_scenario(
        write(
            "zero.yaml",
            """
        name: zero
        description: d
        extends: baseline
        policies:
          - {instrument: Innovation Funds, scale: local, budget: 0, capture_share: 0.5}
    """,
        )
    )
    run = prepare_scenario(scenario).run()
    employment = "National Manufacturing Employment"
    np.testing.assert_array_equal(run[employment].values, baseline_run[employment].values)


def test_run_is_reproducible_and_carries_provenance(baseline_run):
    again = prepare_scenario(load_scenario("baseline")).run()
    for name in ("National Manufacturing Employment", "Composite Capital Index"):
        np.testing.assert_array_equal(again[name].values, baseline_run[name].values)
    attrs = baseline_run.attrs
    assert attrs["scenario"] == "baseline" and attrs["scenario_file"] == "baseline.yaml"
    assert len(attrs["scenario_sha256"]) == 64 and len(attrs["model_sha256"]) == 64
    assert attrs["integrator"] == "euler" and attrs["time_step"] == 0.125
    assert attrs["seed"] == 2026 and attrs["renaissance_version"]
    assert float(baseline_run.time[0]) == 1991 and float(baseline_run.time[-1]) == 2050


def test_policy_mix_spends_its_budget(baseline_run):
    run = prepare_scenario(load_scenario("system-mix")).run()
    spending = run["Public Policy Spending"].sel(time=[2025, 2027, 2028, 2040]).values
    np.testing.assert_allclose(spending, [0.0, 150.0, 300.0, 300.0])  # a 2-year ramp
    employment = "Total District Manufacturing Employment"
    assert float(run[employment].sel(time=2040)) != float(baseline_run[employment].sel(time=2040))


def test_horizon_start_cuts_the_reported_years(write):
    scenario = load_scenario(
        write(
            "late.yaml",
            """
        name: late
        description: d
        horizon: {start: 2000, stop: 2010, dt: 0.25, saveper: 1}
    """,
        )
    )
    run = prepare_scenario(scenario).run()
    assert run.time.values.tolist() == list(range(2000, 2011))


def test_exogenous_series_at_the_model_values_change_nothing(write, baseline_run):
    scenario = load_scenario(
        write(
            "flat.yaml",
            """
        name: flat
        description: d
        extends: baseline
        exogenous:
          World Demand Scale: {1991: 1, 2050: 1}
          Segment Low Cost Exposure[Mechanics]: {2000: 0.05}
    """,
        )
    )
    run = prepare_scenario(scenario).run()
    for name in ("National Manufacturing Employment", "District Exports"):
        np.testing.assert_allclose(run[name].values, baseline_run[name].values, rtol=1e-12)


def test_exogenous_series_drive_the_model(write, baseline_run):
    scenario = load_scenario(
        write(
            "dip.yaml",
            """
        name: dip
        description: d
        extends: baseline
        exogenous:
          World Demand Scale: {2030: 1.0, 2031: 0.8, 2035: 1.0}
          Segment Low Cost Exposure[Person Goods]: {2030: 0.35, 2040: 0.7}
    """,
        )
    )
    params = scenario_params(scenario)
    exposure = params["Segment Low Cost Exposure"]
    assert exposure.dims == ("time", "Segment")
    np.testing.assert_allclose(exposure.sel(Segment="Mechanics").values, 0.05)
    np.testing.assert_allclose(exposure.sel(Segment="Person Goods").values, [0.35, 0.7])
    run = prepare_scenario(scenario).run()
    ratio = run["National Manufacturing Exports"] / baseline_run["National Manufacturing Exports"]
    assert float(ratio.sel(time=2029)) == pytest.approx(1.0, rel=1e-12)
    assert float(ratio.sel(time=2031)) < 0.85


def test_cell_series_of_a_computed_variable_is_refused(write):
    from renaissance.scenarios import ScenarioError

    with pytest.raises(ScenarioError, match="a series for one cell needs a constant"):
        load_scenario(
            write(
                "bad.yaml",
                """
            name: bad
            description: d
            exogenous:
              World Demand Index[Food]: {2000: 1}
        """,
            )
        )
