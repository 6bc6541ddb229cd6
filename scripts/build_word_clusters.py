"""Rebuild ``pipeline/resources/entities/word_clusters.npz``: word classes the entity tagger
reads as features, from the chiVe word vectors (Works Applications, Apache License 2.0) as
ja_ginza 5.3.0 (Megagon Labs, MIT) ships them: 480,443 words mapped onto 20,000 vectors of
300 dimensions.

Usage (in a venv of its own; GiNZA pulls SudachiPy and its dictionary, which the project
does not need):

    python -m venv /tmp/ginza && /tmp/ginza/bin/pip install ja-ginza==5.3.0 fugashi unidic-lite
    /tmp/ginza/bin/python scripts/build_word_clusters.py

The 20,000 vectors are clustered twice by spherical k-means (cosine; ``COARSE`` and ``FINE``
clusters, fixed seed). A word is kept when its NFKC form is one token of our tokenizer
(fugashi + unidic-lite), the only way the tagger can meet it, has no whitespace (which
our tokenizer keeps apart) and is at most 12 characters.
Why classes and not the vectors: a class is one more attribute of a lexeme, summed once per
distinct lexeme like the others, so it costs the tagger nothing per token; names that no
training sentence has (朝陽電子, a new car model) share a class with names that do.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import fugashi  # type: ignore[import-not-found]
import numpy as np
import spacy  # type: ignore[import-not-found]
import unidic_lite  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "resources" / "entities" / "word_clusters.npz"
COARSE, FINE = 64, 512
MAX_LENGTH = 12
SEED = 0
ITERATIONS = 25


def word_key(word: str) -> int:
    """The 64-bit key a word is looked up by (``pipeline.entities.clusters.word_key``: the two
    must agree, and a test holds them together)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def spherical_kmeans(unit: np.ndarray, k: int, seed: int = SEED) -> np.ndarray:
    """The cluster of each row of ``unit`` (rows of length 1), by cosine."""
    rng = np.random.default_rng(seed)
    centres = unit[rng.choice(len(unit), k, replace=False)].copy()
    for _ in range(ITERATIONS):
        assigned = np.argmax(unit @ centres.T, axis=1)
        for j in range(k):
            members = unit[assigned == j]
            if len(members):
                centre = members.mean(axis=0)
                centres[j] = centre / max(float(np.linalg.norm(centre)), 1e-6)
    return np.argmax(unit @ centres.T, axis=1)


def main() -> int:
    nlp = spacy.load("ja_ginza")
    vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
    data = np.asarray(vectors.data, dtype=np.float32)
    unit = data / np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-6)
    fine = spherical_kmeans(unit, FINE)
    coarse = spherical_kmeans(unit, COARSE)
    # a fine cluster's coarse class: the one most of its vectors fall in
    coarse_of_fine = np.array([np.bincount(coarse[fine == j], minlength=COARSE).argmax() if (fine == j).any() else 0
                               for j in range(FINE)], dtype=np.uint16)
    tagger = fugashi.Tagger("-d " + unidic_lite.DICDIR)
    kept: dict[str, int] = {}
    for key, row in sorted(vectors.key2row.items(), key=lambda item: strings[item[0]]):
        word = unicodedata.normalize("NFKC", strings[key])
        if not word or len(word) > MAX_LENGTH or word.isdigit() or word in kept or any(ch.isspace() for ch in word):
            continue
        if len(tagger(word)) == 1:
            kept[word] = int(fine[row])
    words = sorted(kept, key=word_key)
    keys = np.array([word_key(w) for w in words], dtype=np.uint64)
    assert len(np.unique(keys)) == len(keys), "two words share a key"
    # the tagger looks words up by key in a sorted array (2.6 MB held, where a dict of the
    # words held 28 MB per process); the words themselves are kept for inspection only
    np.savez_compressed(OUT, keys=keys, fine=np.array([kept[w] for w in words], dtype=np.uint16),
                        coarse_of_fine=coarse_of_fine, words=np.array("\n".join(words)),
                        source=np.array(f"chiVe vectors as in ja_ginza {nlp.meta['version']}; k-means {COARSE}/{FINE}, seed {SEED}"))
    print(f"{len(words)} words, {COARSE} / {FINE} classes -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
