"""Run batches on local worker processes, in input order, with bounded work in flight.

One pipeline per process, built in the pool initializer (fugashi #54: a Tagger is never
pickled or shared). At most ``2 * workers + 2`` batches are in flight, so reading never runs
ahead of summarizing. After about ``recycle_after`` articles per worker, the pool is drained
and replaced by fresh processes: the only way to give back what fugashi and spaCy's Vocab
keep (see ``batch``), so memory stays flat however long the dump. If a worker process dies
(out of memory, a crash inside MeCab), the batches in flight are re-run one record at a time
in a fresh pool, and only the record that kills a worker again becomes an error line
(``worker_died``): nothing is lost and the run goes on. With ``record_timeout``, a batch that
runs past its deadline has its pool killed and replaced, and its records are run again
alone, each with the deadline (see ``deadline``): a record still running then becomes a
``timeout`` line.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from . import deadline
from .partition import DEFAULT_RECYCLE_AFTER, Line, RunOptions, Worker, one_blas_thread, process_batch
from ..io.reading import Record
from ..records import error_record
from ..io.output import dumps_summary

__all__ = ["LocalEngine", "default_workers"]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# In a worker process: where it writes the time.monotonic() at which it starts each batch (one
# slot per batch in flight, shared memory), so that the parent measures a batch's deadline
# from its start, not from its submission. CLOCK_MONOTONIC is one clock for every process.
_STARTS = None


def _init_worker(options: RunOptions, starts) -> None:
    global _STARTS
    # Ctrl-C is the parent's business: it stops the pool and reports once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import partition

    _STARTS = starts
    worker = partition._LOCAL.worker = Worker(options, freeze_gc=True)
    worker.warm_up()  # build it and load what it loads lazily now, not in the first batch's deadline
    one_blas_thread()  # for the life of the process: one core per worker (see batch.one_blas_thread)


def _timed_batch(slot: int, records: list[Record], options: RunOptions) -> list[Line]:
    _STARTS[slot] = time.monotonic()
    return process_batch(records, options)


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with spaCy already imported; spawn elsewhere.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class LocalEngine:
    """``workers == 1`` runs in this process (no pool, no IPC) unless there is a
    ``record_timeout`` (seconds per record; None or 0: none), which needs a process that can be
    killed; more workers, or a deadline, use a process pool."""

    name = "local"

    def __init__(self, workers: int | None = None, *, max_in_flight: int | None = None,
                 recycle_after: int | None = DEFAULT_RECYCLE_AFTER, record_timeout: float | None = None) -> None:
        self.workers = workers or default_workers()
        self.max_in_flight = max_in_flight or 2 * self.workers + 2
        self.recycle_after = recycle_after  # articles per worker process; None: never
        self.record_timeout = record_timeout or None
        self.recycled = 0
        self._pool: ProcessPoolExecutor | None = None
        self._options: RunOptions | None = None
        self._starts = None  # the workers' start signals (see _STARTS), made with the first pool
        self._submitted = 0  # batches submitted so far; batch k writes its start in slot k % max_in_flight

    @property
    def in_process(self) -> bool:
        return self.workers <= 1 and not self.record_timeout

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        # Leaving on an exception (Ctrl-C): kill the workers rather than wait for them, since one
        # may be stuck on a record and would never finish.
        self.close(kill=exc_type is not None)

    def close(self, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            if kill:
                _kill_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)

    def start(self, options: RunOptions) -> None:
        """Start the worker processes. The CLI calls this before its progress threads exist,
        so the first fork is from a single-threaded process; a recycle or a restart after a
        dead worker forks later, from a process whose only other threads are the progress
        bar's (they hold no lock a worker needs)."""
        if self._pool is not None and options != self._options:
            self.close()  # workers build their pipeline for one set of options, in the initializer
        self._options = options
        if not self.in_process and self._pool is None:
            if self._starts is None:
                # At most max_in_flight batches are in flight at once, and they were submitted
                # one after another: slot k % max_in_flight is never shared (one-record runs go
                # one at a time, with nothing else in flight).
                self._starts = _context().Array("d", self.max_in_flight, lock=False)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(),
                                             initializer=_init_worker, initargs=(options, self._starts))
            self._pool.submit(int).result()  # fork every worker now, while this process has no threads of ours

    def map_batches(self, batches: Iterable[list[Record]], options: RunOptions) -> Iterator[list[Line]]:
        """Each batch's lines, in input order."""
        if self.in_process:
            worker = Worker(options, freeze_gc=True)
            with one_blas_thread():  # this process's own limits come back when the run ends
                for batch in batches:
                    yield worker.process(batch)
            return
        if self._pool is None or self._options != options:
            self.close()
            self.start(options)
        pending: deque = deque()  # (batch, future, slot) in input order
        redo: deque = deque()  # (batch, future or None) to put in flight again, before the next new batch
        source = iter(batches)
        exhausted = False
        submitted = 0  # articles sent to the current pool
        budget = self.recycle_after * self.workers if self.recycle_after else None
        while True:
            while (redo or not exhausted) and len(pending) < self.max_in_flight and (budget is None or submitted < budget):
                if redo:
                    batch, done = redo.popleft()
                    pending.append((batch, done, None) if done else (batch, *self._submit(batch, options)))
                    continue
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                else:
                    pending.append((batch, *self._submit(batch, options)))
                    submitted += len(batch)
            if not pending:
                if exhausted and not redo:
                    return
                self._restart(wait=True)  # drained: fresh processes give all their memory back
                self.recycled += 1
                submitted = 0
                continue
            batch, future, slot = pending.popleft()
            try:
                yield self._result(future, slot, batch)
            except BrokenProcessPool:
                retry = [batch, *(b for b, _, _ in pending), *(b for b, _ in redo)]
                pending.clear()
                redo.clear()
                self._restart()
                submitted = 0
                for batch in retry:
                    yield [self._isolated(record, options) for record in batch]
            except deadline.Expired:
                # Its worker is stuck: kill the pool (one worker cannot be killed alone: the
                # pool breaks), keep the lines already made, put the rest in flight again.
                redo.extendleft(reversed([(b, f if _succeeded(f) else None) for b, f, _ in pending]))
                pending.clear()
                self._kill()
                submitted = 0
                if deadline.live(batch) <= 1:  # it ran alone already: its only record is the one
                    yield [deadline.timeout_line(record, options, self.record_timeout) if record.error is None
                           else self._isolated(record, options) for record in batch]
                else:
                    yield [self._isolated(record, options) for record in batch]

    def _submit(self, batch: list[Record], options: RunOptions) -> tuple[Future, int]:
        slot = self._submitted % self.max_in_flight
        self._submitted += 1
        self._starts[slot] = 0.0  # not started
        return self._pool.submit(_timed_batch, slot, batch, options), slot

    def _result(self, future: Future, slot: int | None, batch: list[Record]) -> list[Line]:
        """The batch's lines; ``deadline.Expired`` when it runs past its deadline."""
        if not self.record_timeout or slot is None:  # no deadline, or lines kept from a killed pool
            return future.result()
        return deadline.wait(lambda seconds: future.result(timeout=seconds), future.done,
                             lambda: (self._starts[slot], None) if self._starts[slot] else None,
                             deadline.budget(batch, self.record_timeout))

    def _restart(self, wait: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
        self.start(self._options)

    def _kill(self) -> None:
        """Kill every worker of the pool now (a stuck one never returns) and start a new pool."""
        self.close(kill=True)
        self.start(self._options)

    def _isolated(self, record: Record, options: RunOptions) -> Line:
        """Run one record alone; if its worker dies, or runs past the deadline, the record gets
        an error line."""
        future, slot = self._submit([record], options)
        try:
            return self._result(future, slot, [record])[0]
        except BrokenProcessPool:
            self._restart()
            summary = error_record(record.id, "worker_died",
                                   "the worker process died while summarizing this record "
                                   "(out of memory, or a crash in the tokenizer)", record.source_path)
            return Line(dumps_summary(summary, pretty=options.pretty), "worker_died", 0)
        except deadline.Expired:
            self._kill()
            return deadline.timeout_line(record, options, self.record_timeout)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
    else:  # the pool's own table of its processes (no public way before 3.14)
        for process in list((pool._processes or {}).values()):
            process.kill()


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
