"""What one run of compound-internal tokens yields as keyword candidates (its *template*),
and the cache of the templates of the distinct runs seen so far (``KeywordCache``).

A template (keys, display texts, offsets in the run, factors, background idf) depends only on
the run's surfaces, lemmas and classes, so ``keyword_candidates`` works it out once per
distinct run and keeps it here as flat numpy arrays, which an article's candidates gather.
"""

from __future__ import annotations

import math

import numpy

from ..entities.mention import HONORIFICS
from .document_frequency import DocumentFrequency
from ..nlp.token_view import ADJ, ANOUN, COUNTER, HEAD_CLASSES, NUM, PREFIX, PROPER, SUFFIX, VNOUN, nfkc_text
from ..rule_tables import read_lines

__all__ = ["STOPWORDS", "KeywordCache"]

STOPWORDS_PATH = "keywords/stopwords.txt"
_MAX_COMPOUND = 5       # tokens in a noun compound
_COMPOUND_BONUS = 0.5   # idf bonus per doubling of a compound's length
_SINGLE_FACTOR = {VNOUN: 0.7, ANOUN: 0.0}  # a verbal noun alone is a weaker keyword; 好調, 重要 alone are none
_HONORIFICS = HONORIFICS | {"くん"}  # a run does not end in one


def _load_stopwords() -> frozenset[str]:
    return frozenset(nfkc_text(word) for word in read_lines(STOPWORDS_PATH))


STOPWORDS = _load_stopwords()


_CACHE_LIMIT = 200_000


def is_katakana(char: str) -> bool:
    return bool(char) and ("\u30a1" <= char <= "\u30fa" or char == "ー")


def run_templates(text: str, strings, classes: list[int], starts: list[int], ends: list[int], lemma_hashes: list[int],
                   origin: int, background: DocumentFrequency, cache: "KeywordCache") -> tuple:
    """The candidates one run of compound-internal tokens yields, with offsets relative to the
    run's start: (key, display, parts, start, factor, alone, background idf). Cached per
    distinct run."""
    surface_of = lambda k: text[origin + starts[k]:origin + ends[k]]  # noqa: E731
    low, high = 0, len(classes)  # the run is range(low, high) once its ends are trimmed
    while low < high and (classes[low] in (SUFFIX, COUNTER, NUM) or surface_of(low) == "・"):
        low += 1
    while low < high and (classes[high - 1] in (PREFIX, NUM, ADJ) or surface_of(high - 1) in _HONORIFICS):
        high -= 1
    run = range(low, high)
    heads = [k for k in run if classes[k] in HEAD_CLASSES]
    if not heads:
        return ()
    head_or_prefix = HEAD_CLASSES | {PREFIX}
    whole_is_candidate = 2 <= len(run) <= _MAX_COMPOUND and classes[run[0]] in head_or_prefix
    lemmas = {k: cache.lemma(strings, lemma_hashes[k]) for k in heads}
    items = []
    for k in heads:  # single nouns
        factor = _SINGLE_FACTOR.get(classes[k], 1.0)
        if factor == 0.0:
            continue
        surface = surface_of(k)
        key = cache.normed(surface)
        if key in STOPWORDS or (len(key) < 2 and classes[k] != PROPER) or key.isdigit():
            continue
        parts = (lemmas[k],)
        items.append((key, surface, parts, starts[k], factor, len(run) == 1 or not whole_is_candidate,
                      phrase_idf(parts, key, background)))
    if len(run) >= 2:
        # the run and its head-final tails (国内スマホ出荷台数 -> スマホ出荷台数, 出荷台数)
        # only the tails of at most _MAX_COMPOUND tokens: a run of thousands of nouns
        # (aaaa…, 第第第…) stays linear
        for first in range(max(0, len(run) - _MAX_COMPOUND), len(run) - 1):
            tail = run[first:]
            if classes[tail[0]] not in head_or_prefix:
                continue
            if first and is_katakana(text[origin + starts[tail[0]] - 1]) and is_katakana(text[origin + starts[tail[0]]]):
                continue  # スマート|フォン: one foreign word split in two, not a compound boundary
            start, end = starts[tail[0]], ends[tail[-1]]
            surface = text[origin + start:origin + end]
            key = cache.normed(surface)
            if key not in STOPWORDS:
                parts = tuple(lemmas[k] for k in tail if k in lemmas)
                items.append((key, surface, parts, start, 1.0, first == 0 or not whole_is_candidate,
                              phrase_idf(parts, key, background)))
    return tuple(items)


def phrase_idf(parts: tuple[str, ...], key: str, df: DocumentFrequency) -> float:
    if len(parts) <= 1 and key in df.counts:
        return df.idf(key)
    if key in df.counts:  # a batch counted this phrase itself
        return df.idf(key)
    parts = [df.idf(p) for p in parts] or [df.idf(key)]
    return sum(parts) / len(parts) + _COMPOUND_BONUS * math.log2(max(len(parts), 1))


