"""Scenario key ``model:`` (issue 15): a user's model variant runs with the same tools,
validated like the rest and hashed in provenance."""

import hashlib
import shutil

import pytest

from renaissance.cli import main
from renaissance.paths import MODEL_DIRECTORY
from renaissance.scenarios import ScenarioError, load_scenario, prepare_scenario


@pytest.fixture
def variant(tmp_path):
    """A copy of the model folder whose world demand of mechanics grows faster."""
    folder = tmp_path / "variant"
    shutil.copytree(MODEL_DIRECTORY, folder, ignore=shutil.ignore_patterns("calibration"))
    model = folder / "renaissance.mdl"
    text = model.read_text(encoding="utf-8")
    marker = "Multi Scale Coordination Gain = 0.6"
    assert marker in text
    model.write_text(text.replace(marker, "Multi Scale Coordination Gain = 0"), encoding="utf-8")
    return model


def test_a_scenario_runs_its_own_model_and_records_its_hash(write, variant):
    scenario = load_scenario(
        write(
            "mine.yaml",
            """
            name: mine
            description: the system mix on a model variant
            extends: system-mix
            model: variant/renaissance.mdl
            """,
        )
    )
    assert scenario.model_file == variant.resolve()
    own = prepare_scenario(scenario).run(return_columns=["National Manufacturing Employment"])
    assert own.attrs["model_sha256"] == hashlib.sha256(variant.read_bytes()).hexdigest()
    assert own.attrs["model_file"] == "renaissance.mdl"
    shipped = prepare_scenario(load_scenario("system-mix")).run(
        return_columns=["National Manufacturing Employment"]
    )
    assert own.attrs["model_sha256"] != shipped.attrs["model_sha256"]
    difference = abs(
        own["National Manufacturing Employment"] - shipped["National Manufacturing Employment"]
    ).max()
    assert float(difference) > 0  # the variant's equations are what ran


@pytest.mark.parametrize(
    ("value", "expected"),
    [("nowhere/renaissance.mdl", "no such file"), ("districts.txt", "not a Vensim .mdl file")],
)
def test_a_bad_model_key_is_refused_naming_the_key(write, value, expected):
    path = write("bad.yaml", f"name: bad\ndescription: d\nmodel: {value}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "model" in str(caught.value) and expected in str(caught.value)
    assert "bad.yaml" in str(caught.value)


def test_validate_exits_2_on_a_missing_model(write, capsys):
    path = write("bad.yaml", "name: bad\ndescription: d\nmodel: gone.mdl\n")
    assert main(["validate", str(path)]) == 2
    assert "gone.mdl" in capsys.readouterr().err


def test_a_policy_or_shock_outside_the_horizon_does_not_validate(write, capsys):
    late = write(
        "late.yaml",
        """
        name: late
        description: a policy after the horizon
        horizon: {stop: 2040}
        policies:
          - {instrument: Network Contracts, scale: local, budget: 10, start: 2045, end: 2050}
        """,
    )
    shock = write(
        "shock.yaml",
        """
        name: shock
        description: a shock after the horizon
        horizon: {stop: 2040}
        shocks:
          - {variable: world demand, start: 2045, duration: 2, size: -0.1}
        """,
    )
    assert main(["validate", str(late)]) == 2
    assert "policies[0].start" in capsys.readouterr().err
    assert main(["validate", str(shock)]) == 2
    assert "shocks[0].start" in capsys.readouterr().err
