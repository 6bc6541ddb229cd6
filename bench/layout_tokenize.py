"""Throughput of layout + tokenization, as a ratio to raw fugashi tokenization of the same
texts in the same process (the yardstick). Usage: python bench/layout_tokenize.py [REPEAT]"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import benchmark_texts  # noqa: E402

from pipeline.nlp.dictionary import new_tagger  # noqa: E402
from pipeline.layout.article import parse_article  # noqa: E402
from pipeline.summary.language import make_nlp  # noqa: E402


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    texts, described = benchmark_texts()
    chars = sum(map(len, texts))
    tagger = new_tagger()
    nlp = make_nlp(entities=None)  # the tokenizer alone: entities have their own bench
    for text in texts:  # warm caches on both sides
        nlp(text)
        tagger(text)

    def raw():
        for text in texts:
            [node.surface for node in tagger(text)]

    def layout():
        for text in texts:
            parse_article(text)

    def tokenize():
        for text in texts:
            nlp(text)

    def both():
        for text in texts:
            parse_article(text)
            nlp(text)

    figures = {name: best_of(repeat, work) for name, work in
               [("raw fugashi", raw), ("layout", layout), ("spaCy tokenizer", tokenize), ("layout + tokenizer", both)]}
    print(f"corpus: {described}; {len(texts)} texts, {chars:,} chars; best of {repeat}")
    print(f"{'stage':<20}{'chars/s':>14}{'x raw fugashi time':>22}")
    for name, seconds in figures.items():
        print(f"{name:<20}{chars / seconds:>14,.0f}{seconds / figures['raw fugashi']:>22.2f}")


if __name__ == "__main__":
    main()
