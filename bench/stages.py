"""Where one batch worker's time goes: each stage timed inside the pipeline, as a worker runs it.

The benchmark texts (see corpus.py) are summarized in batches as ``Worker.process`` does
(``summarize_batch``: groups of articles, stage by stage) and serialized; every stage is
timed with CPU time while the pipeline runs, and printed in units of raw fugashi
tokenization time of the same texts in the same process (median of per-round ratios).

Usage: python bench/stages.py [ROUNDS]
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import benchmark_texts  # noqa: E402

from pipeline import summary  # noqa: E402
from pipeline.dictionary import new_tagger  # noqa: E402
from pipeline.extractors import default_extractors  # noqa: E402
from pipeline.nlp import make_nlp  # noqa: E402
from pipeline.output import dumps_summary  # noqa: E402
from pipeline.reading import Record  # noqa: E402

SPENT: dict[str, float] = {}


def timed(name: str, work):
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return work(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.process_time() - start
    return run


class TimedExtractor:
    def __init__(self, name: str, extractor) -> None:
        self.name, self.extractor = name, extractor

    def __call__(self, **fields):
        return self.pipe([fields])[0]

    def pipe(self, items):
        pipe = getattr(self.extractor, "pipe", None)
        work = pipe if pipe is not None else (lambda items: [self.extractor(**item) for item in items])
        return timed(self.name, work)(items)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    texts, described = benchmark_texts()
    records = [Record(id=str(i), text=text) for i, text in enumerate(texts)]
    tagger = new_tagger()
    nlp = make_nlp()
    nlp.tokenizer = timed("tokenizer", nlp.tokenizer)

    class TimedNlp:  # what summarize_batch uses of a Language, each component timed
        make_doc = staticmethod(nlp.make_doc)
        pipeline = [(name, timed(name, component)) for name, component in nlp.pipeline]

    extractors = [TimedExtractor(getattr(e, "__name__", type(e).__name__), e) for e in default_extractors()]
    summary.parse_article = timed("layout", summary.parse_article)
    summary._summary = timed("summary dict", summary._summary)
    serialize = timed("JSON line", dumps_summary)

    def run():
        for start in range(0, len(records), summary.GROUP_RECORDS):
            for made in summary.summarize_batch(records[start:start + summary.GROUP_RECORDS], TimedNlp,
                                                extractors=extractors):
                serialize(made)

    run()
    gc.collect()
    gc.freeze()  # as a batch worker does after its first batch
    ratios: dict[str, list[float]] = {}
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            [node.surface for node in tagger(text)]
        raw = time.process_time() - start
        SPENT.clear()
        start = time.process_time()
        run()
        whole = time.process_time() - start
        for name, seconds in SPENT.items():
            ratios.setdefault(name, []).append(seconds / raw)
        ratios.setdefault("whole pipeline", []).append(whole / raw)
        ratios.setdefault("  not in a stage above", []).append((whole - sum(SPENT.values())) / raw)
    print(f"corpus: {described}; {len(texts)} texts, {sum(map(len, texts)):,} chars; median of {rounds} rounds")
    print(f"{'stage':<34}{'x raw fugashi time':>20}")
    for name, values in ratios.items():
        print(f"{name:<34}{statistics.median(values):>20.2f}")


if __name__ == "__main__":
    main()
