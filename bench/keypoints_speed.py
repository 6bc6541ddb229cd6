"""Cost of key points + keywords (and boilerplate lines) in units of raw fugashi time.

Same texts, same process, CPU time, best of N and the median of per-round ratios (the machine
is shared): raw fugashi tokenization; the summaries without our extractor (layout incl.
boilerplate, nlp incl. entities, the other extractors) and with it, made as batch workers
make them (``summarize_batch``: groups of articles, stage by stage) and one article at a
time (``summarize_text``); and our extractor alone on a ready Article and Doc.
The issue's budget: (with - without) <= 1.0 x raw fugashi, as the pipeline runs.

Usage: python bench/keypoints_speed.py [ROUNDS]   (default 11: the added cost is a small difference of two large, noisy times)
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

from pipeline.layout.boilerplate import find_boilerplate  # noqa: E402
from pipeline.nlp.dictionary import new_tagger  # noqa: E402
from pipeline.summary.extractors import default_extractors  # noqa: E402
from pipeline.keypoints.ranking import KeyPointsAndKeywords  # noqa: E402
from pipeline.layout.article import parse_article  # noqa: E402
from pipeline.summary.language import make_nlp  # noqa: E402
from pipeline.io.reading import Record  # noqa: E402
from pipeline.summary.summarize import GROUP_RECORDS, summarize_batch, summarize_text  # noqa: E402


def best_of(runs: int, work) -> float:
    """CPU seconds of this process (time.process_time): on a shared, oversubscribed machine
    wall-clock time mostly measures the neighbours."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    texts, described = benchmark_texts()
    plain = sorted((HERE.parent / "tests" / "data" / "plain_news").glob("*.txt"))
    texts += [p.read_text(encoding="utf-8") for p in plain]
    described += f" + {len(plain)} plain news test articles"
    chars = sum(map(len, texts))
    tagger = new_tagger()
    nlp = make_nlp()
    everything = default_extractors()
    ours = [e for e in everything if isinstance(e, KeyPointsAndKeywords)] or [KeyPointsAndKeywords()]
    others = [e for e in everything if not isinstance(e, KeyPointsAndKeywords)]
    prepared = [(text, parse_article(text), nlp(text)) for text in texts]
    for text in texts:  # warm caches on every side
        summarize_text(text, nlp, id="w", extractors=[*others, *ours])
        tagger(text)
    gc.collect()
    gc.freeze()  # as a batch worker does after its first article (batch.GC_FREEZE_EVERY)

    def raw():
        for text in texts:
            [node.surface for node in tagger(text)]

    records = [Record(id=str(i), text=text) for i, text in enumerate(texts)]

    def without():
        summarize_batch(records, nlp, extractors=others)

    inside = [0.0]

    class TimedOurs:  # the CPU time spent inside our extractor, as the pipeline calls it
        def __call__(self, **fields):
            return self.pipe([fields])[0]

        def pipe(self, items):
            start = time.process_time()
            try:
                return ours[0].pipe(items)
            finally:
                inside[0] += time.process_time() - start

    def with_ours():
        summarize_batch(records, nlp, extractors=[*others, TimedOurs()])

    def without_one_at_a_time():
        for text in texts:
            summarize_text(text, nlp, id="b", extractors=others)

    def with_ours_one_at_a_time():
        for text in texts:
            summarize_text(text, nlp, id="b", extractors=[*others, *ours])

    def extractor_alone():  # on groups, as summarize_batch runs it
        items = [{"text": text, "article": article, "doc": doc} for text, article, doc in prepared]
        for start in range(0, len(items), GROUP_RECORDS):
            ours[0].pipe(items[start:start + GROUP_RECORDS])

    def boilerplate_alone():
        for text in texts:
            find_boilerplate(text)

    figures: dict[str, float] = {}
    rounds: dict[str, list[float]] = {"summary": [], "one at a time": [], "alone": [], "inside": []}
    for _ in range(repeat):  # interleave the measurements so a busy moment hits all of them
        seconds = {}
        for name, work in [("raw fugashi", raw), ("summary without ours", without), ("summary with ours", with_ours),
                           ("  one at a time, without", without_one_at_a_time),
                           ("  one at a time, with", with_ours_one_at_a_time),
                           ("key points + keywords alone", extractor_alone), ("boilerplate lines alone", boilerplate_alone)]:
            inside[0] = 0.0
            seconds[name] = best_of(1, work)
            if work is with_ours:
                rounds["inside"].append(inside[0] / seconds["raw fugashi"])
            figures[name] = min(figures.get(name, seconds[name]), seconds[name])
        rounds["summary"].append((seconds["summary with ours"] - seconds["summary without ours"]) / seconds["raw fugashi"])
        rounds["one at a time"].append((seconds["  one at a time, with"] - seconds["  one at a time, without"])
                                       / seconds["raw fugashi"])
        rounds["alone"].append(seconds["key points + keywords alone"] / seconds["raw fugashi"])
    print(f"corpus: {described}; {len(texts)} texts, {chars:,} chars; best of {repeat}, interleaved; "
          f"other extractors: {[getattr(e, '__name__', type(e).__name__) for e in others]}")
    print(f"{'stage':<30}{'CPU s':>10}{'x raw fugashi time':>22}")
    for name, seconds in figures.items():
        print(f"{name:<30}{seconds:>10.3f}{seconds / figures['raw fugashi']:>22.2f}")
    added = figures["summary with ours"] - figures["summary without ours"]
    print(f"{'added by ours (with - without)':<30}{added:>10.3f}{added / figures['raw fugashi']:>22.2f}")
    # the machine is shared: a ratio taken within one round (same load) is steadier than min/min
    alone, summary, single = (statistics.median(rounds[k]) for k in ("alone", "summary", "one at a time"))
    print(f"median of per-round ratios: ours alone {alone:.2f}x raw fugashi, added to the summary {summary:.2f}x "
          f"(budget for the added cost 1.00: {'OK' if summary <= 1.0 else 'OVER'}); "
          f"added one article at a time {single:.2f}x")
    # with - without is a small difference of two large, noisy times; the time spent inside
    # our extractor during the summaries measures it directly (not its effect on the caches
    # of the stages after it)
    print(f"median time inside ours during the summaries: {statistics.median(rounds['inside']):.2f}x raw fugashi")


if __name__ == "__main__":
    main()
