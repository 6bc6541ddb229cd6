"""``summarize_table``: a batch of articles as a table in, the same table with their summaries out.

One function for every engine that maps batches of rows: ``dask.dataframe.map_partitions``,
Spark's ``mapInArrow``, Ray Data's ``map_batches``, ``datasets.Dataset.map(batched=True)``. It
takes a ``pyarrow.Table`` or ``RecordBatch`` or a pandas ``DataFrame`` and returns the same type
with a ``summary`` column: each row's JSON line exactly as ``jnews summarize`` writes it for the
same record, in row order. Each row is a record as a JSONL line would be (the text and id
columns, the others in ``meta``); a row that cannot be summarized gets its error line.

It is a plain module-level function, so engines can pickle it; the pipeline is built once
per process and thread (``partition.thread_worker``) and reused by every later call with the
same options. Like a batch worker, it limits the process to one BLAS thread, for good
(``partition.keep_one_blas_thread``): engines run several calls at once in threads of one
process, and a limit that each call undid on return would be undone under the others.
"""

from __future__ import annotations

from dataclasses import fields

from ..io.reading import Columns, object_record, plain_value
from .partition import RunOptions, batches, keep_one_blas_thread, thread_worker

__all__ = ["summarize_table", "SUMMARY_COLUMN"]

SUMMARY_COLUMN = "summary"
_OPTIONS = {f.name for f in fields(RunOptions)} - {"pretty", "task"}


def _rows(table) -> tuple[str, list[str], list[dict]]:
    """(kind, column names, rows as dicts) of a pyarrow Table/RecordBatch or pandas DataFrame."""
    module = type(table).__module__
    if module.startswith("pyarrow"):
        return "arrow", list(table.schema.names), table.to_pylist()
    if module.startswith("pandas"):
        return "pandas", [str(c) for c in table.columns], table.to_dict("records")
    raise TypeError(f"summarize_table takes a pyarrow Table or RecordBatch or a pandas DataFrame, "
                    f"not {type(table).__name__}")


def summarize_table(table, text: str = "text", id: str = "id", **options):
    """``table`` with a ``summary`` column of JSON lines (see the module doc). ``options``:
    ``reference_date``, ``entities``, ``key_points``, ``keywords``, ``keywords_df``, ``max_chars``,
    as for ``jnews summarize``. A row without an id gets ``row:N``, its 1-based row number in
    this table (in an engine, within its partition: give every row an id)."""
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_OPTIONS))}")
    kind, names, rows = _rows(table)
    if text not in names:
        raise ValueError(f"no column {text!r} (columns: {', '.join(names)}); pass text=...")
    if SUMMARY_COLUMN in names:
        raise ValueError(f"the table already has a {SUMMARY_COLUMN!r} column")
    run = RunOptions(**options)
    columns = Columns(text=text, id=id)
    records = (object_record({str(k): plain_value(v) for k, v in row.items()}, f"row:{n}", None, columns)
               for n, row in enumerate(rows, 1))
    worker = thread_worker(run)
    keep_one_blas_thread()
    lines: list[str] = []
    for group in batches(records, run):
        lines += [line.text for line in worker.process(group)]
    return _with_column(table, kind, lines)


def _with_column(table, kind: str, lines: list[str]):
    if kind == "pandas":
        out = table.copy()
        out[SUMMARY_COLUMN] = lines
        return out
    import pyarrow as pa

    column = pa.array(lines, type=pa.string())
    if isinstance(table, pa.RecordBatch):
        return pa.RecordBatch.from_arrays([*table.columns, column], names=[*table.schema.names, SUMMARY_COLUMN])
    return table.append_column(SUMMARY_COLUMN, column)
