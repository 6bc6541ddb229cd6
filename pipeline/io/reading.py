"""Bytes to text, and input paths to a lazy stream of records.

Every input record becomes exactly one ``Record``: either with ``text`` or with an
``error`` (kind, message) that the summarizer turns into an error line, so nothing is lost.
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import lzma
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

import zstandard

from .decoding import DecodeError, decode_bytes

__all__ = ["Record", "Columns", "DEFAULT_COLUMNS", "object_record", "plain_value", "decode_bytes", "DecodeError", "iter_records", "count_records", "InputError", "MAX_ARTICLE_BYTES",
           "MAX_DECOMPRESSED_BYTES"]

MAX_ARTICLE_BYTES = 64 * 1024 * 1024
# Decompression-bomb guard: a compressed dump stops being read after this many decompressed bytes (one
# line at a time, so memory stays bounded by MAX_ARTICLE_BYTES either way); the rest of the
# file is one `too_large` record.
MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024 * 1024


# what a truncated or corrupt compressed stream raises while it is read
_READ_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class InputError(Exception):
    """A user mistake about inputs (missing path, unsupported file type)."""


@dataclass
class Record:
    id: str
    text: str | None = None
    source_path: str | None = None
    published: str | None = None
    meta: dict = field(default_factory=dict)
    error: tuple[str, str] | None = None
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None


def _clean(text: str, record: Record) -> str:
    # Lone surrogates (from JSON escapes) cannot be written as UTF-8; U+FFFD keeps offsets.
    if any("\ud800" <= c <= "\udfff" for c in text):
        record.warnings.append("lone surrogate characters replaced by U+FFFD")
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def _html_to_text(text: str, record: Record, name: str | None = None) -> str | None:
    """An HTML page (by content, or by an .html/.htm name) reduced to its visible text;
    sets a ``too_large`` error for a pathologically nested page and returns None."""
    from .html_input import HTMLTooDeep, html_to_text, looks_like_html

    if not looks_like_html(text, name):
        return text
    try:
        text = html_to_text(text)
    except HTMLTooDeep as error:
        record.error = ("too_large", str(error))
        return None
    except Exception as error:  # the reader runs outside the per-article boundary: never stop a run
        record.error = ("internal_error", f"HTML extraction failed: {type(error).__name__}: {error}")
        return None
    record.warnings.append("HTML page reduced to its text; offsets index that text")
    return text


def _too_large(size: int, max_bytes: int) -> tuple[str, str]:
    return ("too_large", f"{size} bytes is over the limit of {max_bytes} (--max-bytes)")


def _text_record(record_id: str, data: bytes, source_path: str | None, max_bytes: int = MAX_ARTICLE_BYTES) -> Record:
    record = Record(id=record_id, source_path=source_path)
    if len(data) > max_bytes:
        record.error = _too_large(len(data), max_bytes)
        return record
    try:
        text, record.encoding = decode_bytes(data)
    except DecodeError as error:
        record.error = ("decode_error", str(error))
        return record
    text = _html_to_text(text, record, source_path)
    if text is None:
        return record
    if not text.strip():
        record.error = ("empty_text", "the article has no text")
        return record
    record.text = _clean(text, record)
    return record


def _published_of(value) -> str | None:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:  # "2025-13-45" or "xxxx-xx-xx" is no date (it would fail later, as an anchor)
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Columns:
    """Which fields of a JSONL record or columns of a Parquet table hold the text and the id
    (``--text-column`` / ``--id-column``); every other field goes to ``meta``."""

    text: str = "text"
    id: str = "id"


DEFAULT_COLUMNS = Columns()


def _json_record(line: bytes, fallback_id: str, source_path: str, columns: Columns = DEFAULT_COLUMNS) -> Record:
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, ValueError) as error:
        return Record(id=fallback_id, source_path=source_path, error=("bad_json", f"not a JSON object: {error}"))
    if not isinstance(obj, dict):
        return Record(id=fallback_id, source_path=source_path, error=("bad_record", "a JSONL line must be an object"))
    return object_record(obj, fallback_id, source_path, columns)


def object_record(obj: dict, fallback_id: str, source_path: str | None, columns: Columns = DEFAULT_COLUMNS) -> Record:
    """The record of one JSON object or table row: its text and id fields, ``published``, and
    the other fields as ``meta``."""
    raw_id = obj.get(columns.id)
    record_id = str(raw_id) if raw_id not in (None, "") else fallback_id
    meta = {k: v for k, v in obj.items() if k not in (columns.id, columns.text)}
    record = Record(id=record_id, source_path=source_path, meta=meta, published=_published_of(obj.get("published")))
    text = obj.get(columns.text)
    if isinstance(text, str):
        text = _html_to_text(text, record)
        if text is None:
            return record
    if not isinstance(text, str):
        record.error = ("bad_record", f'the record has no "{columns.text}" string')
    elif not text.strip():
        record.error = ("empty_text", "the article has no text")
    else:
        record.text = _clean(text, record)
    return record


def _skip_rest_of_line(stream: IO[bytes], chunk: int = 1 << 20) -> int:
    """Read past the end of an over-long line without holding it; return the bytes skipped."""
    skipped = 0
    while True:
        part = stream.readline(chunk)
        skipped += len(part)
        if not part or part.endswith(b"\n"):
            return skipped


def _iter_jsonl(stream: IO[bytes], stem: str, source_path: str, max_bytes: int = MAX_ARTICLE_BYTES,
                max_total: int | None = None, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    """One record per non-blank line, read one line at a time; a line longer than
    ``max_bytes`` is skipped without being held in memory and becomes a ``too_large`` record.
    After ``max_total`` bytes (the decompressed size of a .gz) reading stops with one
    ``too_large`` record for the rest."""
    number = total = 0
    try:
        while True:
            line = stream.readline(max_bytes + 1)
            if not line:
                break
            number += 1
            total += len(line)
            if max_total is not None and total > max_total:
                yield Record(id=f"{stem}:{number}", source_path=source_path, error=(
                    "too_large", f"more than {max_total} bytes decompressed; the rest of the file is not read "
                                 "(--max-decompressed)"))
                return
            if len(line) > max_bytes and not line.endswith(b"\n"):
                skipped = _skip_rest_of_line(stream)
                total += skipped
                size = len(line) + skipped
                yield Record(id=f"{stem}:{number}", source_path=source_path, error=_too_large(size, max_bytes))
            elif line.strip():
                yield _json_record(line, f"{stem}:{number}", source_path, columns)
    except _READ_ERRORS as error:
        yield Record(id=f"{stem}:{number + 1}", source_path=source_path,
                     error=("truncated_input", f"reading stopped early: {error}"))


class _ZstdStream(io.RawIOBase):
    """A .zst file, decompressed as it is read, frame after frame (a dump concatenated from
    several .zst files is one stream). zstandard's own stream reader ends quietly at a cut
    frame; this one raises EOFError there, so a truncated dump is an error line, not a
    silent loss. Input goes to the decompressor 256 bytes at a time, because zstd can expand
    a few bytes into megabytes. That bounds one step's output to about 11 MB even on a
    decompression bomb."""

    _CHUNK = 1 << 16
    _FEED = 256

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb")
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._fed = False  # the current frame has had input
        self._input = b""
        self._input_at = 0
        self._output = b""
        self._output_at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._output_at >= len(self._output):
            if self._frame.eof:  # the next frame starts with what followed the last one
                self._input, self._input_at = self._frame.unused_data + self._input[self._input_at:], 0
                self._frame, self._fed = zstandard.ZstdDecompressor().decompressobj(), False
            if self._input_at >= len(self._input):
                self._input, self._input_at = self._file.read(self._CHUNK), 0
                if not self._input:
                    if self._fed and not self._frame.eof:
                        raise EOFError("the zstd stream ends inside a frame (truncated file)")
                    return 0
            piece = self._input[self._input_at:self._input_at + self._FEED]
            self._input_at += len(piece)
            self._fed = True
            self._output, self._output_at = self._frame.decompress(piece), 0
        size = min(len(buffer), len(self._output) - self._output_at)
        buffer[:size] = memoryview(self._output)[self._output_at:self._output_at + size]
        self._output_at += size
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


def _open_zstd(path: Path) -> IO[bytes]:
    return io.BufferedReader(_ZstdStream(path), buffer_size=1 << 16)


# Compressed dumps, streamed: gzip, zstd (Common Crawl-style dumps), xz and bz2.
_OPENERS = {".gz": lambda path: gzip.open(path, "rb"), ".zst": _open_zstd, ".xz": lambda path: lzma.open(path, "rb"),
            ".bz2": lambda path: bz2.open(path, "rb")}
_JSONL_SUFFIXES = tuple(base + compression for base in (".jsonl", ".ndjson") for compression in (*_OPENERS, ""))


def _compression(path: Path) -> str | None:
    return next((suffix for suffix in _OPENERS if path.name.endswith(suffix)), None)


def _is_jsonl(path: Path) -> bool:
    return path.name.endswith(_JSONL_SUFFIXES)


def _jsonl_stem(path: Path) -> str:
    name = path.name
    for suffix in _JSONL_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _file_record(record_id: str, path: Path, shown: str, max_bytes: int) -> Record:
    size = path.stat().st_size
    if size > max_bytes:  # never read a huge file just to reject it
        return Record(id=record_id, source_path=shown, error=_too_large(size, max_bytes))
    return _text_record(record_id, path.read_bytes(), shown, max_bytes)


def dump_files(path: Path) -> list[Path]:
    """The files a directory contributes, in the order they are read."""
    return sorted(p for p in path.rglob("*") if p.is_file()
                  and (p.suffix in _TEXT_SUFFIXES or _is_jsonl(p) or is_parquet(p)))


_TEXT_SUFFIXES = (".txt", ".html", ".htm")


def _iter_path(path: Path, shown: str, max_bytes: int = MAX_ARTICLE_BYTES,
               max_decompressed: int = MAX_DECOMPRESSED_BYTES, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    if path.is_dir():
        for file in dump_files(path):
            relative = file.relative_to(path).as_posix()
            if file.suffix in _TEXT_SUFFIXES:
                yield _file_record(relative[: -len(file.suffix)], file, os.path.join(shown, relative), max_bytes)
            else:
                yield from _iter_path(file, os.path.join(shown, relative), max_bytes, max_decompressed, columns)
    elif is_parquet(path):
        yield from iter_parquet(path, shown, columns, max_bytes)
    elif _is_jsonl(path):
        compression = _compression(path)
        opener = _OPENERS[compression] if compression else (lambda name: open(name, "rb"))
        try:
            stream = opener(path)
        except (OSError, ValueError) as error:
            yield Record(id=f"{_jsonl_stem(path)}:1", source_path=shown,
                         error=("truncated_input", f"cannot open {compression or 'the file'}: {error}"))
            return
        with stream:
            yield from _iter_jsonl(stream, _jsonl_stem(path), shown, max_bytes,
                                   max_decompressed if compression else None, columns)
    else:
        yield _file_record(path.stem, path, shown, max_bytes)


# -- Parquet ---------------------------------------------------------------------------------

_PARQUET_BATCH = 256  # rows per Arrow batch: memory is one row group's columns, not the file


def is_parquet(path: Path) -> bool:
    return path.name.endswith((".parquet", ".parq"))


def check_parquet_columns(path: Path, columns: Columns) -> None:
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


def plain_value(value):
    """A table cell as JSON has it: dates and times as ISO strings, decimals as strings, bytes
    as text when they are UTF-8 (else hexadecimal), numpy scalars as Python numbers, missing
    values (NaN, NaT, NA) as null."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN: a missing value in pandas
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:  # a numpy scalar
        return plain_value(value.item())
    if hasattr(value, "tolist") and callable(value.tolist):  # a numpy array (a list cell of a DataFrame)
        return plain_value(value.tolist())
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values
        return None
    return str(value)  # Decimal and the like


