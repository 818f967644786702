"""Helpers of the hostile-input tests (a module of its own: every test folder has a
``conftest``, so ``from conftest import`` would depend on collection order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
