"""An article's tokens as numpy arrays, for the keyword and key-point stages.

``content_view(text, article, doc)`` reads the Doc once (offsets, UniDic tag class, lemma
and surface hashes, the entity stage's ``doc.ents``) and marks which tokens lie in the
article's content: title, lead, headings, questions, answers, points, takeaways and body
sentences that are not ``boilerplate``; never a URL.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LEMMA, LENGTH, ORTH, TAG

from .sentences import URL_PATTERN

__all__ = ["ContentView", "content_view", "shared_view", "drop_view", "VIEW_KEY", "content_spans", "tag_class", "class_mask", "NOUN", "PROPER", "NUM",
           "PREFIX", "SUFFIX", "COUNTER", "ADVNOUN", "VERB", "ADJ", "OTHER", "VNOUN", "ANOUN", "DOT",
           "COMPOUND_CLASSES", "HEAD_CLASSES", "SIMILARITY_CLASSES", "COMPOUND_MASK", "SIMILARITY_MASK"]

# Token classes, from the UniDic tag (pos1-pos2-pos3-pos4).
NOUN, PROPER, NUM, PREFIX, SUFFIX, COUNTER, ADVNOUN, VERB, ADJ, OTHER, VNOUN, ANOUN, DOT = range(13)
COMPOUND_CLASSES = frozenset({NOUN, VNOUN, ANOUN, PROPER, PREFIX, SUFFIX, COUNTER})  # numbers split compounds
HEAD_CLASSES = frozenset({NOUN, VNOUN, ANOUN, PROPER})
SIMILARITY_CLASSES = frozenset({NOUN, VNOUN, ANOUN, PROPER, VERB, ADJ})  # content words for sentence overlap


def class_mask(classes_wanted) -> numpy.ndarray:
    """A lookup table: ``class_mask(X)[view.classes]`` is ``numpy.isin(view.classes, X)``, faster."""
    mask = numpy.zeros(16, dtype=bool)
    mask[list(classes_wanted)] = True
    return mask


COMPOUND_MASK, SIMILARITY_MASK = class_mask(COMPOUND_CLASSES), class_mask(SIMILARITY_CLASSES)


def tag_class(tag: str) -> int:
    if tag.startswith("名詞-固有名詞"):
        return PROPER
    if tag == "名詞-数詞":
        return NUM
    if tag == "名詞-普通名詞-副詞可能":
        return ADVNOUN
    if tag == "名詞-普通名詞-助数詞可能":
        return COUNTER
    if tag.startswith("名詞-普通名詞-サ変"):
        return VNOUN
    if tag == "名詞-普通名詞-形状詞可能":
        return ANOUN
    if tag.startswith("名詞"):
        return NOUN
    if tag.startswith("接頭辞"):
        return PREFIX
    if tag.startswith("接尾辞-名詞的"):
        return SUFFIX
    if tag == "動詞-一般":
        return VERB
    if tag in ("形容詞-一般", "形状詞-一般"):
        return ADJ
    return OTHER


class _SortedTagClasses:
    """Token class by UniDic tag hash for a whole array at once: a sorted table of the tags
    seen so far (a few hundred at most) and searchsorted, instead of a dict lookup per token."""

    def __init__(self) -> None:
        self.hashes = numpy.zeros(0, dtype=numpy.uint64)
        self.classes = numpy.zeros(0, dtype=numpy.int8)
        # the hashes with a 0 after them: a tag above all hashes finds 0 there, never itself
        # (a tag of hash 0 sorts first, so it can only land after them when there are none)
        self.padded = numpy.zeros(1, dtype=numpy.uint64)

    def lookup(self, tags: numpy.ndarray, strings) -> numpy.ndarray:
        at = self.hashes.searchsorted(tags)
        hit = self.padded[at] == tags if len(self.hashes) else numpy.zeros(len(tags), dtype=bool)
        if not hit.all():
            missing = numpy.unique(tags[~hit])
            hashes = numpy.concatenate([self.hashes, missing])
            classes = numpy.concatenate([self.classes, numpy.array([tag_class(strings[h]) for h in missing.tolist()],
                                                                   dtype=numpy.int8)])
            order = numpy.argsort(hashes, kind="stable")
            self.hashes, self.classes = hashes[order], classes[order]
            self.padded = numpy.append(self.hashes, numpy.uint64(0))
            at = numpy.searchsorted(self.hashes, tags)
        return self.classes[at]


_TAG_CLASSES = _SortedTagClasses()


def nfkc_text(surface: str) -> str:
    return unicodedata.normalize("NFKC", surface)


@dataclass
class ContentView:
    """The tokens of a Doc as arrays: char start/end, class, lemma and surface hashes, and
    whether the token lies in the article's content (not boilerplate, not a URL, not structure)."""
    starts: numpy.ndarray
    ends: numpy.ndarray
    classes: numpy.ndarray
    lemmas: numpy.ndarray
    allowed: numpy.ndarray
    title: tuple[int, int] | None = None
    orths: numpy.ndarray | None = None
    # doc.ents, read without Span objects: first and end token of each entity (None when
    # there are none) and its label's hash
    entity_tokens: tuple[numpy.ndarray, numpy.ndarray] | None = None
    entity_labels: numpy.ndarray | None = None


