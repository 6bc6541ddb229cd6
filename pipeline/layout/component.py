"""The layout stage as a spaCy component: ``doc._.article`` = ``parse_article(doc.text)``.

The Article is plain dataclasses; a msgpack encoder (and its decoder) turns them into
tagged dicts and back, so ``Doc.to_bytes`` / ``nlp.pipe(..., n_process=2)`` carry
``doc._.article`` across processes unchanged. Decoding builds only our own dataclasses
from their fields: no code is loaded from the bytes.
"""

from __future__ import annotations

import dataclasses

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..nlp.stage import Stage, record_context, set_doc_extension
from ..nlp.tokenizer import doc_text
from .article import parse_article
from .parts import Article, BodySentence, Point, Section, Source, Span

__all__ = ["LAYOUT_COMPONENT", "LayoutStage"]

LAYOUT_COMPONENT = "jnews_layout"
ARTICLE = "article"
set_doc_extension(ARTICLE)

_TAG = "__jnews_layout__"
_TYPES = {cls.__name__: cls for cls in (Article, Section, Span, Point, Source, BodySentence)}


@srsly.msgpack_encoders(_TAG)
def _encode(obj, chain=None):
    if type(obj) in _TYPES.values():
        return {_TAG: type(obj).__name__, **{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}}
    return obj if chain is None else chain(obj)


@srsly.msgpack_decoders(_TAG)
def _decode(obj, chain=None):
    if isinstance(obj, dict) and _TAG in obj:
        fields = dict(obj)
        return _TYPES[fields.pop(_TAG)](**fields)
    return obj if chain is None else chain(obj)


class LayoutStage(Stage):
    """Title, lead, sections, points, sources, body sentences and takeaways of the text."""

    def __init__(self, nlp: Language | None = None, name: str = LAYOUT_COMPONENT) -> None:
        super().__init__(name)

    def process(self, doc: Doc) -> Doc:
        record_context(doc)  # the first stage: an as_tuples context becomes doc._.record
        doc._.article = parse_article(doc_text(doc))
        return doc


@Language.factory(LAYOUT_COMPONENT, assigns=["doc._.article"])
def make_layout_stage(nlp: Language, name: str) -> LayoutStage:
    return LayoutStage(nlp, name)
