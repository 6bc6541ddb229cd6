"""Inputs cut into partitions that a worker reads by itself (``jnews summarize --engine dask``).

The client plans: it lists directories, takes file sizes and reads Parquet footers, nothing
more. A worker opens its partition and reads its records exactly as ``iter_records`` would
have read them (same ids, same error records), so the lines are the local engine's:

- ``TextFiles``: a run of text/HTML files (a directory's, in its order), about
  ``target_bytes`` together.
- ``JsonlRange``: the lines of an uncompressed JSONL dump that *start* in a byte range
  ``[start, stop)``; a worker seeks to ``start`` and skips to the next line start. Its ids
  need the number of lines before the range: ``count`` (run on a worker) gives each range's
  lines, and the client adds them up (``numbered``).
- ``ParquetRows``: a slice of one row group (the row counts are in the footer).
- ``WholeFile``: a compressed dump, a file named by URL that is not JSONL or Parquet, or a
  Parquet file whose footer cannot be read (its one error record): read whole by one worker.

Local paths travel as absolute paths (workers of a LocalCluster share this machine; on a
cluster, inputs must be on storage every worker sees, or named by URL); ``source_path`` stays
what the user typed. Standard input cannot be planned: it is read by the client.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Union

from .parquet_input import is_parquet, iter_row_range, parquet_stem
from .reading import (MAX_DECOMPRESSED_BYTES, align_to_line, check_paths, compression_of, dump_files, file_record,
                      is_jsonl, is_text_file, iter_jsonl, iter_records, jsonl_lines, jsonl_stem)
from .record import DEFAULT_COLUMNS, MAX_ARTICLE_BYTES, Columns, Record
from .remote import is_url, open_url

__all__ = ["ReadOptions", "TextFiles", "JsonlRange", "ParquetRows", "WholeFile", "Partition", "Window",
           "plan_partitions", "count", "numbered", "read_window", "DEFAULT_PARTITION_BYTES",
           "MIN_PARTITION_BYTES"]

# Input bytes per partition: about 300 news articles, several seconds of one worker's time
# (a task's overhead, ~1 ms, is nothing). The client holds the lines of the partitions in
# flight (2 x threads + 2 of them) until their turn comes, about 2.5x the input bytes: with
# 4 MB partitions its peak RSS was still growing at a 28 MB dump (193 MB against 121 MB).
DEFAULT_PARTITION_BYTES = 1024 * 1024
_MAX_FILES = 1000  # text files per partition, however small
# A small dump is still cut for all the cluster's cores (``spread``), down to partitions of
# this size: a few articles, a fraction of a second of work against a task's ~1 ms.
MIN_PARTITION_BYTES = 16 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How records are read (the ``iter_records`` keywords), sent to the workers."""

    max_bytes: int = MAX_ARTICLE_BYTES
    max_decompressed: int = MAX_DECOMPRESSED_BYTES
    columns: Columns = DEFAULT_COLUMNS


@dataclass(frozen=True)
class TextFiles:
    files: tuple[tuple[str, str, str], ...]  # (record id, where to open it, source_path)

    @property
    def records(self) -> int:
        return len(self.files)

    def read(self, reading: ReadOptions) -> Iterator[Record]:
        for record_id, location, shown in self.files:
            yield file_record(record_id, Path(location), shown, reading.max_bytes)


@dataclass(frozen=True)
class JsonlRange:
    location: str
    shown: str
    start: int
    stop: int
    lines: int | None = None  # lines that start in the range, blank ones included (``count``)
    records: int | None = None  # of which records (non-blank)
    before: int | None = None  # lines of the file before the range (``numbered``)

    def read(self, reading: ReadOptions) -> Iterator[Record]:
        with _open(self.location) as stream:
            position = align_to_line(stream, self.start)
            yield from iter_jsonl(stream, jsonl_stem(Path(self.location)), self.shown, reading.max_bytes,
                                  columns=reading.columns, number=self.before or 0,
                                  budget=max(0, self.stop - position))

    def counted(self, reading: ReadOptions) -> "JsonlRange":
        lines = records = 0
        with _open(self.location) as stream:
            position = align_to_line(stream, self.start)
            for line, _ in jsonl_lines(stream, reading.max_bytes, max(0, self.stop - position)):
                lines += 1
                records += line is None or bool(line.strip())
        return replace(self, lines=lines, records=records)


@dataclass(frozen=True)
class ParquetRows:
    location: str
    shown: str
    group: int
    start: int
    stop: int
    before: int  # rows of the file before the row group

    @property
    def records(self) -> int:
        return self.stop - self.start

    def read(self, reading: ReadOptions) -> Iterator[Record]:
        import pyarrow.parquet as pq

        with _open(self.location) as stream:
            yield from iter_row_range(pq.ParquetFile(stream), self.group, self.start, self.stop, self.before,
                                      parquet_stem(Path(self.location).name), self.shown, reading.columns,
                                      reading.max_bytes)


