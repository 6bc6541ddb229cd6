"""The summary stage as a spaCy component, last in the pipeline: ``doc._.summary``, the
output contract's dict (DESIGN.md), made from the other stages' extensions and the record
context; for a Doc on which a stage failed, the error record."""

from __future__ import annotations

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from .._version import __version__
from ..entities import entities_field
from ..nlp.dictionary import dictionary_label
from ..nlp.sentences import split_sentences
from ..nlp.stage import Stage, internal_error, record_context, set_doc_extension
from ..nlp.token_view import drop_view
from ..nlp.tokenizer import doc_text
from ..records import SCHEMA_VERSION, error_record
from .consistency import consistency_warnings

__all__ = ["SUMMARY_COMPONENT", "SummaryStage", "summary_of"]

SUMMARY_COMPONENT = "jnews_summary"
SUMMARY = "summary"
set_doc_extension(SUMMARY)


def _span(text: str, span) -> dict | None:
    return None if span is None else {"text": text[span.start:span.end], "start": span.start, "end": span.end}


def _plain(text: str, span) -> str | None:
    return None if span is None else text[span.start:span.end]


def _sections(text: str, article) -> list[dict]:
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


def summary_of(doc: Doc) -> dict:
    """The summary dict of a Doc the other stages have run on."""
    text = doc_text(doc)
    article = doc._.article
    context = record_context(doc)
    entities = entities_field(text, doc, article)
    dates = list(doc._.dates or [])
    return {
        "schema_version": SCHEMA_VERSION,
        "id": context.get("id", "text"),
        "source_path": context.get("source_path"),
        "title": _plain(text, article.title),
        "published": article.published or context.get("published"),
        "sections": _sections(text, article),
        "key_points": list(doc._.key_points or []),
        "takeaways": [_span(text, span) for span in article.takeaways],
        "entities": entities,
        "dates": dates,
        "keywords": list(doc._.keywords or []),
        "stats": {"chars": len(text), "tokens": len(doc) - int(doc.to_array(IS_SPACE).sum()),
                  "sentences": len(split_sentences(text))},
        "warnings": [*context.get("warnings", ()), *article.warnings, *consistency_warnings(text, article, entities, dates)],
        "pipeline": {"version": __version__, "tokenizer": "fugashi", "dictionary": dictionary_label()},
        "meta": dict(context.get("meta") or {}),
    }


class SummaryStage(Stage):
    def __init__(self, nlp: Language | None = None, name: str = SUMMARY_COMPONENT) -> None:
        super().__init__(name)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.error is None:
            try:
                doc._.summary = summary_of(doc)
            except Exception as error:  # this Doc's line says why; the others go on
                doc._.error = internal_error(error)
        if doc._.error is not None:
            context = record_context(doc)
            doc._.summary = error_record(context.get("id", "text"), doc._.error["kind"], doc._.error["message"],
                                         context.get("source_path"))
        drop_view(doc)
        return doc


@Language.factory(SUMMARY_COMPONENT, requires=["doc._.article", "doc._.dates", "doc._.key_points", "doc._.keywords"],
                  assigns=["doc._.summary"])
def make_summary_stage(nlp: Language, name: str) -> SummaryStage:
    return SummaryStage(nlp, name)
