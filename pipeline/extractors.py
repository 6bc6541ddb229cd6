"""The extraction stages a summary runs (entities, dates, keywords), in one place."""

from __future__ import annotations

from .summary import Extractor

__all__ = ["default_extractors", "dates_extractor"]


def dates_extractor(*, text, article, doc, anchor_at) -> dict:
    """TIMEX3 dates, each resolved against the anchor in effect where it starts."""
    from .dates import extract_dates

    return {"dates": extract_dates(text, anchor_at)}


def default_extractors(*, document_frequency=None) -> list[Extractor]:
    """Stages in the order they run; each returns the summary fields it fills.
    ``document_frequency``: the table keyword scores use (default: the background table)."""
    from .entities import entities_extractor
    from .keypoints import KeyPointsAndKeywords  # last: it reads the entities in doc.ents

    return [entities_extractor, dates_extractor, KeyPointsAndKeywords(document_frequency=document_frequency)]
