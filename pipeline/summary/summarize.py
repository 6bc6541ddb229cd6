"""Article + Doc -> the summary dict of the output contract (plain data, schema-versioned).

Fields later stages fill (entities, dates, keywords) come from ``extractors``: callables
``(text, article, doc, anchor_at) -> dict of fields``, so adding a stage never changes
this module's shape. An extractor may also have ``pipe(items)``: the same for a list of
such keyword dicts, which ``summarize_batch`` then uses (a stage with steps of its own can
run each step over a whole group).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Callable, Iterable, Iterator, Sequence

from spacy.attrs import IS_SPACE

from .._version import __version__
from ..nlp.dictionary import dictionary_label
from ..layout.article import Article, Span, parse_article
from ..io.reading import Record
from ..nlp.sentences import split_sentences

__all__ = ["SCHEMA_VERSION", "summarize_text", "summarize_record", "summarize_batch", "error_record", "anchor_lookup",
           "Extractor", "GROUP_RECORDS", "GROUP_CHARS", "record_groups", "parse_and_tag"]

SCHEMA_VERSION = "1"
Extractor = Callable[..., dict]


def _span(text: str, span: Span | None) -> dict | None:
    return None if span is None else {"text": text[span.start:span.end], "start": span.start, "end": span.end}


def _plain(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start:span.end]


def anchor_lookup(article: Article, published: str | None, reference_date: str | None) -> Callable[[int], dt.date | None]:
    """offset -> anchor date: the section's 公開日, else the article's date, else the
    record's ``published``, else the reference date (never the wall clock)."""
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


def _sections(text: str, article: Article) -> list[dict]:
    sections = []
    for section in article.sections:
        source = section.source
        sections.append({
            "heading": _plain(text, section.heading),
            "published": section.published,
            "question": _plain(text, section.question),
            "answer": _plain(text, section.answer),
            "key_points": [_span(text, point.span) for point in section.points],
            "source": None if source is None else {"name": source.name, "url": source.url, "domain": source.domain},
            "body": [{**_span(text, b.span), "kind": b.kind} for b in section.body],
        })
    return sections


def summarize_text(text: str, nlp, *, id: str, source_path: str | None = None, published: str | None = None,
                   reference_date: str | None = None, meta: dict | None = None, warnings: Iterable[str] = (),
                   extractors: Iterable[Extractor] = ()) -> dict:
    """One article's summary. ``published`` (the record's date) and ``reference_date`` anchor
    relative dates when the text itself carries no date."""
    article = parse_article(text)
    doc = nlp(text)
    anchor_at = anchor_lookup(article, published, reference_date)
    extracted = _extracted()
    for extractor in extractors:
        extracted.update(extractor(text=text, article=article, doc=doc, anchor_at=anchor_at))
    return _summary(text, article, doc, extracted, id=id, source_path=source_path, published=published, meta=meta,
                    warnings=warnings)


def _extracted() -> dict:
    return {"entities": [], "dates": [], "keywords": []}


def _summary(text: str, article: Article, doc, extracted: dict, *, id: str, source_path: str | None,
             published: str | None, meta: dict | None, warnings: Iterable[str]) -> dict:
    key_points = [
        {**_span(text, point.span), "section": number, "marker": point.marker, "extracted": False}
        for number, section in enumerate(article.sections) for point in section.points
    ]
    if not key_points:  # no marked points: the summarizer's (keypoints/ranking.py), extracted=true
        key_points = list(extracted.get("key_points", []))
    return {
        "schema_version": SCHEMA_VERSION,
        "id": id,
        "source_path": source_path,
        "title": _plain(text, article.title),
        "published": article.published or published,
        "sections": _sections(text, article),
        "key_points": key_points,
        "takeaways": [_span(text, span) for span in article.takeaways],
        "entities": extracted["entities"],
        "dates": extracted["dates"],
        "keywords": extracted["keywords"],
        "stats": {"chars": len(text), "tokens": len(doc) - int(doc.to_array(IS_SPACE).sum()),
                  "sentences": len(split_sentences(text))},
        "warnings": [*warnings, *article.warnings],
        "pipeline": {"version": __version__, "tokenizer": "fugashi", "dictionary": dictionary_label()},
        "meta": dict(meta or {}),
    }


