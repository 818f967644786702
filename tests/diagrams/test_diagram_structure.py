"""The structure the diagrams draw, read from the equations of models/renaissance.mdl."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from diagram_models import MODEL_FOLDER

from renaissance.diagrams.sectors import read_sectors
from renaissance.diagrams.stock_flow import sector_graph


def _integ_names() -> set[str]:
    text = (MODEL_FOLDER / "renaissance.mdl").read_text(encoding="utf-8")
    names = re.findall(r"^([^\n=\[]+?)\s*(?:\[[^\]]*\])?\s*=\s*INTEG\(", text, re.MULTILINE)
    return {"_".join(n.split()).lower() for n in names}


def test_every_integ_is_a_stock(structure):
    stocks = {k for k, v in structure.variables.items() if v.kind == "stock"}
    assert stocks == _integ_names()


def test_flows_drain_and_fill_the_stocks_their_equations_name(structure):
    ends = structure.flow_ends()
    assert ends["small_firm_growth_to_medium"] == ("small_firms", "medium_large_firms")
    assert ends["manufacturing_hiring"] == (None, "district_manufacturing_employment")
    assert ends["manufacturing_separations"] == ("district_manufacturing_employment", None)
    assert ends["skill_drain"] == ("human_capital", None)


def test_kinds_of_a_few_variables(structure):
    kinds = {k: v.kind for k, v in structure.variables.items()}
    assert kinds["technical_capital"] == "stock"
    assert kinds["private_technical_investment"] == "flow"
    assert kinds["composite_capital_index"] == "auxiliary"
    assert kinds["initial_small_firms"] == "constant"
    # a stock whose rate is one expression has no named flow: its inputs link to it
    assert structure.stocks["regional_innovation_capacity"].inflows == ()


def test_initial_links_are_told_apart(structure):
    links = {(link.source, link.target): link.initial for link in structure.links}
    assert links[("initial_small_firms", "small_firms")] is True
    assert links[("small_firm_births", "small_firms")] is False


def test_every_stock_and_flow_is_drawn_once_across_the_sector_diagrams(structure):
    drawn = Counter()
    for sector in structure.sectors:
        dot = sector_graph(structure, sector)
        drawn.update(re.findall(r'^  "([a-z0-9_]+)" \[', dot, re.MULTILINE))
    for key, variable in structure.variables.items():
        assert drawn[key] == 1, variable.name
    assert set(drawn) == set(structure.variables)


def test_sectors_are_the_groups_of_the_file(structure):
    assert "District firm demography" in structure.sectors
    assert structure.variables["small_firms"].sector == "District firm demography"
    assert structure.variables["technical_capital"].sector == "District technical capital"
    assert "Control" not in structure.sectors  # control variables are not drawn


def test_groups_read_from_a_small_file(tmp_path):
    path = tmp_path / "two.mdl"
    path.write_text(
        "{UTF-8}\nfirst = 1\n\t~\t~\t|\n\n"
        "********************************************************\n\t.Stocks\n"
        "********************************************************~\n\tcomment\n\t|\n\n"
        'level = INTEG(first, 0)\n\t~\t~\t|\n\n"quoted | name" = level\n\t~\t~\t|\n\n'
        "********************************************************\n\t.Other\n"
        "********************************************************~\n\t|\n\n"
        "third[d] = 2\n\t~\t~\t|\n",
        encoding="utf-8",
    )
    assert read_sectors(path) == {
        "first": "Model",
        "level": "Stocks",
        '"quoted_|_name"': "Stocks",
        "third": "Other",
    }


def test_an_unknown_sector_is_refused_with_close_matches(structure):
    from renaissance.diagrams.drawing import check_sector

    with pytest.raises(ValueError, match="did you mean 'District firm demography'"):
        check_sector(structure, "District firm demographics")
    assert check_sector(structure, "district firm demography") == "District firm demography"
