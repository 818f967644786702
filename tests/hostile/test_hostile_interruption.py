"""Interruption (issue 18): nothing half-written; leftovers of killed runs removed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from renaissance.interrupts import deferred_interrupts, terminate_as_interrupt
from renaissance.leftovers import (
    LEGACY_AGE_SECONDS,
    remove_output_leftovers,
    remove_roster_leftovers,
)
from renaissance.outputs import output_directory


def dead_pid() -> int:
    """The id of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_partial_folder_of_a_dead_run_is_removed_by_the_next(tmp_path):
    stale = tmp_path / f".out.{dead_pid()}.abc123.partial"
    stale.mkdir()
    (stale / "results.nc").write_bytes(b"half")
    with output_directory(tmp_path / "out") as scratch:
        (scratch / "done.txt").write_text("ok", encoding="utf-8")
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_partial_folder_of_a_live_run_is_kept(tmp_path):
    live = tmp_path / f".out.{os.getppid()}.abc123.partial"
    live.mkdir()
    assert remove_output_leftovers(tmp_path / "out") == []
    assert live.exists()


def test_old_style_partial_folder_is_removed_once_a_day_old(tmp_path):
    young = tmp_path / ".out.k2j3h4.partial"
    old = tmp_path / ".out.z9y8x7.partial"
    young.mkdir()
    old.mkdir()
    past = time.time() - LEGACY_AGE_SECONDS - 60
    os.utime(old, (past, past))
    assert remove_output_leftovers(tmp_path / "out") == [old]
    assert young.exists()


def test_roster_copies_of_dead_runs_are_removed(tmp_path):
    stale = tmp_path / f"renaissance-roster-{dead_pid()}-xyz"
    live = tmp_path / f"renaissance-roster-{os.getppid()}-xyz"
    other = tmp_path / "someone-else"
    for folder in (stale, live, other):
        folder.mkdir()
    assert remove_roster_leftovers(tmp_path) == [stale]
    assert live.exists() and other.exists()


def test_sigterm_inside_a_run_removes_its_temporary_folder(tmp_path):
    with pytest.raises(KeyboardInterrupt), terminate_as_interrupt():
        with output_directory(tmp_path / "out") as scratch:
            (scratch / "results.nc").write_bytes(b"half")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the signal arrives before this ends
    assert list(tmp_path.iterdir()) == []


def test_interrupts_wait_for_the_end_of_a_write(tmp_path):
    written = []
    # a process started in the background inherits SIGINT ignored; this test needs the
    # ordinary Ctrl-C handler that an interactive user has
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with deferred_interrupts():
                os.kill(os.getpid(), signal.SIGINT)
                written.append("all of it")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert written == ["all of it"]


def test_signal_handlers_are_restored(tmp_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with terminate_as_interrupt(), deferred_interrupts():
        pass
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_exit_status_follows_the_signal():
    from renaissance.interrupts import Terminated, exit_status

    assert exit_status(KeyboardInterrupt()) == 130
    assert exit_status(Terminated(signal.SIGTERM)) == 143


def test_an_ignored_signal_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with deferred_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
