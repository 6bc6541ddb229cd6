"""Keywords: content-word n-grams on UniDic POS, scored by BM25-style tf x idf.

Candidates are noun compounds (maximal runs of nouns, with prefixes, suffixes and counters
inside them) and single nouns, taken only from the article's content: title, headings,
questions, answers, points, takeaways and body sentences that are not ``boilerplate``
(publisher furniture, see ``boilerplate.py``); URLs never count. When the entity stage has
put entities in ``doc.ents`` (it runs before this one), each entity is one candidate under
its canonical name and its tokens do not form other compounds.

Scores are comparable across the articles of one run: the idf comes from one document
frequency table for the whole run (a fixed background table shipped as data, built from the
Stockmark Wikipedia sentences; a batch can add its own document frequencies with
``DocumentFrequency.with_documents``), and the tf part is BM25's saturation with a fixed
average length, so the same weight of the same word scores the same in any article.

Build the background table (documented in the README):
    python -m pipeline.keywords build-background ../shared/data/stockmark-ner-wikipedia/ner.json
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LEMMA, LENGTH, TAG

from .sentences import URL_PATTERN

__all__ = ["DEFAULT_KEYWORDS", "ContentView", "content_view", "content_spans", "DocumentFrequency",
           "background_frequency", "document_keys", "extract_keywords", "build_background"]

DEFAULT_KEYWORDS = 10
BACKGROUND_PATH = "resources/keywords/background_df.tsv"
STOPWORDS_PATH = "resources/keywords/stopwords.txt"
_K1, _B, _AVG_CONTENT_TOKENS = 1.2, 0.5, 250.0
_TITLE_WEIGHT = 2.0     # an occurrence in the title counts this much
_MAX_COMPOUND = 5       # tokens in a noun compound
_COMPOUND_BONUS = 0.5   # idf bonus per doubling of a compound's length
MAX_TOKENS = 200_000    # keyphrases come from the first tokens of a (pathologically) huge text

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
_SINGLE_FACTOR = {VNOUN: 0.7, ANOUN: 0.0}  # a verbal noun alone is a weaker keyword; 好調, 重要 alone are none
_HONORIFICS = frozenset({"氏", "さん", "様", "さま", "君", "くん", "ちゃん", "殿"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"})


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

    def lookup(self, tags: numpy.ndarray, strings) -> numpy.ndarray:
        at = numpy.searchsorted(self.hashes, tags)
        if len(self.hashes):
            hit = (at < len(self.hashes)) & (self.hashes[numpy.minimum(at, len(self.hashes) - 1)] == tags)
        else:
            hit = numpy.zeros(len(tags), dtype=bool)
        if not hit.all():
            missing = numpy.unique(tags[~hit])
            hashes = numpy.concatenate([self.hashes, missing])
            classes = numpy.concatenate([self.classes, numpy.array([tag_class(strings[h]) for h in missing.tolist()],
                                                                   dtype=numpy.int8)])
            order = numpy.argsort(hashes, kind="stable")
            self.hashes, self.classes = hashes[order], classes[order]
            at = numpy.searchsorted(self.hashes, tags)
        return self.classes[at]


_TAG_CLASSES = _SortedTagClasses()


def _norm(surface: str) -> str:
    return unicodedata.normalize("NFKC", surface)


def _load_stopwords() -> frozenset[str]:
    text = resources.files("pipeline").joinpath(STOPWORDS_PATH).read_text("utf-8")
    return frozenset(_norm(w.strip()) for w in text.splitlines() if w.strip() and not w.startswith("#"))


STOPWORDS = _load_stopwords()


@dataclass
class ContentView:
    """The tokens of a Doc as arrays: char start/end, class, lemma hash and whether the
    token lies in the article's content (not boilerplate, not a URL, not structure)."""
    starts: numpy.ndarray
    ends: numpy.ndarray
    classes: numpy.ndarray
    lemmas: numpy.ndarray
    allowed: numpy.ndarray
    title: tuple[int, int] | None = None
    # doc.ents as (first token, end token, start char, end char, label), read without Span objects
    entities: list[tuple[int, int, int, int, str]] = field(default_factory=list)


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
    array = doc.to_array([IDX, LENGTH, TAG, LEMMA, ENT_IOB, ENT_TYPE])
    if len(array) == 0:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return ContentView(empty, empty, empty, numpy.zeros(0, dtype=numpy.uint64), numpy.zeros(0, dtype=bool))
    starts = array[:, 0].astype(numpy.int64)
    ends = starts + array[:, 1].astype(numpy.int64)
    strings = doc.vocab.strings
    classes = _TAG_CLASSES.lookup(array[:, 2], strings)
    allowed = _inside(starts, ends, content_spans(article))
    urls = [m.span() for m in URL_PATTERN.finditer(text)] if "http" in text else []
    if urls:
        allowed &= ~_inside(starts, ends, urls)
    title = (article.title.start, article.title.end) if article.title else None
    return ContentView(starts, ends, classes, array[:, 3], allowed, title, _entities(strings, array, starts, ends))


