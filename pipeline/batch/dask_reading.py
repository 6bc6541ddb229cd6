"""Dask workers that read their own partitions (``io.partitions``): the tasks, and the client's
feed of windows in input order.

The client sends each worker a partition's description (a path and a byte range, a row
group slice, a list of files), never its records. A JSONL range's ids need the lines of the
file before it, so each range is first *counted* on a worker (reading lines without parsing
them: thousands of times faster than summarizing them), a bounded number of partitions
ahead of the ones being summarized; the client adds the counts up. A resumed run skips
whole partitions by their counts (whole compressed files are then counted too), and the
first partition it does not skip starts after its records already written.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, NamedTuple

from . import deadline
from .partition import Line, RunOptions, batches, thread_worker
from ..io.partitions import (JsonlRange, ParquetRows, Partition, ReadOptions, TextFiles, WholeFile, Window, count,
                             numbered, read_window)
from ..io.reading import Record

__all__ = ["Step", "summarize_window", "read_records", "start_signal", "windows", "STARTED"]

STARTED = "jnews-batch-started"  # the Dask event topic of the tasks' start signals


class Step(NamedTuple):
    """What the client heard of a running task: when its current batch started (the client's
    clock), on which worker, and where that batch lies in the task's window."""

    time: float
    worker: str
    at: int = 0  # records of the window before the batch
    size: int = 0  # records in the batch
    live: int = 0  # of which to summarize (the others are already error lines)


def summarize_window(window: Window, reading: ReadOptions, options: RunOptions, timed: bool) -> list[Line]:
    """On a worker: read a window of a partition and summarize it batch by batch, as the
    client would have batched the same records. With ``timed``, tell the client as each batch
    starts (after the thread's pipeline is built and warmed up: never part of a deadline)."""
    worker = thread_worker(options)
    signal = None
    if timed:
        if worker.docs == 0:
            worker.warm_up()
        signal = start_signal()
    lines: list[Line] = []
    for batch in batches(read_window(window, reading), options):
        if signal is not None:
            signal(len(lines), batch)
        lines.extend(worker.process(batch))
    return lines


def start_signal():
    """``signal(at, batch)``: tell the client that this task starts a batch (a Dask event)."""
    from distributed import get_worker

    dask_worker = get_worker()
    key = dask_worker.get_current_task()

    def signal(at: int, batch: list[Record]) -> None:
        dask_worker.log_event(STARTED, {"key": key, "worker": dask_worker.address, "at": at,
                                        "size": len(batch), "live": deadline.live(batch)})
    return signal


def read_records(window: Window, reading: ReadOptions) -> list[Record]:
    """On a worker: a window's records, to be run by the client as shipped batches (a window
    that ran past a deadline or killed its workers)."""
    return list(read_window(window, reading))


def windows(submit, partitions: Iterable[Partition], reading: ReadOptions, *, skip: int = 0,
            ahead: int = 32) -> Iterator[Window]:
    """The windows to summarize, in input order: each partition counted where it must be
    (``submit(function, *args)`` runs it on a worker and returns a future), at most ``ahead``
    partitions ahead, empty ones left out, and the first ``skip`` records (a resumed run's)
    left out."""
    left = skip
    kinds = (TextFiles, JsonlRange, ParquetRows, WholeFile)
    queue: deque = deque()
    source = iter(partitions)

    def counted() -> Iterator[Partition]:
        while True:
            while len(queue) < ahead:
                partition = next(source, None)
                if partition is None:
                    break
                if isinstance(partition, JsonlRange) or (left and partition.records is None):
                    queue.append(submit(count, partition, reading))
                else:
                    queue.append(partition)
            if not queue:
                return
            item = queue.popleft()
            yield item if isinstance(item, kinds) else _result(item)

    for partition in numbered(counted()):
        records = partition.records
        if left and records is not None and left >= records:
            left -= records
            continue
        window = Window(partition, skip=left)
        left = 0
        if records is None or records > window.skip:
            yield window


def _result(future) -> Partition:
    try:
        return future.result()
    finally:
        future.release()