def iter_parquet(path: Path, shown: str, columns: Columns = DEFAULT_COLUMNS,
                 max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Record]:
    """One record per row, read a batch of rows at a time (pyarrow); the same record as the
    JSONL line with the same fields. A file that is not Parquet is one error record."""
    import pyarrow.parquet as pq

    stem = path.name.rsplit(".", 1)[0]
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
                                 error=_too_large(len(text.encode("utf-8")), max_bytes))
                    continue
                yield object_record({k: plain_value(v) for k, v in row.items()}, f"{stem}:{number}", shown, columns)
    except Exception as error:  # a damaged row group: the rows read so far stand
        yield Record(id=f"{stem}:{number + 1}", source_path=shown,
                     error=("truncated_input", f"reading stopped early: {error}"))


def _iter_stdin(stream: IO[bytes], max_bytes: int = MAX_ARTICLE_BYTES,
                columns: Columns = DEFAULT_COLUMNS) -> Iterator[Record]:
    head = stream.peek(64) if hasattr(stream, "peek") else b""
    if head.lstrip()[:1] == b"{":
        yield from _iter_jsonl(stream, "stdin", "-", max_bytes, columns=columns)
    else:
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            size = len(data)
            while chunk := stream.read(1 << 20):
                size += len(chunk)
            yield Record(id="stdin", error=_too_large(size, max_bytes))
        else:
            yield _text_record("stdin", data, None, max_bytes)


def check_paths(paths: Iterable[str], columns: Columns = DEFAULT_COLUMNS) -> None:
    """Fail early, before any output, on paths that do not exist and Parquet files without
    the text column."""
    for shown in paths:
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
        if shown == "-":
            return None
        path = Path(shown)
        files = dump_files(path) if path.is_dir() else [path]
        for file in files:
            if is_parquet(file):
                rows = parquet_rows(file)
                if rows is None:
                    return None
                total += rows
            elif not _is_jsonl(file):
                total += 1
            elif _compression(file):
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
        else:
            yield from _iter_path(Path(shown), shown, max_bytes, max_decompressed, columns)