_LABELS: dict[int, str] = {}


def _entities(strings, array: numpy.ndarray, starts: numpy.ndarray, ends: numpy.ndarray) -> list:
    iob = array[:, 4]
    firsts = numpy.nonzero(iob == 3)[0]  # 3 = B, 1 = I
    if not len(firsts):
        return []
    outside = numpy.nonzero(iob != 1)[0]
    # a B token is "outside" too; an entity that runs to the end of the doc has no break after it
    breaks = numpy.append(outside, len(iob))
    lasts = breaks[numpy.searchsorted(breaks, firsts, side="right")]
    labels = _LABELS
    for label_hash in numpy.unique(array[firsts, 5]).tolist():
        if label_hash not in labels:
            labels[label_hash] = strings[label_hash]
    return list(zip(firsts.tolist(), lasts.tolist(), starts[firsts].tolist(), ends[lasts - 1].tolist(),
                    map(labels.__getitem__, array[firsts, 5].tolist())))


# ---------------------------------------------------------------- document frequency

@dataclass
class DocumentFrequency:
    """Document frequencies of normalized lemmas / keyphrases over ``documents`` documents.
    ``idf`` is ``ln((N + 1) / (df + 0.5))``; a key not in the table has df 1 (the table
    keeps keys seen at least twice)."""
    documents: int
    counts: dict[str, int] = field(default_factory=dict)
    label: str = ""

    def idf(self, key: str) -> float:
        return math.log((self.documents + 1) / (self.counts.get(key, 1) + 0.5))

    def with_documents(self, keys_per_document: Iterable[Iterable[str]]) -> "DocumentFrequency":
        """This table plus a batch: each item holds the keys of one document (see
        ``document_keys``). The background stays as a prior, so a small batch is safe."""
        counts = dict(self.counts)
        documents = self.documents
        for keys in keys_per_document:
            documents += 1
            for key in set(keys):
                counts[key] = counts.get(key, 0) + 1
        return DocumentFrequency(documents, counts, f"{self.label} + batch of {documents - self.documents}")

    @classmethod
    def load(cls, path: str = BACKGROUND_PATH) -> "DocumentFrequency":
        """A table shipped in the package (by default the background table)."""
        return cls.parse(resources.files("pipeline").joinpath(path).read_text("utf-8"))

    @classmethod
    def read(cls, path) -> "DocumentFrequency":
        """A table file (``jnews keywords-df`` writes them); ValueError if it is not one."""
        with open(path, encoding="utf-8") as handle:
            return cls.parse(handle.read(), str(path))

    @classmethod
    def parse(cls, text: str, where: str = "the table") -> "DocumentFrequency":
        documents, counts, label = 0, {}, ""
        for number, row in enumerate(text.splitlines(), 1):
            if row.startswith("#documents\t"):
                documents = int(row.split("\t")[1])
            elif row.startswith("#source\t"):
                label = row.split("\t")[1]
            elif row and not row.startswith("#"):
                key, _, count = row.rpartition("\t")
                if not key or not count.isdigit():
                    raise ValueError(f"{where}, line {number}: not KEY<TAB>COUNT: {row[:60]!r}")
                counts[key] = int(count)
        if documents < 1:
            raise ValueError(f"{where}: no '#documents<TAB>N' line: not a document-frequency table")
        return cls(documents, counts, label)

    def write(self, path, comments: Iterable[str] = ()) -> None:
        """The TSV ``read`` and ``load`` take: comment lines, ``#source``, ``#documents``, then
        ``key<TAB>df`` sorted by key (the same table gives the same bytes)."""
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for comment in comments:
                handle.write(f"# {comment}\n")
            handle.write(f"#source\t{self.label}\n#documents\t{self.documents}\n")
            for key, count in sorted(self.counts.items()):
                if "\t" not in key and "\n" not in key and key.strip():
                    handle.write(f"{key}\t{count}\n")


