"""``renaissance compare --ensemble FILE --members N`` (issue 13 step 4): bad files refused
with exit 2 and nothing written; a good file runs every scenario over the same members."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from renaissance.cli import main
from renaissance.ensemble_members import draw_members, members_for_scenario, read_members
from renaissance.paths import MODEL_DIRECTORY
from renaissance.scenarios import load_scenario

PARAMETERS = pd.read_csv(MODEL_DIRECTORY / "parameters.csv").set_index("name")
COLUMNS = [
    "Multi Scale Coordination Gain",
    "Segment Low Cost Exposure[Person Goods]",
    "Initial National Manufacturing Employment",
]


def write_ensemble(path, rows=12, seed=3, columns=COLUMNS):
    """A CSV of ``rows`` sets drawn inside the plausible ranges of the parameter table."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            c: rng.uniform(PARAMETERS.loc[c, "low"], PARAMETERS.loc[c, "high"], rows)
            for c in columns
        },
        index=pd.Index(range(500, 500 + rows), name="member"),
    )
    table["distance"] = rng.uniform(0, 1, rows)
    table.to_csv(path)
    return table


def run(argv, capsys):
    status = main(argv)
    return status, capsys.readouterr().err


def test_same_seed_same_members_and_other_seed_others(tmp_path):
    write_ensemble(tmp_path / "accepted.csv", rows=40)
    table = read_members(tmp_path / "accepted.csv")
    assert list(table.columns) == COLUMNS  # distance ignored
    first = draw_members(table, 10, seed=7).index.tolist()
    assert draw_members(table, 10, seed=7).index.tolist() == first
    assert draw_members(table, 10, seed=8).index.tolist() != first
    assert len(set(first)) == 10


def test_a_scenario_s_own_parameters_win_over_the_ensemble(tmp_path, write):
    write_ensemble(tmp_path / "accepted.csv")
    table = read_members(tmp_path / "accepted.csv")
    scenario = load_scenario(
        write(
            "own.yaml",
            """
            name: own
            description: sets one ensemble parameter itself
            parameters:
              Multi Scale Coordination Gain: 0.5
            """,
        )
    )
    kept = members_for_scenario(table, scenario)
    assert "Multi Scale Coordination Gain" not in kept.columns
    assert "Initial National Manufacturing Employment" in kept.columns


def _bad(tmp_path, text):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEADER = "member,Multi Scale Coordination Gain,distance\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("member,No Such Parameter\n1,0.5\n", "column 'No Such Parameter'"),
        (GOOD_HEADER + "1,0.5,0\n2,7.5,0\n", "row 3"),  # outside the plausible range
        (GOOD_HEADER + "1,0.5,0\n2,abc,0\n", "'abc' is not a number"),
        (GOOD_HEADER + "1,0.5,0\n1,0.6,0\n", "member 1 appears twice"),
        ("Multi Scale Coordination Gain\n0.5\n", "no 'member' column"),
        (GOOD_HEADER + "x,0.5,0\n", "'x' is not an integer id"),
        (
            "member,Multi Scale Coordination Gain,Multi Scale Coordination Gain\n1,0.5,0.5\n",
            "appears twice",
        ),
    ],
)
def test_bad_ensemble_file_exits_2_naming_file_column_row(tmp_path, capsys, text, expected):
    path = _bad(tmp_path, text)
    output = tmp_path / "out"
    status, err = run(
        ["compare", "baseline", "system-mix", "--ensemble", str(path), "-o", str(output)],
        capsys,
    )
    assert status == 2
    assert "bad.csv" in err and expected in err
    assert "Traceback" not in err
    assert not output.exists()


def test_missing_file_and_bad_member_counts_exit_2(tmp_path, capsys):
    write_ensemble(tmp_path / "accepted.csv", rows=5)
    output = tmp_path / "out"
    for extra, expected in (
        (["--ensemble", str(tmp_path / "nowhere.csv")], "no such file"),
        (["--ensemble", str(tmp_path / "accepted.csv"), "--members", "6"], "has 5"),
        (["--ensemble", str(tmp_path / "accepted.csv"), "--members", "0"], "N >= 1"),
    ):
        status, err = run(["compare", "baseline", "system-mix", *extra, "-o", str(output)], capsys)
        assert status == 2, err
        assert expected in err
        assert not output.exists()


def test_compare_over_an_ensemble_keeps_members_and_pairs(tmp_path, capsys):
    write_ensemble(tmp_path / "accepted.csv", rows=12)
    output = tmp_path / "out"
    status, err = run(
        [
            "compare",
            "baseline",
            "system-mix",
            "--ensemble",
            str(tmp_path / "accepted.csv"),
            "--members",
            "4",
            "--seed",
            "11",
            "-o",
            str(output),
            "--quiet",
        ],
        capsys,
    )
    assert status == 0, err
    with xr.open_dataset(output / "results.nc") as results:
        assert results.sizes["member"] == 4
        chosen = read_members(tmp_path / "accepted.csv")
        expected = draw_members(chosen, 4, seed=11).index.tolist()
        assert results["member"].values.tolist() == expected
        assert results.attrs["ensemble_seed"] == 11
        assert results.attrs["ensemble_members"] == 4
        assert len(results.attrs["ensemble_sha256"]) == 64
        employment = results["National Manufacturing Employment"].sel(time=2050.0)
        # the members differ (the ensemble's parameters reach the model)
        assert float(employment.std("member").max()) > 0
    pairs = pd.read_csv(output / "pairwise.csv")
    assert set(pairs["members"]) == {4}
    both = pairs.set_index(["metric", "scenario", "other"])
    share = both.loc[("nation_employment_2050", "system-mix", "baseline"), "share_a_beats_b"]
    assert 0.0 <= share <= 1.0
    bands = pd.read_csv(output / "metrics_band.csv")
    assert (bands["p05"].dropna() <= bands["p95"].dropna() + 1e-9).all()
    page = (output / "report.html").read_text(encoding="utf-8")
    assert "The answer" in page and "over <b>4</b> ensemble members" in page.replace("Over", "over")


def test_the_shipped_file_is_the_default_and_no_ensemble_turns_it_off(
    tmp_path, capsys, monkeypatch
):
    import renaissance.ensemble_members as ensemble_members

    write_ensemble(tmp_path / "accepted.csv", rows=6)
    monkeypatch.setattr(ensemble_members, "DEFAULT_ENSEMBLE_FILE", tmp_path / "accepted.csv")
    status, err = run(
        [
            "compare",
            "baseline",
            "system-mix",
            "--members",
            "3",
            "-o",
            str(tmp_path / "a"),
            "--quiet",
        ],
        capsys,
    )
    assert status == 0, err
    with xr.open_dataset(tmp_path / "a" / "results.nc") as results:
        assert results.sizes["member"] == 3
        assert results.attrs["ensemble_file"] == "accepted.csv"
    status, err = run(
        [
            "compare",
            "baseline",
            "system-mix",
            "--no-ensemble",
            "-o",
            str(tmp_path / "b"),
            "--quiet",
        ],
        capsys,
    )
    assert status == 0, err
    with xr.open_dataset(tmp_path / "b" / "results.nc") as results:
        assert "member" not in results.dims
