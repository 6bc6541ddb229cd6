"""The output contract's record shapes that every layer shares: the schema version, the
error record, and the one test for "is this an error record"."""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION", "error_record", "is_error"]

SCHEMA_VERSION = "1"


def error_record(record_id: str, kind: str, message: str, source_path: str | None = None) -> dict:
    """The line of a record that could not be summarized (DESIGN.md: the output contract)."""
    return {"schema_version": SCHEMA_VERSION, "id": record_id, "source_path": source_path,
            "error": {"kind": kind, "message": message}}


def is_error(summary: dict) -> bool:
    """An error record: it has ``error`` and no ``sections`` (a summary never has ``error``)."""
    return "error" in summary and not summary.get("sections")
