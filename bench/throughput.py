"""Batch throughput and memory of `jnews summarize`, against raw fugashi, on short and long texts.

Two corpora (``--corpus short|long|both``, default both), each about --mb megabytes of UTF-8:

  * short: the seed, corpora/*/articles and Stockmark sentences grouped ~20 per article (when
    ../shared/data is beside the checkout), repeated; each copy of an article gets a line with
    a unique serial number and katakana name, so the vocabulary keeps growing as it would
    over a real dump;
  * long: what real news looks like: the corpora articles and tests/data/plain_news once each,
    then synthetic long articles of 10,000-30,000 characters (multi-section aggregator
    articles, and plain ones) made of their sections, each section copy with its own serial
    line (``corpus.long_texts``).

For each corpus it prints, over --rounds rounds (median, and the range):

  * chars/s of raw fugashi tokenization (the yardstick: same texts, same process),
  * the pipeline with 1 worker (as ``--workers 1`` runs it: ``LocalEngine(1)``, in this
    process, after a warm-up on other copies of the texts) and with N workers (a warm pool,
    same batches): wall time and CPU time (user + sys, every thread: OpenBLAS's threads count
    in ``getrusage(RUSAGE_SELF)``; the workers' CPU is read with psutil while they are alive,
    their start-up and warm-up taken out),
  * wall time of the CLI end to end (start-up included) for 1 worker and N,
  * peak RSS of a fresh `jnews summarize --workers 1` on 1x and 10x the corpus, and of the
    largest process of `--workers N --recycle-after R` on 1x and 10x (workers replaced),

then, per corpus, the four figures of issue 21 (1 worker / raw fugashi in CPU time, N workers
vs 1 in wall time, CPU of N workers vs 1, peak RSS 10x vs 1x), and once what one more fugashi
Tagger costs in memory that is never given back (why workers never replace their Tagger and
whole processes are recycled instead).

The in-process runs cut the texts into the CLI's batches (``batch.batches``) but of at most
``--batch-chars`` characters (default: small enough for 20 batches per worker), so the
pool's last batch is a small part of the run: with the CLI's 200,000, 1 MB of long articles
is 5 batches and N workers would wait on the last one. The CLI runs use the CLI's batches.

Usage: python bench/throughput.py [--corpus short|long|both] [--mb 3] [--workers N]
                                  [--rounds 3] [--batch-chars C] [--no-rss]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import benchmark_texts, long_texts, name, recopied, serial_line  # noqa: E402

from pipeline.batch.partition import RunOptions, batches  # noqa: E402
from pipeline.entities.component import MODES  # noqa: E402
from pipeline.nlp.dictionary import new_tagger  # noqa: E402
from pipeline.batch.local_engine import LocalEngine, default_workers  # noqa: E402
from pipeline.io.reading import Record  # noqa: E402

_name = name  # the old name, for anything that imported it from here


def build_corpus(target_bytes: int) -> tuple[list[str], str]:
    """The short corpus: the benchmark texts repeated, each copy with its serial line."""
    base, described = benchmark_texts(limit_sentences=10**9)
    texts, size, copy = [], 0, 0
    while size < target_bytes:
        for i, text in enumerate(base):
            varied = f"{text.rstrip()}\n{serial_line(copy * len(base) + i)}\n"
            texts.append(varied)
            size += len(varied.encode("utf-8"))
            if size >= target_bytes:
                break
        copy += 1
    return texts, (f"{described}, repeated to {size / 1e6:.1f} MB ({len(texts)} articles, "
                   f"{sum(map(len, texts)):,} chars)")


def write_jsonl(path: Path, texts: list[str], copies: int = 1) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for copy in range(copies):
            for i, text in enumerate(texts):
                text = recopied(text, copy, i)  # other serials: 10x input has 10x the distinct strings
                f.write(json.dumps({"id": f"{copy}-{i}", "text": text}, ensure_ascii=False) + "\n")


class Snapshot:
    """Wall clock, CPU of this process (user + sys, all its threads) and of each live child."""

    def __init__(self) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.wall = time.perf_counter()
        self.cpu = usage.ru_utime + usage.ru_stime
        self.children: dict[int, float] = {}
        for child in psutil.Process().children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.Error:
                continue
            self.children[child.pid] = times.user + times.system

    def since(self, start: "Snapshot") -> tuple[float, float, float]:
        """(wall s, CPU s of this process, CPU s of the children) from ``start`` to this."""
        lost = set(start.children) - set(self.children)
        if lost:
            print(f"  (warning: {len(lost)} worker process(es) ended during the measurement; their CPU is not counted)")
        children = sum(cpu - start.children.get(pid, 0.0) for pid, cpu in self.children.items())
        return self.wall - start.wall, self.cpu - start.cpu, children


def raw_fugashi(tagger, texts: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of tagging the texts with a warm Tagger, reading every surface."""
    start = Snapshot()
    for text in texts:
        [node.surface for node in tagger(text)]
    wall, cpu, _ = Snapshot().since(start)
    return wall, cpu


