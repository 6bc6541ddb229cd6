"""Fuzz the decoder, the record reader, layout and the whole summary at volume.

    python bench/fuzz.py --seconds 600 [--seed N] [--full-every 20] [--out tests/regressions]

A mutation fuzzer (stdlib ``random``, deterministic for a given --seed): inputs are the seed
articles and corpus texts, cut, spliced, and sprinkled with what hostile dumps hold (markers
✅💡公開日 さらに読む, brackets, URLs, digit runs, control characters, lone surrogates escaped
in JSON, U+3000, RTL marks, combining marks, half-width kana, HTML, invalid bytes). Levels:

* ``decode``  bytes -> ``decode_bytes``: only ``DecodeError`` may come out;
* ``record``  bytes as a .txt file / a JSONL line -> exactly one ``Record``;
* ``layout``  text -> ``parse_article`` + ``split_sentences`` + ``extract_dates``: no
  exception, every span indexes the text;
* ``summary`` (every ``--full-every``-th input) text -> the full pipeline: not an
  ``internal_error``, spans exact, schema-valid, same bytes on a second run.

A failing input is stored under ``--out`` as ``<level>-<sha1>.json`` ({"level", "data_b64",
"error"}); ``tests/test_robustness_regressions.py`` replays every stored case. An input that takes over
``--slow`` seconds at one level is stored as a failure too (a sign of super-linear time).
Prints the figures at the end: inputs tried per level, failures, slowest input.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import random
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKENS = [
    "✅", "💡", "・", "●", "公開日：", "公開日:2025/02/08", "さらに読む ⇒", "出典：", "画像元:", "【ワシントン共同】",
    "「", "」", "『", "』", "（", "）", "(", ")", "【", "】", "。", "！", "？", "!?", "．", "…", "\n", "\r\n", "\r",
    "\n\n", " ", "\u3000", "\t", "https://example.com/a?b=c#d", "http://", "www.", "@", "123456789", "２０２５年２月８日",
    "令和7年", "午後3時", "昨日", "来週月曜", "約1時間半", "毎週", "2025年度末", "石破首相", "トランプ大統領", "日米",
    "東京都", "１兆２０００億円", "7割", "\u200f", "\u200e", "\u202e", "\u0301", "\u3099", "ｶﾞｷﾞ", "ｱｲｳｴｵ",
    "😀", "👨‍👩‍👧", "🇯🇵", "\ufeff", "\x00", "\x01", "\x1b[31m", "\x7f", "\ufffd", "\u2028", "\u2029", "\x85",
    "<html>", "<!DOCTYPE html>", "<p>", "</p>", "<script>alert(1)</script>", "&amp;", "&#0;", "Q.", "A.", "Yahoo!ニュース",
    "🇺🇸", "〜", "~", "―", "━━", "◆", "■", "※", "\\", "\"", "'", "{", "}", "0" * 50, "9" * 200, "✅" * 30, " " * 100,
    "「" * 40, "」" * 40,
]
RAW_BYTES = [b"\x81", b"\xff", b"\xfe", b"\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x8e", b"\x8f\xa1",
             b"\x00", b"\xc3(", b"\xe3\x81", b"\x1f\x8b\x08", b"\xed\xa0\x80"]
SURROGATES = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00", "\\ud83d\\ude00"]


def corpus_texts() -> list[str]:
    texts = []
    for folder in (ROOT / "seeds", ROOT / "corpora" / "jnews" / "articles", ROOT / "tests" / "data" / "plain_news"):
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return texts or ["石破首相は2025年2月8日、ワシントンで会談した。"]


class Mutator:
    def __init__(self, rng: random.Random, texts: list[str]) -> None:
        self.rng, self.texts = rng, texts

    def text(self) -> str:
        rng = self.rng
        base = rng.choice(self.texts)
        if rng.random() < 0.7:  # a slice, so most inputs stay small and fast
            start = rng.randrange(len(base))
            base = base[start:start + rng.choice((40, 200, 1000, 4000))]
        chars = list(base)
        for _ in range(rng.choice((0, 1, 3, 10, 40))):
            where = rng.randrange(len(chars) + 1)
            choice = rng.random()
            if choice < 0.55:
                piece = rng.choice(TOKENS)
            elif choice < 0.75:
                piece = chr(rng.choice((rng.randrange(0x20), rng.randrange(0x80, 0x800), rng.randrange(0x3000, 0x30ff),
                                        rng.randrange(0xff00, 0xffef), rng.randrange(0x1f300, 0x1faff),
                                        rng.randrange(0x10000, 0x10ffff), rng.randrange(0x4e00, 0x9fff))))
            elif choice < 0.85 and chars:  # duplicate a chunk (repetition finds super-linear paths)
                a = rng.randrange(len(chars))
                piece = "".join(chars[a:a + rng.randrange(1, 60)]) * rng.randrange(2, 30)
            else:  # delete a chunk
                a = rng.randrange(len(chars) + 1)
                del chars[a:a + rng.randrange(1, 50)]
                continue
            chars[where:where] = list(piece)
        text = "".join(chars)
        if rng.random() < 0.05:
            text = f"<!DOCTYPE html><html><head><title>{text[:30]}</title></head><body><p>{text}</p></body></html>"
        return text

    def data(self, text: str) -> bytes:
        rng = self.rng
        encoding = rng.choice(("utf-8", "utf-8", "utf-8", "cp932", "euc_jp", "utf-16", "utf-8-sig"))
        data = text.encode(encoding, errors=rng.choice(("replace", "ignore", "surrogatepass")) if encoding.startswith("utf-8") else "replace")
        data = bytearray(data)
        for _ in range(rng.choice((0, 0, 1, 3, 20))):
            where = rng.randrange(len(data) + 1)
            if rng.random() < 0.5:
                data[where:where] = rng.choice(RAW_BYTES)
            elif data:
                data[min(where, len(data) - 1)] = rng.randrange(256)
        return bytes(data)

    def json_line(self, text: str) -> bytes:
        rng = self.rng
        obj: dict = {"id": rng.choice(["a", "../../etc/passwd", "x\x00y", "a\nb", 7, None, "", "🇯🇵"]), "text": text}
        if rng.random() < 0.3:
            obj["published"] = rng.choice(["2025-03-07", "2025-13-45", "9999-99-99T", 20250307, "", "xxxx-xx-xx"])
        if rng.random() < 0.1:
            obj["text"] = rng.choice([None, 5, ["a"], {"b": 1}, ""])
        line = json.dumps(obj, ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.3:
            line = line.replace('"text": "', '"text": "' + rng.choice(SURROGATES), 1)
        if rng.random() < 0.05:
            line = line[: rng.randrange(len(line) + 1)]
        return line.encode("utf-8", errors="surrogatepass")


def span_problems(text: str, summary: dict) -> list[str]:
    problems = []
    spans = []
    for section in summary.get("sections", []):
        spans += section["key_points"] + section["body"]
    for field in ("key_points", "takeaways", "entities", "dates"):
        spans += summary.get(field, [])
    for span in spans:
        if not (0 <= span["start"] <= span["end"] <= len(text)) or text[span["start"]:span["end"]] != span["text"]:
            problems.append(f"span {span!r} does not index the text")
    return problems


# ---- the checks, one per level; each raises AssertionError (or anything) on a failure ----

def check_decode(data: bytes) -> None:
    from pipeline.io.reading import DecodeError, decode_bytes

    try:
        text, encoding = decode_bytes(data)
    except DecodeError:
        return
    assert isinstance(text, str) and isinstance(encoding, str)


def check_record(data: bytes) -> None:
    from pipeline.io.reading import iter_jsonl, _text_record

    record = _text_record("fuzz", data, "fuzz.txt")
    assert (record.text is None) != (record.error is None), "a record has text xor an error"
    if record.text is not None:
        record.text.encode("utf-8")  # writable: no lone surrogates
    records = list(iter_jsonl(io.BytesIO(data.replace(b"\n", b" ") + b"\n"), "fuzz", "fuzz.jsonl"))
    assert len(records) <= 1 and all((r.text is None) != (r.error is None) for r in records)
    if data.replace(b"\n", b" ").strip():
        assert len(records) == 1, "a non-blank JSONL line gives exactly one record"


def check_layout(text: str) -> None:
    from pipeline.dates import extract_dates
    from pipeline.layout.article import parse_article
    from pipeline.nlp.sentences import split_sentences

    article = parse_article(text)
    spans = [article.title, article.lead, article.dateline, *article.takeaways]
    for section in article.sections:
        spans += [section.heading, section.question, section.answer, section.published_span]
        spans += [p.span for p in section.points] + [b.span for b in section.body]
        if section.source:
            spans.append(section.source.span)
    for span in spans:
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text), f"layout span {span} out of range"
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text), f"bad sentence {(start, end)}"
    for anchor in (None, dt.date(2025, 3, 7)):
        for date in extract_dates(text, anchor):
            assert text[date["start"]:date["end"]] == date["text"], f"date {date!r}"


_WORKER = None
_VALIDATOR = None


def check_summary(data: bytes) -> None:
    """A JSONL line (bytes) through the reader and the whole pipeline."""
    global _WORKER, _VALIDATOR
    from pipeline.batch.partition import RunOptions, Worker
    from pipeline.io.output import dumps_summary
    from pipeline.io.reading import Record, iter_jsonl

    if _WORKER is None:
        _WORKER = Worker(RunOptions())
        try:
            import jsonschema

            schema = json.loads((ROOT / "pipeline" / "schema" / "summary.schema.json").read_text("utf-8"))
            _VALIDATOR = jsonschema.Draft202012Validator(schema)
        except ImportError:
            _VALIDATOR = False
    records = list(iter_jsonl(io.BytesIO(data.replace(b"\n", b" ") + b"\n"), "fuzz", "fuzz.jsonl"))
    for record in records:
        text = record.text
        first = _WORKER.summarize(record)
        error = first.get("error")
        assert not error or error["kind"] != "internal_error", error and error["message"]
        if _VALIDATOR:
            errors = list(_VALIDATOR.iter_errors(first))
            assert not errors, errors[0].message
        if not error:
            problems = span_problems(text, first)
            assert not problems, problems[0]
            second = _WORKER.summarize(record)
            assert dumps_summary(first) == dumps_summary(second), "two runs differ"
        # a batch worker summarizes it in a group, stage by stage: the same summary
        companion = Record(id="companion", text="石破首相は22日、東京都内で記者会見した。")
        grouped = _WORKER.summarize_many([companion, record, companion])
        assert dumps_summary(grouped[1]) == dumps_summary(first), "grouped differs from alone"
        dumps_summary(first).encode("utf-8")


CHECKS = {"decode": check_decode, "record": check_record, "layout": check_layout, "summary": check_summary}


def replay(case: dict) -> None:
    """Run a stored case through its level's check (what the regression test does)."""
    data = base64.b64decode(case["data_b64"])
    payload = data.decode("utf-8", errors="surrogatepass") if case["level"] == "layout" else data
    CHECKS[case["level"]](payload)


