"""Keywords: content-word n-grams on UniDic POS, scored by BM25-style tf x idf.

Candidates (``keyword_candidates``) are noun compounds, their head-final tails and single
nouns from the article's content: title, headings, questions, answers, points, takeaways
and body sentences that are not ``boilerplate``; URLs never count. When the entity stage
has put entities in ``doc.ents`` (it runs before this one), each entity is one candidate
under its canonical name and its tokens do not form other compounds.

Scores are comparable across the articles of one run: the idf comes from one document
frequency table for the whole run (``document_frequency``: the background table shipped as
data, or the run's own table from ``jnews keywords-df`` / ``--keywords-df batch``), and the
tf part is BM25's saturation with a fixed average length, so the same weight of the same
word scores the same in any article.

Build the background table (documented in the README):
    python -m pipeline.keywords build-background ../shared/data/stockmark-ner-wikipedia/ner.json
"""

from __future__ import annotations

import numpy

from .document_frequency import BACKGROUND_PATH, DocumentFrequency, background_frequency, build_background
from .candidates import KeywordCache, find_candidates
from ..nlp.token_view import (ADJ, ADVNOUN, ANOUN, COMPOUND_CLASSES, COUNTER, DOT, HEAD_CLASSES, NOUN, NUM, OTHER,
                         PREFIX, PROPER, SIMILARITY_CLASSES, SIMILARITY_MASK, SUFFIX, VERB, VNOUN, ContentView,
                         class_mask, content_spans, content_view, tag_class)
from ..rule_tables import RESOURCES_DIR

__all__ = ["DEFAULT_KEYWORDS", "KeywordCache", "ContentView", "content_view", "content_spans", "DocumentFrequency",
           "background_frequency", "document_keys", "extract_keywords", "build_background", "tag_class",
           "class_mask", "SIMILARITY_CLASSES", "SIMILARITY_MASK", "COMPOUND_CLASSES", "HEAD_CLASSES", "NOUN",
           "PROPER", "NUM", "PREFIX", "SUFFIX", "COUNTER", "ADVNOUN", "VERB", "ADJ", "OTHER", "VNOUN", "ANOUN",
           "DOT", "BACKGROUND_PATH"]

DEFAULT_KEYWORDS = 10
_K1, _B, _AVG_CONTENT_TOKENS = 1.2, 0.5, 250.0


def document_keys(text: str, article, doc, cache: KeywordCache | None = None) -> set[str]:
    """The keys this article contributes to a batch's document frequencies (``cache``: as
    for ``extract_keywords``)."""
    found = find_candidates(text, doc, content_view(text, article, doc), cache)
    keys = set()
    for i in range(len(found)):
        keys.add(found.key(i))
        keys.update(found.parts(i))
    return keys


def extract_keywords(text: str, article, doc, *, top: int = DEFAULT_KEYWORDS,
                     document_frequency: DocumentFrequency | None = None,
                     view: ContentView | None = None, cache: KeywordCache | None = None) -> list[dict]:
    """The ``top`` keyphrases of an article as ``{"text", "score"}``, best first. ``cache``:
    what earlier articles left, owned by the caller (the keywords stage keeps one); the
    result is the same without it, only slower."""
    if top <= 0:
        return []
    df = document_frequency or background_frequency()
    view = view if view is not None else content_view(text, article, doc)
    cache = KeywordCache() if cache is None else cache
    found = find_candidates(text, doc, view, cache)
    if not len(found):
        return []
    norm = _K1 * (1 - _B + _B * max(found.content_tokens, 1) / _AVG_CONTENT_TOKENS)
    if df is background_frequency():
        idf = found.idf
    else:
        idf = numpy.array([cache.idf_of(found.parts(i), found.key(i), df) for i in range(len(found))])
    tf = found.weight
    # the same operations in the same order as on one candidate: the same floats, the same bytes
    scores = -found.factor * tf * (_K1 + 1) / (tf + norm) * idf
    kept = min(top, len(scores))
    cutoff = numpy.partition(scores, kept - 1)[kept - 1]
    firsts = found.first
    # best first; equal scores by first occurrence, then by key (every candidate within the cutoff)
    within = numpy.nonzero(scores <= cutoff)[0]
    indices = within.tolist()
    best = sorted(zip(scores[within].tolist(), firsts[within].tolist(), map(found.key, indices), indices))
    return [{"text": found.display(i), "score": round(-score, 4)} for score, _, _, i in best[:top]]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.keywords")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-background", help="rebuild the background document-frequency table")
    build.add_argument("ner_json")
    build.add_argument("-o", "--out", default=str(RESOURCES_DIR / BACKGROUND_PATH))
    build.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)
    documents, kept = build_background(args.ner_json, args.out, args.min_count)
    print(f"{documents} documents, {kept} keys -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
