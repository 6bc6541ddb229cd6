"""`jnews diff` on two small runs with a known difference (tests/data/eval/run_a.jsonl, run_b.jsonl)."""

import json
from pathlib import Path

from pipeline.evaluation import diff_runs, load_run
from pipeline.cli.evaluation import main as eval_main

DATA = Path(__file__).resolve().parent / "data" / "eval"
RUN_A, RUN_B = DATA / "run_a.jsonl", DATA / "run_b.jsonl"


def run(capsys, *args):
    status = eval_main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_known_diff():
    result = diff_runs(load_run(str(RUN_A)), load_run(str(RUN_B)))
    # x1 identical, x2 changed, x3 only in A, x4 only in B (an error record)
    assert result.same == 1 and list(result.articles) == ["x2"]
    assert result.only_a == ["x3"] and result.only_b == ["x4"]
    totals = result.totals()
    assert totals["structure"] == {"appeared": 0, "disappeared": 0, "changed": 2}     # title, heading
    assert totals["entities"] == {"appeared": 1, "disappeared": 0, "changed": 1}      # 植田 new, 日銀 ORG->GPE
    assert totals["dates"] == {"appeared": 0, "disappeared": 0, "changed": 1}         # 24日 value
    assert totals["key_points"] == {"appeared": 0, "disappeared": 1, "changed": 0}
    assert totals["body"] == totals["takeaways"] == {"appeared": 0, "disappeared": 0, "changed": 0}
    changes = {(c.category, c.kind, c.key): (c.before, c.after) for c in result.articles["x2"]}
    assert changes[("entities", "changed", "7-9 日銀")] == ("ORG canonical=日本銀行", "GPE canonical=日本銀行")
    assert changes[("dates", "changed", "10-13 24日")] == ("DATE 2025-01-24", "DATE XXXX-XX-24")
    assert changes[("structure", "changed", "sections[0].heading")] == ("利上げ", "追加利上げ")
    assert ("entities", "appeared", "22-24 植田") in changes
    # stats and pipeline version differ too, but are not compared
    assert not any("stats" in c.key or "pipeline" in c.key for c in result.articles["x2"])


def test_cli_diff_exit_status_and_text(capsys):
    status, out, _ = run(capsys, "diff", RUN_A, RUN_B)
    assert status == 1
    assert "3 articles compared" not in out and "2 articles compared: 1 changed, 1 identical" in out
    assert "~ entities 7-9 日銀: ORG canonical=日本銀行 -> GPE canonical=日本銀行" in out
    assert "+ entities 22-24 植田: PERSON canonical=植田和男 role=総裁" in out
    assert "- key_points" in out
    assert f"only in {RUN_A}: x3" in out and f"only in {RUN_B}: x4" in out
    status, out, _ = run(capsys, "diff", RUN_A, RUN_A)
    assert status == 0 and out.strip().endswith("identical")


def test_cli_diff_markdown_and_json(capsys):
    status, out, _ = run(capsys, "diff", RUN_A, RUN_B, "--markdown")
    assert status == 1
    assert "| field | appeared | disappeared | changed |" in out
    assert "| entities | 1 | 0 | 1 |" in out and "| structure | 0 | 0 | 2 |" in out
    assert "<code>x2</code>: 6 changes" in out and "Only in" in out
    status, out, _ = run(capsys, "diff", RUN_A, RUN_B, "--json")
    data = json.loads(out)
    assert data["identical"] is False and data["only_in_a"] == ["x3"] and data["articles_changed"] == 1
    assert data["totals"]["dates"]["changed"] == 1


def test_error_record_vs_summary_is_a_change(tmp_path):
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text('{"id": "e", "title": "t", "sections": []}\n', encoding="utf-8")
    b.write_text('{"id": "e", "error": {"kind": "internal_error", "message": "boom"}}\n', encoding="utf-8")
    result = diff_runs(load_run(str(a)), load_run(str(b)))
    assert any(c.key == "error" and c.kind == "appeared" for c in result.articles["e"])


def test_cli_diff_missing_file(capsys):
    status, _, err = run(capsys, "diff", RUN_A, DATA / "nope.jsonl")
    assert status == 2 and "no such file" in err
