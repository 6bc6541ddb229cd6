"""Batch throughput and memory of `jnews summarize`, against raw fugashi.

Builds a corpus (the seed, corpora/*/articles, Stockmark sentences grouped ~20 per article
when ../shared/data is beside the checkout) repeated to about --mb megabytes; each copy of an
article gets a line with a unique serial number and katakana name, so the vocabulary keeps
growing as it would over a real dump. Prints:

  * chars/s of raw fugashi tokenization (the yardstick: same texts, same process),
  * chars/s of the pipeline with 1 worker (in process, steady state: after a warm-up),
  * chars/s with all cores (a warm local worker pool, same batches), and the ratios,
  * wall time of the CLI end to end (start-up included) for 1 worker and all cores,
  * peak RSS of a fresh `jnews summarize --workers 1` on 1x and 10x the corpus, and of the
    largest process of `--workers N --recycle-after 2000` on 1x and 10x (workers replaced),
  * what one more fugashi Tagger costs in memory that is never given back (why workers never
    replace their Tagger and whole processes are recycled instead).

Usage: python bench/throughput.py [--mb 3] [--workers N] [--no-rss]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import benchmark_texts  # noqa: E402

from pipeline.batch import RunOptions, Worker, batches  # noqa: E402
from pipeline.dictionary import new_tagger  # noqa: E402
from pipeline.local_engine import LocalEngine, default_workers  # noqa: E402
from pipeline.reading import Record  # noqa: E402

_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"


def _name(n: int) -> str:
    letters = []
    while True:
        n, digit = divmod(n, len(_KANA))
        letters.append(_KANA[digit])
        if not n:
            return "".join(letters)


def build_corpus(target_bytes: int) -> tuple[list[str], str]:
    base, described = benchmark_texts(limit_sentences=10**9)
    texts, size, copy = [], 0, 0
    while size < target_bytes:
        for i, text in enumerate(base):
            serial = copy * len(base) + i
            varied = f"{text.rstrip()}\n（配信番号{serial}、担当{_name(serial + 7 * 40**3)}）\n"
            texts.append(varied)
            size += len(varied.encode("utf-8"))
            if size >= target_bytes:
                break
        copy += 1
    return texts, f"{described}, repeated to {size / 1e6:.1f} MB ({len(texts)} articles)"


def write_jsonl(path: Path, texts: list[str], copies: int = 1) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for copy in range(copies):
            for i, text in enumerate(texts):
                if copy:  # other serials, so 10x input really has 10x the distinct strings
                    text = text.replace("（配信番号", f"（第{copy}版・{_name(copy * 97 + i)}・配信番号", 1)
                f.write(json.dumps({"id": f"{copy}-{i}", "text": text}, ensure_ascii=False) + "\n")


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def raw_fugashi(texts: list[str]) -> tuple[float, float]:
    tagger = new_tagger()
    for text in texts[:50]:
        tagger(text)

    def run():
        for text in texts:
            [node.surface for node in tagger(text)]

    return min((timed(run) for _ in range(2)), key=lambda t: t[1])


_WARM: list[str] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pipeline_time(texts: list[str], workers: int, *, warm_only: bool = False) -> tuple[float, float, float]:
    """(wall s, CPU s of this process, CPU s of the worker processes incl. their warm-up)."""
    options = RunOptions()
    if warm_only:
        texts = []
    warm = list(texts) or _WARM
    records = lambda: (Record(id=str(i), text=t) for i, t in enumerate(texts))  # noqa: E731
    children = _children_cpu()
    with LocalEngine(workers) as engine:
        engine.start(options)
        if workers == 1:
            worker = Worker(options, freeze_gc=True)  # as LocalEngine runs it
            worker.process([Record(id=str(i), text=t) for i, t in enumerate(warm[:50])])  # warm-up
            wall, cpu = timed(lambda: [worker.process(batch) for batch in batches(records(), options)])
            return wall, cpu, 0.0
        for _ in engine.map_batches(batches((Record(id=str(i), text=t) for i, t in enumerate(warm[: 20 * workers])),
                                            options), options):
            pass  # every worker has built its pipeline and seen some text
        wall, cpu = timed(lambda: [None for _ in engine.map_batches(batches(records(), options), options)])
    return wall, cpu, _children_cpu() - children  # the workers are reaped (and counted) at shutdown


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=3.0, help="corpus size (1x) in MB of UTF-8 (default 3)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="'all cores' (default: this machine's)")
    parser.add_argument("--no-rss", action="store_true", help="skip the 1x/10x peak RSS runs (the slow part)")
    args = parser.parse_args()

    texts, described = build_corpus(int(args.mb * 1e6))
    chars = sum(map(len, texts))
    print(f"corpus: {described}; {chars:,} chars; {os.cpu_count()} cores")
    load = os.getloadavg()[0]
    (raw_wall, raw), (one_wall, one, _) = raw_fugashi(texts), pipeline_time(texts, 1)
    _WARM[:] = texts[:100]
    _, _, warm_children = pipeline_time(texts, args.workers, warm_only=True)
    many_wall, many_parent, many_children = pipeline_time(texts, args.workers)
    many_children -= warm_children
    print(f"load average before: {load:.2f} (other processes on the machine distort wall times; CPU times do not)")
    print(f"raw fugashi (yardstick)       {chars / raw:>12,.0f} chars/s of CPU  {raw:7.2f} s CPU  {raw_wall:7.2f} s wall")
    print(f"pipeline, 1 worker            {chars / one:>12,.0f} chars/s of CPU  {one:7.2f} s CPU  {one_wall:7.2f} s wall"
          f"   = {one / raw:.2f}x raw fugashi time (bar: <= 10x)")
    cores = min(args.workers, os.cpu_count() or 1)
    busy = max((many_parent + many_children) / cores, many_parent)
    print(f"pipeline, {args.workers} workers           {chars / many_wall:>12,.0f} chars/s wall   "
          f"{many_wall:7.2f} s wall = {one_wall / many_wall:.2f}x the wall throughput of 1 worker (bar for 2: >= 1.7x)")
    print(f"  CPU: parent {many_parent:.2f} s + workers {many_children:.2f} s (start-up and warm-up taken out) vs {one:.2f} s for 1 "
          f"worker; on {cores} idle cores that is {one / busy:.2f}x the throughput of 1 worker")

    with tempfile.TemporaryDirectory() as tmp:
        one_x, ten_x = Path(tmp) / "1x.jsonl", Path(tmp) / "10x.jsonl"
        write_jsonl(one_x, texts)
        wall_1, rss_1 = cli_run(one_x, "--workers", "1")
        wall_n, rss_n = cli_run(one_x, "--workers", str(args.workers))
        print(f"CLI end to end, 1 worker      {chars / wall_1:>12,.0f} chars/s  {wall_1:7.2f} s   (start-up included)")
        print(f"CLI end to end, {args.workers} workers     {chars / wall_n:>12,.0f} chars/s  {wall_n:7.2f} s   "
              f"= {wall_1 / wall_n:.2f}x")
        if args.no_rss:
            return
        write_jsonl(ten_x, texts, copies=10)
        _, rss_10 = cli_run(ten_x, "--workers", "1")
        print(f"peak RSS, 1 worker, 1x input  {rss_1:8.1f} MB")
        print(f"peak RSS, 1 worker, 10x input {rss_10:8.1f} MB   = {100 * (rss_10 / rss_1 - 1):+.1f}% "
              f"(bar: within 15%)")
        _, rss_n1 = cli_run(one_x, "--workers", str(args.workers), "--recycle-after", "2000")
        _, rss_n10 = cli_run(ten_x, "--workers", str(args.workers), "--recycle-after", "2000")
        print(f"peak RSS, {args.workers} workers recycled every 2000 articles, largest process: "
              f"1x {rss_n1:.1f} MB, 10x {rss_n10:.1f} MB = {100 * (rss_n10 / rss_n1 - 1):+.1f}%")
    print(tagger_cost(texts[:300]))


_TAGGER_COST = """
import sys
from pipeline.dictionary import new_tagger
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
