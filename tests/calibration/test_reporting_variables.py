"""The reporting variables of the model issue exist with the units docs/model.md states."""

from __future__ import annotations

import pytest

REPORTING = [
    ("District Exports", "M€/year", ("District",)),
    ("District Value Added", "M€/year", ("District",)),
    ("District Manufacturing Employment", "person", ("District",)),
    ("Composite Capital Index", "Dmnl", ("District",)),
    ("Public Policy Spending", "M€/year", ()),
    ("Total District Manufacturing Employment", "person", ()),
    ("National Manufacturing Employment", "person", ()),
    ("Total District Exports", "M€/year", ()),
    ("National Manufacturing Exports", "M€/year", ()),
    ("Total Manufacturing Firms", "firm", ()),
    ("Total Firm Exits", "firm/year", ()),
    ("Regional District Employment", "person", ("Region",)),
    ("Regional District Exports", "M€/year", ("Region",)),
    ("District Share of National Manufacturing Employment", "Dmnl", ()),
    ("District Share of National Manufacturing Exports", "Dmnl", ()),
]


@pytest.fixture(scope="module")
def short_run(history):
    names = [name for name, _, _ in REPORTING]
    return history.model.run(params=history.params, final_time=1993, return_columns=names)


@pytest.mark.parametrize(("name", "units", "dims"), REPORTING, ids=[r[0] for r in REPORTING])
def test_reporting_variable(short_run, name, units, dims):
    variable = short_run[name]
    assert variable.attrs["units"] == units
    assert variable.dims == ("time", *dims)
