"""The spaCy Language: the fugashi tokenizer, then one component per stage.

    tokenizer -> jnews_layout -> jnews_entities -> jnews_dates -> jnews_key_points
              -> jnews_keywords -> jnews_summary

Each component declares what it ``requires`` and ``assigns`` (``nlp.analyze_pipes()``
shows them); each is registered under its name and, through the ``spacy_factories`` entry
points, known to ``spacy.load`` in any process. Only config is serialized: the tokenizer's
Tagger and the shipped tables are rebuilt from the installed package.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..dates.component import DATES_COMPONENT
from ..entities import ENTITIES_COMPONENT
from ..entities.component import DEFAULT_MODE as DEFAULT_ENTITIES
from ..keypoints.component import KEY_POINTS_COMPONENT
from ..keypoints.ranking import DEFAULT_KEY_POINTS
from ..keywords.component import KEYWORDS_COMPONENT
from ..keywords.score import DEFAULT_KEYWORDS
from ..layout.component import LAYOUT_COMPONENT
from ..nlp.sentences import split_sentences
from ..nlp.tokenizer import tokenizer_nlp
from .component import SUMMARY_COMPONENT

__all__ = ["make_nlp", "SENTENCES_COMPONENT", "STAGES"]

SENTENCES_COMPONENT = "jnews_sentences"
# after the entities: the stages that make a summary, in the order they run
STAGES = (DATES_COMPONENT, KEY_POINTS_COMPONENT, KEYWORDS_COMPONENT, SUMMARY_COMPONENT)


@Language.component(SENTENCES_COMPONENT, assigns=["token.is_sent_start"])
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts where ``split_sentences`` puts them, so ``doc.sents`` agrees
    with the summary's sentences (quotes and URLs are not split)."""
    starts = {start for start, _ in split_sentences(doc.text)}
    for token in doc:
        token.is_sent_start = token.idx in starts or token.i == 0
    return doc


def make_nlp(*, sentences: bool = False, recycle_after: int = 0, entities: str | None = DEFAULT_ENTITIES,
             summary: bool = True, key_points: int | None = None, keywords: int | None = None,
             document_frequency: str | None = None) -> Language:
    """The pipeline: a Japanese ``Language`` whose tokenizer is fugashi + unidic-lite.

    ``entities``: the entity recognizer's mode (``"accurate"``, the default: gazetteers,
    context rules and the shipped CRF; ``"fast"``: UniDic proper-noun tags instead of the
    CRF; ``None``: no entity component; the summary then recognizes in the default mode). ``summary``: add
    the layout, dates, key points, keywords and summary stages (``doc._.summary``); without
    them only the tokenizer and the entities run. ``key_points`` / ``keywords``: how many
    of each (default 3 and 10); ``document_frequency``: a table file from ``jnews
    keywords-df`` for the keyword and key-point scores (default: the shipped background).
    ``sentences`` adds the sentence-boundary component (the stages do not need it: they
    segment the text themselves)."""
    nlp = tokenizer_nlp(recycle_after)
    if sentences:
        nlp.add_pipe(SENTENCES_COMPONENT)
    if summary:
        nlp.add_pipe(LAYOUT_COMPONENT)
    if entities:
        nlp.add_pipe(ENTITIES_COMPONENT, config={"mode": entities})
    if summary:
        frequency = {"document_frequency": document_frequency}
        nlp.add_pipe(DATES_COMPONENT)
        nlp.add_pipe(KEY_POINTS_COMPONENT, config={
            "key_points": DEFAULT_KEY_POINTS if key_points is None else key_points, **frequency})
        nlp.add_pipe(KEYWORDS_COMPONENT, config={"keywords": DEFAULT_KEYWORDS if keywords is None else keywords,
                                                 **frequency})
        nlp.add_pipe(SUMMARY_COMPONENT)
    return nlp