def _records(texts: list[str], prefix: str = ""):
    return (Record(id=f"{prefix}{i}", text=text) for i, text in enumerate(texts))


def one_worker(texts: list[str], warm: list[str], batch_chars: int, options: RunOptions) -> tuple[float, float, float]:
    """(wall s, CPU s of this process, of children) of ``LocalEngine(1)`` (what ``--workers 1``
    runs) on the texts, after a warm-up on ``warm`` in the same run (so in the same Worker)."""
    marks: list[Snapshot] = []

    def stream():
        yield from batches(_records(warm, "warm-"), options, max_chars=batch_chars)
        marks.append(Snapshot())  # asked for the next batch: in process, every warm batch is done
        yield from batches(_records(texts), options, max_chars=batch_chars)

    with LocalEngine(1) as engine:
        engine.start(options)
        for _ in engine.map_batches(stream(), options):
            pass
        return Snapshot().since(marks[0])


def many_workers(texts: list[str], warm: list[str], workers: int, batch_chars: int,
                 options: RunOptions) -> tuple[float, float, float]:
    """(wall s, CPU s of this process, CPU s of the workers) of a warm pool of ``workers``."""
    with LocalEngine(workers) as engine:
        engine.start(options)
        for _ in engine.map_batches(batches(_records(warm, "warm-"), options, max_chars=batch_chars), options):
            pass  # every worker has built its pipeline and seen some text
        start = Snapshot()
        for _ in engine.map_batches(batches(_records(texts), options, max_chars=batch_chars), options):
            pass
        return Snapshot().since(start)  # before shutdown: the workers are still alive


