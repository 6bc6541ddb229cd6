"""Extractive key points: when an article has no marked points, pick its k best sentences.

Unsupervised, from what the pipeline already has (no model, no training data):
- **centrality**: LexRank-style stationary distribution of a random walk over the
  candidates, edges weighted by the idf-weighted cosine of their content words (lemmas of
  nouns, verbs and adjectives from our UniDic tokens);
- **title similarity**: cosine to the title and, in aggregator articles, to the section's
  heading, question and answer (what a headline says the story is about);
- **position**: news put the facts first; the first sentences of a section score higher;
- **density**: named entities (``doc.ents`` when the entity stage ran before us), proper
  nouns and numbers (dates, amounts) per token: a sentence that names who, where, when and
  how much is a fact-bearing sentence.
Candidates are the body sentences of kind ``fact`` and ``commentary`` (commentary weighs
less) with at least two content words; ``reader_voice`` and ``boilerplate`` never are. The
k sentences are chosen greedily by score minus redundancy with those already chosen (MMR)
and returned in text order, with exact offsets.

The extractor ``KeyPointsAndKeywords`` also fills ``keywords`` (see ``keywords.py``): both
share one pass over the tokens. It runs after the entity and date extractors so that it can
read ``doc.ents``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy

from .keywords import (NUM, PROPER, SIMILARITY_CLASSES, SIMILARITY_MASK, ContentView, class_mask, DocumentFrequency, background_frequency,
                       content_view, extract_keywords, DEFAULT_KEYWORDS, _norm)

__all__ = ["DEFAULT_KEY_POINTS", "Candidate", "candidates", "rank", "extract_key_points", "KeyPointsAndKeywords"]

DEFAULT_KEY_POINTS = 3
CANDIDATE_KINDS = {"fact": 1.0, "commentary": 0.6}
MIN_CONTENT_WORDS = 2
WEIGHTS = {"centrality": 0.2, "title": 0.5, "position": 0.25, "density": 0.05}
REDUNDANCY = 0.5        # MMR: score - REDUNDANCY * max cosine to a chosen sentence
DAMPING = 0.85
USE_TAKEAWAYS = True    # 💡 takeaways are the article's own summary: a reference like the title
MAX_CANDIDATES = 300    # only the first sentences of a (pathologically) long text are ranked
_SHORT_CHARS = 20       # shorter sentences are scaled down (len / _SHORT_CHARS)
_LONG_CHARS = 160       # longer ones a little


_INFORMATIVE_MASK = class_mask({PROPER, NUM})
_WORDLIKE_MASK = class_mask(SIMILARITY_CLASSES | {NUM})


class Candidate(NamedTuple):  # a tuple: built for every body sentence of every article
    start: int
    end: int
    section: int
    position: int   # index among the section's candidates
    kind: str


def candidates(article, sections: list[int] | None = None) -> list[Candidate]:
    """Body sentences that may become key points, in text order."""
    found = []
    for number, section in enumerate(article.sections):
        if sections is not None and number not in sections:
            continue
        position = 0
        for sentence in section.body:
            if sentence.kind in CANDIDATE_KINDS:
                found.append(Candidate(sentence.span.start, sentence.span.end, number, position, sentence.kind))
                position += 1
    return found


def _token_ranges(view: ContentView, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    lows = numpy.searchsorted(view.starts, [s for s, _ in spans], side="left")
    highs = numpy.searchsorted(view.starts, [e for _, e in spans], side="left")
    return list(zip(lows.tolist(), highs.tolist()))


def _vectors(doc, view: ContentView, ranges: list[tuple[int, int]], df: DocumentFrequency) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Idf-weighted lemma vectors (not normalized) of the content words of each token range
    (ranges are disjoint or nested-free, in any order), and each range's content-word count."""
    content = SIMILARITY_MASK[view.classes]
    lows = numpy.array([low for low, _ in ranges], dtype=numpy.int64)
    lengths = numpy.array([high - low for low, high in ranges], dtype=numpy.int64)
    rows_all = numpy.repeat(numpy.arange(len(ranges)), lengths)
    tokens_all = numpy.repeat(lows - (numpy.cumsum(lengths) - lengths), lengths) + numpy.arange(int(lengths.sum()))
    keep = content[tokens_all]
    rows_all, tokens_all = rows_all[keep], tokens_all[keep]
    counts = numpy.bincount(rows_all, minlength=len(ranges))
    lemmas, columns = numpy.unique(view.lemmas[tokens_all], return_inverse=True)
    weights = _LEMMA_IDF.lookup(lemmas, doc.vocab.strings, df)
    width = max(len(lemmas), 1)
    columns = columns.reshape(-1)
    flat = numpy.bincount(rows_all * width + columns, weights=weights[columns] if len(lemmas) else None,
                          minlength=len(ranges) * width)
    return flat[:len(ranges) * width].reshape(len(ranges), width), counts


