"""``sensitivity A --compare B C`` (issue 15): every other scenario on the same samples,
one comparison per scenario and output, all written."""

import xarray as xr

from renaissance.cli import main


def test_compare_accepts_several_scenarios(tmp_path, capsys):
    output = tmp_path / "robust"
    status = main(
        [
            "sensitivity",
            "system-mix",
            "--compare",
            "firm-subsidies",
            "place-blind-cities",
            "--method",
            "lhs",
            "--samples",
            "42",
            "--parameters",
            "Low Cost Competition Increase",
            "Multi Scale Coordination Gain",
            "--outputs",
            "districts_employment_change_2025_2050",
            "-o",
            str(output),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "beats firm-subsidies" in captured.out and "beats place-blind-cities" in captured.out
    with xr.open_dataset(output / "comparison.nc") as differences:
        assert set(differences.data_vars) == {
            "districts_employment_change_2025_2050 vs firm-subsidies",
            "districts_employment_change_2025_2050 vs place-blind-cities",
        }
        assert "firm-subsidies" in differences.attrs["compared_with"]
    assert (output / "outputs_compared.nc").is_file()
    assert (output / "outputs_compared_2.nc").is_file()
    page = (output / "summary.html").read_text(encoding="utf-8")
    assert page.count("What decides the difference") == 2
