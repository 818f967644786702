"""``renaissance sensitivity``: exit codes, all-or-nothing output folder, files written."""

import argparse

import pytest
import xarray as xr

from renaissance.paths import MODEL_FILE
from renaissance.sensitivity.command import add_sensitivity_command

BASE = [
    "--method",
    "morris",
    "--samples",
    "2",
    "--parameters",
    "Hiring Adjustment Time",
    "World Demand Growth Rate[Mechanics]",
    "--outputs",
    "National Manufacturing Employment@2000",
    "--quiet",
]


def run(argv) -> int:
    parser = argparse.ArgumentParser(prog="renaissance")
    add_sensitivity_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sensitivity", *argv])
    return args.handler(args)


@pytest.fixture(scope="module")
def short_model(tmp_path_factory):
    """The model with FINAL TIME 2000, so the command's full-horizon runs stay short."""
    folder = tmp_path_factory.mktemp("model")
    for path in MODEL_FILE.parent.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    text = MODEL_FILE.read_text(encoding="utf-8")
    head, sep, tail = text.partition("FINAL TIME")
    equals = tail.index("=")
    end = tail.index("~", equals)
    shortened = head + sep + tail[: equals + 1] + "\n\t2000\n\t" + tail[end:]
    path = folder / "short.mdl"
    path.write_text(shortened, encoding="utf-8")
    return path


def test_writes_every_file_and_refuses_to_overwrite(short_model, tmp_path, capsys):
    out = tmp_path / "study"
    assert run([str(short_model), *BASE, "-o", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {
        "outputs.nc",
        "indices.nc",
        "bands.nc",
        "problem.csv",
        "summary.html",
        "figures",
    } <= names
    indices = xr.open_dataset(out / "indices.nc")
    assert set(indices["parameter"].values) == {
        "Hiring Adjustment Time",
        "World Demand Growth Rate[Mechanics]",
    }
    assert indices.attrs["runs"] == 6 and indices.attrs["method"] == "morris"
    indices.close()
    from renaissance.sensitivity import open_study

    opened = open_study(out)
    assert set(opened) == {"outputs", "indices", "bands"}
    assert opened["outputs"]["samples"].dims == ("member", "parameter")
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Hiring Adjustment Time" in html
    before = (out / "outputs.nc").stat().st_mtime_ns
    assert run([str(short_model), *BASE, "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert (out / "outputs.nc").stat().st_mtime_ns == before
    assert run([str(short_model), *BASE, "--overwrite", "-o", str(out)]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--method", "sobol", "--samples", "100"], "not a power of two"),
        (["--parameters", "Hiring Adjustmnt Time"], "did you mean 'Hiring Adjustment Time'"),
        (["--outputs", "median(District Exports)@2000"], "aggregate 'median'"),
        (["--scheduler", "threads"], "scheduler 'threads'"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(short_model, tmp_path, capsys, change, message):
    argv = [str(short_model), *BASE, *change, "-o", str(tmp_path / "study")]
    assert run(argv) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_output_variable_is_bad_input(short_model, tmp_path, capsys):
    argv = [
        str(short_model),
        *BASE[:-3],
        "--outputs",
        "National Manufacturing Employmnt@2000",
        "--quiet",
        "-o",
        str(tmp_path / "study"),
    ]
    assert run(argv) == 2
    assert "did you mean 'National Manufacturing Employment'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_failure_while_running_exits_1_and_writes_nothing(
    short_model, tmp_path, capsys, monkeypatch
):
    from renaissance.sensitivity import study

    def broken(*args, **kwargs):
        raise MemoryError("out of memory in chunk 3")

    monkeypatch.setattr(study, "run_study", broken)
    assert run([str(short_model), *BASE, "-o", str(tmp_path / "study")]) == 1
    assert "MemoryError: out of memory in chunk 3" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_compare_writes_the_paired_comparison(short_model, tmp_path):
    out = tmp_path / "study"
    assert run([str(short_model), *BASE, "--compare", str(short_model), "-o", str(out)]) == 0
    comparison = xr.open_dataset(out / "comparison.nc")
    variable = comparison["National Manufacturing Employment@2000"]
    # the same model on both sides: every run is a tie, A never beats B
    assert float(abs(variable).max()) == 0.0
    assert variable.attrs["share"] == 0.0 and variable.attrs["ties"] == 1.0
    comparison.close()
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "Policy robustness" in html and "What decides the difference" in html
