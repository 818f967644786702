"""Running chunks in this process or on ``dask.distributed``, with progress.

``scheduler`` values:

``None`` or ``"in-process"`` (default)
    chunks one after another in this process (the vectorised engine already uses the
    machine well for ensembles of a few hundred members or more).
``"processes"``
    a ``dask.distributed.LocalCluster`` with one single-threaded worker process per core.
``"local"``
    a ``LocalCluster`` whose workers are threads of this process (no pickling of
    results, no start-up cost per process; numpy releases the GIL only in part).
``"tcp://HOST:PORT"`` (or any address a ``Client`` accepts)
    an existing cluster; every worker must have this package and the same model file
    (checked by sha256).
a ``dask.distributed.Client``
    used as it is.

Every chunk is an independent, deterministic task, so results do not depend on which
worker ran it or in which order chunks finished: they are put back in chunk order. A
chunk that raises is retried (``retries``); a chunk on a worker that dies is rescheduled
by the scheduler on another worker (up to ``distributed.scheduler.allowed-failures``
times).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager

SCHEDULERS = ("in-process", "processes", "local")


class Progress:
    """Progress of a run of chunks on standard error (nothing when quiet).

    Parameters
    ----------
    total_runs : int
        Model runs in all chunks.
    label : str
        What is running (shown first).
    quiet : bool
        Print nothing.
    stream : file-like, optional
        Default ``sys.stderr``.
    """

    def __init__(self, total_runs: int, label: str = "runs", quiet: bool = False, stream=None):
        self.total = int(total_runs)
        self.done = 0
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self._live = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, runs: int) -> None:
        """Record ``runs`` more finished runs and show the state."""
        self.done += int(runs)
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        line = (
            f"{self.label}: {self.done:,}/{self.total:,} runs "
            f"({100 * self.done / max(self.total, 1):.0f}%), {elapsed:.0f} s elapsed, "
            f"{rate:,.0f} runs/s, about {left:.0f} s left"
        )
        end = "" if self._live and self.done < self.total else "\n"
        prefix = "\r" if self._live else ""
        print(prefix + line, end=end, file=self.stream, flush=True)


def check_scheduler(scheduler) -> None:
    """Refuse a scheduler value that is none of the documented ones."""
    if scheduler is None or not isinstance(scheduler, str):
        return
    if scheduler in SCHEDULERS or "://" in scheduler:
        return
    raise ValueError(
        f"scheduler {scheduler!r} is not one of {SCHEDULERS} or an address such as "
        "'tcp://HOST:PORT'"
    )


@contextmanager
def open_scheduler(scheduler):
    """Context giving what :func:`map_chunks` runs on: None (in-process) or a Client.

    A cluster or client started here is closed on exit; a Client passed in is not.
    """
    check_scheduler(scheduler)
    if scheduler is None or scheduler == "in-process":
        yield None
        return
    import dask
    from dask.distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    # Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, which stops glibc
    # from raising its mmap threshold: every large temporary of the engine is then
    # mapped and unmapped again, and a chunk takes about twice as long (measured). Keep
    # glibc's default for the workers of a cluster started here (and their restarts).
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        if scheduler == "processes":
            cores = os.cpu_count() or 1
            cluster = LocalCluster(
                n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None
            )
        elif scheduler == "local":
            cluster = LocalCluster(
                n_workers=1,
                threads_per_worker=os.cpu_count() or 1,
                processes=False,
                dashboard_address=None,
            )
        else:
            cluster = None
        try:
            client = Client(cluster if cluster is not None else scheduler)
            try:
                yield client
            finally:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()


def map_chunks(
    function: Callable,
    chunks: Sequence,
    sizes: Sequence[int],
    *,
    scheduler=None,
    retries: int = 2,
    progress: Progress | None = None,
) -> list:
    """``[function(chunk) for chunk in chunks]``, here or on a Dask cluster.

    Parameters
    ----------
    function : callable
        Takes one chunk; must be picklable (a module-level function or a
        ``functools.partial`` of one) for a cluster.
    chunks : sequence
        The work items.
    sizes : sequence of int
        Runs in each chunk (for progress).
    scheduler : see the module docstring
    retries : int
        Extra attempts for a chunk whose task raised (Dask schedulers).
    progress : Progress, optional

    Returns
    -------
    list
        Results in the order of ``chunks``.
    """
    check_scheduler(scheduler)
    if scheduler is None or scheduler == "in-process":
        results = []
        for chunk, size in zip(chunks, sizes, strict=True):
            results.append(function(chunk))
            if progress is not None:
                progress.advance(size)
        return results
    from dask.distributed import as_completed

    with open_scheduler(scheduler) as client:
        futures = [client.submit(function, chunk, retries=retries, pure=False) for chunk in chunks]
        position = {future.key: i for i, future in enumerate(futures)}
        results: list = [None] * len(futures)
        for future in as_completed(futures):
            index = position[future.key]
            results[index] = future.result()
            if progress is not None:
                progress.advance(sizes[index])
        return results