def store(out: Path, level: str, data: bytes, error: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(level.encode() + data).hexdigest()[:16]
    path = out / f"{level}-{digest}.json"
    error = error.replace(f"{ROOT}/", "")  # stored in the repository: paths relative to it
    path.write_text(json.dumps({"level": level, "data_b64": base64.b64encode(data).decode("ascii"),
                                "error": error[-2000:]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full-every", type=int, default=20, help="run the full pipeline on every N-th input")
    parser.add_argument("--slow", type=float, default=10.0, help="seconds at one level that count as a failure")
    parser.add_argument("--out", default=str(ROOT / "tests" / "regressions"))
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    mutator = Mutator(rng, corpus_texts())
    out = Path(args.out)
    tried = {level: 0 for level in CHECKS}
    failures: dict[str, int] = {level: 0 for level in CHECKS}
    seen: set[str] = set()
    slowest = (0.0, "", 0)
    started = time.monotonic()
    deadline = started + args.seconds
    next_report = started + 60
    n = 0
    check_summary('{"id": "warm-up", "text": "石破首相は2025年2月8日に会談した。"}'.encode())  # build the pipeline once
    while time.monotonic() < deadline:
        n += 1
        text = mutator.text()
        data = mutator.data(text)
        work = [("decode", data), ("record", data), ("layout", text)]
        if n % args.full_every == 0:
            work.append(("summary", mutator.json_line(text)))
        for level, payload in work:
            tried[level] += 1
            t0 = time.monotonic()
            try:
                CHECKS[level](payload)
                error = None
            except Exception:
                error = traceback.format_exc()
            took = time.monotonic() - t0
            size = len(payload)
            if took > slowest[0]:
                slowest = (took, level, size)
            if error is None and took > args.slow:
                error = f"slow: {took:.1f} s for {size} units"
            if error is not None:
                failures[level] += 1
                raw = payload.encode("utf-8", errors="surrogatepass") if isinstance(payload, str) else payload
                key = re.sub(r"\d+", "N", error.strip().splitlines()[-1][:200])
                if key not in seen:  # one stored case per distinct error message
                    seen.add(key)
                    path = store(out, level, raw, error)
                    print(f"FAIL {level}: {key} -> {path}", flush=True)
        if time.monotonic() >= next_report:
            next_report += 60
            print(f"{time.monotonic() - started:.0f} s: {n} inputs, {sum(failures.values())} failures", flush=True)
    elapsed = time.monotonic() - started
    print(f"seconds {elapsed:.0f}  seed {args.seed}  inputs {n}  "
          + "  ".join(f"{level} {count}" for level, count in tried.items()))
    print(f"failures {sum(failures.values())} ({', '.join(f'{k} {v}' for k, v in failures.items())}); "
          f"distinct stored {len(seen)}")
    print(f"slowest: {slowest[0]:.2f} s at level {slowest[1]} ({slowest[2]} units)")
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
