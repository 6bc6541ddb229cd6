"""Input paths to a lazy stream of records: text and HTML files, directories, JSONL dumps (also
compressed, ``compression.py``), Parquet tables (``parquet_input.py``) and standard input.

Every input record becomes exactly one ``Record`` (``record.py``): either with ``text`` or with
an ``error`` (kind, message) that the summarizer turns into an error line, so nothing is lost.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from .compression import OPENERS, READ_ERRORS
from .decoding import DecodeError, decode_bytes
from .parquet_input import check_parquet_columns, is_parquet, iter_parquet, parquet_rows
from .remote import check_url, is_url, open_url
from .record import (DEFAULT_COLUMNS, MAX_ARTICLE_BYTES, Columns, InputError, Record, clean_text, html_to_text,
                     object_record, plain_value, too_large)

__all__ = ["Record", "Columns", "DEFAULT_COLUMNS", "object_record", "plain_value", "decode_bytes", "DecodeError",
           "iter_records", "count_records", "check_paths", "dump_files", "InputError", "MAX_ARTICLE_BYTES",
           "MAX_DECOMPRESSED_BYTES", "iter_jsonl", "jsonl_lines", "align_to_line", "file_record", "is_jsonl",
           "is_text_file", "jsonl_stem", "compression_of", "OVER_TOTAL"]

# Decompression-bomb guard: a compressed dump stops being read after this many decompressed bytes (one
# line at a time, so memory stays bounded by MAX_ARTICLE_BYTES either way); the rest of the
# file is one `too_large` record.
MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024 * 1024


def _text_record(record_id: str, data: bytes, source_path: str | None, max_bytes: int = MAX_ARTICLE_BYTES) -> Record:
    record = Record(id=record_id, source_path=source_path)
    if len(data) > max_bytes:
        record.error = too_large(len(data), max_bytes)
        return record
    try:
        text, record.encoding = decode_bytes(data)
    except DecodeError as error:
        record.error = ("decode_error", str(error))
        return record
    text = html_to_text(text, record, source_path)
    if text is None:
        return record
    if not text.strip():
        record.error = ("empty_text", "the article has no text")
        return record
    record.text = clean_text(text, record)
    return record


def _json_record(line: bytes, fallback_id: str, source_path: str, columns: Columns = DEFAULT_COLUMNS) -> Record:
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, ValueError) as error:
        return Record(id=fallback_id, source_path=source_path, error=("bad_json", f"not a JSON object: {error}"))
    if not isinstance(obj, dict):
        return Record(id=fallback_id, source_path=source_path, error=("bad_record", "a JSONL line must be an object"))
    return object_record(obj, fallback_id, source_path, columns)


def _skip_rest_of_line(stream: IO[bytes], chunk: int = 1 << 20) -> int:
    """Read past the end of an over-long line without holding it; return the bytes skipped."""
    skipped = 0
    while True:
        part = stream.readline(chunk)
        skipped += len(part)
        if not part or part.endswith(b"\n"):
            return skipped


def jsonl_lines(stream: IO[bytes], max_bytes: int = MAX_ARTICLE_BYTES, budget: int | None = None,
                max_total: int | None = None) -> Iterator[tuple[bytes | None, int]]:
    """``(line, size)`` for each line of a JSONL stream, blank ones included (they count in the
    line numbers of the ids); ``line`` is None for a line over ``max_bytes``, skipped without
    being held. With ``budget``, only the lines that start within the next ``budget`` bytes
    (a byte range of a dump, ``partitions.JsonlRange``). When a line would take the
    bytes read past ``max_total`` (a decompressed dump's limit; an over-long line counts with
    the part that was read before it is skipped), the last item is ``(OVER_TOTAL, size)``."""
    consumed = 0
    while budget is None or consumed < budget:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        size = len(line)
        if max_total is not None and consumed + size > max_total:
            yield OVER_TOTAL, size
            return
        if size > max_bytes and not line.endswith(b"\n"):
            size += _skip_rest_of_line(stream)
            line = None
        consumed += size
        yield line, size


OVER_TOTAL = b"<over --max-decompressed>"  # a marker, never a line: lines come from readline, this one by identity


def align_to_line(stream: IO[bytes], start: int) -> int:
    """Move a seekable stream to the first line that starts at or after byte ``start``;
    return that position. A byte range owns the lines that start in it."""
    if start <= 0:
        stream.seek(0)
        return 0
    stream.seek(start - 1)
    return start - 1 + _skip_rest_of_line(stream)


def iter_jsonl(stream: IO[bytes], stem: str, source_path: str, max_bytes: int = MAX_ARTICLE_BYTES,
                max_total: int | None = None, columns: Columns = DEFAULT_COLUMNS, *, number: int = 0,
                budget: int | None = None) -> Iterator[Record]:
    """One record per non-blank line, read one line at a time; a line longer than
    ``max_bytes`` is skipped without being held in memory and becomes a ``too_large`` record.
    After ``max_total`` bytes (the decompressed size of a .gz) reading stops with one
    ``too_large`` record for the rest. ``number``: lines before the stream's first (ids are
    ``stem:N``, N the line number in the file); ``budget``: see ``jsonl_lines``."""
    try:
        for line, size in jsonl_lines(stream, max_bytes, budget, max_total):
            number += 1
            if line is OVER_TOTAL:
                yield Record(id=f"{stem}:{number}", source_path=source_path, error=(
                    "too_large", f"more than {max_total} bytes decompressed; the rest of the file is not read "
                                 "(--max-decompressed)"))
                return
            if line is None:
                yield Record(id=f"{stem}:{number}", source_path=source_path, error=too_large(size, max_bytes))
            elif line.strip():
                yield _json_record(line, f"{stem}:{number}", source_path, columns)
    except READ_ERRORS as error:
        yield Record(id=f"{stem}:{number + 1}", source_path=source_path,
                     error=("truncated_input", f"reading stopped early: {error}"))


_JSONL_SUFFIXES = tuple(base + compression for base in (".jsonl", ".ndjson") for compression in (*OPENERS, ""))


def compression_of(path: Path) -> str | None:
    """The compression suffix of a dump's name (.gz, .zst ...), or None."""
    return next((suffix for suffix in OPENERS if path.name.endswith(suffix)), None)


