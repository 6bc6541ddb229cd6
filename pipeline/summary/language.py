"""The spaCy Language: fugashi tokenizer plus our (small, stateless) components."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..nlp.sentences import split_sentences
from ..nlp.tokenizer import tokenizer_nlp

__all__ = ["make_nlp", "SENTENCES_COMPONENT"]

SENTENCES_COMPONENT = "jnews_sentences"


@Language.component(SENTENCES_COMPONENT, assigns=["token.is_sent_start"])
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts where ``split_sentences`` puts them, so ``doc.sents`` agrees
    with the summary's sentences (quotes and URLs are not split)."""
    starts = {start for start, _ in split_sentences(doc.text)}
    for token in doc:
        token.is_sent_start = token.idx in starts or token.i == 0
    return doc


def make_nlp(*, sentences: bool = False, recycle_after: int = 0, entities: str | None = "fast") -> Language:
    """A Japanese ``Language`` whose tokenizer is fugashi + unidic-lite.

    ``sentences`` adds the sentence-boundary component (the summarizer does not need it:
    it segments the text itself). ``entities`` adds the entity recognizer in that mode
    (``"fast"``: gazetteers, context rules and UniDic proper-noun tags; ``"accurate"``: the
    same plus the shipped CRF; ``None``: no entities); see ``pipeline.entities``."""
    nlp = tokenizer_nlp(recycle_after)
    if sentences:
        nlp.add_pipe(SENTENCES_COMPONENT)
    if entities:
        from ..entities import ENTITIES_COMPONENT

        nlp.add_pipe(ENTITIES_COMPONENT, config={"mode": entities})
    return nlp
