"""Where one batch worker's time goes: each stage timed inside the pipeline, as a worker runs it.

The benchmark texts (see corpus.py) are summarized in batches as ``Worker.process`` does
(``summarize_records``: nlp.pipe, groups of articles, stage by stage) and serialized; every
stage (a component's ``process``) is timed with CPU time while the pipeline runs, and printed in units of raw fugashi
tokenization time of the same texts in the same process (median of per-round ratios).
``--corpus long`` uses the news-like long articles of bench/throughput.py (corpus.long_texts)
instead; ``--profile cprofile|pyinstrument`` runs one more round under that profiler and prints
the top functions, in units of raw fugashi time too (cProfile: CPU time, but its overhead
on small calls is large; pyinstrument samples, so its shares are closer to the real ones).

Usage: python bench/stages.py [ROUNDS] [--corpus short|long] [--mb 1] [--profile cprofile|pyinstrument]
                              [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import benchmark_texts, long_texts  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from pipeline.summary import component as summary_component  # noqa: E402
from pipeline.summary.summarize import summarize_records  # noqa: E402
from pipeline.nlp.dictionary import new_tagger  # noqa: E402
from pipeline.summary.language import make_nlp  # noqa: E402
from pipeline.entities.component import DEFAULT_MODE, MODES  # noqa: E402
from pipeline.io.output import dumps_summary  # noqa: E402
from pipeline.io.reading import Record  # noqa: E402

SPENT: dict[str, float] = {}


def timed(name: str, work):
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return work(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.process_time() - start
    return run


def time_stages(nlp) -> None:
    """Time the tokenizer and each stage of ``nlp`` into SPENT, under the component's name."""
    nlp.tokenizer = timed("tokenizer", nlp.tokenizer)
    for name, component in nlp.pipeline:
        if hasattr(component, "process"):  # Stage.__call__ calls self.process: the instance's, timed
            component.process = timed(name, component.process)
    summary_component.summary_of = timed("jnews_summary", summary_component.summary_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", nargs="?", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--entities", choices=MODES, default=DEFAULT_MODE,
                        help="the entity recognizer's mode (default: make_nlp's)")
    parser.add_argument("--corpus", choices=("short", "long"), default="short",
                        help="the benchmark texts (default) or news-like long articles")
    parser.add_argument("--mb", type=float, default=1.0, help="size of the long corpus in MB of UTF-8 (default 1)")
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"),
                        help="one more round under a profiler: the top functions")
    parser.add_argument("--top", type=int, default=40, help="functions to print with --profile (default 40)")
    args = parser.parse_args()
    rounds = args.rounds
    texts, described = benchmark_texts() if args.corpus == "short" else long_texts(int(args.mb * 1e6))
    records = [Record(id=str(i), text=text) for i, text in enumerate(texts)]
    threadpool_limits(limits=1)  # one BLAS thread, as every batch worker runs (batch.one_blas_thread)
    tagger = new_tagger()
    nlp = make_nlp(entities=args.entities)
    time_stages(nlp)
    serialize = timed("JSON line", dumps_summary)

    def run():
        for made in summarize_records(records, nlp):
            serialize(made)

    run()
    gc.collect()
    gc.freeze()  # as a batch worker does after its first batch
    ratios: dict[str, list[float]] = {}
    raw_times: list[float] = []
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            [node.surface for node in tagger(text)]
        raw = time.process_time() - start
        raw_times.append(raw)
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
    if args.profile:
        profile(run, statistics.median(raw_times), args.profile, args.top)


def profile(run, raw: float, how: str, top: int) -> None:
    """One more round under a profiler; function times in units of raw fugashi time."""
    if how == "pyinstrument":  # sampling: little overhead, so the shares are close to the real ones
        from pyinstrument import Profiler
        from pyinstrument.renderers import ConsoleRenderer

        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        run()
        profiler.stop()
        text = profiler.output(ConsoleRenderer(flat=True, show_all=True, unicode=False, color=False))
        rows = [line.strip().split(" ", 1) for line in text.splitlines() if re.match(r"\s*[0-9.]+ \S", line)]
        rows = [(seconds, where) for seconds, where in rows if "<thread>" not in where]  # the roots, not code
        total = sum(float(seconds) for seconds, _ in rows)
        print(f"\npyinstrument, one more round (wall-clock samples every 1 ms): {total / raw:.1f}x raw fugashi "
              f"({raw:.3f} s); self time of the top functions, in x raw fugashi")
        for seconds, where in rows[:top]:
            print(f"{float(seconds) / raw:8.2f}  {where}")
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\ncProfile, one more round (CPU time; the profiler's overhead included, large on small calls): "
          f"{stats.total_tt / raw:.1f}x raw fugashi; times below in x raw fugashi ({raw:.3f} s)")
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n-- by {order} --")
        for line in stream.getvalue().splitlines():
            fields = line.split(None, 5)
            if len(fields) == 6 and fields[1].replace(".", "").isdigit():
                ncalls, tottime, _, cumtime, _, where = fields
                print(f"{ncalls:>12} {float(tottime) / raw:8.2f} {float(cumtime) / raw:8.2f}  {where}")
            elif "ncalls" in line:
                print(f"{'ncalls':>12} {'tottime':>8} {'cumtime':>8}  function")

if __name__ == "__main__":
    main()
