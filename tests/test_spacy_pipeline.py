"""The pipeline is one spaCy Language: its components, extensions, serialization, loading in
a fresh process, multiprocessing, and the one path to a summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from spacy import displacy
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline import make_doc, make_nlp, summarize_text
from pipeline.cli import main
from pipeline.io.reading import Record, decode_bytes
from pipeline.layout.article import parse_article
from pipeline.summary.summarize import summarize_batch

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "corpora" / "jnews" / "articles").glob("*.txt"))
STAGES = ["jnews_layout", "jnews_entities", "jnews_dates", "jnews_key_points", "jnews_keywords", "jnews_summary"]
CONTENT = ("title", "published", "sections", "key_points", "takeaways", "entities", "dates", "keywords", "stats",
           "warnings")
SHORT = ["石破首相は7日、ワシントンでトランプ大統領と会談した。", "政府は来年度の防衛費を増やす方針だ。",
         "日本銀行は3月19日、マイナス金利政策の解除を決めた。", "大谷翔平選手が2日、今季50本目の本塁打を放った。"]


def read(path: Path) -> str:
    """The text as the CLI decodes it (read_text would turn CRLF into LF)."""
    return decode_bytes(path.read_bytes())[0]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def test_one_component_per_stage_in_order_with_requires_and_assigns(nlp):
    assert nlp.pipe_names == STAGES
    analysis = nlp.analyze_pipes()
    assert all(not problems for problems in analysis["problems"].values()), analysis["problems"]
    summary = analysis["summary"]
    assert summary["jnews_layout"]["assigns"] == ["doc._.article"]
    assert "doc._.article" in summary["jnews_dates"]["requires"]
    assert "doc.ents" in summary["jnews_key_points"]["requires"]
    assert summary["jnews_summary"]["assigns"] == ["doc._.summary"]


def test_doc_extensions_hold_each_stage_and_the_summary_is_made_of_them(nlp):
    text = read(ARTICLES[0])
    doc = nlp(make_doc(nlp, text, id="a", reference_date="2025-06-01"))
    assert doc._.article == parse_article(text)
    assert doc._.error is None
    summary = doc._.summary
    assert summary["id"] == "a"
    assert summary["dates"] == doc._.dates and summary["keywords"] == doc._.keywords
    assert summary["key_points"] == doc._.key_points
    assert [(e.start_char, e.end_char) for e in doc.ents] and summary["entities"]


def test_doc_summary_equals_the_cli_summary_for_every_corpus_article(nlp, tmp_path):
    out = tmp_path / "run.jsonl"
    assert main(["summarize", str(ROOT / "corpora" / "jnews" / "articles"), "--workers", "1", "-q",
                 "-o", str(out)]) == 0
    from_cli = {line["id"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(from_cli) == len(ARTICLES)
    for path in ARTICLES:
        line = next(s for s in from_cli.values() if s["source_path"].endswith(path.name))
        doc = nlp(make_doc(nlp, read(path), id=line["id"]))
        for field in CONTENT:
            assert doc._.summary[field] == line[field], (path.name, field)


def test_the_record_context_reaches_the_stages_through_as_tuples(nlp):
    context = {"id": "ctx", "published": "2024-12-01", "meta": {"feed": "x"}}
    (doc, back), = nlp.pipe([("昨日、会見が開かれた。", context)], as_tuples=True)
    assert back is context
    assert doc._.summary["id"] == "ctx" and doc._.summary["meta"] == {"feed": "x"}
    assert doc._.summary["dates"][0]["value"] == "2024-11-30"  # 昨日 counted from the record's date
    assert doc._.summary == summarize_text("昨日、会見が開かれた。", nlp, id="ctx", published="2024-12-01",
                                          meta={"feed": "x"})


def test_per_doc_counts_override_the_component_config(nlp):
    text = read(ARTICLES[1])
    assert len(summarize_text(text, nlp, id="x", keywords=2)["keywords"]) == 2
    assert len(summarize_text(text, nlp, id="x")["keywords"]) == 10


def test_a_stage_that_raises_fails_only_its_own_doc(nlp, monkeypatch):
    stage = nlp.get_pipe("jnews_dates")
    real = type(stage).process

    def flaky(self, doc):
        if "爆発" in doc.text:
            raise RuntimeError("boom")
        return real(self, doc)

    monkeypatch.setattr(type(stage), "process", flaky)
    records = [Record(id=str(i), text=text) for i, text in enumerate(SHORT)]
    records.insert(2, Record(id="bad", text="工場で爆発があった。"))
    records.insert(3, Record(id="unread", text=None, error=("decode_error", "not UTF-8")))
    out = summarize_batch(records, nlp)
    assert [s["id"] for s in out] == [r.id for r in records]
    assert out[2]["error"] == {"kind": "internal_error", "message": "RuntimeError: boom"}
    assert out[3]["error"] == {"kind": "decode_error", "message": "not UTF-8"}
    monkeypatch.undo()
    again = summarize_batch(records, nlp)
    assert "error" not in again[2]
    assert [s for i, s in enumerate(out) if i not in (2, 3)] == [s for i, s in enumerate(again) if i not in (2, 3)]


def test_doc_to_bytes_keeps_every_extension(nlp):
    doc = nlp(make_doc(nlp, read(ARTICLES[2]), id="b"))
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.article == doc._.article
    assert back._.summary == doc._.summary and back._.record == doc._.record
    assert [(e.start_char, e.end_char, e.label_) for e in back.ents] == [(e.start_char, e.end_char, e.label_)
                                                                          for e in doc.ents]


def test_n_process_2_gives_what_n_process_1_gives(nlp):
    texts = [read(path) for path in ARTICLES[:6]] + SHORT
    one = [(doc._.summary, doc._.article) for doc in nlp.pipe(texts, n_process=1)]
    two = [(doc._.summary, doc._.article) for doc in nlp.pipe(texts, n_process=2, batch_size=3)]
    assert two == one


def test_to_disk_then_spacy_load_in_a_fresh_process(nlp, tmp_path):
    custom = make_nlp(entities="accurate", keywords=4)
    custom.to_disk(tmp_path / "saved")
    files = {p.relative_to(tmp_path / "saved").as_posix() for p in (tmp_path / "saved").rglob("*") if p.is_file()}
    assert "config.cfg" in files and all(p.stat().st_size < 200_000 for p in (tmp_path / "saved").rglob("*")
                                         if p.is_file())  # config and strings, no data
    text = read(ARTICLES[3])
    script = textwrap.dedent("""
        import json, sys, spacy
        nlp = spacy.load(sys.argv[1])
        print(json.dumps({"pipes": nlp.pipe_names, "summary": nlp(sys.stdin.read())._.summary}, ensure_ascii=False))
    """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "saved")], input=text, capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded["pipes"] == STAGES
    expected = custom(text)._.summary
    assert len(loaded["summary"]["keywords"]) == 4
    assert loaded["summary"] == expected


def test_displacy_uses_our_colours_in_any_process():
    doc = Doc(Vocab(), words=["約", "1", "時間"], spaces=[False, False, False])
    doc.ents = [Span(doc, 0, len(doc), label="DURATION")]
    assert "#d9e8bf" in displacy.render(doc, style="ent", jupyter=False)


@pytest.mark.skipif(os.environ.get("JNEWS_SKIP_WHEEL") == "1", reason="JNEWS_SKIP_WHEEL=1")
def test_spacy_load_ja_jnews_from_the_built_wheel(tmp_path):
    """What ``pip install .`` gives: the wheel carries ja_jnews and its distribution metadata."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if built.returncode != 0 and "Could not find a version that satisfies" in built.stderr:
        pytest.skip("no setuptools for an isolated build here: " + built.stderr.strip().splitlines()[-1])
    assert built.returncode == 0, built.stderr
    target = tmp_path / "site"
    wheel, = wheels.glob("jnews_pipeline-*.whl")
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                                str(wheel)], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    script = ('import spacy, pipeline; assert pipeline.__file__.startswith(__import__("sys").argv[1]); '
              'print(spacy.load("ja_jnews")("石破首相は昨日訪米した。")._.summary["entities"][0]["canonical"])')
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "石破茂"
