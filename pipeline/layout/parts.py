"""What an Article is made of (plain frozen data, character offsets into the text as decoded),
and the line splitter every layout step shares. Imports nothing of the layout, so the
steps (markers, boilerplate, body kinds) and the parser can all stand on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Article", "Section", "Span", "Point", "Source", "BodySentence", "line_spans"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Point:
    span: Span
    marker: str


@dataclass(frozen=True)
class Source:
    name: str | None
    url: str | None
    domain: str | None
    span: Span


@dataclass(frozen=True)
class BodySentence:
    span: Span
    kind: str


@dataclass
class Section:
    start: int
    end: int
    heading: Span | None = None
    question: Span | None = None
    answer: Span | None = None
    published: str | None = None
    published_span: Span | None = None
    points: list[Point] = field(default_factory=list)
    source: Source | None = None
    body: list[BodySentence] = field(default_factory=list)


@dataclass
class Article:
    text: str
    title: Span | None = None
    lead: Span | None = None
    published: str | None = None
    dateline: Span | None = None
    sections: list[Section] = field(default_factory=list)
    takeaways: list[Span] = field(default_factory=list)
    is_aggregator: bool = False
    warnings: list[str] = field(default_factory=list)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRIM = " \t\u3000\r\n\ufeff"


def line_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line (CRLF, CR or LF ends one), surrounding whitespace trimmed;
    a blank line is an empty span."""
    spans, start = [], 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        s, e = start, end
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        spans.append((s, e))
        if match is None:
            break
        start = match.end()
    return spans
