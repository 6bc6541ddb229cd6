"""Gazetteers as data (``resources/entities/*.tsv``) and their matcher.

Every entry has a stable id (``gpe.us``, ``per.ishiba_shigeru``, ``law.npt``), a label, a
canonical name and its surface forms. Aliases marked ``?`` only count with context: a role
or honorific right after them, or the entry's full form earlier in the same article.
Matching is longest-first on character positions that fall on token boundaries.
"""

from __future__ import annotations

import re
import unicodedata

import numpy
from dataclasses import dataclass
from functools import lru_cache

from ..rule_tables import read_json, read_rows

__all__ = ["Entry", "Gazetteer", "load_gazetteer", "load_roles", "load_context"]


@dataclass(frozen=True)
class Entry:
    id: str
    label: str
    canonical: str
    short: tuple[str, ...] = ()   # one-kanji forms of a country (米, 日, 中 …)


def _rows(name: str) -> list[list[str]]:
    return read_rows(f"entities/{name}")


class Gazetteer:
    def __init__(self) -> None:
        self.surfaces: dict[str, tuple[Entry, bool]] = {}   # surface -> (entry, needs context)
        self.by_id: dict[str, Entry] = {}
        self.short: dict[str, Entry] = {}                   # 米 -> gpe.us
        self.lengths: dict[str, list[int]] = {}             # first two chars (or one) -> lengths, longest first
        self._single = numpy.zeros(0, dtype=bool)
        self._pairs = numpy.zeros(0, dtype=numpy.uint64)

    def add(self, entry: Entry, aliases: list[str]) -> None:
        self.by_id[entry.id] = entry
        for alias in aliases:
            alias = alias.strip()
            if not alias:
                continue
            needs_context = alias.startswith("?")
            alias = alias.lstrip("?")
            for form in {alias, unicodedata.normalize("NFKC", alias)}:
                if form not in self.surfaces:
                    self.surfaces[form] = (entry, needs_context)
        for ch in entry.short:
            self.short[ch] = entry

    def finish(self) -> "Gazetteer":
        lengths: dict[str, set[int]] = {}
        for surface in self.surfaces:
            lengths.setdefault(surface[:2], set()).add(len(surface))
        for head, found in lengths.items():
            if len(head) == 2 and head[0] in lengths:
                found.add(1)  # a one-character surface is the shortest candidate after any pair
        self.lengths = {head: sorted(v, reverse=True) for head, v in lengths.items()}
        self._single = numpy.zeros(0x110000, dtype=bool)  # over code points: one-character surfaces
        self._single[[ord(s) for s in self.surfaces if len(s) == 1]] = True
        self._pairs = numpy.array(sorted({ord(s[0]) << 21 | ord(s[1]) for s in self.surfaces if len(s) > 1}),
                                  dtype=numpy.uint64)  # the first two characters of the others
        return self

    def may_start(self, codes: numpy.ndarray, positions: numpy.ndarray) -> numpy.ndarray:
        """The ``positions`` (into ``codes``, the text's code points) where a surface could
        start, judged by its first two characters: ``find`` need look nowhere else."""
        if len(positions) == 0:
            return positions
        first = codes[positions].astype(numpy.uint64)
        following = codes[numpy.minimum(positions + 1, len(codes) - 1)].astype(numpy.uint64)
        keys = first << numpy.uint64(21) | following
        found = numpy.searchsorted(self._pairs, keys)
        pair = self._pairs[numpy.minimum(found, len(self._pairs) - 1)] == keys if len(self._pairs) else False
        return positions[self._single[codes[positions]] | pair]

    def find(self, text: str, starts: set[int], ends: set[int], lo: int = 0, hi: int | None = None):
        """Yield (start, end, entry, needs_context) for the longest surface at each token
        start (scanning left to right, skipping inside a match). ``starts`` may leave out
        the positions ``may_start`` rules out."""
        hi = len(text) if hi is None else hi
        position = lo
        for start in sorted(s for s in starts if lo <= s < hi):
            if start < position:
                continue
            lengths = self.lengths.get(text[start:start + 2])
            if lengths is None:
                lengths = self.lengths.get(text[start], ())
            for length in lengths:
                end = start + length
                if end in ends and end <= hi:
                    hit = self.surfaces.get(text[start:end])
                    if hit is not None:
                        yield start, end, hit[0], hit[1]
                        position = end
                        break


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    gazetteer = Gazetteer()
    for row in _rows("countries.tsv"):
        entry_id, canonical, aliases = row[0], row[1], row[2]
        short = tuple(row[3].strip()) if len(row) > 3 else ()
        gazetteer.add(Entry(entry_id, "GPE", canonical, short), aliases.split("|"))
    for row in _rows("people.tsv"):
        gazetteer.add(Entry(row[0], "PERSON", row[1]), row[2].split("|"))
    for row in _rows("names.tsv"):
        gazetteer.add(Entry(row[0], row[1], row[2]), row[3].split("|"))
    return gazetteer.finish()


@lru_cache(maxsize=1)
def load_roles() -> tuple[tuple[str, re.Pattern], ...]:
    """(id, compiled pattern) of every role pattern in ``roles.tsv``; callers take the
    longest match."""
    return tuple((row[0], re.compile(row[1])) for row in _rows("roles.tsv"))


@lru_cache(maxsize=1)
def load_context() -> dict:
    return read_json("entities/context.json")
