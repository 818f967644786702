"""Names a user can find and small habits (issue 15): ``list metrics``, one naming of
metrics across table and ``--outputs``, metric suggestions, ``--version``, a closed pipe."""

import subprocess
import sys

import pytest

import renaissance
from renaissance.cli import main
from renaissance.metrics import describe_metric, headline_table, metric_names


def test_list_metrics_prints_name_unit_and_meaning(capsys):
    assert main(["list", "metrics"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("cost_per_job_2025_2050 "))
    units, description = describe_metric("cost_per_job_2025_2050")
    assert units in line and description in line
    assert all(name in out for name in metric_names())


def test_the_table_names_each_metric_as_outputs_spells_it():
    sys.path.insert(0, "tests/metrics")
    from synthetic_results import make_results

    table = headline_table(make_results(("baseline", "policy")), "baseline")
    names = table.attrs["metric_names"]
    assert names["district employment change 2025–2050 (%)"] == (
        "districts_employment_change_2025_2050"
    )
    assert set(names.values()) <= set(metric_names())
    assert len(names) == len(table.columns)  # every column has its name to type


def test_a_misspelt_metric_is_answered_with_metrics(capsys, tmp_path):
    status = main(
        [
            "sensitivity",
            "baseline",
            "--method",
            "lhs",
            "--samples",
            "64",
            "--outputs",
            "districts_employmnt_change_2025_2050",
            "-o",
            str(tmp_path / "s"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "did you mean 'districts_employment_change_2025_2050'" in err
    assert "list metrics" in err
    assert not (tmp_path / "s").exists()


def test_cost_per_job_with_compare_does_not_say_use_compare(capsys, tmp_path):
    status = main(
        [
            "sensitivity",
            "system-mix",
            "--compare",
            "firm-subsidies",
            "--method",
            "lhs",
            "--samples",
            "64",
            "--outputs",
            "cost_per_job_2025_2050",
            "-o",
            str(tmp_path / "s"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "cost_per_job_2025_2050" in err
    assert "with --compare instead" not in err


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"renaissance {renaissance.__version__}"


def test_a_closed_pipe_ends_quietly():
    process = subprocess.run(
        f"{sys.executable} -c 'import sys; from renaissance.cli import main; "
        'sys.exit(main(["list", "parameters"]))\' | head -1',
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.stdout.startswith("# parameters")
    assert process.stderr == ""
