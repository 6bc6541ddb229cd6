"""Speed of date extraction as a ratio to raw fugashi tokenization of the same texts, measured in
the same process (the yardstick: ``fugashi.Tagger()(text)``), plus, when ``ja-timex`` is
installed, its speed ratio and its coverage/agreement on the test cases of tests/test_dates.py,
and the pass rate per category of expression (tests/test_dates.py, tests/test_dates_timex.py and
the negative file) for both taggers.

Usage: python bench/dates_bench.py [SEED_REPEAT] [RUNS]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import fugashi  # noqa: E402

from pipeline.dates import extract_dates  # noqa: E402

SEED = ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt"
STOCKMARK = ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"
ANCHOR = dt.date(2025, 3, 7)
# A stress case: a digit run every ~8 characters (few of them dates).
BUSINESS = ("トヨタ自動車は8日、2025年3月期の連結純利益が前期比3.5%増の4兆9000億円になる見通しだと発表した。"
            "売上高は48兆円、営業利益は4兆7000億円。販売台数は1030万台で、北米では前年比12%増の270万台、"
            "中国は8%減の180万台だった。株価は一時2.3%高の2850円をつけた。日経平均株価は前日比312円高の"
            "3万8520円で取引を終えた。為替は1ドル=149円50銭。")


def best_of_interleaved(runs: int, works: dict) -> dict:
    """Best time of each piece of work, running them in turn (so load on the machine hits
    every side alike)."""
    best = {name: float("inf") for name in works}
    for _ in range(runs):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def test_cases() -> list[tuple[str, dt.date | None, list[tuple]]]:
    import test_dates  # tests/test_dates.py: the data tables

    return [tuple(p.values) for p in test_dates.ALL_CASES]


# The tables of tests/test_dates.py, by the categories of tests/test_dates_timex.py.
_CATEGORY_OF_TABLE = {"absolute": "absolute", "era": "era", "fiscal_period": "period", "relative": "relative",
                      "anaphora": "relative", "time": "clock time", "ranges": "range", "duration": "duration",
                      "set": "set", "vague": "vague", "news": "news sentences"}


def cases_by_category() -> dict[str, list[tuple]]:
    """{category: [(text, anchor, expected)]} over both test files, plus the negative file (no
    items expected)."""
    import test_dates
    import test_dates_timex

    out: dict[str, list[tuple]] = {}
    for table, cases in test_dates.TABLES.items():
        out.setdefault(_CATEGORY_OF_TABLE[table], []).extend(tuple(p.values) for p in cases)
    for category, cases in test_dates_timex.CATEGORIES.items():
        out.setdefault(category, []).extend(tuple(p.values) for p in cases)
    out["negatives"] = [(text, test_dates.A, []) for text in test_dates.negative_texts()]
    return out


def category_table(jt_parse) -> None:
    """Pass rate per category: a case passes when the whole output equals the expected items.
    For ja-timex, (span, type, value) are compared after mapping its notation to ours; mod and freq
    are left out, as its notation for them differs."""
    groups = cases_by_category()
    print()
    print("pass rate per category (whole case right; ja-timex on span, type and mapped value)")
    header = f"{'category':<18}{'cases':>7}{'jnews':>9}"
    if jt_parse:
        header += f"{'ja-timex':>10}"
    print(header)
    totals = [0, 0, 0]
    for category, cases in groups.items():
        ours = sum(_ours_pass(text, anchor, expected) for text, anchor, expected in cases)
        line = f"{category:<18}{len(cases):>7}{ours / len(cases):>9.2f}"
        totals[0] += len(cases)
        totals[1] += ours
        if jt_parse:
            theirs = sum(_ja_timex_pass(jt_parse, text, anchor, expected) for text, anchor, expected in cases)
            totals[2] += theirs
            line += f"{theirs / len(cases):>10.2f}"
        print(line)
    line = f"{'all':<18}{totals[0]:>7}{totals[1] / totals[0]:>9.2f}"
    if jt_parse:
        line += f"{totals[2] / totals[0]:>10.2f}"
    print(line)


def gsd_table() -> None:
    """DATE / TIME against UD Japanese GSD dev (gold nobody here wrote), when the data is there."""
    from pipeline.entities.gsd import gsd_path
    from pipeline.evaluation.dates_gsd import main as gsd_main

    print()
    if (gsd_path() / "dev.jsonl").exists():
        gsd_main(["--split", "dev"])
    else:
        print(f"UD Japanese GSD data not found at {gsd_path()}: skipped")


def _ours_pass(text, anchor, expected) -> bool:
    mine = [(d["text"], d["type"], d["value"], d.get("mod"), d.get("freq")) for d in extract_dates(text, anchor)]
    return mine == [tuple(e) for e in expected]


def _ja_timex_pass(jt_parse, text, anchor, expected) -> bool:
    want = sorted((text.find(e[0]), e[0], e[1], e[2]) for e in expected)
    try:
        found = jt_parse(text, anchor)
    except Exception:  # noqa: BLE001 - a peer's crash on a case is a failed case, not a failed bench
        return False
    theirs = sorted((t.span[0], t.text, t.type, normalize_ja_timex(t.type, t.value)) for t in found)
    return theirs == want


def load_ja_timex():
    try:
        import pendulum
        from ja_timex import TimexParser
    except Exception as e:  # noqa: BLE001 - report any import problem, do not fail the bench
        return None, f"{type(e).__name__}: {e}"
    parsers: dict = {}

    def parse(text: str, anchor: dt.date | None):
        key = anchor.isoformat() if anchor else None
        if key not in parsers:
            ref = pendulum.datetime(anchor.year, anchor.month, anchor.day, tz="Asia/Tokyo") if anchor else None
            parsers[key] = TimexParser(reference=ref) if ref else TimexParser()
        return parsers[key].parse(text)

    return parse, _version("ja-timex")


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


_JT_TIME = re.compile(r"^(.*?)T(\d\d|XX)-(\d\d|XX)-(\d\d|XX)$")


def normalize_ja_timex(type_: str, value: str) -> str:
    """ja-timex value -> our notation where the meaning is the same: 'XXXX-02-XX' -> 'XXXX-02',
    'T15-00-XX' -> 'T15:00', 'PT1.5H' -> 'PT1H30M', 'FY2025' -> '2025'."""
    if type_ == "TIME":
        m = _JT_TIME.match(value)
        if m:
            date, h, mi, s = m.groups()
            t = f"T{h}:{'00' if mi == 'XX' else mi}" + ("" if s == "XX" else f":{s}")
            return (date.rstrip("-") if date and date != "XXXX-XX-XX" else "") + t
        return value
    if type_ == "DATE":
        if value.startswith("FY"):
            return value[2:]
        while value.endswith("-XX"):
            value = value[:-3]
        return value
    if type_ == "DURATION":
        m = re.fullmatch(r"PT(\d+)\.5H", value)
        if m:
            return f"PT{m.group(1)}H30M"
        m = re.fullmatch(r"P(\d+)\.5Y", value)
        if m:
            return f"P{m.group(1)}Y6M"
    return value


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    seed = SEED.read_text(encoding="utf-8")
    seed_text = seed * repeat
    cases = test_cases()
    sentences = [(text, anchor) for text, anchor, _ in cases]
    corpora = [("seed x%d (1 text)" % repeat, [(seed_text, ANCHOR)]),
               ("seed, per article (x%d calls)" % repeat, [(seed, ANCHOR)] * repeat),
               ("test sentences (%d calls)" % len(sentences), sentences),
               ("test sentences joined (1 text)", [("。".join(t for t, _ in sentences), ANCHOR)]),
               ("number-dense business text x20", [(BUSINESS * 20, ANCHOR)])]
    articles = sorted(ROOT.glob("corpora/*/articles/*.txt"))
    if articles:
        corpora.append(("corpora/*/articles (%d calls)" % len(articles),
                        [(a.read_text(encoding="utf-8", errors="replace"), ANCHOR) for a in articles]))
    if STOCKMARK.exists():
        wiki = [item["text"] for item in json.loads(STOCKMARK.read_text(encoding="utf-8"))[:2000]]
        corpora.append(("Stockmark Wikipedia (%d sentences)" % len(wiki), [(t, ANCHOR) for t in wiki]))

    tagger = fugashi.Tagger()
    jt_parse, jt_version = load_ja_timex()
    for texts in corpora:  # warm up every side
        for text, anchor in texts[1][:50]:
            tagger(text)
            extract_dates(text, anchor)
            if jt_parse:
                jt_parse(text, anchor)

    print(f"fugashi {_version('fugashi')}, unidic-lite {_version('unidic-lite')}; ja-timex: {jt_version}; best of {runs} runs; "
          f"python {sys.version.split()[0]}")
    header = f"{'corpus':<38}{'chars':>9}{'fugashi c/s':>14}{'dates c/s':>13}{'dates/fugashi':>15}"
    if jt_parse:
        header += f"{'ja-timex c/s':>14}{'ja-timex/fugashi':>18}"
    print(header)
    for name, texts in corpora:
        chars = sum(len(t) for t, _ in texts)
        best = best_of_interleaved(runs, {"raw": lambda: [tagger(t) for t, _ in texts],
                                          "ours": lambda: [extract_dates(t, a) for t, a in texts]})
        raw, ours = best["raw"], best["ours"]
        line = f"{name:<38}{chars:>9,}{chars / raw:>14,.0f}{chars / ours:>13,.0f}{ours / raw:>15.2f}"
        if jt_parse:  # slower: fewer runs, each interleaved with a fugashi pass
            jt = best_of_interleaved(max(1, min(runs, 3)), {"raw": lambda: [tagger(t) for t, _ in texts],
                                                           "jt": lambda: [jt_parse(t, a) for t, a in texts]})
            line += f"{chars / jt['jt']:>14,.0f}{jt['jt'] / min(raw, jt['raw']):>18.2f}"
        print(line)

    # Coverage and agreement on the expected items of the test tables.
    expected = [(text, anchor, e) for text, anchor, items in cases for e in items]
    ours_hit = 0
    jt_span = jt_type = jt_value = 0
    for text, anchor, (etext, etype, evalue, emod, efreq) in expected:
        start = text.find(etext)
        mine = [(d["start"], d["text"], d["type"], d["value"]) for d in extract_dates(text, anchor)]
        ours_hit += (start, etext, etype, evalue) in mine
        if jt_parse:
            for t in jt_parse(text, anchor):
                if t.span == (start, start + len(etext)):
                    jt_span += 1
                    if t.type == etype:
                        jt_type += 1
                        jt_value += normalize_ja_timex(t.type, t.value) == evalue
                    break
    n = len(expected)
    print()
    print(f"test-table items: {n} expected (text, type, value) in {len(cases)} cases, anchor "
          f"{ANCHOR} unless the case sets one")
    print(f"{'tagger':<12}{'same span':>12}{'+ same type':>14}{'+ same value':>15}")
    print(f"{'jnews':<12}{ours_hit:>12}{ours_hit:>14}{ours_hit:>15}")
    if jt_parse:
        print(f"{'ja-timex':<12}{jt_span:>12}{jt_type:>14}{jt_value:>15}")
        print("(ja-timex values are mapped to our notation where the meaning is the same: "
              "XXXX-02-XX -> XXXX-02, T15-00-XX -> T15:00, FY2025 -> 2025, PT1.5H -> PT1H30M; "
              "its relative expressions are DURATIONs with mod BEFORE/AFTER and do not agree by design)")
    category_table(jt_parse)
    gsd_table()


if __name__ == "__main__":
    main()
