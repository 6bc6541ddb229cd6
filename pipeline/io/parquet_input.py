"""Parquet inputs: one record per row, read a batch of rows at a time (pyarrow), the same
record as the JSONL line with the same fields."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .record import DEFAULT_COLUMNS, MAX_ARTICLE_BYTES, Columns, InputError, Record, object_record, plain_value, too_large

__all__ = ["is_parquet", "check_parquet_columns", "parquet_rows", "iter_parquet"]

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


def iter_parquet(path, shown: str, columns: Columns = DEFAULT_COLUMNS,
                 max_bytes: int = MAX_ARTICLE_BYTES, name: str | None = None) -> Iterator[Record]:
    """One record per row, read a batch of rows at a time (pyarrow); the same record as the
    JSONL line with the same fields. A file that is not Parquet is one error record.
    ``path``: a path or an open binary file (then ``name`` is its file name)."""
    import pyarrow.parquet as pq

    stem = (name or path.name).rsplit(".", 1)[0]
    try:
        table = pq.ParquetFile(path)
    except Exception as error:
        yield Record(id=f"{stem}:1", source_path=shown, error=("bad_parquet", f"not a Parquet file: {error}"))
        return
    number = 0
    try:
        for batch in table.iter_batches(batch_size=_PARQUET_BATCH):
            for row in batch.to_pylist():
                number += 1
                text = row.get(columns.text)
                if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
                    raw_id = row.get(columns.id)
                    yield Record(id=str(raw_id) if raw_id not in (None, "") else f"{stem}:{number}", source_path=shown,
                                 error=too_large(len(text.encode("utf-8")), max_bytes))
                    continue
                yield object_record({k: plain_value(v) for k, v in row.items()}, f"{stem}:{number}", shown, columns)
    except Exception as error:  # a damaged row group: the rows read so far stand
        yield Record(id=f"{stem}:{number + 1}", source_path=shown,
                     error=("truncated_input", f"reading stopped early: {error}"))
