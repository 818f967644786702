"""``renaissance simulate``: PySD/Vensim-style tables, NetCDF datasets, overrides, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from mdl_text import write_model

from renaissance.cli import main

EQUATIONS = {
    "Segment": ": home, person",
    "Stock[Segment]": "INTEG(Inflow[Segment], 10)",
    "Inflow[Segment]": "Rate[Segment] * Stock[Segment]",
    "Rate[Segment]": "0.1, -0.05",
    "Total": "SUM(Stock[Segment!])",
}


@pytest.fixture
def model_file(tmp_path):
    return write_model(
        tmp_path, EQUATIONS, final=4, dt=0.5, saveper=1, units={"Stock[Segment]": "widget"}
    )


def test_csv_has_time_index_and_flattened_columns(model_file, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["simulate", str(model_file), "-o", str(out)]) == 0
    table = pd.read_csv(out, index_col="Time")
    assert table.index.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert {"Stock[home]", "Stock[person]", "Total", "Rate[home]"} <= set(table.columns)
    np.testing.assert_allclose(table["Stock[home]"], 10 * 1.05 ** (2 * table.index))
    np.testing.assert_allclose(table["Total"], table["Stock[home]"] + table["Stock[person]"])


def test_netcdf_keeps_dims_and_units(model_file, tmp_path):
    out = tmp_path / "out.nc"
    assert main(["simulate", str(model_file), "-o", str(out), "--integrator", "rk4"]) == 0
    with xr.open_dataset(out) as dataset:
        assert dataset["Stock"].dims == ("time", "Segment")
        assert dataset["Stock"].attrs["units"] == "widget"
        assert dataset.attrs["integrator"] == "rk4"
        assert list(dataset["Segment"].values) == ["home", "person"]


def test_params_dt_and_cells(model_file, tmp_path):
    out = tmp_path / "out.csv"
    argv = [
        "simulate",
        str(model_file),
        "-o",
        str(out),
        "--dt",
        "0.25",
        "--params",
        "Rate[person]=0",
    ]
    assert main(argv) == 0
    table = pd.read_csv(out, index_col="Time")
    assert (table["Stock[person]"] == 10).all()
    np.testing.assert_allclose(table["Stock[home]"], 10 * 1.025 ** (4 * table.index))


def test_unknown_parameter_is_an_error(model_file, capsys):
    # bad input exits 2, before anything runs (issue 18)
    assert main(["simulate", str(model_file), "--params", "Rat=1"]) == 2
    assert "Rate" in capsys.readouterr().err


def test_malformed_parameter_is_a_usage_error(model_file):
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", str(model_file), "--params", "Rate"])
    assert exit_info.value.code == 2


def test_missing_model_file(tmp_path, capsys):
    assert main(["simulate", str(tmp_path / "absent.mdl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_pysd_engine_writes_the_same_table(model_file, tmp_path):
    fast, reference = tmp_path / "fast.csv", tmp_path / "pysd.csv"
    assert main(["simulate", str(model_file), "-o", str(fast)]) == 0
    assert main(["simulate", str(model_file), "-o", str(reference), "--engine", "pysd"]) == 0
    ours, theirs = pd.read_csv(fast, index_col="Time"), pd.read_csv(reference, index_col="Time")
    assert set(ours.columns) == set(theirs.columns)
    pd.testing.assert_frame_equal(ours[theirs.columns], theirs, rtol=1e-12)


@pytest.mark.parametrize("backend", ["vm", "numpy"])
def test_backends_write_the_same_table(model_file, tmp_path, backend):
    auto, chosen = tmp_path / "auto.csv", tmp_path / f"{backend}.csv"
    assert main(["simulate", str(model_file), "-o", str(auto)]) == 0
    assert main(["simulate", str(model_file), "-o", str(chosen), "--backend", backend]) == 0
    ours, theirs = pd.read_csv(auto, index_col="Time"), pd.read_csv(chosen, index_col="Time")
    pd.testing.assert_frame_equal(ours, theirs, rtol=1e-10)


def test_auto_engine_falls_back_with_a_reason(tmp_path):
    path = write_model(tmp_path, {"Noise": "RANDOM UNIFORM(0, 1, 3)", "Out": "Noise"})
    from renaissance.engine import UnsupportedFeatureError, load_model

    with pytest.raises(UnsupportedFeatureError, match=r"RANDOM UNIFORM.*Noise"):
        load_model(path)
    with pytest.warns(RuntimeWarning, match="RANDOM UNIFORM"):
        load_model(path, engine="auto")
