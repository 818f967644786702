"""Ctrl-C and SIGTERM end a command cleanly: nothing half-written is left behind.

:func:`terminate_as_interrupt` makes SIGTERM raise :class:`KeyboardInterrupt` like
Ctrl-C (:class:`Terminated`), so that the ``finally`` blocks that remove temporary folders
run on both; the command then exits with 128 + the signal number (130, 143).
:func:`deferred_interrupts` holds both signals back while a file is being written by a
C library (netCDF/HDF5): an exception raised inside such a call can leave the library in
a state where closing the file hangs. The signal takes effect as soon as the write ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class Terminated(KeyboardInterrupt):
    """SIGTERM (or a signal held back by :func:`deferred_interrupts`), as an interrupt.

    Attributes
    ----------
    signal_number : int
    """

    def __init__(self, signal_number: int):
        super().__init__(f"signal {signal_number}")
        self.signal_number = signal_number


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal number, as a shell reports a process ended by it (130 for Ctrl-C)."""
    return 128 + getattr(interrupt, "signal_number", signal.SIGINT)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block, SIGTERM raises KeyboardInterrupt (as Ctrl-C does)."""
    if not _main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise Terminated(signum)

    if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:  # the caller wants it ignored
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def deferred_interrupts():
    """Hold SIGINT and SIGTERM until the block ends, then raise KeyboardInterrupt."""
    if not _main_thread():
        yield
        return
    received = []

    def remember(signum, frame):
        received.append(signum)

    previous = {
        number: signal.signal(number, remember)
        for number in (signal.SIGINT, signal.SIGTERM)
        if signal.getsignal(number) != signal.SIG_IGN  # ignored stays ignored
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        raise Terminated(received[0])
