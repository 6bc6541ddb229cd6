"""Property-based tests (hypothesis) for every stage a hostile text goes through (issue 8).

For any text (control characters, lone surrogates escaped in JSON, U+3000, emoji, RTL marks,
combining marks, half-width kana, the layout's own markers): reading gives exactly one record
per input and only DecodeError escapes ``decode_bytes``; no exception escapes the per-article
boundary; every span is ``text[start:end]``; the output validates against the schema; and two
runs give the same bytes. Example counts are bounded so the suite stays fast; ``bench/fuzz.py``
runs the same checks at volume. Examples are derandomized (the same every run, so CI is
stable); set JNEWS_HYPOTHESIS=random to explore new ones locally.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import time

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import iter_spans  # noqa: E402
from pipeline.dates import extract_dates  # noqa: E402
from pipeline.layout.article import parse_article  # noqa: E402
from pipeline.io.output import dumps_summary  # noqa: E402
from pipeline.io.reading import DecodeError, Record, iter_jsonl, _text_record, decode_bytes, iter_records  # noqa: E402
from pipeline.nlp.sentences import split_sentences  # noqa: E402

settings.register_profile("jnews", deadline=None, derandomize=os.environ.get("JNEWS_HYPOTHESIS") != "random",
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile("jnews")

FAST = settings(max_examples=200)
SLOW = settings(max_examples=100)

PIECES = [
    "✅", "💡", "・", "●", "公開日：2025/02/08", "公開日:", "さらに読む ⇒", "出典：", "画像元: https://example.com/x",
    "【ワシントン共同】", "「", "」", "『", "』", "（", "）", "(", ")", "【", "】", "。", "！", "？", "!?", "．", "…",
    "\n", "\r\n", "\r", "\n\n", " ", "\u3000", "\t", "https://example.com/a?b=c#d", "2025年2月8日", "令和7年", "午後3時",
    "昨日", "来週月曜", "約1時間半", "毎週", "石破首相", "トランプ大統領", "日米", "東京都", "１兆２０００億円", "7割",
    "\u200f", "\u200e", "\u202e", "\u0301", "\u3099", "ｶﾞｷﾞｸﾞ", "ｱｲｳ", "😀", "👨‍👩‍👧", "🇯🇵", "\ufeff", "\x00", "\x01",
    "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufffd", "Q.", "A.", "Yahoo!ニュース", "〜", "―", "◆", "※", "123",
    "２０２５", "〇", "二〇二五年二月八日", "<p>", "&amp;",
]
# Any code point but surrogates (those only arrive through JSON escapes, tested below).
CHARS = st.characters(blacklist_categories=("Cs",))
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(CHARS, max_size=6)), max_size=40).map("".join)
nonblank_texts = texts.filter(lambda t: t.strip())


def _check_layout_spans(text, article):
    spans = [article.title, article.lead, article.dateline, *article.takeaways]
    for section in article.sections:
        assert 0 <= section.start <= section.end <= len(text)
        spans += [section.heading, section.question, section.answer, section.published_span]
        spans += [p.span for p in section.points] + [b.span for b in section.body]
        if section.source is not None:
            spans.append(section.source.span)
    for span in spans:
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text), span


# ---- reading ----

@FAST
@given(st.binary(max_size=400))
def test_decode_bytes_only_raises_decode_error(data):
    try:
        text, encoding = decode_bytes(data)
    except DecodeError:
        return
    assert isinstance(text, str) and encoding
    text.encode("utf-8", errors="surrogatepass")


@FAST
@given(st.one_of(st.binary(max_size=400), texts.map(lambda t: t.encode("utf-8")),
                 texts.map(lambda t: t.encode("cp932", errors="replace"))))
def test_any_bytes_make_exactly_one_record(data):
    record = _text_record("x", data, "x.txt")
    assert (record.text is None) != (record.error is None)
    if record.text is not None:
        record.text.encode("utf-8")  # no lone surrogate survives: the output is writable


surrogate = st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "\\ude00", "\\udc80x"])
json_lines = st.one_of(
    st.builds(lambda t, s, i: json.dumps({"id": i, "text": t}, ensure_ascii=False).replace('"text": "', '"text": "' + s, 1),
              texts, surrogate, st.one_of(st.none(), st.text(max_size=8), st.integers())),
    st.builds(lambda t: json.dumps({"text": t}), texts),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ").decode("latin-1")),
    st.sampled_from(["{", "[]", "null", '{"text": 5}', '{"id": "a"}', '"str"', "{}", '{"text": "\\u0000"}']),
)


@FAST
@given(st.lists(json_lines, max_size=8), st.booleans())
def test_jsonl_gives_one_record_per_nonblank_line(tmp_path_factory, lines, compress):
    payload = "\n".join(lines).encode("utf-8", errors="surrogatepass") + b"\n"
    path = tmp_path_factory.mktemp("j") / ("dump.jsonl.gz" if compress else "dump.jsonl")
    path.write_bytes(gzip.compress(payload) if compress else payload)
    records = list(iter_records([str(path)]))
    expected = sum(1 for line in payload.split(b"\n") if line.strip())
    assert len(records) == expected
    for record in records:
        assert (record.text is None) != (record.error is None)
        if record.text is not None:
            record.text.encode("utf-8")


# ---- layout, sentences, dates ----

@FAST
@given(texts)
def test_layout_spans_index_the_text(text):
    article = parse_article(text)
    _check_layout_spans(text, article)
    assert parse_article(text) == article  # deterministic


@FAST
@given(texts)
def test_sentences_are_ordered_trimmed_slices(text):
    spans = split_sentences(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert text[start] not in " \t\r\n\u3000" and text[end - 1] not in " \t\r\n\u3000"
        last = end


@FAST
@given(texts, st.sampled_from([None, dt.date(2025, 3, 7), dt.date(1989, 1, 8), dt.date(2024, 2, 29)]))
def test_dates_are_exact_slices(text, anchor):
    dates = extract_dates(text, anchor)
    for date in dates:
        assert text[date["start"]:date["end"]] == date["text"]
        assert date["type"] in ("DATE", "TIME", "DURATION", "SET")
    assert [d["start"] for d in dates] == sorted(d["start"] for d in dates)
    assert extract_dates(text, anchor) == dates


# ---- tokenizer and entities (spaCy) ----

@pytest.fixture(scope="module")
def tokenize_only():
    from pipeline import make_nlp

    return make_nlp(entities=None)


@FAST
@given(texts)
def test_tokenizer_keeps_every_character(tokenize_only, text):
    doc = tokenize_only(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text


@SLOW
@given(texts)
def test_entities_are_exact_slices(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    for ent in doc.ents:
        assert text[ent.start_char:ent.end_char] == ent.text


# ---- the whole summary, through the per-article boundary ----

@pytest.fixture(scope="module")
def worker():
    from pipeline.batch.partition import RunOptions, Worker

    return Worker(RunOptions())


@SLOW
@given(nonblank_texts, st.sampled_from([None, "2025-03-07", "2025-13-45", "xxxx-xx-xx", "0001-01-01"]))
def test_summary_never_fails_and_is_exact_valid_and_stable(worker, validate, text, published):
    line = json.dumps({"id": "p", "text": text, "published": published}, ensure_ascii=False).encode("utf-8")
    [record] = iter_jsonl(io.BytesIO(line + b"\n"), "p", "p.jsonl")
    summary = worker.summarize(record)
    assert "error" not in summary or summary["error"]["kind"] != "internal_error", summary["error"]
    validate(summary)
    if "error" not in summary:
        for span in iter_spans(summary):
            assert record.text[span["start"]:span["end"]] == span["text"], span
        assert summary["stats"]["chars"] == len(record.text)
    again = worker.summarize(Record(**{**record.__dict__, "warnings": list(record.warnings)}))
    assert dumps_summary(again).encode("utf-8") == dumps_summary(summary).encode("utf-8")


@settings(max_examples=50)
@given(st.lists(st.tuples(st.sampled_from([".txt", ".html", ".htm", ".md"]),
                          st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8")),
                                    texts.map(lambda t: f"<html><body><p>{t}</p>".encode("utf-8")))),
                max_size=6))
def test_a_directory_gives_one_record_per_text_file(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("d")
    for number, (suffix, data) in enumerate(files):
        (folder / f"{number:02d}{suffix}").write_bytes(data)
    records = list(iter_records([str(folder)]))
    expected = [f"{number:02d}" for number, (suffix, _) in enumerate(files) if suffix != ".md"]
    assert [record.id for record in records] == expected
    assert all((record.text is None) != (record.error is None) for record in records)


# ---- long runs made from the rules themselves (issue 14) ----

def _rule_units():
    from rule_runs import rule_units

    chars, words, _ = rule_units()
    return st.sampled_from(chars + words)


def _long_run(units, separator, size, interruption):
    unit = "".join(units) + separator
    text = (unit * (size // len(unit) + 1))[:size]
    middle = size // 2
    return text[:middle] + interruption + text[middle:]


# a run of one to three units the patterns consume, with or without a separator, 1k to 30k
# characters, with some hostile text in the middle of it
long_runs = st.builds(_long_run, st.lists(st.deferred(_rule_units), min_size=1, max_size=3),
                      st.sampled_from(["", "", " ", "、", "\n", "。"]), st.integers(1_000, 30_000), texts)
# generous: about 25 times prose's cost per character, plus start-up; a quadratic run of 30k
# characters took minutes
_SECONDS_PER_CHAR = 25 / 150_000


@settings(max_examples=30)
@given(long_runs)
def test_long_runs_are_summarized_exactly_in_linear_time(worker, validate, text):
    started = time.process_time()
    summary = worker.summarize(Record(id="run", text=text))
    took = time.process_time() - started
    assert "error" not in summary, summary["error"]
    validate(summary)
    for span in iter_spans(summary):
        assert text[span["start"]:span["end"]] == span["text"], span
    assert took < 1.0 + _SECONDS_PER_CHAR * len(text), f"{took:.2f} s for {len(text)} characters"


@FAST
@given(long_runs)
def test_long_runs_keep_layout_and_dates_exact(text):
    _check_layout_spans(text, parse_article(text))
    for date in extract_dates(text, dt.date(2025, 3, 7)):
        assert text[date["start"]:date["end"]] == date["text"]
