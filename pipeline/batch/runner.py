"""Run the summarizer over a stream of records, in input order, on an engine.

``summarize_records`` is the simple in-process API (dicts out). ``run`` is what the CLI
uses: records -> small batches -> an engine (local processes or Dask) -> ordered output
lines -> a sink, with counts for progress and the closing line.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .partition import Line, RunOptions, Worker, batches
from ..io.reading import Record

__all__ = ["summarize_records", "make_engine", "run_lines", "run", "write_lines", "RunStats", "RunOptions", "ENGINES"]

ENGINES = ("local", "dask")


def summarize_records(records: Iterable[Record], *, reference_date: str | None = None) -> Iterator[dict]:
    """One summary (or error record) per record, in order, in this process."""
    from ..summary.summarize import record_groups

    worker = Worker(RunOptions(reference_date=reference_date))
    for group in record_groups(records):
        yield from worker.summarize_many(group)


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None, *,
                recycle_after: int | None = None, record_timeout: float | None = None,
                partition_bytes: int | None = None):
    """``local`` (worker processes on this machine, replaced after ``recycle_after`` articles
    each) or ``dask`` (a Dask cluster: the one at ``scheduler``, else a LocalCluster of
    ``workers`` processes, which read their own partitions of about ``partition_bytes``).
    ``record_timeout``: seconds a record may run (``deadline``; None or 0: no deadline)."""
    if name == "local":
        if scheduler:
            raise ValueError("--scheduler is for --engine dask")
        from .local_engine import LocalEngine

        if recycle_after is None:
            return LocalEngine(workers, record_timeout=record_timeout)
        return LocalEngine(workers, recycle_after=recycle_after, record_timeout=record_timeout)
    if name == "dask":
        from .dask_engine import DaskEngine

        if partition_bytes is None:
            return DaskEngine(workers, scheduler, record_timeout=record_timeout)
        return DaskEngine(workers, scheduler, record_timeout=record_timeout, partition_bytes=partition_bytes)
    raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")


def run_lines(records: Iterable[Record], options: RunOptions, engine) -> Iterator[list[Line]]:
    """Each batch's output lines, in input order."""
    return engine.map_batches(batches(records, options), options)


@dataclass
class RunStats:
    summarized: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    chars: int = 0
    kept: int = 0  # lines kept from an interrupted run (--resume)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def closing_line(self) -> str:
        """``N summarized, M errors`` (with the kinds, and what a resume kept)."""
        line = f"{self.summarized} summarized, {self.error_count} errors"
        if self.errors:
            line += " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(self.errors.items())) + ")"
        if self.kept:
            line += f"; {self.kept} of them kept from the interrupted run"
        return line


def run(records: Iterable[Record], options: RunOptions, engine, write: Callable[[str], None], *,
        skip: int = 0, stats: RunStats | None = None, progress=None) -> RunStats:
    """Summarize ``records`` (after the first ``skip``, already written by an interrupted
    run) and ``write`` each line in input order; returns the counts."""
    if skip:
        records = itertools.islice(records, skip, None)
    return write_lines(run_lines(records, options, engine), write, stats=stats, progress=progress)


def write_lines(batches_of_lines: Iterable[list[Line]], write: Callable[[str], None], *,
                stats: RunStats | None = None, progress=None) -> RunStats:
    """``write`` each line (``run_lines``, ``Inputs.lines``) in order; returns the counts."""
    stats = stats or RunStats()
    for lines in batches_of_lines:
        chars = errors = 0
        for line in lines:
            write(line.text)
            if line.error is None:
                stats.summarized += 1
                chars += line.chars
            else:
                stats.errors[line.error] = stats.errors.get(line.error, 0) + 1
                errors += 1
        stats.chars += chars
        if progress is not None:
            progress.update(len(lines), chars, errors)
    return stats
