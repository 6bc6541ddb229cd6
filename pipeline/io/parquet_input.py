"""Parquet inputs: one record per row, read a batch of rows at a time (pyarrow), the same
record as the JSONL line with the same fields."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .record import DEFAULT_COLUMNS, MAX_ARTICLE_BYTES, Columns, InputError, Record, object_record, plain_value, too_large

__all__ = ["is_parquet", "check_parquet_columns", "parquet_rows", "iter_parquet", "iter_row_range", "not_parquet",
           "parquet_stem"]

_PARQUET_BATCH = 256  # rows per Arrow batch: memory is one row group's columns, not the file


def is_parquet(path: Path) -> bool:
    return path.name.endswith((".parquet", ".parq"))


def check_parquet_columns(path, columns: Columns) -> None:
    """A Parquet file without the text column is a mistake in the command (InputError); one
    that is not Parquet at all is an error line of its own when it is read."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception:  # not Parquet (pyarrow raises ArrowInvalid, OSError ...): reported per file
        return
    if columns.text not in names:
        raise InputError(f"{path}: no column {columns.text!r} (columns: {', '.join(names)}); "
                         "choose the text column with --text-column")


def parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception:
        return None


def parquet_stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def iter_parquet(path, shown: str, columns: Columns = DEFAULT_COLUMNS,
                 max_bytes: int = MAX_ARTICLE_BYTES, name: str | None = None) -> Iterator[Record]:
    """One record per row, read a batch of rows at a time (pyarrow); the same record as the
    JSONL line with the same fields. A file that is not Parquet is one error record.
    ``path``: a path or an open binary file (then ``name`` is its file name)."""
    import pyarrow.parquet as pq

    stem = parquet_stem(name or path.name)
    try:
        table = pq.ParquetFile(path)
    except Exception as error:
        yield not_parquet(stem, shown, error)
        return
    before = 0
    for group in range(table.metadata.num_row_groups):
        rows = table.metadata.row_group(group).num_rows
        yield from iter_row_range(table, group, 0, rows, before, stem, shown, columns, max_bytes)
        before += rows


def not_parquet(stem: str, shown: str, error: Exception) -> Record:
    return Record(id=f"{stem}:1", source_path=shown, error=("bad_parquet", f"not a Parquet file: {error}"))


def iter_row_range(table, group: int, start: int, stop: int, before: int, stem: str, shown: str,
                   columns: Columns = DEFAULT_COLUMNS, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Record]:
    """The records of rows ``start``..``stop`` of one row group of an open ``ParquetFile``
    (``before``: the file's rows before that group, for the ``stem:N`` ids). The group is read
    from its start, a batch at a time, so a worker reading part of it (``partitions``) sees the
    same batches as a reader of the whole file; rows before ``start`` are decoded but never
    turned into Python objects. A damaged group: the rows read so far stand, and every row
    from there to ``stop`` is a ``truncated_input`` record of its own (the row count is in the
    file's footer), so nothing is lost whoever reads which part."""
    row = 0  # the group's rows in the batches gone by
    done = start  # the next row to yield
    try:
        for batch in table.iter_batches(batch_size=_PARQUET_BATCH, row_groups=[group]):
            end = row + batch.num_rows
            if end > done:
                for values in batch.slice(done - row, min(stop, end) - done).to_pylist():
                    yield _row_record(values, f"{stem}:{before + done + 1}", shown, columns, max_bytes)
                    done += 1
            row = end
            if done >= stop:
                return
    except Exception as error:
        for number in range(done, stop):
            yield Record(id=f"{stem}:{before + number + 1}", source_path=shown,
                         error=("truncated_input", f"row group {group} could not be read: {error}"))


def _row_record(row: dict, fallback_id: str, shown: str, columns: Columns, max_bytes: int) -> Record:
    text = row.get(columns.text)
    if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
        raw_id = row.get(columns.id)
        return Record(id=str(raw_id) if raw_id not in (None, "") else fallback_id, source_path=shown,
                      error=too_large(len(text.encode("utf-8")), max_bytes))
    return object_record({k: plain_value(v) for k, v in row.items()}, fallback_id, shown, columns)