_BACKGROUND: DocumentFrequency | None = None


def background_frequency() -> DocumentFrequency:
    """The shipped background table (loaded once)."""
    global _BACKGROUND
    if _BACKGROUND is None:
        _BACKGROUND = DocumentFrequency.load()
    return _BACKGROUND


# ---------------------------------------------------------------- candidates

# A candidate is a plain list (cheaper than an object, there are hundreds per article):
# [display text, parts (normalized head lemmas, for the idf estimate), first offset, factor,
#  weight (occurrences, title ones count _TITLE_WEIGHT), occurrences not inside a longer candidate]
# and the background idf of (key, parts), computed once per distinct run or entity name
TEXT, PARTS, FIRST, FACTOR, WEIGHT, ALONE, IDF = range(7)
_Candidate = list


ENTITY_DETAILS_KEY = "jnews_entities"  # doc.user_data of the entity stage: {"start:end": [canonical, role, rule]}


def _canonical(doc, details, start: int, end: int, text: str) -> str:
    """The entity stage's canonical name (``span._.jnews_canonical``), else the span text.
    Read straight from ``doc.user_data`` (much faster than ``span._``): the entity stage's
    details table, or a plain ``canonical`` / ``jnews_canonical`` span extension value."""
    if isinstance(details, dict):
        found = details.get(f"{start}:{end}")
        if found and found[0]:
            return str(found[0])
    for name in ("jnews_canonical", "canonical"):
        value = doc.user_data.get(("._.", name, start, end))
        if value:
            return str(value)
    return text[start:end]


_LEMMA_CACHE: dict[int, str] = {}
_NORM_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _lemma(strings, lemma_hash: int) -> str:
    value = _LEMMA_CACHE.get(lemma_hash)
    if value is None:
        if len(_LEMMA_CACHE) > _CACHE_LIMIT:
            _LEMMA_CACHE.clear()
        value = _LEMMA_CACHE[lemma_hash] = _norm(strings[lemma_hash])
    return value


def _normed(surface: str) -> str:
    value = _NORM_CACHE.get(surface)
    if value is None:
        if len(_NORM_CACHE) > _CACHE_LIMIT:
            _NORM_CACHE.clear()
        value = _NORM_CACHE[surface] = _norm(surface)
    return value


_DOT = re.compile("・(?=[\u30a1-\u30faー])")


