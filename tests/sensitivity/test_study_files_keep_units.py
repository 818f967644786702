"""Every NetCDF file of a sensitivity study says what its numbers are (issue 15)."""

import xarray as xr

from renaissance.cli import main


def test_every_variable_of_every_study_file_has_units_and_a_description(tmp_path):
    output = tmp_path / "study"
    status = main(
        [
            "sensitivity",
            "system-mix",
            "--compare",
            "firm-subsidies",
            "--method",
            "sobol",
            "--samples",
            "8",
            "--parameters",
            "Low Cost Competition Increase",
            "Multi Scale Coordination Gain",
            "--outputs",
            "nation_employment_2050",
            "National Manufacturing Employment",
            "-o",
            str(output),
            "--quiet",
        ]
    )
    assert status == 0
    files = sorted(output.glob("*.nc"))
    assert {path.stem for path in files} >= {"outputs", "indices", "bands", "comparison"}
    for path in files:
        with xr.open_dataset(path) as dataset:
            for name, variable in dataset.data_vars.items():
                assert variable.attrs.get("units"), (path.name, name)
                assert variable.attrs.get("description"), (path.name, name)
            assert dataset.attrs  # provenance
    with xr.open_dataset(output / "outputs.nc") as outputs:
        assert outputs["National Manufacturing Employment"].attrs["units"] == "person"
