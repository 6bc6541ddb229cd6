"""Plain news layout (issue 18): sub-headings as sections, captions, surveys, lists and spec
rows as body kinds of their own, link furniture as boilerplate, key points one per section.

Gold: tests/data/plain_news/layout.json (headings and non-prose line kinds, written here) and
boilerplate.json (furniture lines and their rule ids)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import parse_article, summarize
from pipeline.layout.boilerplate import find_boilerplate
from pipeline.layout.plain import LINE_KINDS, PLAIN_RULES, plain_layout

DATA = Path(__file__).parent / "data" / "plain_news"
ARTICLES = sorted(DATA.glob("*.txt"))
GOLD = {name: gold for name, gold in json.loads((DATA / "layout.json").read_text(encoding="utf-8")).items()
        if not name.startswith("_")}
FURNITURE = json.loads((DATA / "boilerplate.json").read_text(encoding="utf-8"))
PROSE = ("fact", "commentary")


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)].strip()


def _body(summary):
    return [b for section in summary["sections"] for b in section["body"]]


def test_every_article_has_gold():
    assert {p.name for p in ARTICLES} == set(GOLD) == set(FURNITURE)
    assert sum(len(g["headings"]) for g in GOLD.values()) >= 15


def test_rules_are_data_with_stable_unique_ids():
    ids = [rule.id for rule in PLAIN_RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(cap|sv|hd|li|sp)(\.[a-z]+)+", i) for i in ids)
    assert {rule.kind for rule in PLAIN_RULES} == set(LINE_KINDS)
    assert all("h" in rule.pattern.groupindex for rule in PLAIN_RULES if rule.kind == "heading")


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_headings_are_sections_and_never_body_or_key_points(path):
    text = path.read_text(encoding="utf-8")
    gold = GOLD[path.name]["headings"]
    summary = summarize(text, key_points=20)
    sections = summary["sections"]
    assert [s["heading"] for s in sections if s["heading"] is not None] == gold
    # the lead (text before the first heading) is the only untitled section
    assert [s["heading"] for s in sections].count(None) == (1 if not gold or sections[0]["heading"] is None else 0)
    assert all(s["heading"] is not None for s in sections[1:])
    heading_lines = {_line_at(text, text.index(h)) for h in gold}
    for sentence in _body(summary):
        assert _line_at(text, sentence["start"]) not in heading_lines, sentence["text"]
    for point in summary["key_points"]:
        assert _line_at(text, point["start"]) not in heading_lines
        assert point["text"] not in gold


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_body_kinds_match_gold(path):
    text = path.read_text(encoding="utf-8")
    kinds = GOLD[path.name]["kinds"]
    furniture = {item["line"] for item in FURNITURE[path.name]}
    for sentence in _body(summarize(text)):
        line = _line_at(text, sentence["start"])
        expected = kinds.get(line) or ("boilerplate" if line in furniture else None)
        if expected:
            assert sentence["kind"] == expected, line
        else:
            assert sentence["kind"] in PROSE, line


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_key_points_are_prose_one_per_section_lead_first(path):
    text = path.read_text(encoding="utf-8")
    summary = summarize(text, key_points=10)
    points = summary["key_points"]
    spans = {(b["start"], b["end"]): b["kind"] for b in _body(summary)}
    assert points and all(spans[(p["start"], p["end"])] in PROSE for p in points)
    with_prose = [n for n, s in enumerate(summary["sections"]) if any(b["kind"] in PROSE for b in s["body"])]
    sections = [p["section"] for p in points]
    assert set(with_prose) <= set(sections)  # every section with prose has a point
    first = next(b for b in summary["sections"][with_prose[0]]["body"] if b["kind"] in PROSE)
    assert (points[0]["start"], points[0]["end"]) == (first["start"], first["end"])


def test_fewer_points_than_sections_take_one_section_each():
    text = (DATA / "08_tech_review.txt").read_text(encoding="utf-8")
    points = summarize(text, key_points=3)["key_points"]
    assert len(points) == 3 and len({p["section"] for p in points}) == 3
    assert points[0]["section"] == 0


def test_heading_spans_leave_the_marker_out():
    text = "見出し\n本文の一文目です。\n■小見出し\n二文目です。\n【まとめ】\n三文目です。\n＜注目点＞\n四文目です。\n"
    article = parse_article(text)
    assert [text[s.heading.start:s.heading.end] if s.heading else None for s in article.sections] == [
        None, "小見出し", "まとめ", "注目点"]
    assert text[article.lead.start:article.lead.end] == "本文の一文目です。"
    for section in article.sections:
        assert text[section.start:section.end].strip() == text[section.start:section.end]


def test_article_that_starts_with_a_heading_has_no_lead_section():
    text = "見出し\n■最初の小見出し\n本文です。\n■次の小見出し\n続きです。\n"
    summary = summarize(text)
    assert [s["heading"] for s in summary["sections"]] == ["最初の小見出し", "次の小見出し"]
    assert parse_article(text).lead is None


@pytest.mark.parametrize("text", [
    "見出し\n本文です。\n■政府は来年度から制度を見直すと発表した。\n続きです。\n",  # a sentence, not a heading
    "見出し\n本文です。\n■東京\n■大阪\n■名古屋\n続きです。\n",                      # a run: a list
    "見出し\n本文です。\n■最後の行は見出しにならない\n",                                  # nothing under it
    "見出し\n本文です。\n■" + "長" * 45 + "\n続きです。\n",                              # too long for a heading
    "見出し\n本文です。\n1. 一つ目の項目\n2. 二つ目の項目\n続きです。\n",                 # a numbered list
    "見出し\n本文です。\n■関連記事\n・その一\n・その二\n",                                # furniture
    "見出し\n【ワシントン共同】\n米政府は7日、新たな制裁を発表した。\n",                    # a wire credit
])
def test_not_headings(text):
    assert all(s["heading"] is None for s in summarize(text)["sections"])


@pytest.mark.parametrize("line,kind", [
    ("写真1■全部で7つのタブに分かれている", "caption"),
    ("（写真：会見する社長）", "caption"),
    ("（写真は昨年の大会）", "caption"),
    ("画像はイメージ", "caption"),
    ("写真拡大", "caption"),
    ("【画像】", "caption"),
    ("▼あなたは「花粉症」の症状で苦労したことはありますか？", "survey"),
    ("Q1．普段どのくらい運動しますか？", "survey"),
])
def test_single_line_kinds(line, kind):
    text = f"見出し\n本文の一文目です。\n{line}\n本文の二文目です。\n"
    lines = [(text.index(line), text.index(line) + len(line))]
    assert plain_layout(text, lines).kinds[0][0] == kind
    body = _body(summarize(text))
    assert [b["kind"] for b in body if b["text"] == line or line.startswith(b["text"])] == [kind]


def test_a_single_bullet_or_field_is_prose():
    summary = summarize("見出し\n本文です。\n・一行だけの箇条書き\n使用料：無料\n続きです。\n")
    assert {b["kind"] for b in _body(summary)} == {"fact"}


def test_lists_need_the_same_marker():
    text = "見出し\n本文です。\n・一つ目\n※注意書き\n■小見出し\n本文の続きです。\n"
    summary = summarize(text)
    assert [s["heading"] for s in summary["sections"]] == [None, "小見出し"]


@pytest.mark.parametrize("line,rule", [
    ("■【PC快適術】の記事をもっと見る", "bp.more"),
    ("■2010 日本レースクイーン大賞の模様は【⇒こちら】", "bp.here"),
    ("詳しくはこちら", "bp.here"),
    ("■『IRON SKY』公式サイト（フィンランド）", "bp.official"),
    ("クチコミを見る", "bp.review"),
    ("楽天市場で見る", "bp.buy"),
    ("エスマックス（S-MAX） smaxjp on Twitter", "bp.sns"),
    ("Twitter：@example_news", "bp.sns"),
])
def test_link_furniture_is_boilerplate(line, rule):
    text = f"見出し\n本文です。\n{line}\n"
    assert [m.rule for m in find_boilerplate(text)] == [rule]
    summary = summarize(text)
    assert [b["kind"] for b in _body(summary) if b["start"] >= text.index(line)] == ["boilerplate"]
    assert all(p["text"] != line for p in summary["key_points"])


def test_official_site_in_a_sentence_is_prose():
    summary = summarize("見出し\n同社は公式サイトで新製品を発表した。\n")
    assert [b["kind"] for b in _body(summary)] == ["fact"]


def test_crlf_text_gives_the_same_sections():
    text = (DATA / "07_health_pollen.txt").read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    a, b = summarize(text), summarize(crlf)
    assert [s["heading"] for s in a["sections"]] == [s["heading"] for s in b["sections"]]
    for sentence in _body(b):
        assert crlf[sentence["start"]:sentence["end"]] == sentence["text"] and "\r" not in sentence["text"]
