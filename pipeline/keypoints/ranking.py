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
and returned in text order, with exact offsets. They are spread over the sections: no section
gets a second point while another section with candidates has none, so an article with
sub-headings gets one point per section (as many as k allows, the best sections first). In
plain news (no aggregator markers) the first candidate is always the first point: news puts
the story in its lead.

The stage component is ``component.py``; it shares its pass over the tokens (the content
view) with the keywords stage, and runs after the entities stage so that it can read
``doc.ents``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy

from ..keywords.score import (NUM, PROPER, SIMILARITY_CLASSES, SIMILARITY_MASK, ContentView, class_mask, DocumentFrequency, background_frequency,
                       content_view)
from ..nlp.token_view import nfkc_text

__all__ = ["DEFAULT_KEY_POINTS", "Candidate", "candidates", "select", "extract_key_points", "LemmaIdf"]

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


# per token class, bits: 1 content word (similarity), 2 word-like, 4 informative (proper noun,
# number; entity tokens get the bit too); _BIT_COUNTS turns a row's histogram of the 8 codes
# into its (content, word-like, informative) token counts
_CODES = (SIMILARITY_MASK.astype(numpy.intp) | (_WORDLIKE_MASK.astype(numpy.intp) << 1)
          | (_INFORMATIVE_MASK.astype(numpy.intp) << 2))
_BIT_COUNTS = numpy.array([[(code >> bit) & 1 for bit in range(3)] for code in range(8)], dtype=numpy.intp)


class _Tokens(NamedTuple):
    """The tokens of a list of token ranges, flattened: row (range index) and token index of
    every token, and its class code (_CODES, with the entity bit)."""
    rows: numpy.ndarray
    tokens: numpy.ndarray
    codes: numpy.ndarray


def _expand(view: ContentView, lows: numpy.ndarray, highs: numpy.ndarray) -> _Tokens:
    lengths = highs - lows
    total = int(lengths.sum())
    rows = numpy.repeat(numpy.arange(len(lengths)), lengths)
    tokens = numpy.repeat(lows - lengths.cumsum() + lengths, lengths) + numpy.arange(total)
    codes = _CODES[view.classes[tokens]]
    if view.entity_tokens is not None:
        # doc.ents never overlap: mark their tokens with a +4/-4 difference array
        firsts, lasts = view.entity_tokens
        edges = numpy.zeros(len(view.classes) + 1, dtype=numpy.intp)
        edges[firsts] = 4
        edges[lasts] -= 4
        codes |= edges.cumsum()[tokens]
    return _Tokens(rows, tokens, codes)


def _counts(expanded: _Tokens, rows: int) -> numpy.ndarray:
    """Per row: (content words, word-like tokens, informative tokens)."""
    histogram = numpy.bincount(expanded.rows * 8 + expanded.codes, minlength=rows * 8)
    return histogram.reshape(rows, 8) @ _BIT_COUNTS


def _matrix(doc, view: ContentView, expanded: _Tokens, rows: int, df: DocumentFrequency,
            lemma_idf: "LemmaIdf") -> numpy.ndarray:
    keep = (expanded.codes & 1).astype(bool)
    lemmas = view.lemmas[expanded.tokens[keep]]
    if not len(lemmas):
        return numpy.zeros((rows, 1))
    # numpy.unique, inline: the sorted distinct lemmas are the columns
    order = lemmas.argsort()
    ordered = lemmas[order]
    first = numpy.empty(len(ordered), dtype=bool)
    first[0] = True
    numpy.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    distinct = ordered[first]
    columns = first.cumsum()
    columns -= 1
    weights = lemma_idf.lookup(distinct, doc.vocab.strings, df)
    width = len(distinct)
    # every entry of a cell has the same weight (its column's): the sum does not depend on the order
    flat = numpy.bincount(expanded.rows[keep][order] * width + columns, weights=weights[columns], minlength=rows * width)
    return flat.reshape(rows, width)


