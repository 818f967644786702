"""The mapping: every fact is a target or listed with a reason; targets end in 2008."""

from __future__ import annotations

import numpy as np
import pytest

from renaissance.calibration.facts import read_facts
from renaissance.calibration.mapping import LAST_CALIBRATION_YEAR, calibration_targets
from renaissance.calibration.pwt import read_pwt


@pytest.fixture(scope="module")
def mapped(data_files):
    facts = read_facts(data_files[0])
    targets, unmapped = calibration_targets(facts, read_pwt(data_files[1]))
    return facts, targets, unmapped


def test_no_fact_is_dropped(mapped):
    facts, targets, unmapped = mapped
    covered = {t.id.split("-")[0] for t in targets if t.id.startswith("F")}
    covered |= {u.id for u in unmapped}
    assert covered == {f.id for f in facts}
    assert all(u.reason for u in unmapped)


def test_targets_end_in_2008(mapped):
    # parameter facts (F18 is estimated on 1994-2014) set constants; no simulated value
    # after 2008 is compared with them
    facts, targets, _ = mapped
    by_id = {f.id: f for f in facts}
    for target in targets:
        if target.kind == "parameter":
            continue
        fact = by_id.get(target.id.split("-")[0])
        if fact is not None and fact.years is not None:
            assert fact.years[1] <= LAST_CALIBRATION_YEAR, target.id


def test_post_2008_facts_are_validation(mapped):
    _, _, unmapped = mapped
    roles = {u.id: u.role for u in unmapped}
    for fact_id in ("F05", "F06", "F17"):
        assert roles[fact_id] == "validation"


def test_pwt_targets_present(mapped):
    _, targets, _ = mapped
    ids = {t.id for t in targets}
    assert {
        "PWT-hc-1995",
        "PWT-hc-2008",
        "PWT-tfp-1995-2007",
        "PWT-tfp-slowdown",
        "PWT-exports-1991-2007",
    } <= ids


def test_sign_targets_are_strict(mapped):
    _, targets, _ = mapped
    f08 = next(t for t in targets if t.id == "F08")
    assert f08.inside(np.array([-0.01, 0.0, 0.01])).tolist() == [True, False, False]
    assert f08.violation(np.array([-0.2]))[0] == 0.0
    assert f08.violation(np.array([0.1]))[0] > 0.0
