"""Run the same per-partition function (``batch.process_batch``) on Dask distributed.

``map_inputs``: the workers read their own partitions of the input (``dask_reading``,
``io.partitions``) and the lines come back in input order with a bounded number of
partitions in flight. ``map_batches``: records read in the client (standard input, and a
partition run again after a deadline or a dead worker) are shipped to the workers in small
batches, in the same way. Each worker thread keeps its
own pipeline (built on first use, never shared between threads). With no ``--scheduler``
address a ``LocalCluster`` of worker processes (one thread each) is started for the run.

With ``record_timeout`` (see ``deadline``), each task tells the client when it starts a batch
(a Dask event, sent once the worker's pipeline is built), and a batch that runs past its deadline is
cancelled and its worker restarted through its nanny (``Client.restart_workers``; a worker
without a nanny is removed from the cluster instead); its records are then run again alone,
each with the deadline, and a record still running then becomes a ``timeout`` line.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Iterable, Iterator, Sequence

from . import deadline
from .dask_reading import STARTED as _STARTED, Step, read_records, start_signal, summarize_window, windows
from .partition import Line, RunOptions, admit, batches, keep_one_blas_thread, process_batch, thread_worker
from ..io.output import dumps_summary
from ..io.partitions import DEFAULT_PARTITION_BYTES, ReadOptions, Window, plan_partitions
from ..io.reading import Record
from ..records import error_record

__all__ = ["DaskEngine"]


class DaskEngine:
    name = "dask"

    reads_on_workers = True  # ``map_inputs``: workers read their own partitions

    def __init__(self, workers: int | None = None, scheduler: str | None = None, *,
                 record_timeout: float | None = None, partition_bytes: int = DEFAULT_PARTITION_BYTES) -> None:
        from .local_engine import default_workers

        self.workers = workers or default_workers()
        self.scheduler = scheduler
        self.record_timeout = record_timeout or None
        self._cluster = None
        self._client = None
        self.max_in_flight = 2 * self.workers + 2
        self._started: dict = {}  # task key -> Step (time.monotonic() when the client heard it start, worker ...)
        self.partition_bytes = partition_bytes
        self.restarted: list[str] = []  # workers restarted (or removed) for running past a deadline

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
        if self.record_timeout:
            self._client.subscribe_topic(_STARTED, self._heard_start)

    def _heard_start(self, event) -> None:
        # Runs on the client's event-loop thread. The time is this process's clock when the
        # event arrived (a few ms after the start): never earlier than the start, and free of
        # any skew between this machine's clock and the worker's.
        _, message = event
        self._started[message["key"]] = Step(time.monotonic(), message["worker"], message.get("at", 0),
                                             message.get("size", 0), message.get("live", 0))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_batches(self, batches: Iterable[list[Record]], options: RunOptions) -> Iterator[list[Line]]:
        """Each batch's lines, in input order: records read here, shipped to the workers."""
        self.start(options)
        return self._in_order(batches, lambda batch: self._submit(batch, options),
                              lambda future, batch: self._batch_lines(future, batch, options))

    def map_inputs(self, paths: Sequence[str], reading: ReadOptions, options: RunOptions, *,
                   skip: int = 0) -> Iterator[list[Line]]:
        """Each window's lines, in input order: the workers read the partitions of ``paths``
        themselves (``dask_reading``), after the first ``skip`` records (a resumed run's)."""
        self.start(options)
        partitions = plan_partitions(paths, reading, self.partition_bytes, spread=self.max_in_flight)
        feed = windows(lambda function, *args: self._client.submit(in_worker, function, *args, pure=False),
                       partitions, reading, skip=skip, ahead=4 * self.max_in_flight)
        timed = bool(self.record_timeout)
        return self._in_order(feed, lambda window: self._client.submit(in_worker, summarize_window, window, reading,
                                                                       options, timed, pure=False),
                              lambda future, window: self._window_lines(future, window, reading, options))

    def _in_order(self, items: Iterable, submit, collect) -> Iterator[list[Line]]:
        """``collect(future, item)`` of each item's task, in order, with at most
        ``max_in_flight`` tasks submitted ahead."""
        pending: deque = deque()
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.max_in_flight:
                item = next(source, None)
                if item is None:
                    exhausted = True
                else:
                    pending.append((item, submit(item)))
            if not pending:
                return
            item, future = pending.popleft()
            lines = collect(future, item)
            future.release()
            yield lines

    def _batch_lines(self, future, batch: list[Record], options: RunOptions) -> list[Line]:
        try:
            return self._result(future, batch, options)
        except deadline.Expired as expired:
            self._stop(future, expired.where)
            return self._rerun_alone(batch, options)

    def _rerun_alone(self, batch: list[Record], options: RunOptions) -> list[Line]:
        """The lines of a batch that ran past its deadline: each record run alone with the
        deadline; a batch of one live record had run it alone already: its timeout line."""
        if deadline.live(batch) <= 1:
            return [deadline.timeout_line(record, options, self.record_timeout) if record.error is None
                    else self._alone(record, options) for record in batch]
        return [self._alone(record, options) for record in batch]

    def _window_lines(self, future, window: Window, reading: ReadOptions, options: RunOptions) -> list[Line]:
        from distributed import KilledWorker

        try:
            if not self.record_timeout:
                return future.result()
            # grace: the signal of a window's next batch may still be on its way when the
            # current one's time is up
            return deadline.wait_steps(lambda seconds: _result_within(future, seconds), future.done,
                                       lambda: self._step(future.key), grace=1.0)
        except deadline.Expired as expired:
            self._stop(future, expired.where.worker)
            return self._shipped(window, reading, options, expired.where)
        except KilledWorker:
            return self._shipped(window, reading, options, None)
        finally:
            self._started.pop(future.key, None)

    def _step(self, key) -> "tuple[float, float, Step] | None":
        step = self._started.get(key)
        return None if step is None else (step.time, self.record_timeout * max(1, step.live), step)

    def _shipped(self, window: Window, reading: ReadOptions, options: RunOptions, stuck: Step | None) -> list[Line]:
        """A window that ran past its deadline (``stuck``: the batch that did) or whose workers
        died, run again from the client as shipped batches are: its records come back from a
        worker, the batches before and after the stuck one are summarized again, and the stuck
        batch's records run alone with the deadline (or, if it held one live record, which
        then had run alone already, that one becomes the timeout line)."""
        records = self._client.submit(in_worker, read_records, window, reading, pure=False).result()
        if stuck is None:
            return self._batched(records, options)
        middle = [admit(record, options) for record in records[stuck.at: stuck.at + stuck.size]]
        return (self._batched(records[: stuck.at], options) + self._rerun_alone(middle, options)
                + self._batched(records[stuck.at + stuck.size:], options))

    def _batched(self, records: list[Record], options: RunOptions) -> list[Line]:
        return [line for lines in self.map_batches(batches(records, options), options) for line in lines]

    def _submit(self, batch: list[Record], options: RunOptions):
        function = _timed_batch if self.record_timeout else process_batch
        return self._client.submit(in_worker, function, batch, options, pure=False)

    def _result(self, future, batch: list[Record], options: RunOptions) -> list[Line]:
        """The batch's lines (``worker_died`` lines if its workers died); ``deadline.Expired``
        when it runs past its deadline."""
        from distributed import KilledWorker

        try:
            if not self.record_timeout:
                return future.result()
            return deadline.wait(lambda seconds: _result_within(future, seconds), future.done,
                                 lambda: self._started.get(future.key),
                                 deadline.budget(batch, self.record_timeout))
        except KilledWorker:
            return [_died(record, options) for record in batch]
        finally:
            self._started.pop(future.key, None)

    def _stop(self, future, worker: str) -> None:
        """Cancel a task that ran past its deadline (so that it is not run again elsewhere) and
        restart the worker running it: its thread cannot be interrupted."""
        future.cancel()
        try:
            self._client.restart_workers([worker], raise_for_error=False)
        except Exception:  # noqa: BLE001 -- the run goes on; the worker may finish the record and carry on
            logging.getLogger(__name__).warning("could not restart Dask worker %s", worker, exc_info=True)
        self.restarted.append(worker)

    def _alone(self, record: Record, options: RunOptions) -> Line:
        future = self._submit([record], options)
        try:
            [line] = self._result(future, [record], options)
        except deadline.Expired as expired:
            self._stop(future, expired.where)
            line = deadline.timeout_line(record, options, self.record_timeout)
        future.release()
        return line


