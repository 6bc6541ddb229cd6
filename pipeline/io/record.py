"""What every input becomes: a ``Record`` (an id, and a text or an error), and the pieces every
reader shares to build one (``reading.py`` for files, JSONL and stdin, ``parquet_input.py`` for
tables): which fields hold the text and the id, how a JSON object or table row becomes a
record, and how a table cell becomes a JSON value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["InputError", "Record", "Columns", "DEFAULT_COLUMNS", "MAX_ARTICLE_BYTES", "object_record", "plain_value",
           "clean_text", "html_to_text", "too_large", "published_of"]

MAX_ARTICLE_BYTES = 64 * 1024 * 1024


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


def clean_text(text: str, record: Record) -> str:
    # Lone surrogates (from JSON escapes) cannot be written as UTF-8; U+FFFD keeps offsets.
    if any("\ud800" <= c <= "\udfff" for c in text):
        record.warnings.append("lone surrogate characters replaced by U+FFFD")
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def html_to_text(text: str, record: Record, name: str | None = None) -> str | None:
    """An HTML page (by content, or by an .html/.htm name) reduced to its visible text;
    sets a ``too_large`` error for a pathologically nested page and returns None."""
    from .html_input import HTMLTooDeep, html_to_text as page_text, looks_like_html

    if not looks_like_html(text, name):
        return text
    try:
        text = page_text(text)
    except HTMLTooDeep as error:
        record.error = ("too_large", str(error))
        return None
    except Exception as error:  # the reader runs outside the per-article boundary: never stop a run
        record.error = ("internal_error", f"HTML extraction failed: {type(error).__name__}: {error}")
        return None
    record.warnings.append("HTML page reduced to its text; offsets index that text")
    return text


def too_large(size: int, max_bytes: int) -> tuple[str, str]:
    return ("too_large", f"{size} bytes is over the limit of {max_bytes} (--max-bytes)")


def published_of(value) -> str | None:
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


def object_record(obj: dict, fallback_id: str, source_path: str | None, columns: Columns = DEFAULT_COLUMNS) -> Record:
    """The record of one JSON object or table row: its text and id fields, ``published``, and
    the other fields as ``meta``."""
    raw_id = obj.get(columns.id)
    record_id = str(raw_id) if raw_id not in (None, "") else fallback_id
    meta = {k: v for k, v in obj.items() if k not in (columns.id, columns.text)}
    record = Record(id=record_id, source_path=source_path, meta=meta, published=published_of(obj.get("published")))
    text = obj.get(columns.text)
    if isinstance(text, str):
        text = html_to_text(text, record)
        if text is None:
            return record
    if not isinstance(text, str):
        record.error = ("bad_record", f'the record has no "{columns.text}" string')
    elif not text.strip():
        record.error = ("empty_text", "the article has no text")
    else:
        record.text = clean_text(text, record)
    return record


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
