"""A run's JSONL as tables: Parquet files for ``jnews tables`` and pandas DataFrames for
notebooks (``pipeline.load_tables``).

Every table has ``row`` (the 0-based line number of the article in the run, unique even
when two inputs share an id) and ``id``; join on ``row``. The JSONL is read one line at a
time and written in row groups, so a run of millions of articles never sits in memory.
Columns are typed by fixed Arrow schemas, so an empty table still has its columns.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from .output import RunFileError, iter_run
from .registry import EntityRegistry

__all__ = ["TABLES", "REGISTRY_TABLE", "SCHEMAS", "TablesError", "write_tables", "load_tables", "iter_rows",
           "write_table"]

TABLES = ("articles", "entities", "dates", "key_points", "sections")
REGISTRY_TABLE = "entity_registry"  # one row per entity of the run (registry.py), written after the rest
_ROW_GROUP = 5_000  # articles per Parquet row group


class TablesError(Exception):
    """The input is not a run of `jnews summarize` (or not readable as one)."""


def _schemas():
    import pyarrow as pa

    s, i, b = pa.string(), pa.int64(), pa.bool_()
    key = [("row", i), ("id", s)]
    span = [("text", s), ("start", i), ("end", i)]
    return {
        "articles": pa.schema(key + [
            ("source_path", s), ("title", s), ("published", s), ("chars", i), ("tokens", i), ("sentences", i),
            ("n_sections", i), ("n_key_points", i), ("n_takeaways", i), ("n_entities", i), ("n_dates", i),
            ("n_keywords", i), ("warnings", pa.list_(s)), ("error_kind", s), ("error_message", s),
            ("pipeline_version", s), ("dictionary", s), ("meta", s),
        ]),
        "entities": pa.schema(key + [("entity", i), *span, ("label", s), ("canonical", s), ("role", s),
                                     ("entity_id", s)]),
        "dates": pa.schema(key + [("date", i), *span, ("type", s), ("value", s), ("anchor", s), ("mod", s),
                                  ("freq", s)]),
        "key_points": pa.schema(key + [("key_point", i), *span, ("section", i), ("marker", s), ("extracted", b)]),
        "sections": pa.schema(key + [
            ("section", i), ("heading", s), ("published", s), ("question", s), ("answer", s), ("source_name", s),
            ("source_url", s), ("source_domain", s), ("n_key_points", i), ("n_body", i), ("n_fact", i),
            ("n_commentary", i), ("n_reader_voice", i), ("start", i), ("end", i),
        ]),
        "stories": pa.schema(key + [("story", s), ("n_articles", i), ("story_title", s)]),
        REGISTRY_TABLE: pa.schema([
            ("entity_id", s), ("label", s), ("canonical", s), ("aliases", pa.list_(s)), ("articles", i),
            ("mentions", i), ("first_published", s), ("last_published", s), ("first_row", i),
        ]),
    }


SCHEMAS = None  # filled on first use (pyarrow is imported lazily)


def _get_schemas():
    global SCHEMAS
    if SCHEMAS is None:
        SCHEMAS = _schemas()
    return SCHEMAS


def _span_bounds(items: list[dict]) -> tuple[int | None, int | None]:
    starts = [x["start"] for x in items if isinstance(x.get("start"), int)]
    ends = [x["end"] for x in items if isinstance(x.get("end"), int)]
    return (min(starts) if starts else None, max(ends) if ends else None)


def iter_rows(path: str | os.PathLike, registry: EntityRegistry | None = None) -> Iterator[dict[str, list[dict]]]:
    """For each line of a run, its rows in every table: ``{"articles": [row], "entities": [...], ...}``;
    ``registry``, when given, is fed every summary on the way."""
    try:
        for number, summary in enumerate(iter_run(path)):
            if registry is not None:
                registry.add(number, summary)
            yield _rows(number, summary)
    except RunFileError as error:
        raise TablesError(str(error)) from None


def _rows(row: int, s: dict) -> dict[str, list[dict]]:
    key = {"row": row, "id": str(s["id"])}
    error = s.get("error") or {}
    stats = s.get("stats") or {}
    pipeline = s.get("pipeline") or {}
    article = {
        **key, "source_path": s.get("source_path"), "title": s.get("title"), "published": s.get("published"),
        "chars": stats.get("chars"), "tokens": stats.get("tokens"), "sentences": stats.get("sentences"),
        "n_sections": len(s.get("sections") or []) if not error else None,
        "n_key_points": len(s.get("key_points") or []) if not error else None,
        "n_takeaways": len(s.get("takeaways") or []) if not error else None,
        "n_entities": len(s.get("entities") or []) if not error else None,
        "n_dates": len(s.get("dates") or []) if not error else None,
        "n_keywords": len(s.get("keywords") or []) if not error else None,
        "warnings": list(s.get("warnings") or []), "error_kind": error.get("kind"),
        "error_message": error.get("message"), "pipeline_version": pipeline.get("version"),
        "dictionary": pipeline.get("dictionary"),
        "meta": json.dumps(s["meta"], ensure_ascii=False, sort_keys=True) if s.get("meta") else None,
    }
    entities = [{**key, "entity": n, "text": e.get("text"), "start": e.get("start"), "end": e.get("end"),
                 "label": e.get("label"), "canonical": e.get("canonical"), "role": e.get("role"),
                 "entity_id": e.get("id")}
                for n, e in enumerate(s.get("entities") or [])]
    dates = [{**key, "date": n, "text": d.get("text"), "start": d.get("start"), "end": d.get("end"),
              "type": d.get("type"), "value": d.get("value"), "anchor": d.get("anchor"), "mod": d.get("mod"),
              "freq": d.get("freq")}
             for n, d in enumerate(s.get("dates") or [])]
    key_points = [{**key, "key_point": n, "text": k.get("text"), "start": k.get("start"), "end": k.get("end"),
                   "section": k.get("section"), "marker": k.get("marker"), "extracted": k.get("extracted")}
                  for n, k in enumerate(s.get("key_points") or [])]
    sections = []
    for n, sec in enumerate(s.get("sections") or []):
        source = sec.get("source") or {}
        body = sec.get("body") or []
        kinds = [b.get("kind") for b in body]
        start, end = _span_bounds([*(sec.get("key_points") or []), *body])
        sections.append({
            **key, "section": n, "heading": sec.get("heading"), "published": sec.get("published"),
            "question": sec.get("question"), "answer": sec.get("answer"), "source_name": source.get("name"),
            "source_url": source.get("url"), "source_domain": source.get("domain"),
            "n_key_points": len(sec.get("key_points") or []), "n_body": len(body),
            "n_fact": kinds.count("fact"), "n_commentary": kinds.count("commentary"),
            "n_reader_voice": kinds.count("reader_voice"), "start": start, "end": end,
        })
    return {"articles": [article], "entities": entities, "dates": dates, "key_points": key_points,
            "sections": sections}


def _batches(path, registry: EntityRegistry | None = None) -> Iterator[dict[str, list[dict]]]:
    buffer: dict[str, list[dict]] = {name: [] for name in TABLES}
    articles = 0
    for rows in iter_rows(path, registry):
        for name in TABLES:
            buffer[name].extend(rows[name])
        articles += 1
        if articles >= _ROW_GROUP:
            yield buffer
            buffer, articles = {name: [] for name in TABLES}, 0
    if articles:
        yield buffer


def _table(name: str, rows: list[dict]):
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=_get_schemas()[name])


def write_table(out: str | os.PathLike, name: str, rows: list[dict]) -> int:
    """Write one more table, ``DIR/<name>.parquet`` (whole or not at all); returns its rows."""
    import pyarrow.parquet as pq

    out = Path(out)
    pq.write_table(_table(name, rows), out / f"{name}.parquet.partial")
    os.replace(out / f"{name}.parquet.partial", out / f"{name}.parquet")
    return len(rows)


def write_tables(run: str | os.PathLike, out: str | os.PathLike) -> dict[str, int]:
    """Write ``DIR/<table>.parquet`` for every table and the entity registry; returns the row
    count of each."""
    import pyarrow.parquet as pq

    run, out = Path(run), Path(out)
    if not run.is_file():
        raise TablesError(f"no such file: {run}")
    out.mkdir(parents=True, exist_ok=True)
    schemas = _get_schemas()
    writers = {name: pq.ParquetWriter(out / f"{name}.parquet.partial", schemas[name]) for name in TABLES}
    counts = {name: 0 for name in TABLES}
    registry = EntityRegistry()
    try:
        for buffer in _batches(run, registry):
            for name in TABLES:
                writers[name].write_table(_table(name, buffer[name]))
                counts[name] += len(buffer[name])
    finally:
        for writer in writers.values():
            writer.close()
    for name in TABLES:  # whole files only: renamed once complete
        os.replace(out / f"{name}.parquet.partial", out / f"{name}.parquet")
    counts[REGISTRY_TABLE] = write_table(out, REGISTRY_TABLE, registry.rows())
    return counts


def load_tables(path: str | os.PathLike) -> dict:
    """``{"articles": DataFrame, "entities": ..., "dates": ..., "key_points": ..., "sections": ...,
    "entity_registry": ...}`` from a directory written by ``jnews tables`` (with any further
    table written there, such as ``stories``) or straight from a run's JSONL(.gz)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if path.is_dir():
        missing = [name for name in TABLES if not (path / f"{name}.parquet").exists()]
        if missing:
            raise TablesError(f"{path} has no {', '.join(m + '.parquet' for m in missing)}; write it with `jnews tables`")
        tables = {name: pq.read_table(path / f"{name}.parquet") for name in TABLES}
        for extra in sorted(path.glob("*.parquet")):  # the registry, and stories when written
            if extra.stem not in tables:
                tables[extra.stem] = pq.read_table(extra)
    elif path.is_file():
        parts: dict[str, list] = {name: [] for name in TABLES}
        registry = EntityRegistry()
        for buffer in _batches(path, registry):
            for name in TABLES:
                parts[name].append(_table(name, buffer[name]))
        schemas = _get_schemas()
        tables = {name: pa.concat_tables(parts[name]) if parts[name] else schemas[name].empty_table()
                  for name in TABLES}
        tables[REGISTRY_TABLE] = _table(REGISTRY_TABLE, registry.rows())
    else:
        raise TablesError(f"no such file or directory: {path}")
    import pandas as pd

    # Whole numbers stay whole numbers when some are missing (an error row has no `chars`).
    nullable = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get
    return {name: table.to_pandas(types_mapper=nullable) for name, table in tables.items()}
