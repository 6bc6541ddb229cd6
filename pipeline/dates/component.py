"""The dates stage as a spaCy component: ``doc._.dates``, the summary's TIMEX3 dates, each
resolved against the anchor in effect where it starts (``anchors.anchor_lookup``: the
section's 公開日, the article's date, the record's ``published``, the reference date)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..nlp.stage import Stage, record_context, set_doc_extension
from ..nlp.tokenizer import doc_text
from .anchors import anchor_lookup
from .engine import extract_dates

__all__ = ["DATES_COMPONENT", "DatesStage"]

DATES_COMPONENT = "jnews_dates"
DATES = "dates"
set_doc_extension(DATES)


class DatesStage(Stage):
    def __init__(self, nlp: Language | None = None, name: str = DATES_COMPONENT) -> None:
        super().__init__(name)

    def process(self, doc: Doc) -> Doc:
        context = record_context(doc)
        anchor_at = anchor_lookup(doc._.article, context.get("published"), context.get("reference_date"))
        doc._.dates = extract_dates(doc_text(doc), anchor_at)
        return doc


@Language.factory(DATES_COMPONENT, requires=["doc._.article"], assigns=["doc._.dates"])
def make_dates_stage(nlp: Language, name: str) -> DatesStage:
    return DatesStage(nlp, name)
