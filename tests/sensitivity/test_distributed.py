"""Dask: the same chunks on a LocalCluster give exactly the in-process results."""

import pytest
import xarray as xr

from renaissance.sensitivity import evaluate, sample
from renaissance.sensitivity.executor import check_scheduler, map_chunks

OUTPUTS = ["National Manufacturing Employment@1996", "District Exports[Prato]"]


@pytest.fixture(scope="module")
def drawn(small_problem):
    return sample(small_problem, "sobol", 8, seed=3)


def test_two_worker_processes_give_identical_results(short_setup, drawn):
    from dask.distributed import Client, LocalCluster

    here = evaluate(short_setup, drawn, OUTPUTS, chunk_size=14, quiet=True)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        there = evaluate(short_setup, drawn, OUTPUTS, chunk_size=14, scheduler=client, quiet=True)
    xr.testing.assert_identical(here, there)


def test_threaded_local_cluster_gives_identical_results(short_setup, drawn):
    here = evaluate(short_setup, drawn, OUTPUTS, chunk_size=20, quiet=True)
    there = evaluate(short_setup, drawn, OUTPUTS, chunk_size=20, scheduler="local", quiet=True)
    xr.testing.assert_identical(here, there)


def test_a_cluster_address_gives_identical_results_and_stays_up(short_setup, drawn):
    from dask.distributed import Client, LocalCluster

    here = evaluate(short_setup, drawn, OUTPUTS, chunk_size=20, quiet=True)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        there = evaluate(
            short_setup,
            drawn,
            OUTPUTS,
            chunk_size=20,
            scheduler=cluster.scheduler_address,
            quiet=True,
        )
        with Client(cluster.scheduler_address) as client:  # not shut down by evaluate
            assert client.submit(sum, [1, 2]).result() == 3
    xr.testing.assert_identical(here, there)


_ATTEMPTS = []


def _fails_once(item):
    # runs in this process's worker thread ("local" cluster), so the list is shared
    if item == 2 and item not in _ATTEMPTS:
        _ATTEMPTS.append(item)
        raise OSError("worker lost its connection")
    return item * 10


def test_a_failed_chunk_is_retried():
    results = map_chunks(_fails_once, [0, 1, 2, 3], [1, 1, 1, 1], scheduler="local", retries=1)
    assert results == [0, 10, 20, 30] and _ATTEMPTS == [2]


def test_without_retries_the_failure_surfaces():
    _ATTEMPTS.clear()
    with pytest.raises(OSError, match="worker lost"):
        map_chunks(_fails_once, [2], [1], scheduler="local", retries=0)


def test_unknown_scheduler_is_refused():
    with pytest.raises(ValueError, match=r"scheduler 'threads' is not one of"):
        check_scheduler("threads")


def _dies_once(marker, item):
    # the first attempt at item 2 kills its worker process outright (no exception)
    import os
    from pathlib import Path

    if item == 2 and not Path(marker).exists():
        Path(marker).write_text("died")
        os._exit(1)
    return item * 10


def test_a_chunk_of_a_killed_worker_process_is_run_again(tmp_path):
    import functools

    from dask.distributed import Client, LocalCluster

    marker = tmp_path / "died"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        results = map_chunks(
            functools.partial(_dies_once, str(marker)),
            [0, 1, 2, 3],
            [1, 1, 1, 1],
            scheduler=client,
            retries=0,
        )
    assert marker.exists()  # the worker really died once
    assert results == [0, 10, 20, 30]