# ---------------------------------------------------------------- registry and candidates

class TemplateRegistry:
    """The templates of the distinct runs seen so far, as flat arrays of their items (bounded
    by ``KeywordCache``)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.template_of: dict[int, int] = {}   # run key -> template
        self.templates = 0
        self.first_item = numpy.zeros(1024, dtype=numpy.int64)  # per template
        self.item_count = numpy.zeros(1024, dtype=numpy.int64)
        self.items = 0
        self.key = numpy.zeros(4096, dtype=numpy.int64)         # per item: key id
        self.offset = numpy.zeros(4096, dtype=numpy.int64)      # start, relative to the run
        self.factor = numpy.zeros(4096)
        self.alone = numpy.zeros(4096, dtype=bool)  # a candidate of its own (else it only adds weight)
        self.idf = numpy.zeros(4096)                # against the background table
        self.display: list[str] = []
        self.parts: list[tuple[str, ...]] = []
        self.key_id: dict[str, int] = {}
        self.key_text: list[str] = []

    def key_of(self, key: str) -> int:
        found = self.key_id.get(key)
        if found is None:
            found = self.key_id[key] = len(self.key_text)
            self.key_text.append(key)
        return found

    def add(self, run_key: int, items: tuple) -> int:
        """Register one run's template (``run_templates`` items); returns its id."""
        template = self.templates
        if template == len(self.first_item):
            self.first_item, self.item_count = (numpy.concatenate([a, numpy.zeros_like(a)])
                                                for a in (self.first_item, self.item_count))
        while self.items + len(items) > len(self.key):
            self.key, self.offset, self.factor, self.alone, self.idf = (
                numpy.concatenate([a, numpy.zeros_like(a)]) for a in (self.key, self.offset, self.factor, self.alone,
                                                                      self.idf))
        self.first_item[template], self.item_count[template] = self.items, len(items)
        for key, display, parts, start, factor, alone, idf in items:
            item = self.items
            self.key[item], self.offset[item], self.factor[item] = self.key_of(key), start, factor
            self.alone[item], self.idf[item] = alone, idf
            self.display.append(display)
            self.parts.append(parts)
            self.items += 1
        self.templates += 1
        self.template_of[run_key] = template
        return template


class KeywordCache:
    """What keyword extraction remembers from one article to the next, owned by whoever runs
    it: the keywords stage, or a batch worker's pass 1 (through that stage). It holds the
    templates of the distinct runs seen (``registry``), the parts of the entities seen (which
    hold key ids of that registry), normalized lemmas and surfaces, and idf values under a
    table other than the background one. Each is bounded by ``_CACHE_LIMIT`` entries (the
    registry by that many templates and twice as many keys). Past the bound it starts afresh.
    The registry is then a new object, so the Candidates made before keep theirs. What an
    article gets never depends on what the cache saw before it, only the time it takes."""

    def __init__(self) -> None:
        self.registry = TemplateRegistry()
        self.entity_parts: dict[tuple, tuple] = {}
        self._lemmas: dict[int, str] = {}
        self._norms: dict[str, str] = {}
        self._idf_table: DocumentFrequency | None = None
        self._idf_values: dict[tuple, float] = {}

    def registry_for_next_article(self) -> TemplateRegistry:
        registry = self.registry
        if registry.templates > _CACHE_LIMIT or len(registry.key_text) > 2 * _CACHE_LIMIT:  # entities add keys too
            self.registry, self.entity_parts = TemplateRegistry(), {}  # the parts hold the old registry's key ids
        elif len(self.entity_parts) > _CACHE_LIMIT:
            self.entity_parts = {}
        return self.registry

    def lemma(self, strings, lemma_hash: int) -> str:
        value = self._lemmas.get(lemma_hash)
        if value is None:
            if len(self._lemmas) > _CACHE_LIMIT:
                self._lemmas = {}
            value = self._lemmas[lemma_hash] = nfkc_text(strings[lemma_hash])
        return value

    def normed(self, surface: str) -> str:
        value = self._norms.get(surface)
        if value is None:
            if len(self._norms) > _CACHE_LIMIT:
                self._norms = {}
            value = self._norms[surface] = nfkc_text(surface)
        return value

    def idf_of(self, parts: tuple[str, ...], key: str, df: DocumentFrequency) -> float:
        """``phrase_idf`` for a table other than the background one, kept while the table stays the same."""
        if self._idf_table is not df or len(self._idf_values) > _CACHE_LIMIT:
            self._idf_table, self._idf_values = df, {}
        value = self._idf_values.get((key, parts))
        if value is None:
            value = self._idf_values[(key, parts)] = phrase_idf(parts, key, df)
        return value
