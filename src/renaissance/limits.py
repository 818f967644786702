"""Bounds on input: what is refused because it would not finish or would not fit.

Each bound is far above what a legitimate use needs (the reason is given beside it) and
far below what exhausts the machine. Two of them can be raised for one command: the
working memory a run may use (``--memory-limit``) and the number of integration steps
(``--max-steps``); :func:`raised_limits` sets them for the code run inside it, so that the
library functions below the command line see them without extra arguments.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from dataclasses import dataclass, replace

MAX_YAML_BYTES = 1_000_000
"""Largest scenario file read (bytes). The library's largest file is about 3 kB; a
scenario with a yearly series for each of 2,000 districts over a century stays below."""
MAX_YAML_DEPTH = 32
"""Deepest nesting of mappings and lists in a scenario file (the schema needs 5)."""
MAX_YAML_NODES = 100_000
"""Most values a scenario file may hold once its YAML aliases are expanded. A yearly
series for each of the national roster's 141 districts over a century is about 14,000.
Counting during expansion refuses an alias bomb (nine levels of ten aliases: 10^9
values) after this many, in a fraction of a second and a few MB."""
MAX_EXTENDS_DEPTH = 16
"""Longest ``extends`` chain (the library's longest is 3)."""
MAX_DISTRICTS = 2_000
"""Most districts in a roster. The national roster has 141 (ISTAT 2011); several
variables have District x Instrument x Scale cells, so the cost grows at least linearly."""
MAX_REGIONS = 500
"""Most regions in a roster (Italy has 20; NUTS-2 Europe about 240)."""
MAX_SUBSCRIPT_ELEMENTS = 10_000
"""Most elements of one subscript range in a model file."""
MAX_MODEL_BYTES = 20_000_000
"""Largest model file read (bytes); ``renaissance.mdl`` is about 200 kB."""
MAX_EQUATION_NESTING = 200
"""Deepest nesting of parentheses in one equation (the model needs fewer than 10). PySD's
parser recurses once per level and would exhaust Python's stack long before 10,000."""
DEFAULT_MAX_STEPS = 1_000_000
"""Most integration steps of one run (``(FINAL TIME - INITIAL TIME) / TIME STEP``). The
library's horizons take 472 steps of 1/8 year; one step of the showcase model on the
virtual machine takes about 40 microseconds, so the bound is about a minute of work there
and hours under PySD."""
MEMORY_FRACTION = 0.8
"""Share of the machine's available memory a run may plan to use by default."""


@dataclass(frozen=True)
class Limits:
    """The raisable bounds in force.

    Attributes
    ----------
    max_steps : int
        Most integration steps of one run.
    memory_bytes : int or None
        Working memory a run may plan to use, bytes; None for :data:`MEMORY_FRACTION`
        of the memory available when the run starts.
    """

    max_steps: int = DEFAULT_MAX_STEPS
    memory_bytes: int | None = None

    def memory_allowed(self) -> int:
        """Bytes a run may use now (the explicit limit, else a share of what is free)."""
        if self.memory_bytes is not None:
            return self.memory_bytes
        return int(MEMORY_FRACTION * available_memory())


_LIMITS: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("limits", default=None)


def current_limits() -> Limits:
    """The limits in force (the defaults unless inside :func:`raised_limits`)."""
    return _LIMITS.get() or Limits()


@contextlib.contextmanager
def raised_limits(max_steps: int | None = None, memory_bytes: int | None = None):
    """Run the body with other limits (None keeps the current value)."""
    limits = current_limits()
    if max_steps is not None:
        limits = replace(limits, max_steps=int(max_steps))
    if memory_bytes is not None:
        limits = replace(limits, memory_bytes=int(memory_bytes))
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def available_memory() -> int:
    """Bytes of memory available to a new allocation (``MemAvailable`` on Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not on this platform
        return 8 * 2**30


def gibibytes(count: float) -> str:
    """``count`` bytes in GiB (or MiB below one GiB) for messages."""
    if count >= 2**30:
        return f"{count / 2**30:.1f} GiB"
    return f"{count / 2**20:.1f} MiB"


def add_limit_arguments(parser) -> None:
    """Add ``--max-steps`` and ``--memory-limit`` to an ``argparse`` parser."""
    parser.add_argument(
        "--max-steps",
        type=_whole_number_argument,
        metavar="N",
        help=f"most integration steps of one run (default {DEFAULT_MAX_STEPS:,})",
    )
    parser.add_argument(
        "--memory-limit",
        type=_gibibytes_argument,
        metavar="GIB",
        help=f"working memory a run may plan to use, GiB (default {MEMORY_FRACTION:.0%} of "
        "the memory available when it starts)",
    )


def limits_of(args):
    """:func:`raised_limits` for the ``--max-steps``/``--memory-limit`` of parsed args."""
    return raised_limits(getattr(args, "max_steps", None), getattr(args, "memory_limit", None))


def _whole_number_argument(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def _gibibytes_argument(text: str) -> int:
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of GiB") from None
    if not math.isfinite(value) or value <= 0 or value > 2**20:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a number of GiB in (0, 1048576]")
    return int(value * 2**30)
