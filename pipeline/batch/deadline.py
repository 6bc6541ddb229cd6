"""A deadline per record (``jnews summarize --record-timeout SECONDS``), shared by the engines.

Records travel in batches of up to 16, and a worker summarizes a batch stage by stage over
all its records at once, so there is no "record being summarized" to time while a batch
runs. The deadline is therefore checked in two steps, and only the second one decides:

1. A batch of n records (not counting records that are already error lines) gets
   ``n × timeout`` seconds from the moment a worker starts it (after the worker's pipeline
   is built: start-up is never counted). Measured from the worker's own start signal, not
   from submission, so time spent queued behind other batches is not counted either.
2. If it runs past that, its worker is killed (a worker stuck inside a C regex call cannot be
   interrupted) and replaced, and each of the batch's records is run again alone with
   ``timeout`` seconds. A record that runs past that alone becomes one ``timeout`` error line;
   the others get their normal lines, byte for byte what the batch would have given. A batch
   that held one record had already run it alone: it becomes the timeout line at once.

So a record is only ever cut off after running alone for the whole deadline; a slow record
in a batch of fast ones may pass. A stuck record is found after at most
``n × timeout + timeout`` (n <= 16), plus the time to replace the worker.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from typing import Callable, Sequence

from .partition import DEFAULT_RECORD_TIMEOUT, Line, RunOptions
from ..io.output import dumps_summary
from ..io.reading import Record
from ..records import error_record

__all__ = ["DEFAULT_RECORD_TIMEOUT", "Expired", "budget", "live", "timeout_line", "wait", "wait_steps"]

# future.result(timeout) raises one of these, depending on the engine and the Python version
# (concurrent.futures.TimeoutError is the builtin TimeoutError only from Python 3.11 on).
_TIMEOUTS = (TimeoutError, concurrent.futures.TimeoutError, asyncio.TimeoutError)
_POLL = 0.05  # seconds between looks for the start signal of a batch that has not started


class Expired(Exception):
    """A batch ran past its deadline; ``where`` says which worker ran it (when known)."""

    def __init__(self, where=None) -> None:
        super().__init__(where)
        self.where = where


def live(batch: Sequence[Record]) -> int:
    """Records a worker will summarize (the others are already error lines)."""
    return sum(record.error is None for record in batch)


def budget(batch: Sequence[Record], timeout: float) -> float:
    """Seconds a batch may run: ``timeout`` for each record that will be summarized."""
    return timeout * max(1, live(batch))


def wait(result: Callable[[float | None], object], done: Callable[[], bool],
         started: Callable[[], "tuple[float, object] | None"], seconds: float):
    """``result(timeout)`` of a batch, or ``Expired`` when it is not ``done()`` ``seconds`` after
    ``started()`` said it began (``(time.monotonic() at the start, where)``, or None before).
    A batch that finished in time is never expired, however late it is asked for."""
    def step():
        start = started()
        return None if start is None else (start[0], seconds, start[1])

    return wait_steps(result, done, step)


def wait_steps(result: Callable[[float | None], object], done: Callable[[], bool],
               step: Callable[[], "tuple[float, float, object] | None"], grace: float = 0.0):
    """``wait`` for a task that runs several batches one after another (a partition read by a
    Dask worker): ``step()`` is ``(start, seconds, where)`` of the batch it runs now, or None
    before the first. When a batch's time is up, the news of the next one may still be on
    its way: ``grace`` seconds more are given for it before the task is ``Expired``."""
    while True:
        current = step()
        timeout = _POLL if current is None else current[0] + current[1] - time.monotonic()
        if timeout <= 0:
            if done():
                return result(None)
            if grace and _moved_on(step, current, done, grace):
                continue
            raise Expired(current[2])
        try:
            return result(timeout)
        except _TIMEOUTS:
            continue


def _moved_on(step, current, done, grace: float) -> bool:
    """Whether the task finished or started its next batch within ``grace`` seconds."""
    end = time.monotonic() + grace
    while time.monotonic() < end:
        if done() or step() != current:
            return True
        time.sleep(min(_POLL, grace))
    return done() or step() != current


def timeout_line(record: Record, options: RunOptions, timeout: float) -> Line:
    summary = error_record(record.id, "timeout",
                           f"summarizing this record alone took longer than the deadline of {timeout:g} s "
                           "(--record-timeout); its worker process was replaced", record.source_path)
    return Line(dumps_summary(summary, pretty=options.pretty), "timeout", 0)
