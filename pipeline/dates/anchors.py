"""Which date a relative expression counts from, at each offset of an article."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Callable

__all__ = ["anchor_lookup"]


def anchor_lookup(article, published: str | None, reference_date: str | None) -> Callable[[int], dt.date | None]:
    """offset -> anchor date: the section's 公開日, else the article's date, else the
    record's ``published``, else the reference date (never the wall clock). ``article``:
    anything with ``published`` and ``sections`` (each with ``start``, ``end``,
    ``published``), as ``pipeline.layout`` makes them."""
    fallback = article.published or published or reference_date
    fallback_date = dt.date.fromisoformat(fallback) if fallback else None
    ranges = [(s.start, s.end, dt.date.fromisoformat(s.published)) for s in article.sections if s.published]
    starts = [start for start, _, _ in ranges]
    in_order = all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:]))  # sections follow each other

    def anchor_at(offset: int) -> dt.date | None:
        if in_order:  # a bisection: an article of thousands of sections and dates stays linear
            found = None
            i = bisect_right(starts, offset) - 1
            while i >= 0 and ranges[i][1] >= offset:  # ends only grow: the first section holding it
                found = i
                i -= 1
            return fallback_date if found is None else ranges[found][2]
        for start, end, anchor in ranges:
            if start <= offset <= end:
                return anchor
        return fallback_date

    return anchor_at
