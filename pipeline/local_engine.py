"""Run batches on local worker processes, in input order, with bounded work in flight.

One pipeline per process, built in the pool initializer (fugashi #54: a Tagger is never
pickled or shared). At most ``2 * workers + 2`` batches are in flight, so reading never runs
ahead of summarizing. After about ``recycle_after`` articles per worker, the pool is drained
and replaced by fresh processes: the only way to give back what fugashi and spaCy's Vocab
keep (see ``batch``), so memory stays flat however long the dump. If a worker process dies
(out of memory, a crash inside MeCab), the batches in flight are re-run one record at a time
in a fresh pool, and only the record that kills a worker again becomes an error line
(``worker_died``): nothing is lost and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from .batch import DEFAULT_RECYCLE_AFTER, Line, RunOptions, Worker, one_blas_thread, process_batch
from .reading import Record
from .summary import error_record
from .output import dumps_summary

__all__ = ["LocalEngine", "default_workers"]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(options: RunOptions) -> None:
    # Ctrl-C is the parent's business: it stops the pool and reports once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import batch

    worker = batch._LOCAL.worker = Worker(options, freeze_gc=True)
    worker._pipeline()  # build it now, not on the first record
    one_blas_thread()  # for the life of the process: one core per worker (see batch.one_blas_thread)


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with spaCy already imported; spawn elsewhere.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class LocalEngine:
    """``workers == 1`` runs in this process (no pool, no IPC); more use a process pool."""

    name = "local"

    def __init__(self, workers: int | None = None, *, max_in_flight: int | None = None,
                 recycle_after: int | None = DEFAULT_RECYCLE_AFTER) -> None:
        self.workers = workers or default_workers()
        self.max_in_flight = max_in_flight or 2 * self.workers + 2
        self.recycle_after = recycle_after  # articles per worker process; None: never
        self.recycled = 0
        self._pool: ProcessPoolExecutor | None = None
        self._options: RunOptions | None = None

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self, options: RunOptions) -> None:
        """Start the worker processes. The CLI calls this before its progress threads exist,
        so the first fork is from a single-threaded process; a recycle or a restart after a
        dead worker forks later, from a process whose only other threads are the progress
        bar's (they hold no lock a worker needs)."""
        if self._pool is not None and options != self._options:
            self.close()  # workers build their pipeline for one set of options, in the initializer
        self._options = options
        if self.workers > 1 and self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(),
                                             initializer=_init_worker, initargs=(options,))
            self._pool.submit(int).result()  # fork every worker now, while this process has no threads of ours

    def map_batches(self, batches: Iterable[list[Record]], options: RunOptions) -> Iterator[list[Line]]:
        """Each batch's lines, in input order."""
        if self.workers <= 1:
            worker = Worker(options, freeze_gc=True)
            with one_blas_thread():  # this process's own limits come back when the run ends
                for batch in batches:
                    yield worker.process(batch)
            return
        if self._pool is None or self._options != options:
            self.close()
            self.start(options)
        pending: deque = deque()
        source = iter(batches)
        exhausted = False
        submitted = 0  # articles sent to the current pool
        budget = self.recycle_after * self.workers if self.recycle_after else None
        while True:
            while not exhausted and len(pending) < self.max_in_flight and (budget is None or submitted < budget):
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                else:
                    pending.append((batch, self._pool.submit(process_batch, batch, options)))
                    submitted += len(batch)
            if not pending:
                if exhausted:
                    return
                self._restart(wait=True)  # drained: fresh processes give all their memory back
                self.recycled += 1
                submitted = 0
                continue
            batch, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                retry = [batch, *(b for b, _ in pending)]
                pending.clear()
                self._restart()
                submitted = 0
                for batch in retry:
                    yield [self._isolated(record, options) for record in batch]

    def _restart(self, wait: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
        self.start(self._options)

    def _isolated(self, record: Record, options: RunOptions) -> Line:
        """Run one record alone; if its worker dies, the record gets an error line."""
        try:
            return self._pool.submit(process_batch, [record], options).result()[0]
        except BrokenProcessPool:
            self._restart()
            summary = error_record(record.id, "worker_died",
                                   "the worker process died while summarizing this record "
                                   "(out of memory, or a crash in the tokenizer)", record.source_path)
            return Line(dumps_summary(summary, pretty=options.pretty), "worker_died", 0)
