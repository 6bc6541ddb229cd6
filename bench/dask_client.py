"""What the client of a Dask run costs as the dump grows: its CPU time (user + sys) and peak RSS,
for a 1x and a 10x dump, when the workers read their own partitions (a JSONL file) and when the
client reads every record and ships it (the same dump on standard input).

    python bench/dask_client.py [--articles 300] [--scales 1 10] [--workers 2] [--modes 'workers read' ...]

The cluster (a LocalCluster of --workers processes, one thread each) is started by this script,
so its scheduler's work is not counted in the client (`jnews summarize --scheduler ADDRESS`, a
process of its own, measured with os.wait4). The articles are the corpora and plain-news
articles, each copy made unique by a serial line (bench/corpus.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, news_articles, serial_line  # noqa: E402


def _write_dump(path: Path, texts: list[str], n: int) -> int:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = texts[i % len(texts)] + "\n" + serial_line(i)
            f.write(json.dumps({"id": f"a{i}", "text": text, "published": "2025-03-07"}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def _client(args: list[str], stdin: Path | None) -> dict:
    """Run the client; its wall time, CPU time and peak RSS (from the kernel's rusage)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], stdin=source, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"jnews failed: {stderr.decode()[-2000:]}")
    return {"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles in the 1x dump")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="dump sizes, in 1x dumps")
    parser.add_argument("--modes", nargs="+", default=["workers read", "client ships"],
                        choices=["workers read", "client ships"])
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    from distributed import LocalCluster

    texts = news_articles()
    with tempfile.TemporaryDirectory() as tmp, LocalCluster(
            n_workers=options.workers, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR) as cluster:
        warm = Path(tmp) / "warm.jsonl"  # the workers build their pipelines once, before any measured run
        _write_dump(warm, texts, 4 * options.workers)
        _client(["summarize", str(warm), "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q",
                 "-o", str(Path(tmp) / "out.jsonl")], None)
        rows = []
        for scale in options.scales:
            dump = Path(tmp) / f"dump{scale}.jsonl"
            size = _write_dump(dump, texts, options.articles * scale)
            common = ["summarize", "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q",
                      "-o", str(Path(tmp) / "out.jsonl")]
            for mode, args, stdin in (("workers read", [str(dump)], None), ("client ships", ["-"], dump)):
                if mode not in options.modes:
                    continue
                figures = _client(common[:1] + args + common[1:], stdin)
                rows.append((mode, scale, options.articles * scale, size / 1e6, figures))
                print(f"{mode:13s} {scale:3d}x {options.articles * scale:6d} articles {size / 1e6:6.1f} MB: "
                      f"wall {figures['wall']:6.1f} s, client CPU {figures['cpu']:6.2f} s, "
                      f"peak RSS {figures['rss_mb']:6.0f} MB", flush=True)
    print()
    print("| client | dump | articles | MB | wall s | client CPU s | client CPU ms / article | client peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, scale, articles, mb, f in rows:
        print(f"| {mode} | {scale}x | {articles:,} | {mb:.1f} | {f['wall']:.1f} | {f['cpu']:.2f} | "
              f"{1000 * f['cpu'] / articles:.2f} | {f['rss_mb']:.0f} |")
    by = {(mode, scale): f for mode, scale, _, _, f in rows}
    first = options.scales[0]
    for mode in options.modes:
        for scale in options.scales[1:]:
            one, big = by[(mode, first)], by[(mode, scale)]
            print(f"{mode}: {scale}x dump / {first}x dump: client CPU {big['cpu'] / one['cpu']:.2f}x, "
                  f"peak RSS {big['rss_mb'] / one['rss_mb']:.2f}x")


if __name__ == "__main__":
    main()