_RSS_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def cli_run(path: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of a fresh `jnews summarize`."""
    command = [sys.executable, "-c", _RSS_WRAPPER, sys.executable, "-m", "pipeline", "summarize", str(path), "-q",
               *extra]
    wall, rss_kb, code = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"jnews failed ({code}): {' '.join(command)}")
    return float(wall), int(rss_kb) / 1024


def _mid(values: list[float], fmt: str) -> str:
    """The median, and the range when there is more than one value."""
    text = format(statistics.median(values), fmt)
    if len(values) > 1:
        text += f" ({format(min(values), fmt)}-{format(max(values), fmt)})"
    return text


def measure(label: str, texts: list[str], described: str, args) -> dict:
    chars = sum(map(len, texts))
    workers = args.workers
    batch_chars = args.batch_chars or min(200_000, max(10_000, chars // (20 * workers)))
    options = RunOptions(entities=args.entities)
    count = sum(1 for _ in batches(_records(texts), options, max_chars=batch_chars))
    # other copies of the texts (other serials), about 2 batches per worker of them
    warm, size = [], 0
    for i, text in enumerate(texts):
        if len(warm) >= 50 or (size >= 2 * workers * batch_chars and len(warm) >= 4 * workers):
            break
        warm.append(recopied(text, 99, i))
        size += len(warm[-1])
    print(f"\n== {label}: {described}")
    print(f"   {chars:,} chars in {count} batches of at most {batch_chars:,} chars; warm-up on {len(warm)} other "
          f"copies; {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    tagger = new_tagger()
    for text in texts[:50]:
        tagger(text)
    rows = []
    for round_ in range(args.rounds):
        raw_wall, raw = raw_fugashi(tagger, texts)
        one_wall, one_self, one_children = one_worker(texts, warm, batch_chars, options)
        one = one_self + one_children
        many_wall, many_parent, many_workers_cpu = many_workers(texts, warm, workers, batch_chars, options)
        rows.append(dict(raw=raw, raw_wall=raw_wall, one=one, one_wall=one_wall, many_wall=many_wall,
                         many_parent=many_parent, many_workers=many_workers_cpu))
        print(f"   round {round_ + 1}: raw fugashi {raw:.2f} s CPU; 1 worker {one:.2f} s CPU, {one_wall:.2f} s wall "
              f"({one / raw:.2f}x); {workers} workers {many_wall:.2f} s wall, CPU parent {many_parent:.2f} s + "
              f"workers {many_workers_cpu:.2f} s; load {os.getloadavg()[0]:.2f}")
    del tagger
    col = lambda key: [row[key] for row in rows]  # noqa: E731
    ratio = [row["one"] / row["raw"] for row in rows]
    speedup = [row["one_wall"] / row["many_wall"] for row in rows]
    cpu_ratio = [(row["many_parent"] + row["many_workers"]) / row["one"] for row in rows]
    cores = min(workers, os.cpu_count() or 1)
    cpu_speedup = [row["one"] / max((row["many_parent"] + row["many_workers"]) / cores, row["many_parent"])
                   for row in rows]
    print(f"   median of {args.rounds} round(s) (range); CPU = user + sys of every thread")
    print(f"   raw fugashi (yardstick)   {_mid([chars / x for x in col('raw')], ',.0f')} chars/s of CPU, "
          f"{_mid(col('raw'), '.2f')} s CPU, {_mid(col('raw_wall'), '.2f')} s wall")
    print(f"   pipeline, 1 worker        {_mid([chars / x for x in col('one')], ',.0f')} chars/s of CPU, "
          f"{_mid(col('one'), '.2f')} s CPU, {_mid(col('one_wall'), '.2f')} s wall "
          f"= {_mid(ratio, '.2f')}x raw fugashi CPU time")
    print(f"   pipeline, {workers} workers       {_mid([chars / x for x in col('many_wall')], ',.0f')} chars/s wall, "
          f"{_mid(col('many_wall'), '.2f')} s wall = {_mid(speedup, '.2f')}x the wall throughput of 1 worker")
    print(f"     CPU: parent {_mid(col('many_parent'), '.2f')} s + workers {_mid(col('many_workers'), '.2f')} s "
          f"= {_mid(cpu_ratio, '.2f')}x the CPU of 1 worker; on {cores} idle cores that is "
          f"{_mid(cpu_speedup, '.2f')}x the throughput of 1 worker")
    figures = dict(label=label, ratio=statistics.median(ratio), speedup=statistics.median(speedup),
                   cpu_ratio=statistics.median(cpu_ratio), rss=None, workers=workers)

    recycle = "2000" if label == "short" else "200"
    mode = ("--entities", args.entities)
    with tempfile.TemporaryDirectory() as tmp:
        one_x, ten_x = Path(tmp) / "1x.jsonl", Path(tmp) / "10x.jsonl"
        write_jsonl(one_x, texts)
        wall_1, rss_1 = cli_run(one_x, "--workers", "1", *mode)
        wall_n, rss_n = cli_run(one_x, "--workers", str(workers), *mode)
        print(f"   CLI end to end, 1 worker  {chars / wall_1:>10,.0f} chars/s {wall_1:7.2f} s  (start-up included)")
        print(f"   CLI end to end, {workers} workers {chars / wall_n:>10,.0f} chars/s {wall_n:7.2f} s  "
              f"= {wall_1 / wall_n:.2f}x (the CLI's batches)")
        if not args.no_rss:
            write_jsonl(ten_x, texts, copies=10)
            _, rss_10 = cli_run(ten_x, "--workers", "1", *mode)
            figures["rss"] = (rss_1, rss_10)
            print(f"   peak RSS, 1 worker: 1x input {rss_1:.1f} MB, 10x input {rss_10:.1f} MB "
                  f"= {100 * (rss_10 / rss_1 - 1):+.1f}%")
            _, rss_n1 = cli_run(one_x, "--workers", str(workers), "--recycle-after", recycle, *mode)
            _, rss_n10 = cli_run(ten_x, "--workers", str(workers), "--recycle-after", recycle, *mode)
            print(f"   peak RSS, {workers} workers recycled every {recycle} articles, largest process: "
                  f"1x {rss_n1:.1f} MB, 10x {rss_n10:.1f} MB = {100 * (rss_n10 / rss_n1 - 1):+.1f}%")
    return figures


def print_figures(all_figures: list[dict]) -> None:
    print("\nissue 21 figures (median of the rounds; targets on 2 cores)")
    labels = [figures["label"] for figures in all_figures]
    print(f"| figure | {' | '.join(labels)} | target |")
    print(f"|---|{'---|' * len(labels)}---|")
    workers = all_figures[0]["workers"]
    rss = []
    for figures in all_figures:
        if figures["rss"] is None:
            rss.append("(--no-rss)")
        else:
            before, after = figures["rss"]
            rss.append(f"{before:.0f} -> {after:.0f} MB ({100 * (after / before - 1):+.1f}%)")
    lines = [
        ("1 worker, CPU time / raw fugashi CPU time", [f"{f['ratio']:.2f}x" for f in all_figures], "<= 5x"),
        (f"{workers} workers vs 1, wall-clock speed-up", [f"{f['speedup']:.2f}x" for f in all_figures], ">= 1.85x"),
        (f"CPU of {workers} workers vs 1", [f"{f['cpu_ratio']:.2f}x" for f in all_figures], "<= 1.10x"),
        ("peak RSS, 1 worker, 10x input vs 1x", rss, "unchanged"),
    ]
    for title, values, target in lines:
        print(f"| {title} | {' | '.join(values)} | {target} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("short", "long", "both"), default="both",
                        help="short texts (the old corpus), long news-like articles, or both (default)")
    parser.add_argument("--mb", type=float, default=3.0, help="size of each corpus (1x) in MB of UTF-8 (default 3)")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="'N workers' (default: this machine's cores)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the in-process measurements (default 3)")
    parser.add_argument("--batch-chars", type=int, default=0,
                        help="characters per batch in the in-process runs (default: 20 batches per worker, at most "
                             "the CLI's 200,000)")
    parser.add_argument("--no-rss", action="store_true", help="skip the 1x/10x peak RSS runs (the slow part)")
    parser.add_argument("--entities", choices=MODES, default=RunOptions().entities,
                        help="the entity recognizer's mode (default: the CLI's)")
    args = parser.parse_args()

    all_figures = []
    if args.corpus in ("short", "both"):
        all_figures.append(measure("short", *build_corpus(int(args.mb * 1e6)), args))
    if args.corpus in ("long", "both"):
        all_figures.append(measure("long", *long_texts(int(args.mb * 1e6)), args))
    print_figures(all_figures)
    print(tagger_cost(build_corpus(int(1e6))[0][:300]))


_TAGGER_COST = """
import sys
from pipeline.nlp.dictionary import new_tagger
texts = sys.stdin.read().split("\\0")
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) // 1024 for l in f if l.startswith("VmRSS"))
sizes = []
for _ in range(4):
    tagger = new_tagger()
    for text in texts:
        [node.feature for node in tagger(text)]
    del tagger
    sizes.append(rss())
print(" ".join(map(str, sizes)))
"""


def tagger_cost(texts: list[str]) -> str:
    """RSS after each of 4 Taggers (each dropped before the next) tags the same texts."""
    out = subprocess.run([sys.executable, "-c", _TAGGER_COST], input="\0".join(texts), capture_output=True,
                         text=True, check=True).stdout.split()
    sizes = [int(x) for x in out]
    steps = [b - a for a, b in zip(sizes, sizes[1:])]
    return (f"fugashi: RSS after 1..4 Taggers, each dropped before the next: {' '.join(map(str, sizes))} MB "
            f"(+{sum(steps) / len(steps):.0f} MB per Tagger, never given back)")


if __name__ == "__main__":
    main()
