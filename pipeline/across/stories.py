"""Stories: the articles of a run that tell the same story, whatever their source, ids or titles.

Each article's body (its sections' body sentences, boilerplate left out; the title only when
there is no body) is reduced to a set of character 5-shingles of its NFKC letters and digits,
and that set to a MinHash signature (``datasketch``, 128 permutations). Locality-sensitive
hashing proposes the pairs that may share text: 37 bands of 3 signature values (datasketch's
optimal parameters for Jaccard 0.3), and two articles with an equal band are a candidate. The
bands are sorted with numpy rather than put in datasketch's ``MinHashLSH``, whose Python dicts
and sets cost about 14 KB per article (measured) where the arrays cost about 1 KB. A candidate
pair is linked when the two bodies are near-duplicates:

- estimated Jaccard similarity of the shingle sets >= ``SAME_TEXT`` (the same text republished
  with another title or source line), or
- estimated containment (the shared shingles over the smaller set) >= ``CONTAINED`` (a dropped,
  added or rewritten sentence or two), or
- estimated Jaccard >= ``SHARED_TEXT`` and the two articles name mostly the same entities (Jaccard
  of their PERSON/ORG/GPE/... ids >= ``SAME_ENTITIES``, at least ``MIN_ENTITIES`` each): one
  story retold from the same wire copy.

Linked articles form a story (union-find, so links chain); a story's id, title and first date
come from its first article. Time is near-linear in the number of articles (shingling and
signing each article, then one sort per band), and memory is about 2.5 KB per article
(measured by ``bench/stories_bench.py``: its signature, bands, shingle count and entity ids,
plus, for the stories of two or more articles, their members and top names); the texts are
not kept. Every choice is made in row order, so the
output is the same for the same run.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, Union

import numpy

__all__ = ["Story", "find_stories", "story_records", "SAME_TEXT", "CONTAINED", "SHARED_TEXT", "SAME_ENTITIES"]

SHINGLE = 5
NUM_PERM = 128
SAME_TEXT = 0.5
CONTAINED = 0.8
SHARED_TEXT = 0.2
SAME_ENTITIES = 0.5
MIN_ENTITIES = 3
TOP_ENTITIES = 5
_NAMES_KEPT = 10     # an article's most named entities, for the story line
_ENTITIES_KEPT = 32  # entity ids per article compared for the retold-story link
_BANDS, _ROWS = 37, 3  # datasketch.lsh's optimal parameters for a Jaccard threshold of 0.3 and 128 permutations
_CHUNK = 4096
_NUMBER_LABELS = {"MONEY", "PERCENT", "QUANTITY"}
_MIX = numpy.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: a multiplicative hash of the shingle


@dataclass
class Story:
    story: str
    articles: list[dict]        # [{"row", "id"}] in row order
    title: str | None
    entities: list[str]
    published: list[str | None]  # [first, last]

    def record(self) -> dict:
        return {"story": self.story, "articles": self.articles, "title": self.title, "entities": self.entities,
                "published": self.published}


def _body(summary: dict) -> str:
    parts = [b.get("text") or "" for section in summary.get("sections") or () for b in section.get("body") or ()
             if b.get("kind") != "boilerplate"]
    return "\n".join(parts) if parts else (summary.get("title") or "")


def _shingle_hashes(text: str) -> numpy.ndarray:
    """Distinct 64-bit hashes of the character 5-shingles of the text's NFKC letters and digits
    (a fixed function of the text: not Python's per-process ``hash``)."""
    text = unicodedata.normalize("NFKC", text)
    kept = [ord(c) for c in text if unicodedata.category(c)[0] in "LN"]
    if not kept:
        return numpy.zeros(0, dtype=numpy.uint64)
    codes = numpy.array(kept, dtype=numpy.uint64)
    if len(codes) < SHINGLE:
        codes = numpy.concatenate([codes, numpy.zeros(SHINGLE - len(codes), dtype=numpy.uint64)])
    n = len(codes) - SHINGLE + 1
    with numpy.errstate(over="ignore"):  # wrap-around is the hash
        h = numpy.zeros(n, dtype=numpy.uint64)
        for j in range(SHINGLE):
            h = (h ^ codes[j:j + n]) * _MIX
    return numpy.unique(h)


def _signature(hashes: numpy.ndarray) -> numpy.ndarray:
    from datasketch import MinHash

    signature = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)
    if len(hashes):
        signature.update_batch((hashes >> numpy.uint64(32)).tolist())  # the hash's high, best-mixed bits
    return signature.hashvalues.astype(numpy.uint32)  # the values are below 2**32


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") or 1


