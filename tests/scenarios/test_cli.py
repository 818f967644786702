"""``renaissance list | validate | run``: exit codes, messages and all-or-nothing outputs."""

import xarray as xr

from renaissance.cli import main


def test_list_shows_vocabulary(capsys):
    assert main(["list", "instruments", "districts"]) == 0
    out = capsys.readouterr().out
    assert "Network Contracts" in out and "Sassuolo" in out and "Emilia-Romagna" in out


def test_validate_good_and_bad_files(write, capsys):
    good = write("good.yaml", "name: good\ndescription: d\nextends: baseline\n")
    bad = write("bad.yaml", "name: bad\ndescription: d\nseed: -1\n")
    assert main(["validate", str(good), "system-mix"]) == 0
    assert main(["validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: seed: -1 is below the smallest allowed value 0" in err


def test_run_writes_netcdf_and_csv_and_refuses_to_overwrite(write, tmp_path, capsys):
    scenario = write(
        "short.yaml",
        """
        name: short
        description: d
        horizon: {stop: 1995, dt: 0.25}
    """,
    )
    output = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(output), "--quiet"]) == 0
    assert sorted(p.name for p in output.iterdir()) == ["short.csv", "short.nc"]
    with xr.open_dataset(output / "short.nc") as data:
        assert data.attrs["model_sha256"] and data["scenario_sha256"].item()
        assert data["scenario_backend"].item() in ("vm", "numpy")  # how the run executed
        assert data["time"].values.tolist() == [1991, 1992, 1993, 1994, 1995]
    header = (output / "short.csv").read_text().splitlines()[0]
    assert header.startswith("Time,") and "District Exports[Sassuolo]" in header
    before = (output / "short.csv").stat().st_mtime_ns
    assert main(["run", str(scenario), "-o", str(output), "--quiet"]) == 2
    assert "already exists and is not empty; pass --overwrite" in capsys.readouterr().err
    assert (output / "short.csv").stat().st_mtime_ns == before
    assert main(["run", str(scenario), "-o", str(output), "--quiet", "--overwrite"]) == 0
    assert sorted(p.name for p in output.iterdir()) == ["short.csv", "short.nc"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_bad_scenario_writes_nothing(write, tmp_path, capsys):
    bad = write("bad.yaml", "name: bad\ndescription: d\nintegrator: euler2\n")
    output = tmp_path / "out"
    assert main(["run", "baseline", str(bad), "-o", str(output)]) == 2
    assert "did you mean 'euler'" in capsys.readouterr().err
    assert not output.exists()


def test_output_under_a_file_is_refused_before_running(write, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["run", "baseline", "-o", str(blocker / "out"), "--quiet"]) == 2
    assert "cannot create the parent folder" in capsys.readouterr().err


def test_failure_while_running_leaves_no_partial_output(write, tmp_path, monkeypatch, capsys):
    import renaissance.comparison as comparison

    calls = []
    real = comparison.run_scenarios

    def fail_on_second(scenarios, quiet=True, **options):
        calls.append(scenarios[0].name)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(scenarios, quiet, **options)

    monkeypatch.setattr(comparison, "run_scenarios", fail_on_second)
    short = write("short.yaml", "name: short\ndescription: d\nhorizon: {stop: 1993}\n")
    other = write("other.yaml", "name: other\ndescription: d\nhorizon: {stop: 1993}\n")
    output = tmp_path / "out"
    assert main(["run", str(short), str(other), "-o", str(output), "--quiet"]) == 1
    assert "failed while running: simulated crash" in capsys.readouterr().err
    assert calls == ["short", "other"]
    assert not output.exists()
    assert list(tmp_path.glob(".out.*")) == []


def test_compare_writes_the_full_set_of_outputs(write, tmp_path, capsys):
    base = write(
        "base.yaml",
        """
        name: base
        description: no policy
        horizon: {stop: 2032, dt: 0.25}
    """,
    )
    mix = write(
        "mix.yaml",
        """
        name: mix
        description: training from 2026
        extends: base.yaml
        policies:
          - {instrument: Vocational Training, scale: local, budget: 100}
    """,
    )
    output = tmp_path / "comparison"
    assert main(["compare", str(base), str(mix), "-o", str(output), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "base" in out and "mix" in out
    names = {p.name for p in output.iterdir()}
    assert {"results.nc", "metrics.csv", "report.html"} <= names
    assert {"national_employment.png", "national_employment.svg"} <= names
    with xr.open_dataset(output / "results.nc") as data:
        assert data["scenario"].values.tolist() == ["base", "mix"]
        assert {"District", "Region", "time", "scenario"} <= set(data.dims)
        assert data["scenario_budget"].values.tolist() == [0.0, 100.0]
        assert data.attrs["integrator"] == "euler" and data.attrs["model_sha256"]
    html = (output / "report.html").read_text(encoding="utf-8")
    assert "training from 2026" in html


def test_compare_refuses_incomparable_scenarios(write, tmp_path, capsys):
    short = write("short.yaml", "name: short\ndescription: d\nhorizon: {stop: 2000}\n")
    long = write("long.yaml", "name: long\ndescription: d\nhorizon: {stop: 2010}\n")
    assert main(["compare", str(short), str(long), "-o", str(tmp_path / "x")]) == 2
    assert "horizon" in capsys.readouterr().err
    assert main(["compare", str(short), "-o", str(tmp_path / "x")]) == 2
    assert "at least two scenarios" in capsys.readouterr().err
    assert main(["compare", str(short), str(short), "-o", str(tmp_path / "x")]) == 2
    assert "two scenarios are named 'short'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