def content_spans(article) -> list[tuple[int, int]]:
    """Spans of the article that carry content (sorted): title, lead, headings, questions,
    answers, points, takeaways and non-boilerplate body sentences."""
    spans: list[tuple[int, int]] = []
    for span in (article.title, article.lead if article.is_aggregator else None):
        if span is not None:
            spans.append((span.start, span.end))
    for section in article.sections:
        for span in (section.heading, section.question, section.answer):
            if span is not None:
                spans.append((span.start, span.end))
        spans.extend((p.span.start, p.span.end) for p in section.points)
        spans.extend((b.span.start, b.span.end) for b in section.body if b.kind != "boilerplate")
    spans.extend((s.start, s.end) for s in article.takeaways)
    return sorted(set(spans))


def _inside(starts: numpy.ndarray, ends: numpy.ndarray, spans: list[tuple[int, int]]) -> numpy.ndarray:
    if not spans:
        return numpy.zeros(len(starts), dtype=bool)
    lows = numpy.array([s for s, _ in spans])
    highs = numpy.array([e for _, e in spans])
    # spans may nest (a lead holds no body here, but be safe): use the running max of ends
    highs = numpy.maximum.accumulate(highs)
    where = numpy.searchsorted(lows, starts, side="right") - 1
    return (where >= 0) & (ends <= highs[numpy.clip(where, 0, None)])


def content_view(text: str, article, doc) -> ContentView:
    array = doc.to_array([IDX, LENGTH, TAG, LEMMA, ENT_IOB, ENT_TYPE, ORTH])
    if len(array) == 0:
        empty = numpy.zeros(0, dtype=numpy.int64)
        hashes = numpy.zeros(0, dtype=numpy.uint64)
        return ContentView(empty, empty, empty, hashes, numpy.zeros(0, dtype=bool), orths=hashes)
    starts = array[:, 0].astype(numpy.int64)
    ends = starts + array[:, 1].astype(numpy.int64)
    strings = doc.vocab.strings
    classes = _TAG_CLASSES.lookup(array[:, 2], strings)
    allowed = _inside(starts, ends, content_spans(article))
    urls = [m.span() for m in URL_PATTERN.finditer(text)] if "http" in text else []
    if urls:
        allowed &= ~_inside(starts, ends, urls)
    title = (article.title.start, article.title.end) if article.title else None
    entity_tokens = _entity_tokens(array[:, 4])
    labels = None if entity_tokens is None else array[entity_tokens[0], 5]
    return ContentView(starts, ends, classes, array[:, 3], allowed, title, array[:, 6], entity_tokens, labels)


def _entity_tokens(iob: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray] | None:
    firsts = numpy.nonzero(iob == 3)[0]  # 3 = B, 1 = I
    if not len(firsts):
        return None
    outside = numpy.nonzero(iob != 1)[0]
    # a B token is "outside" too; an entity that runs to the end of the doc has no break after it
    breaks = numpy.append(outside, len(iob))
    return firsts, breaks[numpy.searchsorted(breaks, firsts, side="right")]


# The key points and keywords stages both read the content view of a Doc: the first to need
# it makes it and leaves it in doc.user_data for the other (one pass over the tokens instead
# of two); the summary stage drops it. It is a cache, made again from the Doc at will, so
# Doc.to_bytes writes it as nothing (the encoder below) rather than shipping its arrays.
VIEW_KEY = "jnews.content_view"


def shared_view(text: str, article, doc) -> ContentView:
    """``content_view(text, article, doc)``, made once per Doc (see VIEW_KEY)."""
    view = doc.user_data.get(VIEW_KEY)
    if not isinstance(view, ContentView):
        view = doc.user_data[VIEW_KEY] = content_view(text, article, doc)
    return view


def drop_view(doc) -> None:
    doc.user_data.pop(VIEW_KEY, None)


@srsly.msgpack_encoders("jnews.content_view")
def _encode_view(obj, chain=None):
    if isinstance(obj, ContentView):
        return None
    return obj if chain is None else chain(obj)
