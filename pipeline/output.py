"""Summaries to bytes: one JSON object per line, deterministic."""

from __future__ import annotations

import json

__all__ = ["dumps_summary"]


def dumps_summary(summary: dict, pretty: bool = False) -> str:
    """Compact one-line JSON (JSONL) or indented JSON; non-ASCII kept as is."""
    if pretty:
        return json.dumps(summary, ensure_ascii=False, indent=2)
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"))
