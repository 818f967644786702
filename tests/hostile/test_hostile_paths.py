"""Names are not paths (issue 18): nothing is written outside the output folder."""

from __future__ import annotations

import os

import pytest
from hostile_helpers import assert_refused, listing, model_text

from renaissance.safe_names import file_in, name_problem


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../../escaped", "slash"),
        ("a/b", "slash"),
        ("a\\\\b", "backslash"),
        ("a\\0b", "U+0000"),
        (".hidden", "dot"),
        ("line\\nbreak", "U+000A"),
    ],
)
def test_unsafe_scenario_names_are_refused_by_validate(cli, write, tmp_path, name, words):
    path = write("s.yaml", f'name: "{name}"\ndescription: d\n')
    outcome = cli("validate", path)
    assert_refused(outcome, f"{path}:1")
    assert words in outcome.stderr


def test_escaping_name_writes_nothing_outside_the_output_folder(cli, write, tmp_path):
    path = write("s.yaml", 'name: "../../escaped"\ndescription: d\n')
    before = listing(tmp_path)
    outcome = cli("run", path, "-o", tmp_path / "out")
    assert_refused(outcome, str(path))
    assert listing(tmp_path) == before


@pytest.mark.parametrize("name", ["../x", "a/b", "..", ".", "", "x\x00y"])
def test_file_in_refuses_names_that_steer_paths(tmp_path, name):
    with pytest.raises(ValueError):
        file_in(tmp_path, name, ".nc")


def test_file_in_keeps_a_plain_name_inside(tmp_path):
    assert file_in(tmp_path, "system-mix", ".nc") == tmp_path / "system-mix.nc"
    assert name_problem("Città di Castello 2") is None


def test_run_with_output_naming_an_existing_file_is_refused(cli, tmp_path):
    target = tmp_path / "results.txt"
    target.write_text("keep me", encoding="utf-8")
    outcome = cli("run", "baseline", "-o", target)
    assert_refused(outcome, "results.txt")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_simulate_with_output_naming_a_folder_is_refused(cli, write, tmp_path):
    model = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\n"))
    folder = tmp_path / "existing"
    folder.mkdir()
    outcome = cli("simulate", model, "-o", folder)
    assert_refused(outcome, "existing")
    assert "is a folder" in outcome.stderr and not any(folder.iterdir())


def test_self_referencing_symlink_scenario_is_refused(cli, tmp_path):
    link = tmp_path / "self.yaml"
    os.symlink(link, link)
    assert_refused(cli("validate", link), "self.yaml")


def test_output_through_a_symlink_loop_is_refused(cli, tmp_path):
    link = tmp_path / "out"
    os.symlink(link, link)
    outcome = cli("run", "baseline", "-o", link)
    assert_refused(outcome, "loops")
    assert os.path.islink(link)


def test_nul_byte_in_a_scenario_reference_is_refused(cli):
    assert_refused(cli("validate", "base\x00line"), "NUL")


def test_run_refuses_two_scenarios_whose_files_would_collide(cli, write, tmp_path):
    first = write("a.yaml", "name: Mix\ndescription: d\n")
    second = write("b.yaml", "name: mix\ndescription: d\n")
    outcome = cli("run", first, second, "-o", tmp_path / "out")
    assert_refused(outcome, "b.yaml")
    assert not (tmp_path / "out").exists()
