"""Hostile input (issue 8): limits (too_large, decompression bombs), linear time on
pathological runs of characters, HTML pages, and the README's table of bad input -> error kind."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
import zlib

import pytest

from conftest import SEED, iter_spans
from pipeline.io.reading import iter_records


def jnews(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], input=stdin, capture_output=True,
                          cwd=cwd)


def _kinds(output: bytes) -> list:
    return [json.loads(line).get("error", {}).get("kind") for line in output.decode("utf-8").splitlines()]


# ---- the README table: every kind of bad input gets its error kind, one line each ----

def test_every_bad_input_gets_its_error_kind(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a_binary.txt").write_bytes(bytes(range(256)) * 8)
    (dump / "b_empty.txt").write_bytes(b" \r\n\t\xe3\x80\x80\n")  # only whitespace, U+3000 included
    (dump / "c_huge.txt").write_bytes(b"a" * 13000)  # over --max-bytes 12000
    (dump / "d_deep.html").write_text("<html><body>" + "<div>" * 2100 + "x", encoding="utf-8")
    (dump / "e_page.html").write_text("<html><head><title>見出し</title><script>alert(1)</script></head>"
                                      "<body><p>石破首相は会談した。</p></body></html>", encoding="utf-8")
    lines = [b"{broken", b"\xff\xfe not utf-8", b"[1, 2]", b'{"id": "no-text"}', b'{"text": 5}',
             b'{"id": "blank", "text": "\\u3000 \\n"}', b'{"id": "long", "text": "' + b"x" * 3000 + b'"}',
             b'{"id": "surrogate", "text": "\\ud800\\u77f3\\u7834"}', b"", b"   "]
    (dump / "f_lines.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    whole = "\n".join(json.dumps({"id": f"g{i}", "text": "本文です。" * 50}, ensure_ascii=False) for i in range(50))
    data = gzip.compress(whole.encode())
    (dump / "g_cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (dump / "h_bomb.jsonl.gz").write_bytes(gzip.compress(
        ("\n".join(json.dumps({"id": f"h{i}", "text": "あ" * 900}) for i in range(40)) + "\n").encode()))
    result = jnews("summarize", dump, "--max-bytes", "12000", "--max-chars", "2000", "--max-decompressed", "20000",
                   "--workers", "1", "-q")
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    by_id = {record["id"]: record for record in out}
    kind = {record["id"]: record.get("error", {}).get("kind") for record in out}
    assert kind["a_binary"] == "decode_error"
    assert kind["b_empty"] == "empty_text"
    assert kind["c_huge"] == "too_large" and "--max-bytes" in by_id["c_huge"]["error"]["message"]
    assert kind["d_deep"] == "too_large" and "nested" in by_id["d_deep"]["error"]["message"]
    assert kind["e_page"] is None and by_id["e_page"]["title"] == "見出し"
    assert "alert" not in json.dumps(by_id["e_page"], ensure_ascii=False)
    assert [kind[f"f_lines:{n}"] for n in (1, 2, 3)] == ["bad_json", "bad_json", "bad_record"]
    assert kind["no-text"] == "bad_record" and kind["f_lines:5"] == "bad_record" and kind["blank"] == "empty_text"
    assert kind["long"] == "too_large" and "--max-chars" in by_id["long"]["error"]["message"]
    assert kind["surrogate"] is None and "lone surrogate" in by_id["surrogate"]["warnings"][0]
    assert by_id["surrogate"]["title"] == "\ufffd石破"
    assert kind[[i for i in kind if i.startswith("g")][-1]] == "truncated_input"
    bomb = [record for record in out if record["source_path"].endswith("h_bomb.jsonl.gz")]
    assert bomb[-1]["error"]["kind"] == "too_large" and "--max-decompressed" in bomb[-1]["error"]["message"]
    assert len(bomb) < 10 and all("error" not in record for record in bomb[:-1])
    assert result.returncode == 1 and not result.stderr


def test_decompression_bomb_stops_early_and_stays_small(tmp_path):
    """256 MiB of zeros in one gzip line (a quarter of a MB on disk): a too_large record, read no
    further than the limits allow, in bounded time and memory."""
    path = tmp_path / "bomb.jsonl.gz"
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    with open(path, "wb") as out:
        out.write(compressor.compress(b'{"id": "bomb", "text": "'))
        for _ in range(256):
            out.write(compressor.compress(chunk))
        out.write(compressor.compress(b'"}\n' + b'{"id": "after", "text": "\\u77f3"}\n'))
        out.write(compressor.flush())
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    records = list(iter_records([str(path)], max_bytes=1 << 20, max_decompressed=8 << 20))
    assert [r.error[0] if r.error else None for r in records] == ["too_large", "too_large"]
    assert "--max-bytes" in records[0].error[1] and "--max-decompressed" in records[1].error[1]
    # with the default total limit the line is skipped without being held, and reading goes on
    records = list(iter_records([str(path)], max_bytes=1 << 20))
    assert [r.error[0] if r.error else r.text for r in records] == ["too_large", "石"]
    assert time.perf_counter() - started < 60


def test_stdin_over_max_bytes_is_too_large():
    result = jnews("summarize", "-", "--max-bytes", "1K", "-q", stdin="あ".encode() * 2000)
    assert _kinds(result.stdout) == ["too_large"] and result.returncode == 1


# ---- HTML ----

PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>日米首脳会談</title>
<style>body { color: red }</style><script>document.write("スクリプト")</script></head>
<body><nav>ホーム | ニュース</nav>
<article><h1>日米首脳会談</h1>
<p>公開日：2025/02/08</p>
<ul><li>✅ 石破首相とトランプ大統領は日米同盟の強化を確認した</li><li>✅ 経済協力も<b>強化</b>する</li></ul>
<p>さらに読む ⇒ <a href="https://example.com/a">ニュースサイト</a></p>
<p>石破首相は2月7日、ワシントンで会談した。<br>両首脳は共同声明を発表した。</p></article>
<footer>© example</footer><iframe src="https://evil.example/"></iframe></body></html>"""


