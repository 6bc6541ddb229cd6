"""Is the pipeline linear on every input? Long runs of one kind of text against prose.

For each run kind (``二〇`` repeated, kanji numerals, ``1万``, ``a``, ``第``, digits, ✅, brackets,
spaces, ... see RUNS) a text of --chars characters (default 1,000,000) is summarized as one
record, as a batch worker runs it (``batch.Worker.process``, ``max_chars`` raised), and its CPU
time (user + sys, every thread) is compared with that of the same number of characters of
prose (the corpora and plain-news articles one after another, each copy with its own serial
line) summarized the same way in the same process. The target is at most 3x prose for every
run (issue 14). Each stage is timed inside the pipeline too (as bench/stages.py does), so the
table says which stage a slow run spends its time in.

The runs are measured in a child process that measures prose first; a run that takes longer
than --timeout seconds is killed and reported as "> T s" (a new child takes over, and measures
prose again). ``--scaling`` measures every run at --chars / 4 too and prints the growth
(time at n over time at n/4: 4 is linear, 16 quadratic). ``--profile KEY`` runs one kind in
this process under cProfile (CPU time) and prints the top functions.

Usage: python bench/linear_runs.py [--chars 1000000] [--timeout 60] [--scaling] [--runs KEY,KEY]
       python bench/linear_runs.py --profile KEY [--chars N] [--top 25]
       python bench/linear_runs.py --list
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import selectors
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import news_articles, serial_line  # noqa: E402
from stages import SPENT, time_stages, timed as _timed  # noqa: E402  (stage timers, shared with bench/stages.py)

# key, what the table calls it, the unit repeated to the length (a str), or a function of the length
RUNS: list[tuple[str, str, object]] = [
    ("kanji-20", "`二〇` repeated", "二〇"),
    ("kanji-all", "`一二…億兆` repeated (all kanji numerals)", "一二三四五六七八九十百千万億兆"),
    ("1man", "`1万` repeated", "1万"),
    ("a", "`a` repeated (one Latin token)", "a"),
    ("dai", "`第` repeated", "第"),
    ("digits", "`0123456789` repeated", "0123456789"),
    ("zen-digits", "`１` repeated (full-width)", "１"),
    ("digit-comma", "`1,` repeated", "1,"),
    ("digit-dot", "`1.` repeated", "1."),
    ("1nen", "`1年` repeated", "1年"),
    ("date", "`2025年1月1日` repeated", "2025年1月1日"),
    ("nen", "`年` repeated", "年"),
    ("check", "`✅` repeated", "✅"),
    ("check-lines", "`✅ 点\\n` repeated (marked points)", "✅ 点\n"),
    ("bulb", "`💡` repeated", "💡"),
    ("open-bracket", "`「` repeated", "「"),
    ("brackets", "`「」` repeated", "「」"),
    ("paren", "`(` repeated", "("),
    ("zen-paren", "`（` repeated", "（"),
    ("spaces", "` ` repeated", " "),
    ("zen-spaces", "`　` repeated (ideographic)", "　"),
    ("newlines", "`\\n` repeated", "\n"),
    ("short-lines", "`あ\\n` repeated", "あ\n"),
    ("maru", "`。` repeated", "。"),
    ("nakaguro", "`・` repeated", "・"),
    ("choon", "`ー` repeated", "ー"),
    ("kata", "`ア` repeated", "ア"),
    ("hira", "`あ` repeated", "あ"),
    ("kanji", "`漢` repeated", "漢"),
    ("a-space", "`a ` repeated (many Latin tokens)", "a "),
    ("A1", "`A1` repeated", "A1"),
    ("url", "`https://a.jp/` repeated", "https://a.jp/"),
    ("emoji", "`😀` repeated", "😀"),
    ("square", "`■` repeated", "■"),
    ("published", "`公開日:2025/03/19\\n` repeated", "公開日:2025/03/19\n"),
    ("san", "`田中さん` repeated", "田中さん"),
    ("kaisha", "`株式会社` repeated", "株式会社"),
    ("tokyo", "`東京` repeated", "東京"),
    ("percent", "`5%` repeated", "5%"),
    ("yen", "`1円` repeated", "1円"),
    ("toten", "`、` repeated", "、"),
    ("question", "`なぜ?\\n` repeated (question lines)", "なぜ?\n"),
    ("source", "`さらに読む ⇒NHK出典/画像元: URL\\n` repeated", "さらに読む ⇒NHK出典/画像元: https://a.jp/x\n"),
    ("section", "one aggregator section repeated (公開日 each)", "section"),  # a real one, see build()
    ("one-line", "prose without line ends (one line)", None),  # built from the prose below
]
STAGES = ["tokenizer", "jnews_layout", "jnews_entities", "jnews_dates", "jnews_key_points", "jnews_keywords", "jnews_summary",
          "JSON"]


def prose(chars: int) -> str:
    """``chars`` characters of news prose: the real articles one after another, each copy with
    its own serial line (so the vocabulary keeps growing, as over a real dump)."""
    base = [text.rstrip() for text in news_articles()]
    parts, size, serial = [], 0, 0
    while size < chars:
        part = f"{base[serial % len(base)]}\n{serial_line(serial)}\n"
        parts.append(part)
        size += len(part)
        serial += 1
    return "".join(parts)[:chars]


def build(key: str, chars: int) -> str:
    unit = next(unit for k, _, unit in RUNS if k == key)
    if unit is None:  # one-line
        return prose(chars + chars // 10).replace("\n", "")[:chars]
    if key == "section":  # the first section of the first real article that has a 公開日 (with its 公開日)
        from pipeline.layout.article import parse_article

        unit = next(text[s.start:s.end].rstrip() + "\n" for text in news_articles()
                    for s in parse_article(text).sections if s.published)
    return (unit * (chars // len(unit) + 1))[:chars]


# --- the child: one pipeline, stages timed ---------------------------------------------------------------------

def make_worker(chars: int, stages: bool = True):
    """A batch worker (as the local engine's workers are: one BLAS thread, gc frozen after the first batch)
    that admits ``chars`` characters, warmed up on the real articles; its stages timed."""
    from pipeline.batch import partition as batch
    from pipeline.batch.partition import RunOptions, Worker
    from pipeline.io.reading import Record

    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)  # one BLAS thread, as every batch worker runs (batch.one_blas_thread)
    worker = Worker(RunOptions(max_chars=max(chars, batch.DEFAULT_MAX_CHARS)), freeze_gc=True)
    nlp = worker._pipeline()
    if stages:
        time_stages(nlp)
        batch.dumps_summary = _timed("JSON", batch.dumps_summary)
    worker.process([Record(id=f"warm-{i}", text=text) for i, text in enumerate(news_articles())])
    return worker


def run_one(worker, text: str) -> dict:
    from pipeline.io.reading import Record

    gc.collect()
    SPENT.clear()
    wall, cpu = time.perf_counter(), time.process_time()  # CLOCK_PROCESS_CPUTIME_ID: every thread
    [line] = worker.process([Record(id="run", text=text)])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu": cpu, "wall": wall, "error": line.error, "stages": dict(SPENT)}


def child(sizes: list[int]) -> None:
    """Measure prose at each size, then the runs asked for on stdin (one JSON object a line)."""
    worker = make_worker(max(sizes))
    out = sys.stdout
    for size in sizes:
        result = run_one(worker, prose(size))
        out.write(json.dumps({"key": "prose", "chars": size, **result}) + "\n")
        out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        result = run_one(worker, build(request["key"], request["chars"]))
        out.write(json.dumps({"key": request["key"], "chars": request["chars"], **result}) + "\n")
        out.flush()


# --- the parent: one child at a time, each run with a deadline ---------------------------------------------------

class Child:
    def __init__(self, sizes: list[int], startup_timeout: float) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--child", ",".join(map(str, sizes))],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.prose = {}
        for _ in sizes:
            result = self.read(startup_timeout)
            if result is None:
                self.kill()
                raise SystemExit(f"the child did not measure prose within {startup_timeout:.0f} s")
            self.prose[result["chars"]] = result

    def read(self, timeout: float) -> dict | None:
        if not self.selector.select(timeout):
            return None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the child died (exit status {self.process.wait()})")
        return json.loads(line)

    def ask(self, key: str, chars: int, timeout: float) -> dict | None:
        self.process.stdin.write(json.dumps({"key": key, "chars": chars}) + "\n")
        self.process.stdin.flush()
        return self.read(timeout)

    def kill(self) -> None:
        self.process.kill()  # our own child, by its handle
        self.process.wait()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (wide characters take two)."""
    return text + " " * max(0, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def _dominant(stages: dict, total: float) -> str:
    if not stages:
        return ""
    name, seconds = max(stages.items(), key=lambda item: item[1])
    return f"{name} {100 * seconds / total:.0f}%" if total > 0 else name


def measure(args) -> None:
    sizes = sorted({args.chars // 4, args.chars} if args.scaling else {args.chars})
    # prose at a tenth of the size too: the yardstick of linear time, should prose itself not be linear
    tenth = args.chars // 10
    prose_sizes = sorted(set(sizes) | {tenth})
    keys = [key for key, _, _ in RUNS] if not args.runs else args.runs.split(",")
    unknown = set(keys) - {key for key, _, _ in RUNS}
    if unknown:
        raise SystemExit(f"unknown runs: {', '.join(sorted(unknown))} (see --list)")
    labels = {key: label for key, label, _ in RUNS}
    startup = max(600.0, 10 * args.timeout)
    child_ = Child(prose_sizes, startup)
    proses = [child_.prose]
    results: dict[tuple[str, int], dict | None] = {}
    for key in keys:
        for size in sizes:
            if size != sizes[0] and results.get((key, sizes[0])) is None and (key, sizes[0]) in results:
                results[(key, size)] = None  # it timed out at the smaller size already
                continue
            result = child_.ask(key, size, args.timeout)
            if result is None:
                child_.kill()
                child_ = Child(prose_sizes, startup)
                proses.append(child_.prose)
            else:
                result["prose"] = child_.prose[size]["cpu"]
                result["linear"] = child_.prose[tenth]["cpu"] * size / tenth
            results[(key, size)] = result
            shown = "> %.0f s" % args.timeout if result is None else f"{result['cpu']:.2f} s"
            print(f"  {labels[key]} at {size:,}: {shown}", file=sys.stderr, flush=True)
    child_.close()

    print(f"CPU time of the whole pipeline (batch worker, one record) on --chars {args.chars:,}"
          f"{' and ' + format(args.chars // 4, ',') if args.scaling else ''}; prose measured in the same process "
          f"({len(proses)} process(es)); timeout {args.timeout:.0f} s per run; target: <= 3x prose")
    for size in prose_sizes:
        values = [p[size]["cpu"] for p in proses]
        print(f"prose at {size:,} chars: {', '.join(f'{v:.2f}' for v in values)} s CPU "
              f"({size / min(values):,.0f} chars/s)")
    print("x prose: CPU time over that of prose of the same size; x lin.: over that of prose of a tenth of the "
          "size, times 10 (what linear prose would take)")
    growth_head = f" {'growth x4':>10}" if args.scaling else ""
    print(f"\n{_pad('run', 48)} {'chars':>10} {'CPU s':>9} {'x prose':>8} {'x lin.':>7}{growth_head}  slowest stage")
    over, over_linear = [], []
    for key in keys:
        for size in sizes:
            result = results[(key, size)]
            growth = ""
            if args.scaling:
                if size == sizes[-1] and len(sizes) > 1:
                    small = results.get((key, sizes[0]))
                    if result is not None and small is not None and small["cpu"] > 0:
                        growth = f"{result['cpu'] / small['cpu']:.1f}"
                    elif small is not None:
                        growth = f"> {args.timeout / max(small['cpu'], 1e-9):.0f}"
                growth = f" {growth:>10}"
            if result is None:
                prose_cpu = min(p[size]["cpu"] for p in proses)
                linear = min(p[tenth]["cpu"] for p in proses) * size / tenth
                print(f"{_pad(labels[key], 48)} {size:>10,} {'> %.0f' % args.timeout:>9} "
                      f"{'> %.1f' % (args.timeout / prose_cpu):>8} {'> %.1f' % (args.timeout / linear):>7}{growth}"
                      "  (timed out)")
                if size == sizes[-1]:
                    over.append(key)
                    over_linear.append(key)
                continue
            ratio = result["cpu"] / result["prose"]
            error = f" [error line: {result['error']}]" if result["error"] else ""
            print(f"{_pad(labels[key], 48)} {size:>10,} {result['cpu']:>9.2f} {ratio:>8.2f} "
                  f"{result['cpu'] / result['linear']:>7.2f}{growth}  "
                  f"{_dominant(result['stages'], result['cpu'])}{error}")
            if size == sizes[-1] and ratio > 3:
                over.append(key)
            if size == sizes[-1] and result["cpu"] / result["linear"] > 3:
                over_linear.append(key)

    print(f"\nstages at {sizes[-1]:,} chars, CPU s as x the whole pipeline on prose "
          "(stage by stage, as bench/stages.py)")
    columns = list(STAGES)
    print(_pad("run", 48) + "".join(f"{c:>11}" for c in columns) + f"{'other':>11}")
    rows = [("prose", {**proses[0][sizes[-1]], "prose": proses[0][sizes[-1]]["cpu"]})]
    rows += [(key, results[(key, sizes[-1])]) for key in keys]
    for key, result in rows:
        label = "prose" if key == "prose" else labels[key]
        if result is None:
            print(_pad(label, 48) + f"{'(timed out)':>11}")
            continue
        stages, base = result["stages"], result["prose"]
        other = result["cpu"] - sum(stages.values())
        print(_pad(label, 48) + "".join(f"{stages.get(c, 0.0) / base:>11.2f}" for c in columns)
              + f"{other / base:>11.2f}")
    print(f"\nover 3x prose at {sizes[-1]:,} chars: {', '.join(over) if over else 'none'}; "
          f"over 3x linear prose: {', '.join(over_linear) if over_linear else 'none'}")


def profile(args) -> None:
    text = build(args.profile, args.chars) if args.profile != "prose" else prose(args.chars)
    worker = make_worker(args.chars, stages=False)
    base = run_one(worker, prose(args.chars))
    profiler = cProfile.Profile(time.process_time)  # CPU seconds: other processes do not stretch them
    profiler.enable()
    result = run_one(worker, text)
    profiler.disable()
    print(f"{args.profile} at {args.chars:,} chars: {result['cpu']:.2f} s CPU under cProfile "
          f"(prose without the profiler: {base['cpu']:.2f} s)")
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(args.top)
        text_ = stream.getvalue()
        print(f"\n-- by {order} --\n" + text_[text_.find("   ncalls"):].rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="length of each run (default 1,000,000)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run before it is killed (default 60)")
    parser.add_argument("--scaling", action="store_true", help="measure at --chars / 4 too and print the growth")
    parser.add_argument("--runs", help="comma-separated keys of the runs to measure (default: all; see --list)")
    parser.add_argument("--list", action="store_true", help="print the run keys and exit")
    parser.add_argument("--profile", metavar="KEY", help="profile one run (or 'prose') in this process with cProfile")
    parser.add_argument("--top", type=int, default=25, help="functions to print with --profile (default 25)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child([int(size) for size in args.child.split(",")])
    elif args.list:
        for key, label, _ in RUNS:
            print(f"{key:<14} {label}")
    elif args.profile:
        profile(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