def _top_names(summary: dict) -> list[tuple[str, int]]:
    """The article's most named entities with their counts (at most ``_NAMES_KEPT``)."""
    names = Counter(e.get("canonical") or e.get("text") for e in summary.get("entities") or ()
                    if e.get("label") not in _NUMBER_LABELS)
    return names.most_common(_NAMES_KEPT)


def _entity_hashes(summary: dict) -> list[int]:
    ids = sorted({e["id"] for e in summary.get("entities") or () if e.get("id") and e.get("label") not in _NUMBER_LABELS})
    return [_stable_hash(i) for i in ids[:_ENTITIES_KEPT]]


class _Columns:
    """Per-article arrays, grown in chunks: the signatures, shingle counts and entity hashes."""

    def __init__(self) -> None:
        self.chunks: list[tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]] = []
        self._start()

    def _start(self) -> None:
        self.signatures = numpy.zeros((_CHUNK, NUM_PERM), dtype=numpy.uint32)
        self.counts = numpy.zeros(_CHUNK, dtype=numpy.int64)
        self.entities = numpy.zeros((_CHUNK, _ENTITIES_KEPT), dtype=numpy.uint64)
        self.filled = 0

    def add(self, signature, count: int, entities: list[int]) -> None:
        if self.filled == _CHUNK:
            self.chunks.append((self.signatures, self.counts, self.entities))
            self._start()
        self.signatures[self.filled] = signature
        self.counts[self.filled] = count
        self.entities[self.filled, :len(entities)] = entities
        self.filled += 1

    def arrays(self):
        parts = self.chunks + [(self.signatures[:self.filled], self.counts[:self.filled], self.entities[:self.filled])]
        return tuple(numpy.concatenate([p[i] for p in parts]) for i in range(3))


def _bands(signatures: numpy.ndarray) -> numpy.ndarray:
    """LSH bands: ``_BANDS`` groups of ``_ROWS`` signature values, each hashed to one uint64."""
    values = signatures[:, :_BANDS * _ROWS].astype(numpy.uint64).reshape(len(signatures), _BANDS, _ROWS)
    with numpy.errstate(over="ignore"):
        h = numpy.zeros(values.shape[:2], dtype=numpy.uint64)
        for j in range(_ROWS):
            h = (h ^ values[:, :, j]) * _MIX
    return h


