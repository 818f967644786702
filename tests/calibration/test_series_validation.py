"""The published series are compared with the model or explained, and the comparison
reads the right years."""

from __future__ import annotations

import numpy as np
import xarray as xr

from renaissance.calibration.series_validation import (
    COMPARISONS,
    series_table,
    unexplained_series,
)


def _dataset(members=5):
    years = np.arange(1991, 2026, dtype=float)
    trend = np.linspace(1.0, 0.7, len(years))
    spread = np.linspace(0.95, 1.05, members)
    national = 5e6 * trend[:, None] * spread[None, :]
    districts = xr.DataArray(np.ones((len(years), members, 2)), dims=("time", "member", "District"))
    data = {
        "National Manufacturing Employment": (("time", "member"), national),
        "Non District Value Added": (("time", "member"), 1e5 * trend[:, None] * spread),
        "Total Manufacturing Firms": (("time", "member"), 5e5 * trend[:, None] * spread),
        "Total District Exports": (("time", "member"), 4e4 * trend[:, None] * spread),
        "Non District Exports": (("time", "member"), 8e4 * trend[:, None] * spread),
    }
    dataset = xr.Dataset(data, coords={"time": years, "member": np.arange(members)})
    dataset["District Value Added"] = districts * 1e4 * xr.DataArray(trend, dims="time")
    return dataset


def test_every_shipped_series_is_compared_or_explained():
    assert unexplained_series() == []


def test_the_table_reads_each_period_from_the_data():
    data = _dataset()
    table = series_table(data)
    assert len(table) == len(COMPARISONS)
    row = table[table["period"] == "2001-2011"].iloc[0]
    expected = data["National Manufacturing Employment"].sel(time=2011) - data[
        "National Manufacturing Employment"
    ].sel(time=2001)
    assert np.isclose(row["median"], float(expected.median()))
    assert row["p05"] <= row["median"] <= row["p95"]
    # the synthetic history falls steadily: every sign comparison of a fall holds
    falls = table[(table["kind"] == "sign") & (table["observed"] < 0)]
    assert falls["inside"].all()
    rises = table[(table["kind"] == "sign") & (table["observed"] > 0)]
    assert not rises["inside"].any()
