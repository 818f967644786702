"""Resource exhaustion (issue 18): refused before the work, in bounded time and memory."""

from __future__ import annotations

import tracemalloc

import pytest
from hostile_helpers import assert_refused, listing, model_text

from renaissance.limits import DEFAULT_MAX_STEPS, MAX_DISTRICTS, raised_limits
from renaissance.scenarios import ScenarioError, load_scenario

ALIAS_BOMB = """
name: bomb
description: nine levels of ten aliases, 10^9 values once expanded
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_with_bounded_memory(write):
    path = write("bomb.yaml", ALIAS_BOMB)
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError, match="aliases") as caught:
            load_scenario(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.file == str(path)
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MiB"  # expanded: tens of GB


def test_alias_bomb_validate_exits_2(cli, write):
    path = write("bomb.yaml", ALIAS_BOMB)
    assert_refused(cli("validate", path), str(path))


def test_recursive_alias_is_refused(write):
    path = write("loop.yaml", "name: r\ndescription: d\nparameters: &a\n  x: *a\n")
    with pytest.raises(ScenarioError, match="contains it"):
        load_scenario(path)


def test_deep_nesting_is_refused_before_the_recursive_composer(write):
    path = write("deep.yaml", "name: n\ndescription: d\nx: " + "[" * 10000 + "]" * 10000 + "\n")
    with pytest.raises(ScenarioError, match="nested more than") as caught:
        load_scenario(path)
    assert caught.value.line == 3


def test_oversized_scenario_file_is_refused(write):
    path = write("big.yaml", "name: n\ndescription: d\n" + "# padding\n" * 200_000)
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(path)


def test_extends_chain_of_1000_files_is_refused_without_recursion_error(tmp_path):
    for i in range(1000):
        (tmp_path / f"c{i}.yaml").write_text(
            f"name: c{i}\ndescription: d\nextends: c{i + 1}.yaml\n", encoding="utf-8"
        )
    (tmp_path / "c1000.yaml").write_text("name: end\ndescription: d\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="files deep"):
        load_scenario(tmp_path / "c0.yaml")


@pytest.mark.parametrize("dt", ["1.0e-6", "1.0e-300", "5.0e-324"])
def test_tiny_dt_is_refused_by_validate(cli, write, dt):
    path = write("s.yaml", f"name: n\ndescription: d\nhorizon: {{dt: {dt}}}\n")
    outcome = cli("validate", path)
    assert_refused(outcome, str(path))
    assert "--max-steps" in outcome.stderr and "horizon.dt" in outcome.stderr


def test_max_steps_flag_raises_the_limit(cli, write):
    path = write("s.yaml", "name: n\ndescription: d\nhorizon: {dt: 1.0e-6}\n")
    assert cli("validate", path, "--max-steps", "100000000").status == 0


def test_simulate_tiny_dt_is_refused_before_allocating(cli, write):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", model, "--dt", "1e-9")
    assert_refused(outcome, "m.mdl")
    assert "--max-steps" in outcome.stderr


def test_working_memory_is_estimated_against_the_limit(write):
    from renaissance.engine import load_model
    from renaissance.engine.errors import WorkLimitError

    model = load_model(write("m.mdl", model_text("x[d] = 1\n~ Dmnl\n~ |\nd: (a1-a100)\n~ ~|\n")))
    with raised_limits(memory_bytes=10_000), pytest.raises(WorkLimitError, match="--memory-limit"):
        model.run_ensemble({"x": list(range(50))})
    with raised_limits(memory_bytes=2**30):
        assert model.run_ensemble({"x": list(range(50))})["x"].shape[1] == 50


def test_memory_limit_flag_refuses_with_exit_2(cli, write, tmp_path):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n"))
    before = listing(tmp_path)
    outcome = cli("simulate", model, "--memory-limit", "0.000001", "-o", tmp_path / "out.csv")
    assert_refused(outcome, "m.mdl")
    assert "memory" in outcome.stderr and listing(tmp_path) == before


def test_subscript_range_of_100000_elements_is_refused_before_parsing(cli, write):
    model = write("m.mdl", model_text("Big: (e1-e100000)\n~ ~|\nx[Big] = 1\n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", model)
    assert_refused(outcome, "m.mdl:1")
    assert "100,000 elements" in outcome.stderr


def test_roster_of_10000_districts_is_refused(cli, tmp_path):
    import pandas as pd

    from renaissance.paths import MODEL_DIRECTORY

    districts = pd.read_csv(MODEL_DIRECTORY / "districts.csv")
    many = districts.loc[[0] * (MAX_DISTRICTS * 5)].reset_index(drop=True)
    many["district"] = [f"District {i}" for i in range(len(many))]
    folder = tmp_path / "roster"
    folder.mkdir()
    many.to_csv(folder / "districts.csv", index=False)
    (folder / "regions.csv").write_bytes((MODEL_DIRECTORY / "regions.csv").read_bytes())
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: n\ndescription: d\nroster: roster\n", encoding="utf-8")
    outcome = cli("validate", scenario)
    assert_refused(outcome, "districts.csv")
    assert f"at most {MAX_DISTRICTS:,}" in outcome.stderr


def test_the_default_step_limit_leaves_room_for_the_library():
    # the library's horizons take 472 steps; a dt of 1/1024 over 1991-2100 still runs
    assert (2100 - 1991) * 1024 < DEFAULT_MAX_STEPS