class _SortedIdf:
    """idf by lemma hash for one table, looked up for a whole array at once (a sorted array
    and searchsorted instead of a dict lookup per lemma); misses are added in batches."""

    def __init__(self) -> None:
        self.df: DocumentFrequency | None = None
        self.hashes = numpy.zeros(0, dtype=numpy.uint64)
        self.values = numpy.zeros(0)

    def lookup(self, lemmas: numpy.ndarray, strings, df: DocumentFrequency) -> numpy.ndarray:
        if df is not self.df or len(self.hashes) > 500_000:
            self.df, self.hashes, self.values = df, numpy.zeros(0, dtype=numpy.uint64), numpy.zeros(0)
        at = numpy.searchsorted(self.hashes, lemmas)
        hit = (at < len(self.hashes)) & (self.hashes[numpy.minimum(at, len(self.hashes) - 1)] == lemmas) \
            if len(self.hashes) else numpy.zeros(len(lemmas), dtype=bool)
        if not hit.all():
            missing = lemmas[~hit]
            values = numpy.array([df.idf(_norm(strings[h])) for h in missing.tolist()])
            hashes = numpy.concatenate([self.hashes, missing])
            order = numpy.argsort(hashes, kind="stable")
            self.hashes, self.values = hashes[order], numpy.concatenate([self.values, values])[order]
            at = numpy.searchsorted(self.hashes, lemmas)
        return self.values[at]


_LEMMA_IDF = _SortedIdf()


def _lexrank(similarity: numpy.ndarray) -> numpy.ndarray:
    """Stationary distribution of the damped random walk over the similarity graph (the
    continuous LexRank of Erkan & Radev), solved directly: (I - d T^T) p = (1 - d) / n."""
    n = len(similarity)
    weights = similarity.copy()
    numpy.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    transition = numpy.where(sums > 0, weights / numpy.where(sums == 0, 1, sums), 1.0 / n)
    scores = numpy.linalg.solve(numpy.eye(n) - DAMPING * transition.T, numpy.full(n, (1 - DAMPING) / n))
    return scores / scores.sum()


def rank(text: str, article, doc, found: list[Candidate], *, view: ContentView | None = None,
         document_frequency: DocumentFrequency | None = None) -> tuple[numpy.ndarray, numpy.ndarray, list[int]]:
    """(scores, sentence-by-sentence cosine matrix, content-word counts) for ``found``."""
    view = view if view is not None else content_view(text, article, doc)
    df = document_frequency or background_frequency()
    references = _references(article, found)
    # one reference row per section: its title, heading, question and answer (and 💡) together
    all_ranges = _token_ranges(view, [(c.start, c.end) for c in found] + [span for spans in references for span in spans])
    ranges = all_ranges[:len(found)]
    matrix, counts = _vectors(doc, view, all_ranges, df)
    counts = counts[:len(found)].tolist()
    merged, position = [], len(found)
    for spans in references:
        merged.append(matrix[position:position + len(spans)].sum(axis=0))
        position += len(spans)
    matrix = numpy.vstack([matrix[:len(found)], *merged]) if merged else matrix[:len(found)]
    norms = numpy.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / numpy.where(norms == 0, 1, norms)
    sentences, titles = matrix[:len(found)], matrix[len(found):]
    similarity = sentences @ sentences.T
    centrality = _lexrank(similarity) if len(found) > 1 else numpy.ones(len(found))
    centrality = centrality / centrality.max() if centrality.max() > 0 else centrality
    sections = sorted({c.section for c in found})
    title_of = {section: row for row, section in enumerate(sections)}
    features = numpy.array([(title_of[c.section], c.position, c.end - c.start, CANDIDATE_KINDS[c.kind],
                             0.5 if text[c.end - 1] in "?？" else 1.0) for c in found], dtype=float)
    title_sim = (sentences * titles[features[:, 0].astype(int)]).sum(axis=1)
    position_score = 1.0 / numpy.sqrt(1.0 + features[:, 1])
    density = _density(doc, view, ranges)
    score = (WEIGHTS["centrality"] * centrality + WEIGHTS["title"] * title_sim
             + WEIGHTS["position"] * position_score + WEIGHTS["density"] * density)
    length = features[:, 2]
    score *= numpy.minimum(1.0, length / _SHORT_CHARS) * numpy.where(length > _LONG_CHARS, 0.85, 1.0)
    score *= features[:, 3] * features[:, 4]
    return score, similarity, counts


