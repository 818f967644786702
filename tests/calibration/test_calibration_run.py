"""Calibration is reproducible with a seed; its report and command behave as documented."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest

from renaissance.calibration import add_calibrate_command, calibrate, write_outputs

SMALL = {"screening_size": 12, "starts": 1, "max_iterations": 2, "slice_points": 3}
PARAMETERS = ("Trend Productivity Growth Rate", "Schooling Human Capital Ceiling")


@pytest.fixture(scope="module")
def small_result(history, data_files):
    return calibrate(history, *data_files, parameters=PARAMETERS, seed=7, **SMALL)


def test_same_seed_same_result(history, data_files, small_result):
    again = calibrate(history, *data_files, parameters=PARAMETERS, seed=7, **SMALL)
    np.testing.assert_array_equal(again.screening.unit, small_result.screening.unit)
    np.testing.assert_array_equal(again.best.values, small_result.best.values)
    assert again.fitted == small_result.fitted


def test_other_seed_other_screening(history, data_files, small_result):
    other = calibrate(
        history,
        *data_files,
        parameters=PARAMETERS,
        seed=8,
        screening_size=12,
        starts=1,
        max_iterations=1,
        slice_points=3,
    )
    assert not np.array_equal(other.screening.unit[1:], small_result.screening.unit[1:])


def test_fitted_values_stay_in_ranges(small_result):
    for parameter in small_result.problem.parameters:
        assert parameter.low <= small_result.fitted[parameter.name] <= parameter.high


def test_unmet_target_is_reported(history, data_files, tmp_path):
    # a facts table whose F07 range no plausible parameter set can reach
    facts = pd.read_csv(data_files[0], dtype=str, keep_default_na=False)
    row = facts["id"] == "F07"
    facts.loc[row, ["value", "low", "high"]] = ["9.5e6", "9e6", "1e7"]
    impossible = tmp_path / "facts.csv"
    facts.to_csv(impossible, index=False)
    result = calibrate(history, impossible, data_files[1], parameters=PARAMETERS, seed=7, **SMALL)
    table = result.fit_table().set_index("target")
    assert not table.loc["F07", "inside"]
    assert len(table) == len(result.targets)  # reported, not dropped
    written = write_outputs(result, tmp_path, "test", figure=False)
    report = (tmp_path / "fit.md").read_text(encoding="utf-8")
    assert f"{int(table['inside'].sum())} of {len(table)} targets inside" in report
    assert "| F07 |" in report and "**no**" in report
    assert "targets inside" in (tmp_path / "calibrated.yaml").read_text(encoding="utf-8")
    assert {p.name for p in written} >= {"fit.csv", "fit.md", "identifiability.csv"}


def _main(argv):
    parser = argparse.ArgumentParser(prog="renaissance")
    add_calibrate_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--targets", "absent.csv"], "no such targets file"),
        (["--parameters", "Trend Productivity Growth Rat"], "not in the parameter table"),
        (["--starts", "0"], "at least 1"),
        (["--profiles", "1"], "at least 2"),
    ],
    ids=["targets", "parameter", "starts", "profiles"],
)
def test_command_bad_input_exits_2(tmp_path, data_files, capsys, extra, message):
    argv = [
        "calibrate",
        "history",
        "--targets",
        str(data_files[0]),
        "-o",
        str(tmp_path / "out"),
        *extra,
    ]
    assert _main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_command_refuses_existing_output(tmp_path, data_files, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "fit.csv").write_text("earlier results")
    argv = ["calibrate", "history", "--targets", str(data_files[0]), "-o", str(tmp_path / "out")]
    assert _main(argv) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (tmp_path / "out" / "fit.csv").read_text() == "earlier results"


def test_command_writes_outputs(tmp_path, data_files):
    out = tmp_path / "out"
    argv = [
        "calibrate",
        "history",
        "--targets",
        str(data_files[0]),
        "-o",
        str(out),
        "--parameters",
        *PARAMETERS,
        "--screening",
        "6",
        "--starts",
        "1",
        "--max-iterations",
        "1",
        "--seed",
        "3",
        "--quiet",
    ]
    assert _main(argv) == 0
    assert {p.name for p in out.iterdir()} >= {
        "calibrated.yaml",
        "fit.csv",
        "fit.md",
        "fit.png",
        "identifiability.csv",
    }
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]


def test_profiles_hold_the_profiled_parameter(history, small_result):
    from renaissance.calibration.identifiability import profile_summary, profiles

    table = profiles(small_result.problem, small_result.best.unit, points=2, max_iterations=1)
    assert len(table) == 2 * len(PARAMETERS)
    first = small_result.problem.parameters[0]
    held = table[table["parameter"] == first.name]["value"].tolist()
    assert held == pytest.approx([first.low, first.high])
    summary = profile_summary(table)
    assert set(summary["profile_verdict"]) <= {"pinned", "partly constrained", "not identified"}
