"""Read the one complete date of a ``公開日`` line or a dateline (via the dates engine)."""

from __future__ import annotations

import re

from ..dates import extract_dates

__all__ = ["parse_publication_date"]

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What may surround a dateline's date: brackets, weekday, 更新/配信 (a clock time is part
# of the date expression itself).
_DATELINE_FILLER = re.compile(r"[\s()（）\[\]【】]*(?:[(（]?[月火水木金土日](?:曜日?)?[)）]?)?[\s()（）\[\]【】]*(?:更新|配信|公開|発表)?[\s()（）\]】]*")


def parse_publication_date(value: str, whole: bool = False) -> str | None:
    """``YYYY-MM-DD`` of the first full date in ``value`` (full-width digits, 年月日, slashes,
    dots and era years accepted), or None. With ``whole`` the value must be only a date
    (plus weekday, clock time, brackets): how a dateline line looks."""
    items = [d for d in extract_dates(value) if _FULL_DATE.match(d["value"])]
    if not items:
        return None
    first = items[0]
    if whole:
        if _DATELINE_FILLER.fullmatch(value[: first["start"]]) is None:
            return None
        rest = value[first["end"]:]
        following = [d for d in items[1:] if d["type"] == "TIME"]
        if following and not rest[: following[0]["start"] - first["end"]].strip():
            rest = value[following[0]["end"]:]
        if _DATELINE_FILLER.fullmatch(rest) is None:
            return None
    return first["value"][:10]
