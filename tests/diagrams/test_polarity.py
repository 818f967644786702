"""Link polarities from the fast engine, checked by hand against the equations."""

from __future__ import annotations

import pytest
from diagram_models import copy_sample

from renaissance.diagrams import link_polarities, read_structure

# (source, target, sign, why: the equation read by hand)
HAND_CHECKED = [
    ("small_firms", "total_district_firms", "+", "Total = Small + Medium Large"),
    ("total_district_firms", "firm_viability", "−", "value added per firm / viable scale"),
    ("firm_viability", "cost_pressure", "−", "pressure rises as viability falls"),
    ("cost_pressure", "small_firm_exits", "+", "exit rate grows with pressure"),
    ("small_firm_exits", "small_firms", "−", "an outflow of Small Firms"),
    ("small_firm_births", "small_firms", "+", "an inflow of Small Firms"),
    ("manufacturing_separations", "skill_drain", "+", "drain is a share of separations"),
    ("skill_drain", "human_capital", "−", "an outflow of Human Capital"),
    ("low_cost_pressure", "competitiveness", "−", "competitiveness / (1 + pressure)"),
    ("district_manufacturing_employment", "capital_per_worker", "−", "capital / employment"),
    ("technical_capital", "capital_per_worker", "+", "capital / employment"),
]


@pytest.mark.parametrize(("source", "target", "sign", "why"), HAND_CHECKED)
def test_polarity_of_hand_checked_links(polarity, source, target, sign, why):
    assert polarity[(source, target)] == sign, why


def test_teacup_polarities(tmp_path):
    # Heat Loss to Room = (Teacup Temperature - Room Temperature) / Characteristic Time
    structure = read_structure(copy_sample("teacup", tmp_path))
    polarity = link_polarities(structure)
    assert polarity[("teacup_temperature", "heat_loss_to_room")] == "+"
    assert polarity[("room_temperature", "heat_loss_to_room")] == "−"
    assert polarity[("characteristic_time", "heat_loss_to_room")] == "−"
    assert polarity[("heat_loss_to_room", "teacup_temperature")] == "−"


def test_a_link_without_effect_at_the_baseline_is_undetermined(tmp_path):
    path = tmp_path / "switch.mdl"
    path.write_text(
        "{UTF-8}\nlevel = INTEG(rate, 1)\n\t~\t~\t|\n"
        "rate = switch * level\n\t~\t~\t|\nswitch = 0\n\t~\t~\t|\n"
        "INITIAL TIME = 0\n\t~\t~\t|\nFINAL TIME = 4\n\t~\t~\t|\n"
        "TIME STEP = 1\n\t~\t~\t|\nSAVEPER = 1\n\t~\t~\t|\n",
        encoding="utf-8",
    )
    polarity = link_polarities(read_structure(path))
    assert polarity[("level", "rate")] == "0"  # multiplied by a switch that is off
    assert polarity[("switch", "rate")] == "+"  # the level is positive
    assert polarity[("rate", "level")] == "+"