@dataclass(frozen=True)
class WholeFile:
    location: str
    shown: str
    records: int | None = None  # known once counted (only a resumed run needs it)

    def read(self, reading: ReadOptions) -> Iterator[Record]:
        for record in iter_records([self.location], max_bytes=reading.max_bytes,
                                   max_decompressed=reading.max_decompressed, columns=reading.columns):
            if record.source_path == self.location:
                record.source_path = self.shown
            yield record

    def counted(self, reading: ReadOptions) -> "WholeFile":
        return replace(self, records=sum(1 for _ in self.read(reading)))


Partition = Union[TextFiles, JsonlRange, ParquetRows, WholeFile]


@dataclass(frozen=True)
class Window:
    """Records ``skip``.. (at most ``limit``) of a partition: all of it, or what is left of it
    after a resumed run's records, or a part cut off by a deadline."""

    partition: Partition
    skip: int = 0
    limit: int | None = None


def read_window(window: Window, reading: ReadOptions) -> Iterator[Record]:
    stop = None if window.limit is None else window.skip + window.limit
    return itertools.islice(window.partition.read(reading), window.skip, stop)


def count(partition: Partition, reading: ReadOptions) -> Partition:
    """The partition with its counts filled in (run on a worker: it reads the partition)."""
    counted = getattr(partition, "counted", None)
    return counted(reading) if counted is not None else partition


def numbered(partitions: Iterable[Partition]) -> Iterator[Partition]:
    """Counted partitions, in order, with each JSONL range's ``before`` (the lines of its file
    before it) filled in: a file's ranges come one after another."""
    location, lines = None, 0
    for partition in partitions:
        if isinstance(partition, JsonlRange):
            if partition.location != location:
                location, lines = partition.location, 0
            partition = replace(partition, before=lines)
            lines += partition.lines
        yield partition


def _open(location: str):
    if is_url(location):
        stream, _, _ = open_url(location)
        return stream
    return open(location, "rb")


def _size(location: str) -> int:
    if is_url(location):
        stream, _, size = open_url(location)
        stream.close()
        return size
    return os.path.getsize(location)


def plan_partitions(paths: Iterable[str], reading: ReadOptions = ReadOptions(),
                    target_bytes: int = DEFAULT_PARTITION_BYTES, *, spread: int = 1) -> Iterator[Partition]:
    """The partitions of ``paths`` (no ``-``), in input order; lazy, so the plan of a large
    dump is never held whole. Checks the paths first, as ``iter_records`` does. Partitions
    hold about ``target_bytes``, or less where a file (or a directory's text files) would
    otherwise be fewer than ``spread`` partitions (the cluster's threads, a few times over)."""
    paths = list(paths)
    check_paths(paths, reading.columns)

    def target(size: int) -> int:
        return min(target_bytes, max(MIN_PARTITION_BYTES, -(-size // max(1, spread))))

    for shown in paths:
        if is_url(shown) and not Path(shown).exists():
            yield from _plan_file(shown, Path(open_url(shown)[1]), shown, target)
            continue
        path = Path(shown)
        if not path.is_dir():
            yield from _plan_file(os.path.abspath(path), path, shown, target, text_id=path.stem)
            continue
        files = dump_files(path)
        texts = [file for file in files if is_text_file(file)]
        text_target = target(sum(file.stat().st_size for file in texts)) if texts else target_bytes
        group: list[tuple[str, str, str]] = []
        size = 0
        for file in files:
            relative = file.relative_to(path).as_posix()
            where = os.path.join(shown, relative)
            if is_text_file(file):
                group.append((relative[: -len(file.suffix)], os.path.abspath(file), where))
                size += file.stat().st_size
                if size >= text_target or len(group) >= _MAX_FILES:
                    yield TextFiles(tuple(group))
                    group, size = [], 0
                continue
            if group:
                yield TextFiles(tuple(group))
                group, size = [], 0
            yield from _plan_file(os.path.abspath(file), file, where, target)
        if group:
            yield TextFiles(tuple(group))


def _plan_file(location: str, path: Path, shown: str, target, text_id: str | None = None) -> Iterator[Partition]:
    if is_parquet(path):
        yield from _plan_parquet(location, shown, target)
    elif is_jsonl(path) and not compression_of(path):
        size = _size(location)
        step = target(size)
        for start in range(0, max(size, 1), step):
            yield JsonlRange(location, shown, start, min(size, start + step))
    elif text_id is not None and is_text_file(path) and not is_url(location):
        yield TextFiles(((text_id, location, shown),))
    else:
        yield WholeFile(location, shown)


def _plan_parquet(location: str, shown: str, target) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    try:
        with _open(location) as stream:
            metadata = pq.ParquetFile(stream).metadata
    except Exception:  # not Parquet: a worker reads it and makes its error record
        yield WholeFile(location, shown)
        return
    file_bytes = target(sum(metadata.row_group(group).total_byte_size for group in range(metadata.num_row_groups)))
    before = 0
    for group in range(metadata.num_row_groups):
        info = metadata.row_group(group)
        rows = info.num_rows
        step = max(1, rows * file_bytes // max(1, info.total_byte_size))
        for start in range(0, rows, step):
            yield ParquetRows(location, shown, group, start, min(rows, start + step), before)
        before += rows
