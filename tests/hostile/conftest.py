"""Helpers for the hostile-input tests: run the command line in-process, write files.

The contract every test here checks (issue 18): a command given bad input exits with
status 2, names the file (or flag) in its message and writes nothing; it never exits
with another status, never shows a traceback.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hostile_helpers import Outcome


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