def error_record(record_id: str, kind: str, message: str, source_path: str | None = None) -> dict:
    return {"schema_version": SCHEMA_VERSION, "id": record_id, "source_path": source_path,
            "error": {"kind": kind, "message": message}}


def summarize_record(record: Record, nlp, *, reference_date: str | None = None,
                     extractors: Iterable[Extractor] = ()) -> dict:
    """A summary, or an error record: exactly one output object per input record."""
    if record.error is not None:
        return error_record(record.id, *record.error, source_path=record.source_path)
    try:
        return summarize_text(record.text, nlp, id=record.id, source_path=record.source_path,
                              published=record.published, reference_date=reference_date, meta=record.meta,
                              warnings=record.warnings, extractors=extractors)
    except Exception as error:  # one bad article must not stop a batch; its line says why
        return error_record(record.id, "internal_error", f"{type(error).__name__}: {error}", record.source_path)


# Articles summarized stage by stage together: each stage's code and tables then stay in the
# CPU caches across the group, instead of being evicted by the tagger and the other stages
# between two uses (measured: the whole pipeline about 20% faster, key points and keywords
# about 40%). The character cap bounds the Docs alive at once (0.3-0.8 KB per character).
GROUP_RECORDS = 16
GROUP_CHARS = 50_000


def summarize_batch(records: Sequence[Record], nlp, *, reference_date: str | None = None,
                    extractors: Iterable[Extractor] = ()) -> list[dict]:
    """``[summarize_record(record, ...) for record in records]``: the same dicts, made stage
    by stage over small groups of articles. A group in which any stage raises is made again
    record by record, so every record gets exactly what ``summarize_record`` gives it."""
    extractors = list(extractors)
    summaries: list[dict] = []
    for group in record_groups(records):
        try:
            summaries += _summarize_group(group, nlp, reference_date, extractors)
        except Exception:  # find the record that fails, and give it its error record
            summaries += [summarize_record(record, nlp, reference_date=reference_date, extractors=extractors)
                          for record in group]
    return summaries


def record_groups(records: Sequence[Record]) -> Iterator[Sequence[Record]]:
    """Consecutive records, at most GROUP_RECORDS of them and about GROUP_CHARS characters
    (a longer article alone)."""
    start = size = 0
    for end, record in enumerate(records):
        length = len(record.text) if record.error is None and record.text else 0
        if end > start and (end - start >= GROUP_RECORDS or size + length > GROUP_CHARS):
            yield records[start:end]
            start, size = end, 0
        size += length
    if start < len(records):
        yield records[start:]


def parse_and_tag(texts: Sequence[str], nlp) -> tuple[list[Article], list]:
    """``[parse_article(text) for text in texts], [nlp(text) for text in texts]``, one stage
    (layout, tokenizer, each component) at a time over all the texts."""
    articles = [parse_article(text) for text in texts]
    docs = [nlp.make_doc(text) for text in texts]  # what nlp(text) does, one component at a time
    for _, component in nlp.pipeline:
        docs = [component(doc) for doc in docs]
    return articles, docs


def _summarize_group(group: Sequence[Record], nlp, reference_date: str | None, extractors: list[Extractor]) -> list[dict]:
    live = [record for record in group if record.error is None]
    if not live:
        return [error_record(record.id, *record.error, source_path=record.source_path) for record in group]
    texts = [record.text for record in live]
    articles, docs = parse_and_tag(texts, nlp)
    anchors = [anchor_lookup(article, record.published, reference_date) for record, article in zip(live, articles)]
    extracted = [_extracted() for _ in live]
    items = [{"text": text, "article": article, "doc": doc, "anchor_at": anchor_at}
             for text, article, doc, anchor_at in zip(texts, articles, docs, anchors)]
    for extractor in extractors:
        pipe = getattr(extractor, "pipe", None)
        results = pipe(items) if pipe is not None else [extractor(**item) for item in items]
        for fields, result in zip(extracted, results, strict=True):
            fields.update(result)
    made = iter([_summary(text, article, doc, fields, id=record.id, source_path=record.source_path,
                          published=record.published, meta=record.meta, warnings=record.warnings)
                 for record, text, article, doc, fields in zip(live, texts, articles, docs, extracted)])
    return [next(made) if record.error is None else
            error_record(record.id, *record.error, source_path=record.source_path) for record in group]
