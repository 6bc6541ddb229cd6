"""Recognise the marker lines of aggregator articles (data in ``resources/layout``)."""

from __future__ import annotations

import enum
import re
from urllib.parse import urlsplit

from ..nlp.sentences import URL_PATTERN
from .parts import Source, Span
from ..rule_tables import read_json

__all__ = ["LineKind", "MARKERS", "classify_line", "parse_source_line"]

MARKERS = read_json("layout/markers.json")


class LineKind(enum.Enum):
    BLANK = "blank"
    TEXT = "text"
    PUBLISHED = "published"
    POINT = "point"
    WEAK_POINT = "weak_point"  # ・ and ● : a point only inside a section core
    TAKEAWAY = "takeaway"
    SOURCE = "source"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_VARIATION = "\ufe0e\ufe0f"
_STRONG = set(MARKERS["point_markers_outside_sections"])
_POINT = re.compile(rf"(?P<m>{_alternation(MARKERS['point_markers'])})[{_VARIATION}]?[ \t\u3000]*")
_TAKEAWAY = re.compile(rf"(?P<m>{_alternation(MARKERS['takeaway_markers'])})[{_VARIATION}]?[ \t\u3000]*")
_PUBLISHED = re.compile(rf"(?:{_alternation(MARKERS['published_labels'])})(?=[ \t\u3000]*[:：])")
_READ_MORE = rf"(?:{_alternation(MARKERS['read_more_labels'])})[ \t\u3000]*(?:{_alternation(MARKERS['arrows'])})?[ \t\u3000]*"
_LABEL = rf"(?:{_alternation(MARKERS['source_labels'])})"
_SOURCE = re.compile(
    rf"(?:(?P<more>{_READ_MORE})(?P<name>.*?)(?:{_LABEL}[ \t\u3000]*[:：]?|$)|(?P<label>{_LABEL})[ \t\u3000]*[:：])[ \t\u3000]*"
)
# A glued commentary that starts with Latin capitals ("…/154000cAIの活用") would be read
# as part of the URL; cut it off when the URL has no other capitals.
_GLUED_CAPITALS = re.compile(r"(?<=[a-z0-9/])[A-Z][A-Za-z]*$")


def classify_line(text: str, start: int, end: int) -> tuple[LineKind, str | None, int]:
    """(kind, marker, content_start) of the trimmed line ``text[start:end]``."""
    if start >= end:
        return LineKind.BLANK, None, start
    match = _TAKEAWAY.match(text, start, end)
    if match and match.end() < end:
        return LineKind.TAKEAWAY, match.group("m"), match.end()
    match = _POINT.match(text, start, end)
    if match and match.end() < end:
        marker = match.group("m").rstrip(_VARIATION)
        kind = LineKind.POINT if marker in _STRONG else LineKind.WEAK_POINT
        return kind, marker, match.end()
    match = _PUBLISHED.match(text, start, end)
    if match:
        return LineKind.PUBLISHED, None, match.end()
    match = _SOURCE.match(text, start, end)
    if match:
        return LineKind.SOURCE, None, match.end()
    return LineKind.TEXT, None, start


def parse_source_line(text: str, start: int, end: int, rest_start: int):
    """Return (Source, glued_span | None) for a source line; glued_span is the commentary
    glued after the URL (or after the name when there is no URL)."""
    match = _SOURCE.match(text, start, end)
    name = (match.group("name") or "").strip(" \t\u3000") if match else ""
    url = domain = None
    glued = None
    url_match = URL_PATTERN.match(text, rest_start, end)
    if url_match:
        url = url_match.group()
        cut = _GLUED_CAPITALS.search(url)
        if cut and url_match.end() < end and not re.search(r"[A-Z]", url[: cut.start()]):
            url = url[: cut.start()]
        url = url.rstrip(".,;:!?)")
        domain = urlsplit(url).hostname
        glued_start = rest_start + len(url)
    else:
        glued_start = rest_start
    while glued_start < end and text[glued_start] in " \t\u3000":
        glued_start += 1
    if glued_start < end:
        if url is None and not name:
            name = text[glued_start:end]  # "出典: 共同通信"
        else:
            glued = (glued_start, end)
    return Source(name or None, url, domain, Span(start, end)), glued
