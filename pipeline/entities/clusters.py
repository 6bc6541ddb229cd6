"""Word classes from pretrained vectors: the tagger's ``c`` and ``cf`` attributes.

``resources/entities/word_clusters.npz`` maps 266,656 words (NFKC, each one token of our
tokenizer) to one of 512 fine classes, each in one of 64 coarse ones: spherical k-means over
the chiVe vectors (Works Applications, Apache License 2.0) as ja_ginza 5.3.0 ships them.
Rebuilt by ``scripts/build_word_clusters.py``. A word the table does not have gets ``-``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from ..rule_tables import resource_file

__all__ = ["CLUSTERS_FILE", "WordClusters", "load_word_clusters", "table_words", "word_key"]

CLUSTERS_FILE = "entities/word_clusters.npz"
UNKNOWN = ("-", "-")


def word_key(word: str) -> int:
    """A word's 64-bit lookup key (the build script computes the same)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class WordClusters:
    """word -> (coarse class, fine class) as strings, ``("-", "-")`` when unknown. Looked up
    by key in a sorted array: 2.7 MB per process, where a dict of the words took 28 MB; the
    tagger asks once per distinct lexeme, so the slower lookup does not show."""

    def __init__(self, keys: np.ndarray, fine: np.ndarray, coarse_of_fine: np.ndarray, source: str = "") -> None:
        self.source = source
        self._keys = np.asarray(keys, dtype=np.uint64)
        self._fine = np.asarray(fine, dtype=np.uint16)
        self._names = [(f"c{int(c)}", f"f{j}") for j, c in enumerate(coarse_of_fine.tolist())]

    def __len__(self) -> int:
        return len(self._keys)

    def _find(self, word: str) -> tuple[str, str] | None:
        key = np.uint64(word_key(word))
        at = int(np.searchsorted(self._keys, key))
        if at < len(self._keys) and self._keys[at] == key:
            return self._names[int(self._fine[at])]
        return None

    def classes(self, word: str) -> tuple[str, str]:
        found = self._find(word)
        if found is None and word.isascii() and word.lower() != word:
            found = self._find(word.lower())
        return found or UNKNOWN


@lru_cache(maxsize=1)
def load_word_clusters() -> WordClusters:
    """The shipped table (read once per process; read-only afterwards)."""
    with resource_file(CLUSTERS_FILE) as path, np.load(path) as data:
        return WordClusters(data["keys"], data["fine"], data["coarse_of_fine"], str(data["source"]))


def table_words() -> list[str]:
    """The words of the shipped table, for inspection and tests (not held by the tagger)."""
    with resource_file(CLUSTERS_FILE) as path, np.load(path) as data:
        return str(data["words"]).split("\n")