def _runs(text: str, view: ContentView, usable: numpy.ndarray, n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """[first, last + 1) token ranges of adjacent compound-internal tokens."""
    classes, starts, ends = view.classes[:n], view.starts[:n], view.ends[:n]
    in_compound = usable[:n] & COMPOUND_MASK[classes]
    for k in numpy.nonzero(usable[:n] & (classes == ADJ))[0].tolist():  # スマート|フォン: katakana 形状詞 in a word
        in_compound[k] = all(_is_katakana(ch) for ch in text[starts[k]:ends[k]])
    if "・" in text:  # ブーランジェリー・ソレイユ: a middle dot inside a foreign name
        dots = numpy.array([m.start() for m in _DOT.finditer(text)], dtype=numpy.int64)
        at = numpy.searchsorted(starts, dots)
        ok = (at > 0) & (at < n - 1)
        for dot, k in zip(dots[ok].tolist(), at[ok].tolist()):
            if starts[k] == dot and ends[k] == dot + 1 and usable[k] and in_compound[k - 1] and in_compound[k + 1] \
                    and _is_katakana(text[dot - 1]):
                in_compound[k] = True
    link = numpy.zeros(n + 1, dtype=bool)  # link[i]: token i continues the run of token i - 1
    if n > 1:
        link[1:n] = in_compound[1:] & in_compound[:-1] & (starts[1:] == ends[:-1])
    firsts = numpy.nonzero(in_compound & ~link[:n])[0]
    lasts = numpy.nonzero(in_compound & ~link[1:n + 1])[0] + 1
    return firsts, lasts


def _candidates(text: str, doc, view: ContentView) -> tuple[dict[str, _Candidate], int]:
    """Keyphrase candidates keyed by normalized text, and the number of content tokens."""
    strings = doc.vocab.strings
    allowed = view.allowed
    n = min(len(view.classes), MAX_TOKENS)
    usable = allowed.copy()
    found: dict[str, _Candidate] = {}
    title_start, title_end = view.title if view.title is not None else (-1, -1)

    lemma_hashes = view.lemmas
    background = background_frequency()
    details = doc.user_data.get(ENTITY_DETAILS_KEY)
    if view.entities:
        blocked = numpy.concatenate([[0], numpy.cumsum(~allowed)]).tolist()
        taken_first, taken_last = [], []
        entity_cache = _ENTITY_PARTS
        if len(entity_cache) > _CACHE_LIMIT:
            entity_cache.clear()
        lemma_list, class_list = lemma_hashes[:n].tolist(), view.classes[:n].tolist()
        for first, last, start_char, end_char, label in view.entities:
            if label not in ENTITY_LABELS or last > n or blocked[last] != blocked[first]:
                continue
            name = _canonical(doc, details, start_char, end_char, text)
            surface = text[start_char:end_char]
            # keyed by the tokens too: the same surface may be cut differently in another text,
            # and a summary must not depend on which article this process saw first
            cache_key = (surface, name, tuple(lemma_list[first:last]), tuple(class_list[first:last]))
            cached = entity_cache.get(cache_key)
            if cached is None:
                parts = tuple(_lemma(strings, lemma_list[i]) for i in range(first, last)
                              if class_list[i] in HEAD_CLASSES)
                key = _normed(name)
                parts = parts or (key,)
                cached = entity_cache[cache_key] = (key, parts, _idf(parts, key, background))
            key, parts, idf = cached
            candidate = found.get(key)
            if candidate is None:
                candidate = found[key] = [name, parts, start_char, 1.0, 0.0, 0, idf]
            candidate[WEIGHT] += _TITLE_WEIGHT if title_start <= start_char and end_char <= title_end else 1.0
            candidate[ALONE] += 1
            taken_first.append(first)
            taken_last.append(last)
        if taken_first:
            lengths = numpy.array(taken_last) - numpy.array(taken_first)
            tokens = numpy.repeat(numpy.array(taken_first) - (numpy.cumsum(lengths) - lengths), lengths) \
                + numpy.arange(int(lengths.sum()))
            usable[tokens] = False

    content_tokens = int(numpy.count_nonzero(allowed & SIMILARITY_MASK[view.classes]))
    firsts, lasts = _runs(text, view, usable, n)
    if not len(firsts):
        return found, content_tokens
    # One 64-bit key per run from its tokens' lemmas and classes (a rolling hash, in numpy),
    # so that a word the text repeats is looked at once: distinct runs in text order.
    keys = _run_keys(view, n, firsts, lasts)
    unique, first_index, inverse = numpy.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    run_starts, run_ends = view.starts[firsts], view.ends[lasts - 1]
    in_title = (run_starts >= title_start) & (run_ends <= title_end)
    title_counts = numpy.bincount(inverse, weights=in_title, minlength=len(unique))
    body_counts = numpy.bincount(inverse, weights=~in_title, minlength=len(unique))
    order = numpy.argsort(first_index, kind="stable")
    templates = _TEMPLATES
    if len(templates) > _CACHE_LIMIT:
        templates.clear()
    run_weights = (body_counts + _TITLE_WEIGHT * title_counts)[order].tolist()
    inner: list[tuple[str, float]] = []
    picked = first_index[order]
    for weight, origin, end, key_hash, run_index in zip(run_weights, run_starts[picked].tolist(), run_ends[picked].tolist(),
                                                        unique[order].tolist(), picked.tolist()):
        surface = text[origin:end]
        cached = templates.get(key_hash)
        if cached is None or cached[0] != surface:
            first_token, last_token = int(firsts[run_index]), int(lasts[run_index])
            items = _run_templates(
                text, strings, view.classes[first_token:last_token].tolist(),
                (view.starts[first_token:last_token] - origin).tolist(), (view.ends[first_token:last_token] - origin).tolist(),
                view.lemmas[first_token:last_token].tolist(), origin, background)
            cached = templates[key_hash] = (surface, tuple((key, display, parts, start, factor, idf)
                                                           for key, display, parts, start, factor, alone, idf in items
                                                           if alone),
                                            tuple(item[0] for item in items if not item[5]))
        for key, display, parts, start, factor, idf in cached[1]:
            candidate = found.get(key)
            if candidate is None:
                found[key] = [display, parts, origin + start, factor, weight, 1, idf]
            else:
                candidate[WEIGHT] += weight
        for key in cached[2]:
            inner.append((key, weight))  # counted only if the word also stands alone somewhere
    for key, weight in inner:
        candidate = found.get(key)
        if candidate is not None:
            candidate[WEIGHT] += weight
    return found, content_tokens


_TEMPLATES: dict[int, tuple] = {}
_P = 0x100000001B3  # odd, so invertible modulo 2**64
_P_INVERSE = pow(_P, -1, 2 ** 64)
_MIX = 0x9E3779B97F4A7C15


def _run_keys(view: ContentView, n: int, firsts: numpy.ndarray, lasts: numpy.ndarray) -> numpy.ndarray:
    """sum(h_i * P**(i - first)) mod 2**64 over a run's tokens, h = lemma hash mixed with class,
    plus the run length: equal keys mean the same lemmas and classes (up to 2**-64)."""
    powers, inverse = _powers(n)
    with numpy.errstate(over="ignore"):
        token = view.lemmas[:n].astype(numpy.uint64) ^ (view.classes[:n].astype(numpy.uint64) * numpy.uint64(_MIX))
        prefix = numpy.concatenate([numpy.zeros(1, dtype=numpy.uint64), numpy.cumsum(token * powers, dtype=numpy.uint64)])
        keys = (prefix[lasts] - prefix[firsts]) * inverse[firsts]
        return keys ^ ((lasts - firsts).astype(numpy.uint64) * numpy.uint64(_MIX >> 1))


_POWERS: list[numpy.ndarray] = []


def _powers(n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """P**i and P**-i (mod 2**64) for i < n, from a table kept for the longest text so far."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 4096, 2 * len(_POWERS[0]) if _POWERS else 0)
        with numpy.errstate(over="ignore"):
            _POWERS[:] = [numpy.cumprod(numpy.full(size, _P, dtype=numpy.uint64)) * numpy.uint64(_P_INVERSE),
                          numpy.cumprod(numpy.full(size, _P_INVERSE, dtype=numpy.uint64)) * numpy.uint64(_P)]
    return _POWERS[0][:n], _POWERS[1][:n]


_ENTITY_PARTS: dict[tuple, tuple] = {}


def _run_templates(text: str, strings, classes: list[int], starts: list[int], ends: list[int], lemma_hashes: list[int],
                   origin: int, background: "DocumentFrequency") -> tuple:
    """The candidates one run of compound-internal tokens yields, with offsets relative to the
    run's start: (key, display, parts, start, factor, alone, background idf). Cached per
    distinct run."""
    surface_of = lambda k: text[origin + starts[k]:origin + ends[k]]  # noqa: E731
    run = list(range(len(classes)))
    while run and (classes[run[0]] in (SUFFIX, COUNTER, NUM) or surface_of(run[0]) == "・"):
        run.pop(0)
    while run and (classes[run[-1]] in (PREFIX, NUM, ADJ) or surface_of(run[-1]) in _HONORIFICS):
        run.pop()
    heads = [k for k in run if classes[k] in HEAD_CLASSES]
    if not heads:
        return ()
    head_or_prefix = HEAD_CLASSES | {PREFIX}
    whole_is_candidate = 2 <= len(run) <= _MAX_COMPOUND and classes[run[0]] in head_or_prefix
    lemmas = {k: _lemma(strings, lemma_hashes[k]) for k in heads}
    items = []
    for k in heads:  # single nouns
        factor = _SINGLE_FACTOR.get(classes[k], 1.0)
        if factor == 0.0:
            continue
        surface = surface_of(k)
        key = _normed(surface)
        if key in STOPWORDS or (len(key) < 2 and classes[k] != PROPER) or key.isdigit():
            continue
        parts = (lemmas[k],)
        items.append((key, surface, parts, starts[k], factor, len(run) == 1 or not whole_is_candidate,
                      _idf(parts, key, background)))
    if len(run) >= 2:
        # the run and its head-final tails (国内スマホ出荷台数 -> スマホ出荷台数, 出荷台数)
        for first in range(len(run) - 1):
            tail = run[first:]
            if len(tail) > _MAX_COMPOUND or classes[tail[0]] not in head_or_prefix:
                continue
            if first and _is_katakana(text[origin + starts[tail[0]] - 1]) and _is_katakana(text[origin + starts[tail[0]]]):
                continue  # スマート|フォン: one foreign word split in two, not a compound boundary
            start, end = starts[tail[0]], ends[tail[-1]]
            surface = text[origin + start:origin + end]
            key = _normed(surface)
            if key not in STOPWORDS:
                parts = tuple(lemmas[k] for k in tail if k in lemmas)
                items.append((key, surface, parts, start, 1.0, first == 0 or not whole_is_candidate,
                              _idf(parts, key, background)))
    return tuple(items)


def _idf(parts: tuple[str, ...], key: str, df: DocumentFrequency) -> float:
    if len(parts) <= 1 and key in df.counts:
        return df.idf(key)
    if key in df.counts:  # a batch counted this phrase itself
        return df.idf(key)
    parts = [df.idf(p) for p in parts] or [df.idf(key)]
    return sum(parts) / len(parts) + _COMPOUND_BONUS * math.log2(max(len(parts), 1))


def document_keys(text: str, article, doc) -> set[str]:
    """The keys this article contributes to a batch's document frequencies."""
    found, _ = _candidates(text, doc, content_view(text, article, doc))
    keys = set(found)
    for candidate in found.values():
        keys.update(candidate[PARTS])
    return keys


def extract_keywords(text: str, article, doc, *, top: int = DEFAULT_KEYWORDS,
                     document_frequency: DocumentFrequency | None = None,
                     view: ContentView | None = None) -> list[dict]:
    """The ``top`` keyphrases of an article as ``{"text", "score"}``, best first."""
    if top <= 0:
        return []
    df = document_frequency or background_frequency()
    view = view if view is not None else content_view(text, article, doc)
    found, length = _candidates(text, doc, view)
    if not found:
        return []
    norm = _K1 * (1 - _B + _B * max(length, 1) / _AVG_CONTENT_TOKENS)
    scored = []
    idf_cache = _IDF_CACHE
    if len(idf_cache) > _CACHE_LIMIT:
        idf_cache.clear()
    df_id = id(df)
    background = df is background_frequency()
    for key, candidate in found.items():
        if not candidate[ALONE]:
            continue  # 熱中 only ever occurs in 熱中症: the longer phrase is the keyword
        if background:
            idf = candidate[IDF]
        else:
            idf_key = (df_id, key, candidate[PARTS])
            idf = idf_cache.get(idf_key)
            if idf is None:
                idf = idf_cache[idf_key] = _idf(candidate[PARTS], key, df)
        tf = candidate[WEIGHT]
        scored.append((-candidate[FACTOR] * tf * (_K1 + 1) / (tf + norm) * idf, candidate[FIRST], key, candidate))
    best = heapq.nsmallest(top, scored)
    return [{"text": candidate[TEXT], "score": round(-score, 4)} for score, _, _, candidate in best]


_IDF_CACHE: dict[tuple, float] = {}


def _katakana_dot(text: str, starts, ends, j: int) -> bool:
    if text[starts[j]:ends[j]] != "・":
        return False
    before, after = text[starts[j] - 1], text[ends[j]] if ends[j] < len(text) else ""
    return _is_katakana(before) and _is_katakana(after)


def _is_katakana(char: str) -> bool:
    return bool(char) and ("\u30a1" <= char <= "\u30fa" or char == "ー")


# ---------------------------------------------------------------- background table

def build_background(ner_json: str, out: str, min_count: int = 2) -> tuple[int, int]:
    """Document frequencies of content lemmas over the Stockmark sentences (one sentence is
    one document) -> a TSV of ``key<TAB>df``. Returns (documents, keys kept)."""
    import json
    from collections import Counter

    from .nlp import make_nlp

    try:  # the tokenizer alone: the table must not change when the entity model does
        nlp = make_nlp(entities=None)
    except TypeError:
        nlp = make_nlp()
    sentences = [item["text"] for item in json.loads(open(ner_json, encoding="utf-8").read())]
    counts: Counter[str] = Counter()
    for sentence in sentences:
        doc = nlp(sentence)
        keys = set()
        for token in doc:
            cls = tag_class(token.tag_)
            if cls in SIMILARITY_CLASSES or cls in (SUFFIX, PREFIX, ADVNOUN, COUNTER):
                keys.add(_norm(token.lemma_))
        counts.update(keys)
    kept = sorted((k, c) for k, c in counts.items() if c >= min_count and "\t" not in k and k.strip())
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("# Document frequencies of content lemmas (UniDic via fugashi + unidic-lite), one sentence = one document.\n")
        handle.write("# Derived from the Stockmark Japanese Wikipedia NER dataset v2.0 (stockmarkteam/ner-wikipedia-dataset,\n")
        handle.write("# CC-BY-SA 3.0); only counts are kept, no text. Rebuild:\n")
        handle.write("#   python -m pipeline.keywords build-background ../shared/data/stockmark-ner-wikipedia/ner.json\n")
        handle.write(f"#source\tstockmark-ner-wikipedia v2.0 sentences\n#documents\t{len(sentences)}\n")
        for key, count in kept:
            handle.write(f"{key}\t{count}\n")
    return len(sentences), len(kept)


def _main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m pipeline.keywords")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-background", help="rebuild the background document-frequency table")
    build.add_argument("ner_json")
    build.add_argument("-o", "--out", default=str(Path(__file__).parent / BACKGROUND_PATH))
    build.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)
    documents, kept = build_background(args.ner_json, args.out, args.min_count)
    print(f"{documents} documents, {kept} keys -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
