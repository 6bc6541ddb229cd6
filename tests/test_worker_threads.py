"""Every batch worker runs with one BLAS/OpenMP thread (issue 21: one core per worker).

Each test first raises the limit where the workers inherit it (to 4 threads in this process
before a fork; to one per core in the environment of Dask's worker processes), so that a
worker which did not limit itself would report more than one.
"""

import os
import time

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from test_batch_corpus import article

from pipeline.batch.partition import RunOptions
from pipeline.batch.local_engine import LocalEngine
from pipeline.io.reading import Record

INHERITED = 4


def _threads() -> list[int]:
    info = threadpool_info()
    assert info, "numpy's BLAS is not loaded: nothing to check"
    return [entry["num_threads"] for entry in info]


def _threads_in_a_busy_worker() -> tuple[int, list[int]]:
    time.sleep(0.2)  # keep this worker busy so that the other worker takes the next call
    return os.getpid(), _threads()


def test_the_limit_is_inherited_unless_a_worker_sets_its_own():
    with threadpool_limits(INHERITED):
        assert set(_threads()) == {INHERITED}  # else the tests below could not fail


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_pool_workers_run_with_one_blas_thread():
    with threadpool_limits(INHERITED), LocalEngine(2) as engine:
        engine.start(RunOptions())
        calls = [engine._pool.submit(_threads_in_a_busy_worker) for _ in range(6)]
        answers = [call.result() for call in calls]
    assert len({pid for pid, _ in answers}) == 2  # both workers answered
    assert all(threads == [1] * len(threads) for _, threads in answers), answers


def test_the_single_worker_path_runs_with_one_blas_thread_and_restores_the_limit():
    seen = []

    def batches():  # read by map_batches while the run is going on, in this process
        for n in range(2):
            seen.append(_threads())
            yield [Record(id=str(n), text=article(n))]

    with threadpool_limits(INHERITED):
        with LocalEngine(1) as engine:
            lines = [line for lines in engine.map_batches(batches(), RunOptions()) for line in lines]
        after = _threads()
    assert [line.error for line in lines] == [None, None]
    assert seen and all(threads == [1] * len(threads) for threads in seen), seen
    assert set(after) == {INHERITED}  # the caller's limit is back once the run is over


@pytest.mark.slow
def test_dask_workers_run_with_one_blas_thread(monkeypatch):
    distributed = pytest.importorskip("distributed")

    from pipeline.batch.dask_engine import in_worker

    cores = os.cpu_count() or 1
    if cores < 2:
        pytest.skip("OpenBLAS starts at most one thread per core: nothing to limit on one core")
    # Dask's nanny gives its workers OPENBLAS_NUM_THREADS=1 unless the environment says
    # otherwise (and leaves it in this process's environment): a cluster configured otherwise.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, str(cores))  # OpenBLAS caps it at the number of cores
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        plain = client.submit(threadpool_info, pure=False).result()
        limited = client.submit(in_worker, threadpool_info, pure=False).result()
    assert plain and {entry["num_threads"] for entry in plain} == {cores}  # the setting reached the worker
    assert limited and {entry["num_threads"] for entry in limited} == {1}
