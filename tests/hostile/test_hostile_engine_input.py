"""Engine input (issue 18): clean errors naming file, line and column; no text runs."""

from __future__ import annotations

import warnings

import pytest
from hostile_helpers import assert_refused, model_text

from renaissance.engine.errors import ModelFileError
from renaissance.engine.pysd_translation import check_generated_code

CONSTANT = "x = 1\n~ Dmnl\n~ |\n"
INJECTION = '""" if __import__("os").system("touch {marker}") else """'


def test_truncated_model_file_names_file_and_line(cli, write):
    path = write("m.mdl", model_text("x = 1\n~ Dmnl\n~ |\ny = (x + \n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", path)
    assert_refused(outcome, "m.mdl:4")


def test_model_file_cut_in_the_middle_is_refused(cli, write):
    text = model_text("x = 1\n~ Dmnl\n~ |\nstock = INTEG(x, 0)\n~ Dmnl\n~ |\n")
    path = write("m.mdl", text[: len(text) // 2])
    assert_refused(cli("simulate", path), "m.mdl")


def test_empty_model_file_is_refused(cli, write):
    assert_refused(cli("simulate", write("m.mdl", "")), "m.mdl: the file is empty")


def test_binary_model_file_is_refused(cli, write):
    path = write("m.mdl", bytes(range(256)) * 8)
    assert_refused(cli("simulate", path), "m.mdl:1: a NUL byte")


def test_unknown_encoding_header_is_refused(cli, write):
    path = write("m.mdl", "{NO-SUCH-CODEC}\n" + model_text(CONSTANT))
    assert_refused(cli("simulate", path), "not known")


def test_10000_nested_parentheses_are_refused_without_recursion_error(cli, write):
    path = write("m.mdl", model_text("x = " + "(" * 10000 + "1" + ")" * 10000 + "\n~ Dmnl\n~ |\n"))
    outcome = cli("simulate", path)
    assert_refused(outcome, "m.mdl:1:205")
    assert "nested more than 200" in outcome.stderr


def test_python_expression_in_an_equation_names_line_and_column(cli, write, tmp_path):
    marker = tmp_path / "ran"
    path = write(
        "m.mdl", model_text(f'x = __import__("os").system("touch {marker}")\n~ Dmnl\n~ |\n')
    )
    outcome = cli("simulate", path)
    assert_refused(outcome, "m.mdl:1:21")
    assert not marker.exists()


def test_xmile_file_is_refused_by_name(cli, write):
    assert_refused(cli("simulate", write("m.xmile", "<xmile/>")), "XMILE files are not read")


def test_engine_auto_with_an_unknown_function_exits_2_naming_it(cli, write):
    path = write("m.mdl", model_text("x = FOO BAR FUNCTION(1, 2)\n~ Dmnl\n~ |\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the fallback says why
        outcome = cli("simulate", path, "--engine", "auto")
    assert_refused(outcome, "m.mdl")
    assert "FOO BAR FUNCTION" in outcome.stderr and "nor can PySD" in outcome.stderr


@pytest.mark.parametrize("engine", ["pysd", "auto"])
def test_a_comment_never_runs_under_pysd(cli, write, tmp_path, engine):
    marker = tmp_path / "ran"
    equations = f"x = 1\n~ Dmnl\n~ {INJECTION.format(marker=marker)}\n|\n"
    if engine == "auto":  # a function the fast engine lacks and PySD has: the fallback
        equations += (
            "dim: a, b\n~ ~|\ndemand[dim] = 1, 2\n~ Dmnl\n~ |\n"
            "priority[dim] = 1, 2\n~ Dmnl\n~ |\n"
            "allocation[dim] = ALLOCATE BY PRIORITY(demand[dim], priority[dim], "
            "ELMCOUNT(dim), 3, x)\n~ Dmnl\n~ |\n"
        )
    path = write("m.mdl", model_text(equations))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        outcome = cli("simulate", path, "--engine", engine, "-o", tmp_path / "out.csv")
    assert outcome.status == 0, outcome.stderr
    assert not marker.exists()


def test_a_comment_with_quotes_still_runs_under_pysd_with_its_result(cli, write, tmp_path):
    path = write(
        "m.mdl", model_text('x = 2\n~ Dmnl\n~ a "quoted" comment \\ with a backslash\n|\n')
    )
    outcome = cli("simulate", path, "--engine", "pysd", "-o", tmp_path / "out.csv")
    assert outcome.status == 0, outcome.stderr
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 12  # header, 11 times


@pytest.mark.parametrize(
    "code",
    [
        'def x():\n    """doc"""\n    return 1\n\nif __import__("os").system("true"):\n    pass\n',
        'def x():\n    """""" if open("f") else """"""\n    return 1\n',
        "import os\n",
        "from subprocess import run\n",
        "y = (1).__class__\n",
        "from pathlib import Path\nPath('f').unlink()\n",
    ],
)
def test_generated_code_check_refuses_what_pysd_never_writes(tmp_path, code):
    generated = tmp_path / "m.py"
    generated.write_text(code, encoding="utf-8")
    with pytest.raises(ModelFileError, match="refused"):
        check_generated_code(generated, tmp_path / "m.mdl")


def test_missing_data_file_is_named(cli, write):
    path = write(
        "m.mdl",
        model_text(
            "d: GET DIRECT SUBSCRIPT('nowhere.csv', ',', 'A2', 'A', '')\n~ ~|\n"
            "x[d] = 1\n~ Dmnl\n~ |\n"
        ),
    )
    outcome = cli("simulate", path)
    assert outcome.status == 2 and "nowhere.csv" in outcome.stderr
