"""Publisher boilerplate in plain news: rules as data, body kind "boilerplate", spans."""

import json
import re
from pathlib import Path

import pytest

from pipeline import parse_article, summarize
from pipeline.layout.boilerplate import BOILERPLATE_RULES, boilerplate_lines, boilerplate_spans, find_boilerplate

DATA = Path(__file__).parent / "data" / "plain_news"
ARTICLES = sorted(DATA.glob("*.txt"))
EXPECTED = json.loads((DATA / "boilerplate.json").read_text(encoding="utf-8"))
# a caption that a boilerplate rule also finds (写真：… credits) has the body kind caption
CAPTIONS = {line for gold in json.loads((DATA / "layout.json").read_text(encoding="utf-8")).values()
            if isinstance(gold, dict) for line, kind in gold["kinds"].items() if kind == "caption"}


def test_rules_are_data_with_stable_unique_ids():
    ids = [rule.id for rule in BOILERPLATE_RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"bp(\.[a-z]+)+", i) for i in ids)
    for expected in ("bp.related.head", "bp.shop.head", "bp.byline", "bp.copyright", "bp.shop.field", "bp.item"):
        assert expected in ids


def test_every_test_article_is_listed():
    assert {p.name for p in ARTICLES} == set(EXPECTED)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_boilerplate_lines_and_rules(path):
    text = path.read_text(encoding="utf-8")
    found = [{"line": text[m.start:m.end], "rule": m.rule} for m in find_boilerplate(text)]
    assert found == EXPECTED[path.name]


def _line_at(text: str, offset: int) -> str:
    """The trimmed line that holds ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)].strip()


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_body_kind_boilerplate_and_spans(path):
    text = path.read_text(encoding="utf-8")
    lines = {item["line"] for item in EXPECTED[path.name]} - CAPTIONS
    summary = summarize(text)
    body = [b for s in summary["sections"] for b in s["body"]]
    for sentence in body:
        line = _line_at(text, sentence["start"])
        assert (sentence["kind"] == "boilerplate") == (line in lines), sentence["text"]
    article = parse_article(text)
    spans = boilerplate_spans(article)
    covered = "".join(text[s:e] for s, e in spans)
    for line in lines:
        assert line in covered
    for s, e in spans:
        assert text[s:e].strip() == text[s:e]


@pytest.mark.parametrize("text,rule", [
    ("見出し\n本文です。\n■関連リンク\n・一覧その一\n・一覧その二\n", "bp.related.head"),
    ("見出し\n本文です。\n【関連記事】\n・一本だけの見出し\n", "bp.related.head"),
    ("見出し\n本文です。\n記事執筆：山田花子\n", "bp.byline"),
    ("見出し\n本文です。\n(C)2025 Example Inc.\n", "bp.copyright"),
    ("見出し\n本文です。\n&copy; Example News\n", "bp.copyright"),
    ("見出し\n本文です。\n&#169; Example News\n", "bp.copyright"),
    ("見出し\n本文です。\n住所：大阪府大阪市北区梅田1-1\n営業時間：10時〜20時\n", "bp.shop.field"),
    ("見出し\n本文です。\nhttps://example.jp/news/1\n", "bp.url"),
    ("見出し\n本文です。\n（時事）\n", "bp.credit"),
])
def test_single_rules(text, rule):
    found = find_boilerplate(text)
    assert found and found[0].rule == rule
    assert all(text[m.start:m.end] != "本文です。" for m in found)


@pytest.mark.parametrize("text", [
    "見出し\n漫画を無断転載したサイトが摘発された。\n",
    "見出し\n主な論点は次の通り。\n・税率を10%に上げる。\n・対象を広げる。\n政府は来月決める。\n",
    "見出し\n容疑者の住所は東京都内とみられる。\n",
    "見出し\n・一行だけの箇条書き\n本文です。\n",
])
def test_no_false_positives(text):
    assert find_boilerplate(text) == []


def test_aggregator_articles_are_untouched(seed_text):
    article = parse_article(seed_text)
    assert boilerplate_spans(article) == []


def test_boilerplate_lines_on_empty_input():
    assert boilerplate_lines("", []) == {}
    assert find_boilerplate("") == [] and find_boilerplate("題名だけ") == []


@pytest.mark.parametrize("path", ARTICLES[:4], ids=[p.stem for p in ARTICLES[:4]])
def test_no_summary_entity_comes_from_boilerplate(path):
    from pipeline.entities.rules import recognize
    from pipeline.summary.language import make_nlp

    text = path.read_text(encoding="utf-8")
    spans = boilerplate_spans(parse_article(text))
    inside = lambda start: any(s <= start < e for s, e in spans)  # noqa: E731
    # the recognizer does find names in these lines (related headlines, shop data, credits) ...
    assert any(inside(m.start) for m in recognize(make_nlp(entities=None)(text), text=text))
    # ... but they are not what the article is about
    entities = summarize(text)["entities"]
    assert entities and not any(inside(e["start"]) for e in entities)
