"""Time and memory of `jnews stories` (pipeline.across.stories) on synthetic runs of 10k and 100k articles.

Each synthetic article is a summary line as `jnews summarize` writes it: a body of 6-12
sentences drawn (seeded) from the Stockmark Wikipedia NER sentences in ../shared/data (or the
corpora articles when that is missing) plus one sentence of its own, and entities with ids.
One article in ten has a planted near-duplicate later in the run (another title, its first
sentence dropped, a sentence added). Each size runs in a fresh process, which prints its
wall and CPU time and its peak RSS (ru_maxrss) above the same process after reading nothing,
so memory per article is the growth over the empty baseline. Also printed: how many planted
pairs share a story (recall) and how many other articles were merged (false merges).

Usage: python bench/stories_bench.py [--sizes 10000,100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

STOCKMARK = ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"


def sentence_pool() -> list[str]:
    if STOCKMARK.exists():
        return [item["text"] for item in json.loads(STOCKMARK.read_text(encoding="utf-8"))]
    from pipeline.io.reading import decode_bytes
    from pipeline.nlp.sentences import split_sentences

    pool = []
    for path in sorted(ROOT.glob("corpora/*/articles/*.txt")):
        text = decode_bytes(path.read_bytes())[0]
        pool += [text[s:e] for s, e in split_sentences(text)]
    return pool


def _summary(number: int, sentences: list[str], title: str) -> dict:
    offset, body = 0, []
    for sentence in sentences:
        body.append({"text": sentence, "start": offset, "end": offset + len(sentence), "kind": "fact"})
        offset += len(sentence) + 1
    names = [f"人物{number % 5000}", f"会社{number % 3000}", "日本"]
    return {"schema_version": "1", "id": f"a{number}", "title": title, "published": f"2025-{1 + number % 12:02d}-01",
            "sections": [{"heading": None, "body": body}],
            "entities": [{"text": n, "label": "ORG", "start": 0, "end": 1, "canonical": n, "role": None, "id": f"h.{i}{n}"}
                         for i, n in enumerate(names)]}


def write_run(path: Path, size: int, pool: list[str]) -> list[tuple[int, int]]:
    """A synthetic run of ``size`` lines; returns the planted (original row, variant row) pairs."""
    rng = random.Random(size)
    planted, pending, rows = [], {}, 0
    with path.open("w", encoding="utf-8") as out:
        while rows < size:
            if rows in pending:
                original_row, sentences = pending.pop(rows)
                variant = sentences[1:] + ["関係者によると、詳しい経緯は明らかになっていない。"]
                out.write(json.dumps(_summary(rows, variant, "【続報】" + sentences[0][:20]), ensure_ascii=False) + "\n")
                planted.append((original_row, rows))
            else:
                sentences = rng.sample(pool, rng.randint(6, 12)) + [f"これは{rows}番目の記事の固有の一文であり、番号{rows * 7919}を含む。"]
                out.write(json.dumps(_summary(rows, sentences, sentences[0][:30]), ensure_ascii=False) + "\n")
                if rng.random() < 0.1:
                    later = rows + rng.randint(1, 500)
                    if later < size and later not in pending:
                        pending[later] = (rows, sentences)
            rows += 1
    return planted


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pipeline.io.output import iter_run
from pipeline.across.stories import find_stories
import datasketch, numpy  # imported before the baseline: their code is not per-article memory
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), time.process_time()
stories = list(find_stories(lambda: iter_run({run!r})))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
story_of = {{a["row"]: n for n, s in enumerate(stories) for a in s.articles}}
print(json.dumps({{"wall": wall, "cpu": cpu, "base_kb": base, "peak_kb": peak, "story_of": story_of,
                  "stories": len(stories)}}))
"""


def measure(run: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), run=str(run))],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    result["story_of"] = {int(k): v for k, v in result["story_of"].items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", metavar="DIR", help="write the synthetic runs here (default: a temporary folder)")
    args = parser.parse_args()
    pool = sentence_pool()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="stories-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"sentence pool: {len(pool):,} sentences ({'Stockmark' if STOCKMARK.exists() else 'corpora'}); "
          f"python {sys.version.split()[0]}")
    print(f"{'articles':>9} {'MB in':>7} {'wall s':>8} {'cpu s':>8} {'µs/article':>11} {'RSS +MB':>8} "
          f"{'KB/article':>10} {'stories':>8} {'planted':>8} {'recall':>7} {'false merges':>13}")
    previous = None
    for size in (int(s) for s in args.sizes.split(",")):
        run = folder / f"run-{size}.jsonl"
        planted = write_run(run, size, pool)
        result = measure(run)
        story_of = result["story_of"]
        together = sum(1 for a, b in planted if story_of[a] == story_of[b])
        members: dict[int, int] = {}
        for story in story_of.values():
            members[story] = members.get(story, 0) + 1
        in_pairs = {row for pair in planted for row in pair}
        merged = sum(1 for row, story in story_of.items() if members[story] > 1 and row not in in_pairs)
        grown_mb = (result["peak_kb"] - result["base_kb"]) / 1024
        print(f"{size:>9,} {run.stat().st_size / 1e6:>7.0f} {result['wall']:>8.1f} {result['cpu']:>8.1f} "
              f"{1e6 * result['cpu'] / size:>11.0f} {grown_mb:>8.1f} {grown_mb * 1024 / size:>10.2f} "
              f"{result['stories']:>8,} {len(planted):>8,} {together / max(1, len(planted)):>7.3f} {merged:>13,}")
        if previous:
            print(f"  {previous[0]:,} -> {size:,} articles: CPU time x{result['cpu'] / previous[1]:.2f} "
                  f"(linear: x{size / previous[0]:.0f})")
        previous = (size, result["cpu"])


if __name__ == "__main__":
    main()
