"""The committed calibrated scenario keeps every calibration target inside its range."""

from __future__ import annotations

from pathlib import Path

import pytest

from renaissance.calibration.facts import read_facts
from renaissance.calibration.mapping import calibration_targets
from renaissance.calibration.pwt import read_pwt


@pytest.fixture(scope="module")
def calibrated_run():
    from renaissance.scenarios import load_scenario, prepare_scenario

    prepared = prepare_scenario(load_scenario("calibrated"))
    return prepared.run()


DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def _targets():
    facts = read_facts(DATA / "stylized_facts.csv")
    return calibration_targets(facts, read_pwt(DATA / "pwt91_selected.csv"))[0]


@pytest.mark.parametrize("target", _targets(), ids=lambda t: t.id)
def test_target_inside_range(calibrated_run, target):
    simulated = target.compute(calibrated_run)
    assert target.inside(simulated).all(), (
        f"{target.id}: simulated {simulated[0]:.6g}, range [{target.low}, {target.high}]"
    )
