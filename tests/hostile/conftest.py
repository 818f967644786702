"""Helpers for the hostile-input tests: run the command line in-process, write files.

The contract every test here checks (issue 18): a command given bad input exits with
status 2, names the file (or flag) in its message and writes nothing; it never exits
with another status, never shows a traceback.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

CONTROL = """
********************************************************
	.Control
********************************************************~
		Simulation Control Parameters
	|

FINAL TIME  = {final}
	~	Month
	~	|

INITIAL TIME  = {initial}
	~	Month
	~	|

SAVEPER  = {saveper}
	~	Month
	~	|

TIME STEP  = {dt}
	~	Month
	~	|
"""


@dataclass
class Outcome:
    """Exit status and output of one command."""

    status: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys):
    """``cli(*argv)`` -> :class:`Outcome` of ``renaissance ARGV`` run in this process."""
    from renaissance.cli import main

    def run(*argv) -> Outcome:
        capsys.readouterr()
        try:
            status = main([str(a) for a in argv])
        except SystemExit as stop:  # argparse refuses a flag: exit 2 with usage
            status = stop.code
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err, captured.err
        return Outcome(status, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path):
    """``write(name, text)`` -> path of ``tmp_path/name`` holding the dedented text."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


def model_text(equations: str, final=10, initial=0, saveper=1, dt=1) -> str:
    """A Vensim model: ``equations`` (Vensim text) and a control section."""
    return equations + CONTROL.format(final=final, initial=initial, saveper=saveper, dt=dt)


def listing(folder: Path) -> set:
    """Every path under ``folder`` (to check that nothing was written)."""
    return {p.relative_to(folder) for p in Path(folder).rglob("*")}


def assert_refused(outcome: Outcome, named: str) -> None:
    """Exit 2, the file or flag named in the message, no traceback."""
    assert outcome.status == 2, (outcome.status, outcome.stderr)
    assert named in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr
