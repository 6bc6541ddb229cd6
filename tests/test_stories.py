"""`jnews stories` (issue 19): an article and its re-published variants share a story; unrelated
articles do not; the output is deterministic."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import pipeline
from conftest import ROOT, SEED
from pipeline.across.stories import find_stories
from pipeline.io.reading import decode_bytes
from test_batch_corpus import jnews

CORPUS = sorted(ROOT.glob("corpora/*/articles/*.txt"))
PLAIN = ROOT / "tests" / "data" / "plain_news"


def _text(path) -> str:
    return decode_bytes(path.read_bytes())[0]


def _variants() -> list[dict]:
    """Unrelated articles, and two families of re-published variants."""
    records = [{"id": f"other{n}", "text": _text(path)} for n, path in enumerate(CORPUS[1:10])]
    plain = _text(PLAIN / "01_tech_smartphone.txt")
    lines = plain.split("\n")
    records += [
        {"id": "plain", "text": plain},
        {"id": "plain-breaking", "text": "【速報】" + plain},                       # a new title prefix
        {"id": "plain-cut", "text": "\n".join(lines[:3] + lines[4:])},             # the first sentence dropped
        {"id": "plain-longer", "text": plain.replace("出荷台数は", "出荷台数は（速報値）", 1)
         + "\n業界団体も同様の見通しを示している。"},                                 # an added sentence
    ]
    seed = _text(SEED)
    records += [
        {"id": "seed", "text": seed},
        {"id": "seed-other-source", "text": "【独自】" + seed.replace("毎日新聞", "共同通信").replace("mainichi.jp", "kyodo.example.jp")},
    ]
    return records


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stories")
    dump = tmp / "dump.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in _variants()] + ["{oops"]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = jnews("summarize", dump, "-o", tmp / "run.jsonl", "-q")
    assert result.returncode == 1, result.stderr.decode()  # 1: a record (the bad line) is an error line
    return tmp / "run.jsonl"


def _groups(stories) -> list[list[str]]:
    return [[a["id"] for a in s["articles"]] for s in stories]


def test_variants_share_a_story_and_unrelated_articles_do_not(run_file, tmp_path):
    result = jnews("stories", run_file, "-o", tmp_path / "stories.jsonl")
    assert result.returncode == 0, result.stderr.decode()
    stories = [json.loads(line) for line in (tmp_path / "stories.jsonl").read_text(encoding="utf-8").splitlines()]
    groups = _groups(stories)
    assert ["plain", "plain-breaking", "plain-cut", "plain-longer"] in groups
    assert ["seed", "seed-other-source"] in groups
    assert all(len(g) == 1 for g in groups if g[0].startswith("other") or g[0].startswith("dump"))
    assert sum(map(len, groups)) == len(_variants()) + 1  # every line, the error line too, in one story
    [seed] = [s for s in stories if s["articles"][0]["id"] == "seed"]
    assert set(seed) == {"story", "articles", "title", "entities", "published"}
    assert seed["title"].startswith("トランプ") and "ドナルド・トランプ" in seed["entities"]
    assert seed["published"] == ["2025-02-08", "2025-02-08"]
    assert [a["row"] for a in seed["articles"]] == sorted(a["row"] for a in seed["articles"])
    assert "stories (2 of two or more articles)" in result.stderr.decode()


def test_stories_are_deterministic_and_independent_of_order_in_buckets(run_file):
    summaries = [json.loads(line) for line in run_file.read_text(encoding="utf-8").splitlines()]
    first = [s.record() for s in find_stories(summaries)]
    again = [s.record() for s in find_stories(lambda: iter(summaries))]
    assert first == again
    assert len({s["story"] for s in first}) == len(first)
    by_stdout = jnews("stories", run_file, "-q").stdout.decode()
    assert by_stdout == "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in first)


def test_tables_can_add_the_stories_table(run_file, tmp_path):
    result = jnews("tables", run_file, "--out", tmp_path / "t", "--stories")
    assert result.returncode == 0, result.stderr.decode()
    tables = pipeline.load_tables(tmp_path / "t")
    stories = tables["stories"]
    assert list(stories.columns) == ["row", "id", "story", "n_articles", "story_title"]
    assert len(stories) == len(tables["articles"])
    plain = stories[stories["id"].str.startswith("plain")]
    assert plain["story"].nunique() == 1 and set(plain["n_articles"]) == {4}
    pd.testing.assert_series_equal(stories["row"], tables["articles"]["row"], check_names=False)


def test_a_file_that_is_not_a_run_is_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = jnews("stories", bad, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2 and b"Traceback" not in result.stderr and b"not JSON" in result.stderr
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.partial").exists()
    missing = jnews("stories", tmp_path / "nope.jsonl")
    assert missing.returncode == 2 and b"no such file" in missing.stderr


def test_the_report_lists_the_shared_stories(run_file):
    from pipeline.report.html import render_report

    page = render_report(run_file)
    assert "Stories told by more than one article (2)" in page
    assert '<a href="#article-' in page and "with warnings" in page