def _timed_batch(records: list[Record], options: RunOptions) -> list[Line]:
    """``process_batch`` on a Dask worker, after telling the client that it starts (once the
    thread's pipeline is built and warmed up: that is not part of any record's deadline)."""
    worker = thread_worker(options)
    if worker.docs == 0 and deadline.live(records):
        worker.warm_up()
    start_signal()(0, records)
    return worker.process(records)


def in_worker(function, *args):
    """``function(*args)`` on a Dask worker, with one BLAS/OpenMP thread (batch.one_blas_thread),
    set once per worker process and kept, as in a local pool worker (``keep_one_blas_thread``).
    (Dask's nanny also sets OPENBLAS_NUM_THREADS=1 by default, but a cluster may be configured
    otherwise.)"""
    keep_one_blas_thread()
    return function(*args)


def _died(record: Record, options: RunOptions) -> Line:
    summary = error_record(record.id, "worker_died", "the Dask workers running this record's batch died "
                           "(out of memory, or a crash in the tokenizer)", record.source_path)
    return Line(dumps_summary(summary, pretty=options.pretty), "worker_died", 0)


def _result_within(future, seconds: float | None):
    """``future.result(timeout=seconds)`` without distributed's ``callback_timeout``: under load
    its timer can fire as the result arrives, and ``Client.sync`` then fails with
    UnboundLocalError (seen in the tests on a loaded 2-core machine). ``done()`` is a local
    look at the future's state, so polling it every 10 ms costs nothing."""
    if seconds is not None:
        end = time.monotonic() + seconds
        while not future.done():
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            time.sleep(min(0.01, left))
    return future.result()
