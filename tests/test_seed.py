"""The seed article end to end: the foundation issue's acceptance checks."""

import json
import subprocess
import sys

from conftest import SEED, iter_spans


def _run_seed(*extra):
    result = subprocess.run([sys.executable, "-m", "pipeline", "summarize", str(SEED), *extra],
                            capture_output=True, text=True, encoding="utf-8", check=True)
    return result


def test_seed_summary_structure(validate, seed_text):
    summary = json.loads(_run_seed().stdout)
    validate(summary)
    assert summary["id"] == "000_eed3c3ac50b9ef27"
    assert summary["title"].startswith("トランプ氏の発言で揺れる日米関係?")
    assert summary["published"] == "2025-02-08"
    assert [s["published"] for s in summary["sections"]] == ["2025-02-08", "2025-03-07", "2025-03-07"]
    assert [s["heading"] for s in summary["sections"]] == ["防衛力強化と連携強化の表明", "米国の動きと今後の展望", "今後の課題と展望"]
    assert [s["question"] for s in summary["sections"]] == [
        "日本の防衛力増強、その目的は?", "日米安保、日本が果たす重要な役割は?", "トランプ氏、日本に何求めてる?交渉の焦点は?"]
    assert [s["source"]["url"] for s in summary["sections"]] == [
        "https://mainichi.jp/articles/20250208/k00/00m/030/154000c",
        "https://www.jiji.com/jc/article?k=2025030700553&g=pol",
        "https://topics.smt.docomo.ne.jp/article/fnn/world/fnn-839288",
    ]
    assert [s["source"]["domain"] for s in summary["sections"]] == ["mainichi.jp", "www.jiji.com", "topics.smt.docomo.ne.jp"]


def test_seed_points_and_takeaways_are_verbatim(seed_text):
    summary = json.loads(_run_seed().stdout)
    marked = [line[1:].strip() for line in seed_text.splitlines() if line.startswith("✅")]
    takeaways = [line[1:].strip() for line in seed_text.splitlines() if line.startswith("💡")]
    assert len(marked) == 9 and len(takeaways) == 3
    assert [p["text"] for p in summary["key_points"]] == marked
    assert [p["section"] for p in summary["key_points"]] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert all(p["marker"] == "✅" and p["extracted"] is False for p in summary["key_points"])
    assert [t["text"] for t in summary["takeaways"]] == takeaways
    for span in iter_spans(summary):
        assert seed_text[span["start"]:span["end"]] == span["text"]


def test_seed_commentary_and_reader_voice(seed_text):
    summary = json.loads(_run_seed().stdout)
    kinds = {b["text"]: b["kind"] for s in summary["sections"] for b in s["body"]}
    assert kinds["日本は、防衛費増額の方向性を示唆し、米国との関係を重視していることをアピールしていますね。"] == "commentary"
    assert kinds["もっと勉強しなきゃ!"] == "reader_voice"
    assert kinds["トランプさん、ほんまに手強い相手やな。"] == "reader_voice"
    assert kinds["日本政府は、米国の要求に応えるため、防衛力増強を継続し、GDP比2%への防衛費増額方針を示唆しました。"] == "fact"
    bodies = " ".join(b["text"] for s in summary["sections"] for b in s["body"])
    assert "https://" not in bodies and "出典/画像元" not in bodies


def test_pretty_output_is_the_same_object():
    compact = json.loads(_run_seed().stdout)
    pretty = json.loads(_run_seed("--pretty").stdout)
    assert compact == pretty
