"""The spaCy component: ``nlp.add_pipe("jnews_entities", config={"mode": "accurate"})``.

Sets ``doc.ents`` (labels from DESIGN.md) with ``span.kb_id_`` = gazetteer id when known,
and ``span._.jnews_canonical`` / ``span._.jnews_role`` (plain strings kept in
``doc.user_data``). A token that holds more than one entity (日米, 対日) is split so each
country gets its own token. The component keeps no state between documents besides a
cache of per-token feature ids.

Modes: ``"accurate"`` (``DEFAULT_MODE``): gazetteers + context rules + the shipped CRF
(``resources/entities/ner_crf.npz``), trained on GSD and Stockmark; ``"fast"``: gazetteers
+ context rules + UniDic proper-noun tags, for text like the news the rules were written
on when time matters more: on the dev splits of other text it finds far fewer names. The
README section "Entities" gives the figures of each (quality on dev splits, speed).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import numpy

from spacy.attrs import LEMMA, MORPH, POS, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..nlp.stage import Stage
from ..nlp.tokenizer import doc_text
from .aliases import with_official_names
from .ids import entity_id
from .rules import Mention, recognize, token_arrays
from ..rule_tables import resource_file

__all__ = ["DEFAULT_MODE", "ENTITIES_COMPONENT", "EntityRecognizer", "MODEL_FILE", "MODES", "load_tagger", "mentions_from_doc"]

ENTITIES_COMPONENT = "jnews_entities"
SEEN_KEY = "jnews_entities_mode"  # doc.user_data: the mode that recognized this doc
MODES = ("fast", "accurate")
DEFAULT_MODE = "accurate"
MODEL_FILE = "ner_crf.npz"

DETAILS_KEY = "jnews_entities"  # doc.user_data: {"start:end": [canonical, role, rule]}


def _detail(position: int):
    def getter(span: Span):
        found = span.doc.user_data.get(DETAILS_KEY, {}).get(f"{span.start_char}:{span.end_char}")
        return found[position] if found else None

    return getter


for _position, _name in enumerate(("jnews_canonical", "jnews_role", "jnews_rule")):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_detail(_position))


@lru_cache(maxsize=1)
def load_tagger():
    """The shipped CRF and the word classes it reads (loaded once per process; read-only
    afterwards): both here, so that a damaged table fails where ``jnews doctor`` looks."""
    from .clusters import load_word_clusters
    from .crf import CrfTagger

    load_word_clusters()
    with resource_file(f"entities/{MODEL_FILE}") as real:
        return CrfTagger.load(real)


class EntityRecognizer(Stage):
    def __init__(self, nlp: Language | None = None, name: str = ENTITIES_COMPONENT, mode: str = DEFAULT_MODE) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown entities mode {mode!r}; choose one of {', '.join(MODES)}")
        super().__init__(name, {"mode": mode})

    @property
    def mode(self) -> str:
        return self.config["mode"]

    def process(self, doc: Doc) -> Doc:
        tagger = load_tagger() if self.mode == "accurate" else None
        text = doc_text(doc)
        arrays = token_arrays(doc)
        mentions = with_official_names(recognize(doc, tagger, text, arrays=arrays), text)
        doc, split = _split_tokens(doc, mentions, text, arrays)
        starts, ends, _ = token_arrays(doc) if split else arrays
        spans, details = [], {}
        if mentions:
            # the last token starting / ending at each boundary, as a dict over the tokens would give
            first = numpy.searchsorted(starts, [m.start for m in mentions], side="right") - 1
            last = numpy.searchsorted(ends, [m.end for m in mentions], side="right") - 1
            found_first = (starts[first] if len(starts) else first).tolist()
            found_last = (ends[last] if len(ends) else last).tolist()
            for m, i, j, at_start, at_end in zip(mentions, first.tolist(), last.tolist(), found_first, found_last):
                if i < 0 or j < 0 or at_start != m.start or at_end != m.end or j + 1 <= i:
                    continue
                spans.append(Span(doc, i, j + 1, label=m.label, kb_id=m.kb_id or ""))
                details[f"{m.start}:{m.end}"] = [m.canonical, m.role, m.rule]
        doc.set_ents(spans, default="outside")
        doc.user_data[SEEN_KEY] = self.mode
        doc.user_data[DETAILS_KEY] = details
        return doc


@Language.factory(ENTITIES_COMPONENT, default_config={"mode": DEFAULT_MODE}, assigns=["doc.ents"], retokenizes=True)
def make_entity_recognizer(nlp: Language, name: str, mode: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, mode)


_RETOKENIZE_MAX = 64


def _split_tokens(doc: Doc, mentions: list[Mention], text: str, arrays) -> tuple[Doc, bool]:
    """Split tokens at entity boundaries that fall inside them (日米 -> 日 + 米); returns the
    Doc (the same one or a rebuilt one) and whether any token was split.

    A few splits go through spaCy's retokenizer; past ``_RETOKENIZE_MAX`` the Doc is rebuilt
    once with the finer tokens (tag, POS, morph and sentence starts copied to every piece,
    each piece its own text as its lemma: the same Doc as the retokenizer's), which stays
    linear on long articles where the retokenizer would shift the token arrays once per split."""
    cuts = sorted({m.start for m in mentions} | {m.end for m in mentions})
    if not cuts or len(doc) == 0:
        return doc, False
    token_starts, token_ends, _ = arrays
    cut_array = numpy.array(cuts, dtype=numpy.int64)
    at = numpy.searchsorted(token_starts, cut_array)
    if numpy.all((token_starts[numpy.minimum(at, len(token_starts) - 1)] == cut_array) | (cut_array == len(text))):
        return doc, False  # every cut is at a token start: the usual case
    # a token is split when the first cut after its start comes before its end
    k = numpy.searchsorted(cut_array, token_starts, side="right")
    inside = (k < len(cuts)) & (cut_array[numpy.minimum(k, len(cuts) - 1)] < token_ends)
    plan = numpy.flatnonzero(inside).tolist()
    if len(plan) <= _RETOKENIZE_MAX:
        # few splits (the usual article): spaCy's retokenizer is cheaper than a rebuild
        with doc.retokenize() as retokenizer:
            for i in plan:
                start, length = int(token_starts[i]), int(token_ends[i] - token_starts[i])
                edges = [start] + [c for c in cuts if start < c < start + length] + [start + length]
                token = doc[i]
                parts = [text[a:b] for a, b in zip(edges, edges[1:])]
                # MORPH given: left out, the pieces after the first took a later token's morph
                retokenizer.split(token, parts, heads=[(token, 0)] * len(parts),
                                  attrs={"TAG": [token.tag_] * len(parts), "POS": [token.pos_] * len(parts),
                                         "MORPH": [str(token.morph)] * len(parts), "LEMMA": parts})
        return doc, bool(plan)
    attrs = [TAG, POS, LEMMA, MORPH, SENT_START, SPACY]
    values = doc.to_array(attrs).reshape(len(doc), len(attrs))
    has_starts = doc.has_annotation("SENT_START")
    offsets = [(start, end - start) for start, end in zip(token_starts.tolist(), token_ends.tolist())]
    words, spaces, rows = [], [], []
    for i, (start, length) in enumerate(offsets):
        end = start + length
        k = bisect_right(cuts, start)
        edges = [start]
        while k < len(cuts) and cuts[k] < end:
            edges.append(cuts[k])
            k += 1
        edges.append(end)
        pieces = len(edges) - 1
        for p, (a, b) in enumerate(zip(edges, edges[1:])):
            words.append(text[a:b])
            last = p == pieces - 1
            spaces.append(bool(values[i, 5]) if last else False)
            row = values[i, :5].copy()
            if pieces > 1:
                row[2] = doc.vocab.strings.add(words[-1])  # each piece its own lemma, as the retokenizer gives it
            if p > 0 and has_starts:
                row[4] = numpy.iinfo(row.dtype).max if row.dtype.kind == "u" else -1  # -1: not a start
            rows.append(row)
    new = Doc(doc.vocab, words=words, spaces=spaces)
    array = numpy.array(rows, dtype="uint64")
    if has_starts:
        new.from_array(attrs[:5], array)
    else:
        new.from_array(attrs[:4], array[:, :4])
    new.user_data.update(doc.user_data)
    new._context = doc._context  # nlp.pipe(..., as_tuples=True) reads it back from the Doc
    return new, True


def mentions_from_doc(doc: Doc, text: str | None = None) -> list[dict]:
    """``doc.ents`` as plain dicts (offsets into ``doc.text``)."""
    text = doc_text(doc) if text is None else text
    details = doc.user_data.get(DETAILS_KEY, {})
    out = []
    for span in doc.ents:
        start, end = span.start_char, span.end_char
        canonical, role, _ = details.get(f"{start}:{end}", (None, None, None))
        canonical = canonical or text[start:end]
        out.append({"text": text[start:end], "label": span.label_, "start": start, "end": end,
                    "canonical": canonical, "role": role, "id": entity_id(span.label_, canonical)})
    return out
