"""`jnews report RUN.jsonl -o report.html`: a static, offline page per run (issue 7).

Most tests use a run made from the gold corpus (gold files are summaries, with entities and
dates), so they do not depend on the state of the stages; one runs the real pipeline.
"""

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report.html import (find_text, highlight_spans, read_run, rebuild_text, render_report,
                             write_report)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "jnews"
SEED = ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt"
SEED_ID = "000_eed3c3ac50b9ef27"

pytestmark = pytest.mark.issue(7)
REBUILT = "the text is rebuilt from the summary"
SOURCE = "text read from the source file"


def jnews(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=cwd)


def gold_run(path: Path, *, absolute: bool = True, ids=None) -> Path:
    """A run file whose summaries are the gold corpus, with source paths to the articles."""
    lines = []
    for gold in sorted((CORPUS / "gold").glob("*.json")):
        if ids and gold.stem not in ids:
            continue
        summary = json.loads(gold.read_text(encoding="utf-8"))
        article = CORPUS / "articles" / f"{gold.stem}.txt"
        summary = {"schema_version": "1", "id": gold.stem,
                   "source_path": str(article if absolute else article.relative_to(CORPUS)), **summary}
        summary["id"] = gold.stem
        lines.append(json.dumps(summary, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)


def _marks(page: str) -> int:
    return page.count('<mark class="entity"')


def test_seed_entities_and_dates_are_highlighted(tmp_path):
    run = gold_run(tmp_path / "run.jsonl", ids={SEED_ID})
    page = render_report(run)
    gold = json.loads((CORPUS / "gold" / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    assert REBUILT not in page and SOURCE in page
    # every entity is highlighted (no overlaps among gold entities), dates that overlap none too
    assert _marks(page) >= len(gold["entities"])
    assert "石破<span" in page and '<span class="jn-kb">石破茂</span>' in page
    assert "2025/02/08<span" in page and "DATE" in page
    # the ✅ points are beside the text, and the entity table lists every entity
    for point in gold["key_points"]:
        assert f"✅ {point['text']}" in page
    assert page.count("<tr>") >= len(gold["entities"]) + len(gold["dates"])


def test_cli_writes_the_same_bytes_every_time(tmp_path):
    run = gold_run(tmp_path / "run.jsonl")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        result = jnews("report", str(run), "-o", str(out))
        assert result.returncode == 0, result.stderr.decode()
    assert first.read_bytes() == second.read_bytes()
    page = first.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="jn-section"') == 15
    assert not list(tmp_path.glob("*.partial"))


def test_page_is_offline(tmp_path):
    run = gold_run(tmp_path / "run.jsonl")
    page = render_report(run)
    sources = {s["source"]["url"] for line in run.read_text("utf-8").splitlines()
               for s in json.loads(line).get("sections", []) if (s.get("source") or {}).get("url")}
    parser = _Links()
    parser.feed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed", "video", "audio"} & set(parser.tags)
    for tag, name, value in parser.attrs:
        if name in ("src", "srcset", "poster", "data", "action", "formaction"):
            raise AssertionError(f"<{tag} {name}={value!r}>")
        if name == "href":
            assert value.startswith("#") or (tag == "a" and value in sources), f"<{tag} href={value!r}>"
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert any(name == "href" and not value.startswith("#") for _, name, value in parser.attrs)  # sources linked


def test_text_is_found_relative_to_root_or_rebuilt(tmp_path):
    run = gold_run(tmp_path / "run.jsonl", absolute=False, ids={SEED_ID})  # articles/<id>.txt
    alone = render_report(run)
    assert REBUILT in alone and "…" in alone and _marks(alone) > 20
    rooted = render_report(run, roots=[CORPUS])
    assert REBUILT not in rooted and SOURCE in rooted and _marks(rooted) >= _marks(alone)


def test_changed_source_is_not_trusted(tmp_path):
    run = gold_run(tmp_path / "run.jsonl", ids={SEED_ID})
    summary = read_run(run)[0]
    changed = tmp_path / "seed.txt"
    changed.write_text("前置き。" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    summary["source_path"] = str(changed)
    article = find_text(summary)
    assert article.how == "rebuilt"
    # the rebuilt text keeps every span that it shows in place
    for ent in highlight_spans(summary, article):
        assert ent["end"] <= len(article.text)
    shown = {article.text[e["start"]:e["end"]] for e in highlight_spans(summary, article)}
    assert "石破" in shown


def test_text_from_a_jsonl_record(tmp_path):
    text = "石破首相は東京で会見した。\n林官房長官も出席した。"
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "b", "text": "別の記事"}, ensure_ascii=False) + "\n"
                       + json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {"id": "a", "source_path": str(records), "stats": {"chars": len(text)},
               "entities": [{"text": "石破", "label": "PERSON", "start": 0, "end": 2, "canonical": "石破茂",
                             "role": "首相"},
                            {"text": "東京", "label": "GPE", "start": 5, "end": 7, "canonical": "東京都"}],
               "dates": [], "sections": [], "key_points": [], "takeaways": []}
    article = find_text(summary)
    assert article.how == "source" and article.text == text
    assert [(e["start"], e["label"]) for e in highlight_spans(summary, article)] == [(0, "PERSON"), (5, "GPE")]


def test_untrusted_text_is_escaped(tmp_path):
    text = "<script>alert(1)</script>「A&B」社が発表した。"
    source = tmp_path / "x.txt"
    source.write_text(text, encoding="utf-8")
    start = text.index("A&B")
    summary = {"schema_version": "1", "id": "x<y>", "source_path": str(source), "title": "<b>見出し</b>",
               "stats": {"chars": len(text)}, "sections": [{"heading": "<i>h</i>", "key_points": [], "body": [],
                                                            "source": {"name": "n", "url": "javascript:alert(1)"}}],
               "entities": [{"text": "A&B", "label": "ORG<x>", "start": start, "end": start + 3,
                             "canonical": "<img src=x>", "role": None}],
               "dates": [], "key_points": [], "takeaways": [], "keywords": [{"text": "<k>", "score": 1}]}
    run = tmp_path / "run.jsonl"
    run.write_text(json.dumps(summary, ensure_ascii=False) + "\n", encoding="utf-8")
    page = render_report(run)
    parser = _Links()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert "&lt;script&gt;" in page and "A&amp;B" in page and "&lt;img src=x&gt;" in page
    assert 'href="javascript' not in page


def test_error_records_and_plain_news_are_shown(tmp_path):
    run = tmp_path / "run.jsonl"
    error = {"schema_version": "1", "id": "bad", "source_path": "bad.txt",
             "error": {"kind": "decode_error", "message": "not UTF-8"}}
    run.write_text(json.dumps(error) + "\n", encoding="utf-8")
    page = render_report(run)
    assert "decode_error" in page and "1 error records" in page


def test_rebuild_text_marks_gaps():
    summary = {"stats": {"chars": 20}, "entities": [{"text": "東京", "label": "GPE", "start": 3, "end": 5}],
               "dates": [{"text": "3日", "type": "DATE", "value": "XXXX-XX-03", "start": 10, "end": 12}]}
    article = rebuild_text(summary)
    assert article.text == "\n…\n東京\n…\n3日\n…\n"
    ents = highlight_spans(summary, article)
    assert [article.text[e["start"]:e["end"]] for e in ents] == ["東京", "3日"]


def test_cli_mistakes_are_one_line(tmp_path):
    missing = jnews("report", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "r.html"))
    assert missing.returncode == 2 and missing.stderr.decode().count("\n") == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = jnews("report", str(bad), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "not JSON" in result.stderr.decode()
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_real_run_of_the_seed(tmp_path):
    run, out = tmp_path / "run.jsonl", tmp_path / "report.html"
    summarized = jnews("summarize", str(SEED), "-o", str(run), "-q")
    assert run.exists(), summarized.stderr.decode()
    result = jnews("report", str(run), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr.decode()
    page = out.read_text(encoding="utf-8")
    summary = read_run(run)[0]
    assert REBUILT not in page
    if "error" in summary:
        assert summary["error"]["kind"] in page
    else:
        assert summary["title"] in page
        assert _marks(page) >= min(1, len(summary["entities"]) + len(summary["dates"]))
    assert write_report(run, tmp_path / "again.html").read_bytes() == out.read_bytes()


def test_limit_shows_the_first_articles_and_counts_all(tmp_path):
    run = gold_run(tmp_path / "run.jsonl")
    out = tmp_path / "r.html"
    result = jnews("report", str(run), "-o", str(out), "--limit", "2", "-q")
    assert result.returncode == 0, result.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert page.count('class="jn-section"') == 2 and "15 articles" in page and "the first 2 shown" in page
    assert jnews("report", str(run), "-o", str(out), "--limit", "0").returncode == 2


def test_page_does_not_depend_on_the_working_directory(tmp_path):
    run = gold_run(tmp_path / "run.jsonl", ids={SEED_ID})
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert jnews("report", str(run), "-o", str(first), "-q").returncode == 0
    assert jnews("report", "run.jsonl", "-o", "b.html", "-q", cwd=tmp_path).returncode == 0
    assert first.read_bytes() == second.read_bytes()
