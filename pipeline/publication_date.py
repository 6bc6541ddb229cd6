"""Read the one complete date of a ``公開日`` line or a dateline."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = ["parse_publication_date", "ERA_START_YEAR"]

ERA_START_YEAR = {"令和": 2019, "平成": 1989, "昭和": 1926, "R": 2019, "H": 1989, "S": 1926}
_DATE = re.compile(
    r"(?:(?P<era>令和|平成|昭和|[RHS])\s*(?P<era_year>元|\d{1,2})\s*[年./]|(?P<year>\d{4})\s*[年/.\-])"
    r"\s*(?P<month>\d{1,2})\s*[月/.\-]\s*(?P<day>\d{1,2})\s*日?"
)
# What may surround a dateline's date: weekday, clock time, brackets, 更新/配信.
_DATELINE_REST = re.compile(r"[\s()（）\[\]【】]*(?:[(（]?[月火水木金土日][)）])?\s*(?:\d{1,2}[:：時]\d{0,2}分?)?\s*(?:更新|配信|公開|発表)?[\s()（）\]】]*")


def parse_publication_date(value: str, whole: bool = False) -> str | None:
    """``YYYY-MM-DD`` of the first full date in ``value`` (full-width digits, 年月日, slashes,
    dots and era years accepted), or None. With ``whole`` the value must be only a date
    (plus weekday, clock time, brackets): how a dateline line looks."""
    normalized = unicodedata.normalize("NFKC", value).strip()
    match = _DATE.search(normalized)
    if not match:
        return None
    if whole:
        before = normalized[: match.start()].strip(" ()（）[]【】")
        after = normalized[match.end():]
        if before or _DATELINE_REST.fullmatch(after) is None:
            return None
    if match.group("era"):
        era_year = 1 if match.group("era_year") == "元" else int(match.group("era_year"))
        year = ERA_START_YEAR[match.group("era")] + era_year - 1
    else:
        year = int(match.group("year"))
    try:
        return date(year, int(match.group("month")), int(match.group("day"))).isoformat()
    except ValueError:
        return None
