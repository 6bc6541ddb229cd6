"""The records of a command's paths, read where the engine reads them.

With the Dask engine and no standard input among the paths, the workers read their own
partitions (``io.partitions``, ``dask_reading``): the client only plans (lists directories,
takes file sizes, reads Parquet footers) and writes the lines. Otherwise the records are read
here and shipped in batches. Either way the lines are the same bytes, in input order.
"""

from __future__ import annotations

import itertools
from typing import Callable, Iterator, Sequence

from .partition import Line, RunOptions, batches
from ..io.partitions import ReadOptions, plan_partitions
from ..io.reading import count_records, iter_records

__all__ = ["Inputs"]


class Inputs:
    """``Inputs(paths, reading, engine)`` checks the paths and looks at the first record (or
    partition) at once, so that a mistake is reported before any output: ``InputError``, or
    ``empty``. ``lines(options)`` is then read once."""

    def __init__(self, paths: Sequence[str], reading: ReadOptions, engine) -> None:
        self.paths = list(paths)
        self.reading = reading
        self.engine = engine
        self.on_workers = bool(getattr(engine, "reads_on_workers", False)) and "-" not in self.paths
        if self.on_workers:  # planned again by the engine once it knows its cluster's threads
            stream = plan_partitions(self.paths, reading, engine.partition_bytes)
        else:
            stream = iter_records(self.paths, max_bytes=reading.max_bytes, max_decompressed=reading.max_decompressed,
                                  columns=reading.columns)
        first = next(stream, None)
        self.empty = first is None
        self._stream = iter(()) if first is None else itertools.chain([first], stream)

    def lines(self, options: RunOptions, *, skip: int = 0) -> Iterator[list[Line]]:
        """Each batch's (or partition's) lines, in input order, after the first ``skip`` records."""
        if self.on_workers:
            return self.engine.map_inputs(self.paths, self.reading, options, skip=skip)
        records = itertools.islice(self._stream, skip, None) if skip else self._stream
        return self.engine.map_batches(batches(records, options), options)

    def counter(self) -> Callable[[], int | None] | None:
        """What the progress bar calls (in a thread) for the number of records; None where
        counting would read the input a second time here (stdin; workers that read it)."""
        if self.on_workers or "-" in self.paths:
            return None
        return lambda: count_records(self.paths)
