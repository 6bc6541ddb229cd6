"""Across articles (issue 19): entity ids, consistency warnings of ✅ points and 💡 takeaways."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from pipeline import summarize
from pipeline.entities.ids import HASH_PREFIX, entity_id
from pipeline.io.reading import decode_bytes
from pipeline.summary.consistency import amount, amount_context
from test_batch_corpus import jnews

CORPUS = sorted(ROOT.glob("corpora/*/articles/*.txt"))
PLAIN = sorted((Path(__file__).parent / "data" / "plain_news").glob("*.txt"))


def _text(path: Path) -> str:
    return decode_bytes(path.read_bytes())[0]


def _article(points: str, body: str, takeaway: str = "まとめの一文。") -> str:
    return ("記事の題名\nリードの文です。\n見出しの一\n導入の文です。\n公開日:2025/02/08\n\n"
            f"{points}\nさらに読む ⇒テスト通信出典/画像元: https://example.jp/a/1\n{body}\n💡 {takeaway}\n")


def _consistency(summary) -> list[str]:
    return [w for w in summary["warnings"] if " names " in w]


# -- entity ids ------------------------------------------------------------------------------

def test_ids_follow_label_and_canonical():
    summary = summarize(_text(SEED))
    by_key: dict = {}
    for entity in summary["entities"]:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+|h\.[0-9a-f]{16}", entity["id"])
        assert by_key.setdefault((entity["label"], entity["canonical"]), entity["id"]) == entity["id"]
    ids = {e["text"]: e["id"] for e in summary["entities"]}
    assert ids["石破"] == "per.ishiba_shigeru" and ids["ヘグセス"] == "per.hegseth_pete"


def test_an_official_name_keeps_the_gazetteer_id():
    summary = summarize("見出し\nJR九州は11日、運転を見合わせた。\n")
    [jr] = [e for e in summary["entities"] if e["text"] == "JR九州"]
    assert jr["canonical"] == "九州旅客鉄道" and jr["id"] == "org.jp.jr_kyushu"
    assert entity_id("ORG", "九州旅客鉄道") == "org.jp.jr_kyushu"


def test_hash_ids_are_stable_across_processes():
    names = [("ORG", "朝陽電子"), ("PERSON", "高橋涼子"), ("MONEY", "1兆2000億円")]
    mine = [entity_id(*name) for name in names]
    assert all(i.startswith(HASH_PREFIX) for i in mine) and len(set(mine)) == 3
    assert entity_id("ORG", "ＡＢＣ") == entity_id("ORG", "ABC")  # NFKC
    assert entity_id("ORG", "朝陽電子") != entity_id("PERSON", "朝陽電子")
    code = ("import json; from pipeline.entities.ids import entity_id; "
            f"print(json.dumps([entity_id(*n) for n in {names!r}]))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=ROOT)
        assert json.loads(out.stdout) == mine


def test_ids_are_equal_for_every_worker_count(tmp_path):
    runs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        result = jnews("summarize", *CORPUS[:6], *PLAIN[:4], "--workers", workers, "-o", out, "-q")
        assert result.returncode == 0, result.stderr.decode()
        runs.append([[(e["start"], e["id"]) for e in json.loads(line)["entities"]]
                     for line in out.read_text(encoding="utf-8").splitlines()])
    assert runs[0] == runs[1] and sum(map(len, runs[0])) > 50


# -- consistency warnings --------------------------------------------------------------------

def test_the_seed_warns_about_hagel_and_hegseth():
    [warning] = _consistency(summarize(_text(SEED)))
    assert "ヘーゲル" in warning and "ヘグセス" in warning and "国防長官" in warning


@pytest.mark.parametrize("path", [p for p in CORPUS + PLAIN if p.name != SEED.name], ids=lambda p: p.stem)
def test_no_false_warnings_on_the_corpora_and_plain_news(path):
    assert _consistency(summarize(_text(path))) == []


@pytest.mark.parametrize("points,body", [
    ("✅ 両首脳は会談した。", "石破首相とトランプ大統領は7日に会談した。"),                    # paraphrase
    ("✅ トランプ大統領は関税を発表した。", "トランプ氏は7日、関税を発表した。"),               # the same person
    ("✅ 防衛費は約2兆円に増える。", "政府は防衛費を1兆9800億円に増やす方針だ。"),           # rounding
    ("✅ 売上高は500億円だった。", "同社の営業利益は30億円だった。"),                        # another quantity
    ("✅ 高市早苗氏が出席した。", "会合には多くの議員が出席した。"),                         # a fact the body lacks
])
def test_no_warning(points, body):
    assert _consistency(summarize(_article(points, body))) == []


@pytest.mark.parametrize("points,body,names", [
    ("✅ ヘーゲル国防長官と会談した。", "中谷氏はヘグセス国防長官と会談した。", ("ヘーゲル", "ヘグセス")),
    ("✅ 政府は防衛費を2兆円に増やす。", "政府は防衛費を1兆円に増やす方針だ。", ("2兆円", "1兆円")),
])
def test_warning_names_both_spans(points, body, names):
    [warning] = _consistency(summarize(_article(points, body)))
    assert all(name in warning for name in names) and "section 0" in warning


def test_a_takeaway_is_checked_against_the_whole_article():
    text = _article("✅ 要点の一文。", "政府は防衛費を1兆円に増やす方針だ。", takeaway="防衛費を3兆円に増やす。")
    [warning] = _consistency(summarize(text))
    assert warning.startswith("the 💡 takeaway") and "3兆円" in warning


@pytest.mark.parametrize("text,expected", [
    ("1兆2000億円", (1.2e12, "円")), ("約3.5%", (3.5, "%")), ("500人以上", (500.0, "人")),
    ("2,300万ドル", (2.3e7, "ドル")), ("三百人", None),
])
def test_amounts(text, expected):
    assert amount(text) == expected


def test_amount_context_is_what_is_counted():
    text = "国内の出荷台数は2810万台、家庭の負担は1年間で約5万円"
    assert amount_context(text, text.index("2810")) == "出荷台数"
    assert amount_context(text, text.index("約5万")) == ""  # 1年間 is a time, not a thing
