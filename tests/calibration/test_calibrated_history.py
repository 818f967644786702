"""The committed calibrated scenario keeps every calibration target inside its range."""

from __future__ import annotations

from pathlib import Path

import pytest

from renaissance.calibration.facts import read_facts
from renaissance.calibration.history_targets import history_targets
from renaissance.calibration.mapping import calibration_targets
from renaissance.calibration.pwt import read_pwt


@pytest.fixture(scope="module")
def calibrated_run():
    from renaissance.scenarios import load_scenario, prepare_scenario

    prepared = prepare_scenario(load_scenario("calibrated"))
    return prepared.run()


DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


MISSED = {"F03", "H02-H03-H04"}
"""Targets the committed fit misses (docs/calibration.md): no parameter set found makes
the Person Goods districts lose 15-29% of their jobs in 1991-2001 while all districts
together keep 1.83-2.03 million in 2001. If a later fit meets them, this test says so."""


def _targets():
    facts = read_facts(DATA / "stylized_facts.csv")
    targets = calibration_targets(facts, read_pwt(DATA / "pwt91_selected.csv"))[0]
    return targets + history_targets(DATA / "history_facts.csv")


@pytest.mark.parametrize("target", _targets(), ids=lambda t: t.id)
def test_target_inside_range_or_a_documented_miss(calibrated_run, target):
    simulated = target.compute(calibrated_run)
    inside = bool(target.inside(simulated).all())
    message = f"{target.id}: simulated {simulated[0]:.6g}, range [{target.low}, {target.high}]"
    assert inside != (target.id in MISSED), message
