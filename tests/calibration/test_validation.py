"""The post-2008 validation table is computed from the calibrated scenario, not fitted."""

from __future__ import annotations

import numpy as np
import pytest

from renaissance.calibration.validation import validation_table


@pytest.fixture(scope="module")
def table(data_files, history):
    from renaissance.scenarios import load_scenario, prepare_scenario

    calibrated = prepare_scenario(load_scenario("calibrated"))
    return validation_table(calibrated, history, data_files[1]).set_index("indicator")


@pytest.mark.parametrize(
    "indicator",
    [
        "F05 district employment share 2011",
        "F06 district export share 2015",
        "F17 employment elasticity to value added 2008-2015",
        "national manufacturing employment 2008-2009",
        "district exports 2008-2009",
        "firm exits 2009 / 2007",
    ],
)
def test_indicator_computed(table, indicator):
    assert np.isfinite(table.loc[indicator, "calibrated"])
    assert np.isfinite(table.loc[indicator, "defaults"])


def test_ranged_indicators_say_inside_or_not(table):
    ranged = table[table["observed"].str.contains(r"\(0\.", regex=True)]
    assert set(ranged["calibrated inside"]) <= {"yes", "no"}
    assert len(ranged) >= 4