def is_jsonl(path: Path) -> bool:
    return path.name.endswith(_JSONL_SUFFIXES)


def jsonl_stem(path: Path) -> str:
    name = path.name
    for suffix in _JSONL_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def file_record(record_id: str, path: Path, shown: str, max_bytes: int) -> Record:
    size = path.stat().st_size
    if size > max_bytes:  # never read a huge file just to reject it
        return Record(id=record_id, source_path=shown, error=too_large(size, max_bytes))
    return _text_record(record_id, path.read_bytes(), shown, max_bytes)


def dump_files(path: Path) -> list[Path]:
    """The files a directory contributes, in the order they are read."""
    return sorted(p for p in path.rglob("*") if p.is_file()
                  and (is_text_file(p) or is_jsonl(p) or is_parquet(p)))


_TEXT_SUFFIXES = (".txt", ".html", ".htm")


def is_text_file(path: Path) -> bool:
    """An article of its own (text or HTML), as a directory's files are read."""
    return path.suffix in _TEXT_SUFFIXES


def _iter_path(path: Path, shown: str, max_bytes: int = MAX_ARTICLE_BYTES,
               max_decompressed: int = MAX_DECOMPRESSED_BYTES, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    if path.is_dir():
        for file in dump_files(path):
            relative = file.relative_to(path).as_posix()
            if is_text_file(file):
                yield file_record(relative[: -len(file.suffix)], file, os.path.join(shown, relative), max_bytes)
            else:
                yield from _iter_path(file, os.path.join(shown, relative), max_bytes, max_decompressed, columns)
    elif is_parquet(path):
        yield from iter_parquet(path, shown, columns, max_bytes)
    elif is_jsonl(path):
        compression = compression_of(path)
        opener = OPENERS[compression] if compression else (lambda name: open(name, "rb"))
        try:
            stream = opener(path)
        except (OSError, ValueError) as error:
            yield Record(id=f"{jsonl_stem(path)}:1", source_path=shown,
                         error=("truncated_input", f"cannot open {compression or 'the file'}: {error}"))
            return
        with stream:
            yield from iter_jsonl(stream, jsonl_stem(path), shown, max_bytes,
                                   max_decompressed if compression else None, columns)
    else:
        yield file_record(path.stem, path, shown, max_bytes)


def _iter_url(url: str, max_bytes: int, max_decompressed: int, columns: Columns) -> Iterator[Record]:
    """A file named by URL, read as the same local file would be (``remote.py``)."""
    stream, name, size = open_url(url)
    path = Path(name)
    with stream:
        if is_parquet(path):
            yield from iter_parquet(stream, url, columns, max_bytes, name=name)
        elif is_jsonl(path):
            compression = compression_of(path)
            with OPENERS[compression](stream) if compression else stream as lines:
                yield from iter_jsonl(lines, jsonl_stem(path), url, max_bytes,
                                       max_decompressed if compression else None, columns)
        elif size > max_bytes:
            yield Record(id=path.stem, source_path=url, error=too_large(size, max_bytes))
        else:
            yield _text_record(path.stem, stream.read(), url, max_bytes)


def _iter_stdin(stream: IO[bytes], max_bytes: int = MAX_ARTICLE_BYTES,
                columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    head = stream.peek(64) if hasattr(stream, "peek") else b""
    if head.lstrip()[:1] == b"{":
        yield from iter_jsonl(stream, "stdin", "-", max_bytes, columns=columns)
    else:
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            size = len(data)
            while chunk := stream.read(1 << 20):
                size += len(chunk)
            yield Record(id="stdin", error=too_large(size, max_bytes))
        else:
            yield _text_record("stdin", data, None, max_bytes)


def check_paths(paths: Iterable[str], columns: Columns = DEFAULT_COLUMNS) -> None:
    """Fail early, before any output, on paths that do not exist and Parquet files without
    the text column."""
    for shown in paths:
        if is_url(shown) and not Path(shown).exists():
            check_url(shown)
            if is_parquet(Path(shown)):
                stream, _, _ = open_url(shown)
                with stream:
                    check_parquet_columns(stream, columns)
            continue
        if shown != "-" and not Path(shown).exists():
            raise InputError(f"no such file or directory: {shown}")
        if shown != "-":
            path = Path(shown)
            for file in dump_files(path) if path.is_dir() else [path]:
                if is_parquet(file):
                    check_parquet_columns(file, columns)


def count_records(paths: Iterable[str]) -> int | None:
    """How many records ``iter_records`` will yield, by a cheap scan (one per .txt file,
    one per non-blank line of a plain .jsonl); None when that cannot be known without
    decompressing or consuming the input (a compressed dump, stdin). Used for the progress bar's ETA."""
    total = 0
    for shown in paths:
        if shown == "-" or (is_url(shown) and not Path(shown).exists()):  # not read twice
            return None
        path = Path(shown)
        files = dump_files(path) if path.is_dir() else [path]
        for file in files:
            if is_parquet(file):
                rows = parquet_rows(file)
                if rows is None:
                    return None
                total += rows
            elif not is_jsonl(file):
                total += 1
            elif compression_of(file):
                return None
            else:
                with open(file, "rb") as stream:
                    total += sum(1 for line in stream if line.strip())
    return total


def iter_records(paths: Iterable[str], stdin: IO[bytes] | None = None, *,
                 max_bytes: int = MAX_ARTICLE_BYTES, max_decompressed: int = MAX_DECOMPRESSED_BYTES,
                 columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    """Records from each path in order: .txt files, directories (recursive, sorted),
    .jsonl files (also .jsonl.gz, .zst, .xz, .bz2, streamed), .parquet files (row group by
    row group), or ``-`` for standard input. Lazy: one file, line or row group at a time.
    An article over ``max_bytes`` becomes a ``too_large`` record without being read whole;
    a compressed dump stops after ``max_decompressed`` bytes with a ``too_large`` record.
    ``columns``: the fields that hold the text and the id."""
    paths = list(paths)
    check_paths(paths, columns)
    for shown in paths:
        if shown == "-":
            source = stdin if stdin is not None else sys.stdin.buffer
            yield from _iter_stdin(source if hasattr(source, "peek") else io.BufferedReader(source), max_bytes,
                                   columns)
        elif is_url(shown) and not Path(shown).exists():
            yield from _iter_url(shown, max_bytes, max_decompressed, columns)
        else:
            yield from _iter_path(Path(shown), shown, max_bytes, max_decompressed, columns)
