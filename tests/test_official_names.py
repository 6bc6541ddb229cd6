"""Canonical names come from the official-name table (resources/entities/aliases.tsv),
whichever step found the mention."""
from pipeline import make_nlp
from pipeline.entities import summary_entities
from pipeline.entities.aliases import OfficialNames, load_official_names
from pipeline.rule_tables import read_rows


def test_every_row_says_where_its_name_comes_from():
    rows = read_rows("entities/aliases.tsv")
    assert len(rows) >= 20
    for row in rows:
        assert len(row) == 5 and row[0] in ("name", "suffix") and all(cell.strip() for cell in row), row
        assert row[3] in ("ORG", "EVENT", "FAC", "GPE", "LOC", "PRODUCT", "LAW", "NORP", "PERSON", "WORK_OF_ART")


def test_names_then_suffixes():
    names = load_official_names()
    assert names.official("JR九州", "JR九州", "ORG") == "九州旅客鉄道"
    assert names.official("万博協会", "万博協会", "ORG") == "日本国際博覧会協会"
    assert names.official("名古屋地裁", "名古屋地裁", "ORG") == "名古屋地方裁判所"
    assert names.official("福岡高裁", "福岡高裁", "ORG") == "福岡高等裁判所"
    assert names.official("最高裁", "最高裁", "ORG") == "最高裁判所"  # the name, not 最 + 高等裁判所
    assert names.official("地裁", "地裁", "ORG") is None  # a suffix alone names no court
    assert names.official("JR九州", "JR九州", "GPE") is None  # only for the row's label
    assert names.official("ＪＲ九州", "ＪＲ九州", "ORG") == "九州旅客鉄道"  # full-width text: NFKC


def test_unknown_kind_is_refused():
    import pytest

    with pytest.raises(ValueError):
        OfficialNames([["prefix", "a", "b", "ORG", "somewhere"]])


def test_the_pipeline_reports_official_names():
    text = "JR九州は運賃を改定した。東京地裁は判決を言い渡し、大阪・関西万博の会場も公開された。"
    found = {e["text"]: e["canonical"] for e in summary_entities(text, make_nlp()(text))}
    assert found.get("JR九州") == "九州旅客鉄道"
    assert found.get("東京地裁") == "東京地方裁判所"
    assert found.get("大阪・関西万博") == "2025年日本国際博覧会"
