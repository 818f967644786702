"""Results that keep what they know (issue 15): units, descriptions and dims survive the
NetCDF files of ``run`` and ``compare``; ``run --variables``; CSV formats that say units."""

import pandas as pd
import pytest
import xarray as xr

from renaissance.cli import main
from renaissance.scenarios import load_scenario, prepare_scenario


@pytest.fixture(scope="module")
def in_memory():
    return prepare_scenario(load_scenario("baseline")).run()


def _check_round_trip(memory, path):
    with xr.open_dataset(path) as written:
        with_units = [n for n in memory.data_vars if memory[n].attrs.get("units")]
        assert len(with_units) > 300
        for name in with_units:
            stored = written[name.replace("/", "\u2215")]
            assert stored.attrs.get("units") == memory[name].attrs["units"], name
            assert stored.attrs.get("description") == memory[name].attrs.get("description")
            assert set(memory[name].dims) <= set(stored.dims), name


def test_run_netcdf_keeps_units_descriptions_and_dims(in_memory, tmp_path):
    assert main(["run", "baseline", "-o", str(tmp_path / "out"), "--quiet"]) == 0
    _check_round_trip(in_memory, tmp_path / "out" / "baseline.nc")


def test_compare_netcdf_keeps_units_descriptions_and_dims(in_memory, tmp_path):
    assert (
        # one run per scenario: an ensemble keeps only the variables the metrics need
        main(
            [
                "compare",
                "baseline",
                "firm-subsidies",
                "--no-ensemble",
                "-o",
                str(tmp_path / "c"),
                "--quiet",
            ]
        )
        == 0
    )
    _check_round_trip(in_memory, tmp_path / "c" / "results.nc")


def test_run_variables_selects_by_pattern_and_wide_header_says_units(tmp_path):
    output = tmp_path / "out"
    status = main(
        [
            "run",
            "baseline",
            "--variables",
            "National Manufacturing *",
            "--csv-format",
            "wide",
            "-o",
            str(output),
            "--quiet",
        ]
    )
    assert status == 0
    with xr.open_dataset(output / "baseline.nc") as written:
        names = [n for n in written.data_vars if n not in ("status", "failure_time")]
        assert names and all(n.startswith("National Manufacturing ") for n in names)
    header = pd.read_csv(output / "baseline.csv", nrows=0).columns
    assert "National Manufacturing Employment (person)" in header


def test_run_long_format_has_a_units_column(tmp_path):
    output = tmp_path / "out"
    assert (
        main(
            [
                "run",
                "baseline",
                "--variables",
                "District Exports",
                "--csv-format",
                "long",
                "-o",
                str(output),
                "--quiet",
            ]
        )
        == 0
    )
    table = pd.read_csv(output / "baseline.csv", keep_default_na=False)
    assert list(table.columns) == ["time", "variable", "cell", "value", "units"]
    assert set(table["variable"]) == {"District Exports"}
    assert set(table["units"]) == {"M€/year"}
    assert table["cell"].nunique() == 19


def test_run_variables_matching_nothing_exits_2_and_writes_nothing(tmp_path, capsys):
    output = tmp_path / "out"
    assert (
        main(
            [
                "run",
                "baseline",
                "--variables",
                "Natonal Manufacturing Employment",
                "-o",
                str(output),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "matches no variable" in err and "National Manufacturing Employment" in err
    assert not output.exists()
