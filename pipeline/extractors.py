"""The extraction stages a summary runs (entities, dates, keywords), in one place."""

from __future__ import annotations

from .summary import Extractor

__all__ = ["default_extractors"]


def default_extractors() -> list[Extractor]:
    """Stages in the order they run; each returns the summary fields it fills."""
    from .entities import entities_extractor

    return [entities_extractor]
