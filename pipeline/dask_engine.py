"""Run the same per-partition function (``batch.process_batch``) on Dask distributed.

Records are read here, in the client, exactly as the local engine reads them (so error
records and ids are the same), shipped to the workers in small batches, and the lines come
back in input order with a bounded number of batches in flight. Each worker thread keeps its
own pipeline (built on first use, never shared between threads). With no ``--scheduler``
address a ``LocalCluster`` of worker processes (one thread each) is started for the run.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Iterable, Iterator

from .batch import Line, RunOptions, one_blas_thread, process_batch
from .output import dumps_summary
from .reading import Record
from .summary import error_record

__all__ = ["DaskEngine"]


class DaskEngine:
    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        from .local_engine import default_workers

        self.workers = workers or default_workers()
        self.scheduler = scheduler
        self._cluster = None
        self._client = None
        self.max_in_flight = 2 * self.workers + 2

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, options: RunOptions | None = None) -> None:
        if self._client is not None:
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError('the Dask engine needs dask[distributed]: pip install "jnews-pipeline[dask]"') from None
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        threads = sum(self._client.nthreads().values()) or self.workers
        self.max_in_flight = 2 * threads + 2

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_batches(self, batches: Iterable[list[Record]], options: RunOptions) -> Iterator[list[Line]]:
        from distributed import KilledWorker

        self.start(options)
        pending: deque = deque()
        source = iter(batches)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.max_in_flight:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                else:
                    pending.append((batch, self._client.submit(in_worker, process_batch, batch, options, pure=False)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                lines = future.result()
            except KilledWorker:
                lines = [_died(record, options) for record in batch]
            future.release()
            yield lines


_LIMITED = False


def in_worker(function, *args):
    """``function(*args)`` on a Dask worker, with one BLAS/OpenMP thread (batch.one_blas_thread).

    Set once per worker process and kept, as in a local pool worker: a limit held by a context
    manager per task would be undone by another task thread finishing first. (Dask's nanny also
    sets OPENBLAS_NUM_THREADS=1 by default, but a cluster may be configured otherwise.)"""
    global _LIMITED
    if not _LIMITED:
        one_blas_thread()
        _LIMITED = True
    return function(*args)


def _died(record: Record, options: RunOptions) -> Line:
    summary = error_record(record.id, "worker_died", "the Dask workers running this record's batch died "
                           "(out of memory, or a crash in the tokenizer)", record.source_path)
    return Line(dumps_summary(summary, pretty=options.pretty), "worker_died", 0)