class LemmaIdf:
    """idf by lemma hash for one table, looked up for a whole array at once (a sorted array
    and searchsorted instead of a dict lookup per lemma); misses are added in batches. A
    cache owned by its caller (the key points stage keeps one), bounded: past 500,000 lemmas
    (about 12 MB) it starts afresh."""

    def __init__(self) -> None:
        self.df: DocumentFrequency | None = None
        self._reset(None)

    def _reset(self, df) -> None:
        self.df = df
        self.hashes = numpy.zeros(0, dtype=numpy.uint64)
        self.values = numpy.zeros(0)
        # the hashes with a 0 after them: a lemma above all hashes finds 0 there, never itself (> 0)
        self.padded = numpy.zeros(1, dtype=numpy.uint64)

    def lookup(self, lemmas: numpy.ndarray, strings, df: DocumentFrequency) -> numpy.ndarray:
        if df is not self.df or len(self.hashes) > 500_000:
            self._reset(df)
        at = self.hashes.searchsorted(lemmas)
        if len(self.hashes) and (self.padded[at] == lemmas).all():
            return self.values[at]
        hit = self.padded[at] == lemmas if len(self.hashes) else numpy.zeros(len(lemmas), dtype=bool)
        missing = lemmas[~hit]
        values = numpy.array([df.idf(nfkc_text(strings[h])) for h in missing.tolist()])
        hashes = numpy.concatenate([self.hashes, missing])
        order = numpy.argsort(hashes, kind="stable")
        self.hashes, self.values = hashes[order], numpy.concatenate([self.values, values])[order]
        self.padded = numpy.append(self.hashes, numpy.uint64(0))
        return self.values[self.hashes.searchsorted(lemmas)]



def _lexrank(similarity: numpy.ndarray) -> numpy.ndarray:
    """Stationary distribution of the damped random walk over the similarity graph (the
    continuous LexRank of Erkan & Radev), solved directly: (I - d T^T) p = (1 - d) / n."""
    n = len(similarity)
    weights = similarity.copy()
    weights.flat[::n + 1] = 0.0  # numpy.fill_diagonal
    sums = weights.sum(axis=1, keepdims=True)
    if (sums > 0).all():
        transition = numpy.divide(weights, sums, out=weights)
    else:
        transition = numpy.where(sums > 0, weights / numpy.where(sums == 0, 1, sums), 1.0 / n)
    # I - d T^T without an identity matrix (no cache of one per size: 299 of them held 72 MB);
    # 1 + (-x) is 1 - x exactly, so the system is the same to the bit
    system = -DAMPING * transition.T
    system.flat[::n + 1] += 1.0
    scores = numpy.linalg.solve(system, numpy.full(n, (1 - DAMPING) / n))
    return scores / scores.sum()


class _Found(NamedTuple):
    """The candidates as parallel lists (what ranking needs of them)."""
    starts: list[int]
    ends: list[int]
    sections: list[int]
    # per candidate, what does not depend on the other sentences (the same float operations as
    # numpy's on arrays): weighted position score, length factor, kind factor
    position_terms: list[float]
    length_factors: list[float]
    kind_factors: list[float]


def _position_term(position: int) -> float:
    return WEIGHTS["position"] * (1.0 / math.sqrt(1.0 + position))


_POSITION_TERMS = [_position_term(p) for p in range(MAX_CANDIDATES)]


