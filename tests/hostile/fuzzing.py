"""What the fuzzers share: settings, a bound on time and memory, the contract."""

from __future__ import annotations

import contextlib
import resource
import signal

from hypothesis import HealthCheck, settings

FUZZ = settings(
    deadline=None,  # the bound is bounded() below, not a per-example timing
    database=None,  # nothing written into the working tree
    derandomize=True,  # the same examples on every run: a failure can be reproduced
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SECONDS = 120
"""Longest any one example may take: far beyond a refusal (well under a second) or a
small run (seconds); only a hang reaches it."""
MEMORY = 4 * 2**30
"""Most memory the test process may have used at its peak (bytes)."""


class Hang(Exception):
    """An example ran past :data:`SECONDS`."""


@contextlib.contextmanager
def bounded(seconds: int = SECONDS):
    """Fail with :class:`Hang` if the block runs longer than ``seconds``; check memory."""

    def alarm(signum, frame):
        raise Hang(f"ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak < MEMORY, f"peak memory {peak / 2**30:.1f} GiB"


def check_contract(outcome, named: str, written_ok: bool, before, after) -> str:
    """Exit 0 (a complete result when something is written), or exit 2 naming the file
    and writing nothing. Returns the outcome's name for counting."""
    assert outcome.status in (0, 2), (outcome.status, outcome.stderr)
    if outcome.status == 2:
        assert named in outcome.stderr, outcome.stderr
        assert after == before, sorted(set(after) ^ set(before))
        return "refused"
    assert written_ok, outcome.stderr
    return "ran"
