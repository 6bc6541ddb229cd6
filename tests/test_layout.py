"""Layout variants real pages have, as small data tables."""

import pytest

from pipeline import parse_article, summarize

SECTION = """{heading}
{question}
{answer}
導入の文です。
{published}

{points}
{source}
本文の事実です。
ほんまにすごいなあ！
"""


def make(published="公開日:2025/02/08", points="✅ 要点その一。\n✅ 要点その二。",
         source="さらに読む ⇒テスト通信出典/画像元: https://example.jp/a/1論評ですね。",
         heading="見出しの一", question="何が起きた?", answer="会談が開かれた。"):
    body = SECTION.format(heading=heading, question=question, answer=answer, published=published,
                          points=points, source=source)
    return "記事の題名\nリードの文です。\n" + body + "💡 まとめの一。\n"


def section0(text):
    return summarize(text)["sections"][0]


@pytest.mark.parametrize("line,expected", [
    ("公開日:2025/02/08", "2025-02-08"),
    ("公開日：２０２５／０２／０８", "2025-02-08"),
    ("公開日:2025年2月8日", "2025-02-08"),
    ("公開日: 令和7年2月8日", "2025-02-08"),
    ("公開日:令和元年5月1日", "2019-05-01"),
    ("公開日:R7.3.7", "2025-03-07"),
    ("公開日:2025.3.7 10:00", "2025-03-07"),
    ("公開日:不明", None),
])
def test_published_variants(line, expected):
    summary = summarize(make(published=line))
    assert summary["sections"][0]["published"] == expected
    if expected is None:
        assert any("公開日" in w for w in summary["warnings"])


@pytest.mark.parametrize("marker", ["✅", "✔", "✔️", "☑", "✓", "・"])
def test_point_markers(marker):
    summary = summarize(make(points=f"{marker} 要点その一。\n{marker}要点その二。"))
    assert [p["text"] for p in summary["key_points"]] == ["要点その一。", "要点その二。"]
    assert {p["marker"] for p in summary["key_points"]} == {marker.rstrip("\ufe0f")}


@pytest.mark.parametrize("source,expected,glued", [
    ("さらに読む ⇒テスト通信出典/画像元: https://example.jp/a/1論評ですね。",
     {"name": "テスト通信", "url": "https://example.jp/a/1", "domain": "example.jp"}, "論評ですね。"),
    ("さらに読む ⇒テスト通信出典/画像元: https://example.jp/a/1 論評ですね。",
     {"name": "テスト通信", "url": "https://example.jp/a/1", "domain": "example.jp"}, "論評ですね。"),
    ("さらに読む ⇒テスト通信出典/画像元:",
     {"name": "テスト通信", "url": None, "domain": None}, None),
    ("出典：共同通信", {"name": "共同通信", "url": None, "domain": None}, None),
    ("さらに読む ⇒テスト通信出典/画像元: https://example.jp/a/154000cAIの活用が進みそうですね。",
     {"name": "テスト通信", "url": "https://example.jp/a/154000c", "domain": "example.jp"}, "AIの活用が進みそうですね。"),
])
def test_source_lines(source, expected, glued):
    section = section0(make(source=source))
    assert section["source"] == expected
    commentary = [b["text"] for b in section["body"] if b["kind"] == "commentary"]
    if glued:
        assert commentary[0] == glued


def test_section_without_question_and_answer():
    text = make().replace("何が起きた?\n会談が開かれた。\n", "")
    section = section0(text)
    assert (section["heading"], section["question"], section["answer"]) == ("見出しの一", None, None)
    assert section["body"][0]["text"] == "導入の文です。"


def test_missing_takeaways_and_fewer_points():
    text = make(points="✅ ただ一つの要点。").replace("💡 まとめの一。\n", "")
    summary = summarize(text)
    assert [p["text"] for p in summary["key_points"]] == ["ただ一つの要点。"]
    assert summary["takeaways"] == []


def test_two_sections_get_their_own_dates_and_reader_voice():
    first = make()
    second = SECTION.format(heading="見出しの二", question="次は?", answer="続く。", published="公開日:2025/03/07",
                            points="✅ 三つ目。", source="さらに読む ⇒別通信出典/画像元: https://b.example/x")
    summary = summarize(first.replace("💡 まとめの一。\n", "") + second + "💡 まとめ。\n")
    assert [s["heading"] for s in summary["sections"]] == ["見出しの一", "見出しの二"]
    assert [s["published"] for s in summary["sections"]] == ["2025-02-08", "2025-03-07"]
    assert [p["section"] for p in summary["key_points"]] == [0, 0, 1]
    for section in summary["sections"]:
        assert section["body"][-1] == {**section["body"][-1], "text": "ほんまにすごいなあ！", "kind": "reader_voice"}


def test_plain_news_with_dateline():
    text = "台風10号が上陸\n2025年8月29日 15時30分\n台風10号は29日朝、鹿児島県に上陸した。\n気象庁は警戒を呼びかけている。\n"
    article = parse_article(text)
    assert article.published == "2025-08-29" and not article.is_aggregator
    summary = summarize(text)
    assert summary["published"] == "2025-08-29"
    assert [s["heading"] for s in summary["sections"]] == [None]
    assert [b["text"] for b in summary["sections"][0]["body"]] == [
        "台風10号は29日朝、鹿児島県に上陸した。", "気象庁は警戒を呼びかけている。"]


def test_plain_news_bullets_are_not_points():
    summary = summarize("見出し\n本文です。\n・関連記事その一\n・関連記事その二\n")
    assert summary["key_points"] == []


def test_crlf_offsets_index_the_decoded_text():
    text = make().replace("\n", "\r\n")
    summary = summarize(text)
    for point in summary["key_points"]:
        assert text[point["start"]:point["end"]] == point["text"] and "\r" not in point["text"]
    assert summary["sections"][0]["published"] == "2025-02-08"


@pytest.mark.parametrize("text", ["", "   ", "一行だけ", "💡", "✅", "公開日:", "さらに読む ⇒"])
def test_degenerate_texts_do_not_break_layout(text):
    article = parse_article(text)
    for span in [article.title, *article.takeaways]:
        if span:
            assert 0 <= span.start <= span.end <= len(text)
