"""Records -> summary dicts of the output contract, through the pipeline's components.

Every way to a summary runs the same thing: a Doc made with the record's context
(``record_doc``), then ``nlp.pipe``, whose stages run one group of articles at a time
(``pipeline.nlp.stage``); the summary is ``doc._.summary``. A record that could not be
read (``record.error``) passes through as an empty Doc that carries its error, so the
output keeps one line per input record, in order.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.tokens import Doc

from ..io.reading import Record
from ..nlp.stage import GROUP_CHARS, GROUP_ITEMS, groups, make_doc
from ..records import SCHEMA_VERSION, error_record
from .component import SUMMARY_COMPONENT

__all__ = ["SCHEMA_VERSION", "summarize_text", "summarize_record", "summarize_batch", "summarize_records",
           "record_doc", "error_record", "GROUP_RECORDS", "GROUP_CHARS", "record_groups"]

GROUP_RECORDS = GROUP_ITEMS


def _check(nlp) -> None:
    if SUMMARY_COMPONENT not in nlp.pipe_names:
        raise ValueError(f"this pipeline has no {SUMMARY_COMPONENT!r} component; make it with pipeline.make_nlp()")


def record_doc(nlp, record: Record, *, reference_date: str | None = None) -> Doc:
    """The Doc of a record, with its context (``doc._.record``); for a record that could
    not be read, an empty Doc whose ``doc._.error`` says why."""
    if record.error is not None:
        doc = Doc(nlp.vocab, words=[])
        doc._.record = {"id": record.id, "source_path": record.source_path}
        doc._.error = {"kind": record.error[0], "message": record.error[1]}
        return doc
    return make_doc(nlp, record.text, id=record.id, source_path=record.source_path, published=record.published,
                    reference_date=reference_date, meta=record.meta, warnings=record.warnings)


def summarize_records(records: Iterable[Record], nlp, *, reference_date: str | None = None) -> Iterator[dict]:
    """One summary or error record per record, in order, as they are made (memory: the
    group of Docs in flight, ``GROUP_CHARS`` characters at most besides one longer article)."""
    _check(nlp)
    for doc in nlp.pipe(record_doc(nlp, record, reference_date=reference_date) for record in records):
        yield doc._.summary


def summarize_batch(records: Iterable[Record], nlp, *, reference_date: str | None = None) -> list[dict]:
    """``list(summarize_records(...))``."""
    return list(summarize_records(records, nlp, reference_date=reference_date))


def summarize_record(record: Record, nlp, *, reference_date: str | None = None) -> dict:
    """A summary, or an error record: exactly one output object per input record."""
    return summarize_batch([record], nlp, reference_date=reference_date)[0]


def summarize_text(text: str, nlp, *, id: str, source_path: str | None = None, published: str | None = None,
                   reference_date: str | None = None, meta: dict | None = None, warnings: Iterable[str] = (),
                   key_points: int | None = None, keywords: int | None = None) -> dict:
    """One article's summary. ``published`` (the record's date) and ``reference_date`` anchor
    relative dates when the text itself carries no date; ``key_points`` / ``keywords``
    override the pipeline's counts for this text."""
    _check(nlp)
    doc = make_doc(nlp, text, id=id, source_path=source_path, published=published, reference_date=reference_date,
                   meta=meta, warnings=warnings, key_points=key_points, keywords=keywords)
    return nlp(doc)._.summary


def record_groups(records: Iterable[Record]) -> Iterator[list[Record]]:
    """Consecutive records grouped as the stages group their Docs (``stage.groups``)."""
    return groups(records, lambda record: len(record.text) if record.error is None and record.text else 0)
