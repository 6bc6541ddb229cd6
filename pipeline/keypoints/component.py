"""The key points stage as a spaCy component: ``doc._.key_points``, the summary's
``key_points``: the article's marked points (✅ and the like, ``extracted`` false) or, when
it has none, its ``key_points`` best sentences (``ranking.extract_key_points``, ``extracted``
true). Runs after the entities stage: the ranking reads ``doc.ents``.

Config: ``key_points`` (how many to extract; a Doc's record context may override it) and
``document_frequency`` (as the keywords stage's)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..keywords.component import FrequencyTable
from ..nlp.stage import Stage, context_value, set_doc_extension
from ..nlp.token_view import shared_view
from ..nlp.tokenizer import doc_text
from .ranking import DEFAULT_KEY_POINTS, LemmaIdf, extract_key_points

__all__ = ["KEY_POINTS_COMPONENT", "KeyPointsStage", "marked_points"]

KEY_POINTS_COMPONENT = "jnews_key_points"
KEY_POINTS = "key_points"
set_doc_extension(KEY_POINTS)


def marked_points(text: str, article) -> list[dict]:
    """The article's own points, as summary ``key_points`` items."""
    return [{"text": text[point.span.start:point.span.end], "start": point.span.start, "end": point.span.end,
             "section": number, "marker": point.marker, "extracted": False}
            for number, section in enumerate(article.sections) for point in section.points]


class KeyPointsStage(Stage):
    def __init__(self, nlp: Language | None = None, name: str = KEY_POINTS_COMPONENT,
                 key_points: int = DEFAULT_KEY_POINTS, document_frequency: str | None = None) -> None:
        super().__init__(name, {"key_points": key_points, "document_frequency": document_frequency})
        self.frequency = FrequencyTable(document_frequency)
        self.lemma_idf = LemmaIdf()  # bounded: see LemmaIdf

    def process(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        article = doc._.article
        points = marked_points(text, article)
        if not points:
            points = extract_key_points(text, article, doc, view=shared_view(text, article, doc),
                                        k=context_value(doc, "key_points", self.config["key_points"]),
                                        document_frequency=self.frequency.get(), lemma_idf=self.lemma_idf)
        doc._.key_points = points
        return doc


@Language.factory(KEY_POINTS_COMPONENT, default_config={"key_points": DEFAULT_KEY_POINTS, "document_frequency": None},
                  requires=["doc._.article", "doc.ents"], assigns=["doc._.key_points"])
def make_key_points_stage(nlp: Language, name: str, key_points: int, document_frequency: str | None) -> KeyPointsStage:
    return KeyPointsStage(nlp, name, key_points, document_frequency)
