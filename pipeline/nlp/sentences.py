"""Japanese sentence segmentation with character offsets.

Sentences end at 。！？!? (a run of them, e.g. ？！, stays with its sentence) and at line
ends. Terminators inside 「」『』（）() and inside URLs do not end a sentence: quoted
speech in news often holds several sentences (GiNZA #248). Brackets are counted per
line, so one unbalanced bracket cannot swallow the rest of the article.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "URL_PATTERN"]

URL_PATTERN = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_OPENERS = "「『（(【〈《"
_CLOSERS = "」』）)】〉》"
_TERMINATORS = "。！？!?．"
_EVENTS = re.compile(r"https?://|[。！？!?．\n「『（(【〈《」』）)】〉》]")
_SPACE = " \t\r\n\u3000"


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return (start, end) if start < end else None


def _ends_sentence(text: str, i: int) -> bool:
    char = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if char in "!?" and prev.isascii() and prev.isalpha() and nxt and not nxt.isspace() and nxt not in _TERMINATORS:
        return False  # Yahoo!ニュース: part of a name, not a sentence end
    if char == "．" and prev.isdigit() and nxt.isdigit():
        return False  # full-width decimal point
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return [start, end) spans of the sentences in ``text[start:end]``, trimmed of
    surrounding whitespace; offsets index ``text``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sentence_start = start
    depth = 0
    position = start
    while position < end:
        match = _EVENTS.search(text, position, end)
        if match is None:
            break
        i = match.start()
        token = match.group()
        position = match.end()
        if token.startswith("http"):
            url = URL_PATTERN.match(text, i, end)
            position = url.end() if url else position
        elif token == "\n":
            depth = 0
            span = _trim(text, sentence_start, i)
            if span:
                spans.append(span)
            sentence_start = i + 1
        elif token in _OPENERS:
            depth += 1
        elif token in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and _ends_sentence(text, i):
            while position < end and text[position] in _TERMINATORS:
                position += 1
            while position < end and text[position] in _CLOSERS:
                position += 1
            span = _trim(text, sentence_start, position)
            if span:
                spans.append(span)
            sentence_start = position
    span = _trim(text, sentence_start, end)
    if span:
        spans.append(span)
    return spans
