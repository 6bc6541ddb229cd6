"""The keywords stage as a spaCy component: ``doc._.keywords``, the article's ``top``
keyphrases as ``{"text", "score"}``, best first (see ``score.extract_keywords``).

Config: ``keywords`` (how many; a Doc's record context may override it) and
``document_frequency`` (the path of a table written by ``jnews keywords-df``; default, the
background table shipped with the package). The table is read once, by the component."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..nlp.stage import Stage, context_value, set_doc_extension
from ..nlp.token_view import shared_view
from ..nlp.tokenizer import doc_text
from .document_frequency import DocumentFrequency
from .score import DEFAULT_KEYWORDS, KeywordCache, extract_keywords

__all__ = ["KEYWORDS_COMPONENT", "KeywordsStage", "FrequencyTable"]

KEYWORDS_COMPONENT = "jnews_keywords"
KEYWORDS = "keywords"
set_doc_extension(KEYWORDS)


class FrequencyTable:
    """The document frequency table a component scores with, kept for the component's life
    (one table, a few MB). Read when the component is made, so a file that is not a table
    fails there (ValueError), not on every article; ``path`` None: the shipped background
    table, which the scorers load once per process."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._table = None if path is None else DocumentFrequency.read(path)

    def get(self) -> DocumentFrequency | None:
        return self._table


class KeywordsStage(Stage):
    def __init__(self, nlp: Language | None = None, name: str = KEYWORDS_COMPONENT, keywords: int = DEFAULT_KEYWORDS,
                 document_frequency: str | None = None) -> None:
        super().__init__(name, {"keywords": keywords, "document_frequency": document_frequency})
        self.frequency = FrequencyTable(document_frequency)
        self.cache = KeywordCache()  # what one article leaves for the next (bounded: see KeywordCache)

    def process(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        article = doc._.article
        doc._.keywords = extract_keywords(text, article, doc, top=context_value(doc, "keywords", self.config["keywords"]),
                                          view=shared_view(text, article, doc),
                                          document_frequency=self.frequency.get(), cache=self.cache)
        return doc


@Language.factory(KEYWORDS_COMPONENT, default_config={"keywords": DEFAULT_KEYWORDS, "document_frequency": None},
                  requires=["doc._.article"], assigns=["doc._.keywords"])
def make_keywords_stage(nlp: Language, name: str, keywords: int, document_frequency: str | None) -> KeywordsStage:
    return KeywordsStage(nlp, name, keywords, document_frequency)