def _references(article, found: list[Candidate]) -> list[list[tuple[int, int]]]:
    """Per section that has candidates: the spans a headline gives (title, heading, Q, A)."""
    references = []
    for number in sorted({c.section for c in found}):
        section = article.sections[number]
        spans = [(s.start, s.end) for s in (article.title, section.heading, section.question, section.answer)
                 if s is not None]
        if USE_TAKEAWAYS:
            spans += [(s.start, s.end) for s in article.takeaways]
        references.append(spans)
    return references


def _density(doc, view: ContentView, ranges: list[tuple[int, int]]) -> numpy.ndarray:
    informative = _INFORMATIVE_MASK[view.classes]
    if view.entities:
        # doc.ents never overlap: mark their tokens with a +1/-1 difference array
        edges = numpy.zeros(len(informative) + 1, dtype=numpy.int64)
        firsts, lasts = zip(*[e[:2] for e in view.entities])
        edges[list(firsts)] += 1
        edges[list(lasts)] -= 1
        informative = informative | (numpy.cumsum(edges[:-1]) > 0)
    wordlike = _WORDLIKE_MASK[view.classes]
    if not ranges:
        return numpy.zeros(0)
    informative_sum = numpy.zeros(len(informative) + 1)
    numpy.cumsum(informative, out=informative_sum[1:])
    wordlike_sum = numpy.zeros(len(wordlike) + 1)
    numpy.cumsum(wordlike, out=wordlike_sum[1:])
    lows = numpy.array([low for low, _ in ranges])
    highs = numpy.array([high for _, high in ranges])
    words = wordlike_sum[highs] - wordlike_sum[lows]
    values = numpy.where(words > 0, (informative_sum[highs] - informative_sum[lows]) / numpy.where(words > 0, words, 1), 0.0)
    return numpy.minimum(1.0, values / 0.5)


def select(score: numpy.ndarray, similarity: numpy.ndarray, k: int) -> list[int]:
    """Greedy MMR: best score minus redundancy with what is already chosen; ties by order."""
    chosen: list[int] = []
    penalty = numpy.zeros(len(score))
    available = numpy.ones(len(score), dtype=bool)
    while len(chosen) < min(k, len(score)):
        value = numpy.where(available, score - REDUNDANCY * penalty, -numpy.inf)
        best = int(numpy.argmax(value))  # the first of equal values: text order
        chosen.append(best)
        available[best] = False
        penalty = numpy.maximum(penalty, similarity[best])
    return sorted(chosen)


def extract_key_points(text: str, article, doc, *, k: int = DEFAULT_KEY_POINTS, view: ContentView | None = None,
                       document_frequency: DocumentFrequency | None = None, sections: list[int] | None = None,
                       even_if_marked: bool = False) -> list[dict]:
    """Up to ``k`` extracted key points as summary ``key_points`` items (text order); none
    when the article has marked points (unless ``even_if_marked``, for evaluation)."""
    if k <= 0 or (not even_if_marked and any(section.points for section in article.sections)):
        return []
    view = view if view is not None else content_view(text, article, doc)
    found = candidates(article, sections)[:MAX_CANDIDATES]
    if not found:
        return []
    score, similarity, counts = rank(text, article, doc, found, view=view, document_frequency=document_frequency)
    keep = [i for i, count in enumerate(counts) if count >= MIN_CONTENT_WORDS]
    if not keep:
        return []
    picked = select(score[keep], similarity[numpy.ix_(keep, keep)], k)
    points = []
    for index in picked:
        c = found[keep[index]]
        points.append({"text": text[c.start:c.end], "start": c.start, "end": c.end, "section": c.section,
                       "marker": None, "extracted": True})
    return points


class KeyPointsAndKeywords:
    """The summary extractor for ``key_points`` (extracted; summary.py uses them only when
    the article has no marked points) and ``keywords``. Run it after the entity extractor."""

    def __init__(self, *, key_points: int = DEFAULT_KEY_POINTS, keywords: int = DEFAULT_KEYWORDS,
                 document_frequency: DocumentFrequency | None = None) -> None:
        self.key_points = key_points
        self.keywords = keywords
        self.document_frequency = document_frequency

    def __call__(self, *, text: str, article, doc, anchor_at=None) -> dict:
        view = content_view(text, article, doc)
        return {
            "key_points": extract_key_points(text, article, doc, k=self.key_points, view=view,
                                             document_frequency=self.document_frequency),
            "keywords": extract_keywords(text, article, doc, top=self.keywords, view=view,
                                         document_frequency=self.document_frequency),
        }
