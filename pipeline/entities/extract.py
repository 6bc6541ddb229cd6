"""The summary's ``entities`` field.

Entities inside a URL, inside a section's source line (``さらに読む ⇒ … 出典/画像元:
URL``) or inside publisher boilerplate (``■関連記事`` lists, credits, shop data: see
``boilerplate.py``) are left out: they are not what the article is about. Commentary glued
after a source URL is ordinary text.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from ..nlp.tokenizer import doc_text
from .component import SEEN_KEY as _SEEN_KEY, mentions_from_doc
from ..nlp.sentences import URL_PATTERN

__all__ = ["summary_entities", "entities_field", "excluded_ranges"]


def excluded_ranges(text: str, article=None) -> list[tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in URL_PATTERN.finditer(text)]
    for section in getattr(article, "sections", None) or ():
        source = getattr(section, "source", None)
        if source is not None and source.span is not None:
            # the prefix and the URL; commentary glued after the URL is ordinary text
            start, end = source.span.start, source.span.end
            url = URL_PATTERN.search(text, start, end)
            ranges.append((start, url.end() if url else end))
    if article is not None:
        from ..layout.boilerplate import boilerplate_spans

        ranges.extend(boilerplate_spans(article))
    return ranges


def _overlap_test(ranges: list[tuple[int, int]]):
    """``(start, end) -> any(start < b and a < end for a, b in ranges)`` by bisection: the
    ranges that begin before ``end`` are a prefix of them sorted by beginning, and one of
    them overlaps when the furthest end among them is past ``start``. (Asked of every
    mention, the scan was quadratic on an article of thousands of source lines.)"""
    ranges = sorted(ranges)
    begins = [a for a, _ in ranges]
    furthest = list(accumulate((b for _, b in ranges), max))

    def overlaps(start: int, end: int) -> bool:
        k = bisect_left(begins, end)
        return k > 0 and furthest[k - 1] > start

    return overlaps


def summary_entities(text: str, doc, article=None) -> list[dict]:
    """[{"text", "label", "start", "end", "canonical", "role"}] sorted by offset, with
    ``text == text[start:end]``. ``doc`` must come from an nlp with the entity component."""
    overlaps = _overlap_test(excluded_ranges(text, article))
    out = []
    if doc_text(doc) != text:
        raise ValueError("the doc was not made from this text")
    for item in mentions_from_doc(doc, text):
        start, end = item["start"], item["end"]
        if overlaps(start, end):
            continue
        if text[start:end] != item["text"]:
            continue  # the doc was not made from this text
        out.append(item)
    out.sort(key=lambda e: (e["start"], e["end"]))
    return out


def entities_field(text: str, doc, article=None) -> list[dict]:
    """The summary's ``entities``. A Doc no entity component has seen is recognized here,
    in the default mode."""
    if not doc.ents and not doc.user_data.get(_SEEN_KEY):
        from .component import EntityRecognizer

        doc = EntityRecognizer().process(doc)
    return summary_entities(text, doc, article)