def _found(text: str, article, sections: list[int] | None = None, found: list[Candidate] | None = None) -> _Found:
    """``candidates(article, sections)[:MAX_CANDIDATES]`` (or ``found``) as parallel lists,
    without a Candidate per sentence."""
    starts, ends, numbers, positions, kinds = [], [], [], [], []
    if found is not None:
        for candidate in found:
            starts.append(candidate.start)
            ends.append(candidate.end)
            numbers.append(candidate.section)
            positions.append(candidate.position)
            kinds.append(CANDIDATE_KINDS[candidate.kind])
    else:
        weights = CANDIDATE_KINDS
        for number, section in enumerate(article.sections):
            if sections is not None and number not in sections:
                continue
            spans = [(sentence.span, weights[sentence.kind]) for sentence in section.body if sentence.kind in weights]
            starts += [span.start for span, _ in spans]
            ends += [span.end for span, _ in spans]
            numbers += [number] * len(spans)
            positions += range(len(spans))
            kinds += [weight for _, weight in spans]
        if len(starts) > MAX_CANDIDATES:
            del starts[MAX_CANDIDATES:], ends[MAX_CANDIDATES:], numbers[MAX_CANDIDATES:], positions[MAX_CANDIDATES:]
            del kinds[MAX_CANDIDATES:]
    terms = _POSITION_TERMS
    # the same float operations as numpy's on arrays: 1 / sqrt(1 + position), weighted;
    # numpy.minimum(1.0, length / _SHORT_CHARS) * numpy.where(length > _LONG_CHARS, 0.85, 1.0);
    # kind weight * (0.5 for a question)
    position_terms = [terms[p] if p < MAX_CANDIDATES else _position_term(p) for p in positions]
    length_factors = [(1.0 if e - s >= _SHORT_CHARS else (e - s) / _SHORT_CHARS) * (0.85 if e - s > _LONG_CHARS else 1.0)
                      for s, e in zip(starts, ends)]
    kind_factors = [w * 0.5 if text[e - 1] in "?？" else w for w, e in zip(kinds, ends)]
    return _Found(starts, ends, numbers, position_terms, length_factors, kind_factors)


def _reference_spans(article, numbers: list[int]) -> tuple[list[int], list[int], list[int]]:
    """``_references`` flattened: starts, ends, and the number of spans of each section with
    candidates (in section order)."""
    starts, ends, sizes = [], [], []
    shared = [(s.start, s.end) for s in article.takeaways] if USE_TAKEAWAYS else []
    title = article.title
    for number in sorted(set(numbers)):
        section = article.sections[number]
        size = 0
        for span in (title, section.heading, section.question, section.answer):
            if span is not None:
                starts.append(span.start)
                ends.append(span.end)
                size += 1
        for start, end in shared:
            starts.append(start)
            ends.append(end)
        sizes.append(size + len(shared))
    return starts, ends, sizes


def _score(text: str, article, doc, found: _Found, view: ContentView, df: DocumentFrequency, lemma_idf: LemmaIdf,
           k: int | None = None) -> tuple[numpy.ndarray | None, numpy.ndarray | None, numpy.ndarray]:
    """(scores, cosine matrix, indices of the candidates with enough content words); with
    ``k``, scores and matrix are None when there are at most ``k`` of those (all of them are
    chosen, whatever their scores)."""
    m = len(found.starts)
    reference_starts, reference_ends, sizes = _reference_spans(article, found.sections)
    rows = m + len(reference_starts)
    bounds = view.starts.searchsorted(numpy.array(found.starts + reference_starts + found.ends + reference_ends,
                                                  dtype=numpy.int64))
    expanded = _expand(view, bounds[:rows], bounds[rows:])
    counts = _counts(expanded, rows)[:m]
    keep = (counts[:, 0] >= MIN_CONTENT_WORDS).nonzero()[0].tolist()
    if k is not None and len(keep) <= k:
        return None, None, keep
    matrix = _matrix(doc, view, expanded, rows, df, lemma_idf)
    if len(sizes) == 1 and sizes[0] > 0:  # one reference row: merged in place
        if sizes[0] > 1:
            matrix[m] = matrix[m:].sum(axis=0)
            matrix = matrix[:m + 1]
    else:
        merged, position = [], m
        for size in sizes:
            merged.append(matrix[position:position + size].sum(axis=0))
            position += size
        matrix = numpy.vstack([matrix[:m], *merged])
    # numpy.linalg.norm(matrix, axis=1, keepdims=True), and rows of norm 0 stay as they are (0)
    norms = numpy.sqrt(numpy.add.reduce(matrix * matrix, axis=1, keepdims=True))
    if norms.all():
        matrix /= norms
    else:
        numpy.divide(matrix, norms, out=matrix, where=norms != 0)
    sentences, titles = matrix[:m], matrix[m:]
    similarity = sentences @ sentences.T
    if m > 1:
        centrality = _lexrank(similarity)
        top = centrality.max()
        if top > 0:
            centrality = centrality / top
    else:
        centrality = numpy.ones(1)
    if len(sizes) == 1:
        title_sim = (sentences * titles[0]).sum(axis=1)
    else:
        row_of = {number: row for row, number in enumerate(sorted(set(found.sections)))}
        title_sim = (sentences * titles[[row_of[n] for n in found.sections]]).sum(axis=1)
    statics = numpy.array([found.position_terms, found.length_factors, found.kind_factors])
    words, informative = counts[:, 1], counts[:, 2]
    density = numpy.zeros(m)
    numpy.divide(informative, words, out=density, where=words > 0)
    density /= 0.5
    numpy.minimum(density, 1.0, out=density)
    score = (WEIGHTS["centrality"] * centrality + WEIGHTS["title"] * title_sim
             + statics[0] + WEIGHTS["density"] * density)
    score *= statics[1]
    score *= statics[2]
    return score, similarity, keep


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


