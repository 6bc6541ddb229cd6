"""The extraction stages a summary runs (entities, dates, keywords), in one place."""

from __future__ import annotations

from .summarize import Extractor

__all__ = ["default_extractors", "dates_extractor"]


def dates_extractor(*, text, article, doc, anchor_at) -> dict:
    """TIMEX3 dates, each resolved against the anchor in effect where it starts."""
    from ..dates import extract_dates

    return {"dates": extract_dates(text, anchor_at)}


def default_extractors(*, document_frequency=None, key_points: int | None = None,
                       keywords: int | None = None) -> list[Extractor]:
    """Stages in the order they run; each returns the summary fields it fills.
    ``document_frequency``: the table keyword scores use (default: the background table);
    ``key_points``, ``keywords``: how many of each (default: 3 and 10)."""
    from ..entities import entities_extractor
    from ..keypoints.ranking import DEFAULT_KEY_POINTS, KeyPointsAndKeywords  # last: it reads the entities in doc.ents
    from ..keywords.score import DEFAULT_KEYWORDS

    ours = KeyPointsAndKeywords(key_points=DEFAULT_KEY_POINTS if key_points is None else key_points,
                                keywords=DEFAULT_KEYWORDS if keywords is None else keywords,
                                document_frequency=document_frequency)
    return [entities_extractor, dates_extractor, ours]