def _candidate_pairs(bands: numpy.ndarray, usable: numpy.ndarray) -> numpy.ndarray:
    """(earlier, later) rows that share a band: in each run of equal band hashes, each member
    with the one before it and with the first (sorting, not a Python index: a few bytes per
    article instead of kilobytes)."""
    rows = numpy.flatnonzero(usable)
    pairs = []
    for band in range(bands.shape[1]):
        keys = bands[rows, band]
        order = numpy.argsort(keys, kind="stable")
        sorted_keys, sorted_rows = keys[order], rows[order]
        same = numpy.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if not len(same):
            continue
        run_start = numpy.flatnonzero(numpy.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        first = run_start[numpy.searchsorted(run_start, same, side="right") - 1]
        pairs.append(numpy.stack([sorted_rows[same - 1], sorted_rows[same]], axis=1))
        pairs.append(numpy.stack([sorted_rows[first], sorted_rows[same]], axis=1))
    if not pairs:
        return numpy.zeros((0, 2), dtype=numpy.int64)
    found = numpy.concatenate(pairs)
    found.sort(axis=1)
    found = found[found[:, 0] != found[:, 1]]
    return numpy.unique(found, axis=0)


def _linked_pairs(pairs: numpy.ndarray, signatures, counts, entities) -> list[tuple[int, int]]:
    linked = []
    for chunk in range(0, len(pairs), _CHUNK):
        a, b = pairs[chunk:chunk + _CHUNK, 0], pairs[chunk:chunk + _CHUNK, 1]
        same = numpy.count_nonzero(signatures[a] == signatures[b], axis=1) / NUM_PERM
        shared = same * (counts[a] + counts[b]) / (1.0 + same)
        contained = shared / numpy.maximum(1, numpy.minimum(counts[a], counts[b]))
        text = (same >= SAME_TEXT) | (contained >= CONTAINED)
        for i in numpy.flatnonzero(~text & (same >= SHARED_TEXT)).tolist():
            mine = set(entities[a[i]].tolist()) - {0}
            theirs = set(entities[b[i]].tolist()) - {0}
            if len(mine) >= MIN_ENTITIES and len(theirs) >= MIN_ENTITIES:
                text[i] = len(mine & theirs) / len(mine | theirs) >= SAME_ENTITIES
        linked += list(zip(a[text].tolist(), b[text].tolist()))
    return linked


def _roots(n: int, links: list[tuple[int, int]]) -> numpy.ndarray:
    """The first row of each article's story (union-find; the smallest row is the root, so the
    result does not depend on the order of the links)."""
    parent = list(range(n))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return numpy.array([find(x) for x in range(n)], dtype=numpy.int64)


Source = Union[Sequence[dict], Callable[[], Iterable[dict]]]


def _passes(source: Source) -> Callable[[], Iterable[dict]]:
    return source if callable(source) else (lambda: iter(source))


def find_stories(source: Source) -> Iterator[Story]:
    """The stories of a run's summaries, in order of their first article (error records and
    empty articles are stories of one). ``source``: the summaries as a sequence, or a function
    that reads them anew: they are read three times (signatures; what stories of two or more
    articles need; the story lines in order), never held in memory."""
    read = _passes(source)
    columns, usable = _Columns(), []
    for summary in read():
        hashes = numpy.zeros(0, dtype=numpy.uint64) if summary.get("error") else _shingle_hashes(_body(summary))
        usable.append(bool(len(hashes)))
        columns.add(_signature(hashes) if len(hashes) else numpy.zeros(NUM_PERM, dtype=numpy.uint32), len(hashes),
                    _entity_hashes(summary) if len(hashes) else [])
    signatures, counts, entities = columns.arrays()
    del columns
    n = len(usable)
    pairs = _candidate_pairs(_bands(signatures), numpy.array(usable, dtype=bool))
    roots = _roots(n, _linked_pairs(pairs, signatures, counts, entities))
    del signatures, counts, entities, pairs
    sizes = numpy.bincount(roots, minlength=n)
    shared: dict[int, _Gathered] = {}
    for row, summary in enumerate(read()):
        root = int(roots[row])
        if sizes[root] > 1:
            shared.setdefault(root, _Gathered()).add(row, summary)
    for row, summary in enumerate(read()):
        if roots[row] != row:
            continue
        gathered = shared.pop(row, None)
        if gathered is None:
            gathered = _Gathered()
            gathered.add(row, summary)
        yield gathered.story()


class _Gathered:
    """What a story line needs of its articles."""

    def __init__(self) -> None:
        self.articles: list[dict] = []
        self.title = None
        self.names: Counter = Counter()
        self.order: dict[str, int] = {}
        self.dates: list[str] = []

    def add(self, row: int, summary: dict) -> None:
        if not self.articles:
            self.title = summary.get("title")
        self.articles.append({"row": row, "id": str(summary.get("id"))})
        if not summary.get("error"):
            for name, count in _top_names(summary):
                self.names[name] += count
                self.order.setdefault(name, len(self.order))
        if summary.get("published"):
            self.dates.append(summary["published"])

    def story(self) -> Story:
        top = sorted(self.names, key=lambda name: (-self.names[name], self.order[name]))[:TOP_ENTITIES]
        digest = hashlib.blake2b("\x1f".join(a["id"] for a in self.articles).encode("utf-8"), digest_size=6)
        return Story(story=f"s{self.articles[0]['row']}.{digest.hexdigest()}", articles=self.articles,
                     title=self.title, entities=top,
                     published=[min(self.dates), max(self.dates)] if self.dates else [None, None])


def story_records(run: str | os.PathLike) -> Iterator[dict]:
    """The story lines of a run file (JSONL or JSONL.gz), in order of their first article."""
    from ..io.output import iter_run

    for story in find_stories(lambda: iter_run(run)):
        yield story.record()