_SMALL_SELECT = 64  # up to this many candidates, ``select`` in plain Python floats is cheaper


def _select_among(score: numpy.ndarray, similarity: numpy.ndarray, keep: list[int], k: int,
                  sections: list[int] | None = None, lead: bool = False) -> list[int]:
    """``[keep[i] for i in select(score[keep], similarity[keep][:, keep], k)]``, in plain
    Python for few candidates (the same float operations, so the same choices).
    ``sections`` (the section of each candidate) spreads the points: no section gets a second
    one while a section with candidates has none. ``lead``: the first candidate is chosen
    first, whatever its score (plain news puts the story in its first sentence)."""
    values = score.tolist()
    n = len(keep)
    spread = sections is not None and len({sections[i] for i in keep}) > 1
    if not spread and not lead and (n > _SMALL_SELECT or not math.isfinite(sum(values))):
        subset = numpy.array(keep)
        return [keep[i] for i in select(score[subset], similarity[subset][:, subset], k)]
    every = n == len(values)
    scores = values if every else [values[i] for i in keep]
    penalty = [0.0] * n
    available = list(range(n))
    uncovered = {sections[i] for i in keep} if spread else set()
    chosen: list[int] = []
    rounds = min(k, n)
    for round_ in range(rounds):
        # max(): the first of equal values, text order (score - REDUNDANCY * 0.0 is score)
        current = [s - REDUNDANCY * p for s, p in zip(scores, penalty)] if round_ else scores
        pool = [i for i in available if sections[keep[i]] in uncovered] if uncovered else available
        best = 0 if lead and round_ == 0 else max(pool, key=current.__getitem__)
        chosen.append(best)
        available.remove(best)
        if spread:
            uncovered.discard(sections[keep[best]])
        if round_ + 1 < rounds:
            row = similarity[keep[best]].tolist()
            if not every:
                row = [row[i] for i in keep]
            penalty = [p if p >= q else q for p, q in zip(penalty, row)]  # numpy.maximum
    return sorted(keep[i] for i in chosen)


def extract_key_points(text: str, article, doc, *, k: int = DEFAULT_KEY_POINTS, view: ContentView | None = None,
                       document_frequency: DocumentFrequency | None = None, sections: list[int] | None = None,
                       even_if_marked: bool = False, lemma_idf: LemmaIdf | None = None) -> list[dict]:
    """Up to ``k`` extracted key points as summary ``key_points`` items (text order); none
    when the article has marked points (unless ``even_if_marked``, for evaluation).
    ``lemma_idf``: the caller's cache of idf values (the same result without, only slower)."""
    if k <= 0 or (not even_if_marked and any(section.points for section in article.sections)):
        return []
    view = view if view is not None else content_view(text, article, doc)
    found = _found(text, article, sections)
    if not found.starts:
        return []
    df = document_frequency or background_frequency()
    score, similarity, keep = _score(text, article, doc, found, view, df, LemmaIdf() if lemma_idf is None else lemma_idf,
                                     k=k)
    if not keep:
        return []
    picked = keep if score is None else _select_among(score, similarity, keep, k, found.sections,
                                                      lead=not article.is_aggregator)
    return [{"text": text[found.starts[i]:found.ends[i]], "start": found.starts[i], "end": found.ends[i],
             "section": found.sections[i], "marker": None, "extracted": True} for i in picked]