def test_html_page_is_reduced_to_text_before_layout(nlp, validate):
    from pipeline.io.html_input import html_to_text, looks_like_html

    text = html_to_text(PAGE)
    assert looks_like_html(PAGE) and looks_like_html(b"\xef\xbb\xbf  <!-- x -->\n<HTML>") and looks_like_html("x", "a.HTM")
    assert not looks_like_html("石破首相は<html>タグについて話した。")
    assert text.splitlines()[0] == "日米首脳会談"
    for gone in ("スクリプト", "color", "ホーム", "©", "<", "evil"):
        assert gone not in text
    assert "✅ 石破首相とトランプ大統領は日米同盟の強化を確認した" in text.splitlines()
    assert "石破首相は2月7日、ワシントンで会談した。" in text.splitlines()


def test_html_file_and_html_record_are_summarized_as_text(tmp_path, validate):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(json.dumps({"id": "r", "text": PAGE}, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    result = jnews("summarize", tmp_path / "page.html", tmp_path / "records.jsonl", "--workers", "1", "-q")
    assert result.returncode == 0, result.stderr.decode()
    first, second = (json.loads(line) for line in result.stdout.decode().splitlines())
    for summary in (first, second):
        validate(summary)
        assert summary["title"] == "日米首脳会談" and summary["published"] == "2025-02-08"
        assert [p["text"] for p in summary["key_points"]][:1] == ["石破首相とトランプ大統領は日米同盟の強化を確認した"]
        assert any("HTML" in w for w in summary["warnings"])
    assert {k: v for k, v in first.items() if k not in ("id", "source_path", "meta")} == \
        {k: v for k, v in second.items() if k not in ("id", "source_path", "meta")}
    # a directory picks up .html files too, id without the suffix
    record = next(iter_records([str(tmp_path)]))
    assert record.id == "page" and record.text.startswith("日米首脳会談")


# ---- pathological inputs stay linear ----

def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


PATHOLOGICAL = {
    "digits": lambda n: "1" * n,
    "full-width digits": lambda n: "１" * n,
    "check marks": lambda n: "✅" * n,
    "check-mark lines": lambda n: _repeat("✅ 要点\n", n),
    "公開日 lines": lambda n: _repeat("公開日：\n", n),
    "spaces": lambda n: "あ" + " " * n,
    "ideographic spaces": lambda n: "あ" + "\u3000" * n,
    "newlines": lambda n: "あ" + "\n" * n,
    "opening brackets": lambda n: "「" * n,
    "one long URL": lambda n: "https://example.com/" + "a" * n,
    "URLs": lambda n: _repeat("https://a.jp/x?q=1 ", n),
    "exclamations": lambda n: _repeat("a!", n),
}


def _layout_level(text: str) -> None:
    from pipeline.dates import extract_dates
    from pipeline.layout.article import parse_article
    from pipeline.nlp.sentences import split_sentences

    parse_article(text)
    split_sentences(text)
    extract_dates(text, None)


@pytest.mark.slow
def test_one_megabyte_runs_take_time_linear_in_size(seed_text):
    """Layout + sentences + dates on 1 MB of each pathological run, against 1 MB of news
    text measured in the same test: a super-linear pattern would take minutes, not seconds."""
    size = 1_000_000
    started = time.perf_counter()
    _layout_level(_repeat(seed_text, size))
    plain = time.perf_counter() - started
    slow = {}
    for name, make in PATHOLOGICAL.items():
        text = make(size)
        started = time.perf_counter()
        _layout_level(text)
        took = time.perf_counter() - started
        if took > 10 * plain + 2:
            slow[name] = round(took, 2)
    assert not slow, f"plain text took {plain:.2f} s; these took: {slow}"


@pytest.mark.slow
def test_full_summary_of_100k_pathological_text_is_bounded(seed_text, validate):
    from pipeline.batch.partition import RunOptions, Worker
    from pipeline.io.reading import Record

    worker = Worker(RunOptions())
    worker.summarize(Record(id="warm", text="石破首相は会談した。"))
    size = 100_000
    started = time.perf_counter()
    worker.summarize(Record(id="plain", text=_repeat(seed_text, size)))
    plain = time.perf_counter() - started
    slow = {}
    for name in ("digits", "check marks", "opening brackets", "one long URL", "newlines", "spaces"):
        text = PATHOLOGICAL[name](size)
        started = time.perf_counter()
        summary = worker.summarize(Record(id=name, text=text))
        took = time.perf_counter() - started
        assert "error" not in summary, summary["error"]
        validate(summary)
        assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(summary))
        if took > 10 * plain + 2:
            slow[name] = round(took, 2)
    assert not slow, f"plain text took {plain:.2f} s; these took: {slow}"


def test_seed_twice_gives_the_same_bytes():
    first = jnews("summarize", SEED, "--workers", "1", "-q")
    second = jnews("summarize", SEED, SEED, "--workers", "2", "-q")
    assert first.returncode == 0 and second.stdout == first.stdout * 2
