"""`jnews eval` on small fixtures with known answers (tests/data/eval/, see make_fixtures.py)."""

import json
from pathlib import Path

import pytest

from pipeline.evaluation import evaluate, flatten, load_gold, load_run, prf
from pipeline.cli.evaluation import main as eval_main
from pipeline.evaluation.loading import EvalInputError, split_of
from pipeline.evaluation.report import render_markdown, render_table

DATA = Path(__file__).resolve().parent / "data" / "eval"
CORPUS = DATA / "corpus"


def run(capsys, *args):
    status = eval_main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def corpus_report():
    return evaluate(load_gold(str(CORPUS)), load_run(str(DATA / "pred.jsonl")))


def test_prf_edge_cases():
    assert prf(0, 0, 0) == {"p": None, "r": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}
    assert prf(0, 0, 3)["p"] == 0.0 and prf(0, 0, 3)["f1"] == 0.0
    assert prf(1, 1, 0) == {"p": 0.5, "r": 1.0, "f1": pytest.approx(2 / 3), "tp": 1, "fp": 1, "fn": 0}


def test_entities_known_prf(corpus_report):
    # Gold a1: 石破 PERSON, 東京 GPE, トヨタ自動車 ORG, 日本銀行 ORG; gold b1: 日銀 ORG, 植田 PERSON, 大阪 GPE.
    # Pred a1: 石破 PERSON (tp), 東京 LOC (fp LOC + fn GPE), トヨタ ORG (fp, overlaps トヨタ自動車 -> fn),
    #          日本銀行 ORG (tp), 会見 EVENT (fp); pred b1: all three right (tp).
    # micro: tp=5 fp=3 fn=2 -> P=5/8=0.625, R=5/7=0.7143, F1=2*5/(2*5+3+2)=10/15=0.6667
    # relaxed: predictions overlapping a same-label gold 6/8, gold found 6/7 -> F1=2*.75*(6/7)/(.75+6/7)=0.8
    f = flatten(corpus_report.figures)
    assert f["entities.micro.p"] == 0.625
    assert f["entities.micro.r"] == 0.7143
    assert f["entities.micro.f1"] == 0.6667
    assert f["entities.micro.relaxed_f1"] == 0.8
    # ORG: tp=2 (日本銀行, 日銀) fp=1 (トヨタ) fn=1 (トヨタ自動車) -> 2/3 each; relaxed 1.0
    assert (f["entities.ORG.p"], f["entities.ORG.r"], f["entities.ORG.f1"]) == (0.6667, 0.6667, 0.6667)
    assert f["entities.ORG.relaxed_f1"] == 1.0
    # GPE: tp=1 (大阪) fn=1 (東京, predicted as LOC) -> P=1, R=.5, F1=.6667; LOC and EVENT: one fp each
    assert (f["entities.GPE.p"], f["entities.GPE.r"], f["entities.GPE.f1"]) == (1.0, 0.5, 0.6667)
    assert f["entities.LOC.f1"] == 0.0 and f["entities.EVENT.f1"] == 0.0
    # unlabeled spans: tp=6 (東京 counts) fp=2 fn=1 -> P=.75 R=.8571 F1=12/15=.8
    assert f["entities.unlabeled.f1"] == 0.8
    # canonical on the 6 exactly matched spans: 東京 (東京都 vs 東京) and 日本銀行 (vs 日銀) wrong -> 4/6
    assert f["entities.canonical.accuracy"] == 0.6667
    assert f["entities.role.accuracy"] == 1.0


def test_dates_and_structure_known(corpus_report):
    f = flatten(corpus_report.figures)
    # a1: 7日 DATE (same value), 午後3時 TIME (gold XXXX-XX-07T15:00, predicted T15:00)
    assert f["dates.spans.f1"] == 1.0
    assert f["dates.type.accuracy"] == 1.0
    assert f["dates.value.accuracy"] == 0.5
    assert f["dates.value.DATE.accuracy"] == 1.0 and f["dates.value.TIME.accuracy"] == 0.0
    assert f["title.accuracy"] == 1.0 and f["body.kind.accuracy"] == 1.0


def test_partial_gold_fields_are_not_scored(corpus_report):
    # b1's gold annotates only entities: its wrong title, published, key point and its 8日 date
    # in the prediction must not count.
    figures = corpus_report.figures
    assert figures["title"]["n"] == 1 and figures["published"]["n"] == 1
    assert figures["dates.spans"]["fp"] == 0
    assert "key_points.exact" not in figures or figures["key_points.exact"]["fp"] == 0
    assert corpus_report.scored == 2 and corpus_report.extra == 1  # "zz" has no gold


def test_cp932_article_is_decoded_for_context(corpus_report):
    gold = load_gold(str(CORPUS))
    b1 = next(item for item in gold.items if item.id == "b1")
    assert b1.text.startswith("日銀の植田総裁")
    errors = [e for e in corpus_report.errors if e["field"] == "entities" and e["kind"] == "fn"]
    assert any(e["context"] and "[[トヨタ自動車]]" in e["context"] for e in errors)


def test_structure_only_gold_known_answers():
    report = evaluate(load_gold(str(DATA / "structure_gold.jsonl")), load_run(str(DATA / "structure_pred.jsonl")))
    f = flatten(report.figures)
    # sections as (heading, published, question, answer): gold {T1, T2}, pred {T1' (answer missing), T2, 余計}
    # -> tp=1 fp=2 fn=1: P=1/3 R=1/2 F1=2/(2+2+1)=0.4
    assert (f["sections.all.p"], f["sections.all.r"], f["sections.all.f1"]) == (0.3333, 0.5, 0.4)
    # headings: tp=2 fp=1 (余計) -> P=2/3 R=1 F1=0.8; answer missed; URL differs
    assert f["sections.heading.f1"] == 0.8
    assert f["sections.answer.f1"] == 0.0 and f["sources.url.f1"] == 0.0
    assert f["sections.published.f1"] == 1.0 and f["sections.question.f1"] == 1.0
    # key points (from the gold sections): A exact, Ｂ equal after NFKC, the third is a wrong span
    # -> tp=2 fp=1 fn=1 = 2/3. Characters: gold [4,12)+[13,21)+[22,30) = 24, pred [4,12)+[13,27) = 22,
    # shared 8+8+5 = 21 -> P=21/22 R=21/24 F1=42/46=0.913
    assert f["key_points.exact.f1"] == 0.6667
    assert (f["key_points.overlap.p"], f["key_points.overlap.r"], f["key_points.overlap.f1"]) == (0.9545, 0.875, 0.913)
    assert f["takeaways.exact.r"] == 0.0
    # not annotated in this gold: not scored at all
    assert not any(name.startswith(("entities", "dates", "title", "published", "body")) for name in report.figures)


def test_stockmark_default_label_map():
    gold = load_gold(str(DATA / "stockmark.json"))
    assert gold.kind == "stockmark" and gold.label_map.name == "stockmark"
    report = evaluate(gold, load_run(str(DATA / "stockmark_pred.jsonl")))
    f = flatten(report.figures)
    # gold (mapped): ORG トヨタ自動車, GPE|LOC 愛知県, ORG 外務省 (政治的組織名), FAC 東京ドーム,
    #                PERSON 村上春樹, PRODUCT ノルウェイの森
    # pred (mapped): ORG, GPE->GPE|LOC, ORG, FAC 東京 (partial), PERSON 村上 (partial),
    #                WORK_OF_ART->PRODUCT; QUANTITY 100万部 is dropped (not annotated in Stockmark)
    # tp=4 fp=2 fn=2 -> P=R=F1=4/6; every prediction overlaps a gold of its class -> relaxed 1.0
    assert (f["entities.micro.p"], f["entities.micro.r"], f["entities.micro.f1"]) == (0.6667, 0.6667, 0.6667)
    assert f["entities.micro.relaxed_f1"] == 1.0
    assert f["entities.GPE|LOC.f1"] == 1.0 and f["entities.PRODUCT.f1"] == 1.0
    assert f["entities.FAC.f1"] == 0.0 and f["entities.PERSON.f1"] == 0.0
    assert "entities.QUANTITY.f1" not in f
    assert not any(name.startswith(("dates", "sections", "title")) for name in report.figures)


@pytest.mark.parametrize("split,ids,f1", [
    # test = i%10==9: 村上 (partial, fp+fn) and ノルウェイの森 (tp) -> 1/2
    ("test", ["stockmark:9"], 0.5),
    # dev = i%10==8: 外務省 (tp), 東京 vs 東京ドーム (fp+fn) -> 1/2
    ("dev", ["stockmark:8"], 0.5),
    # train: the rest; sentence 0 fully right, 1..7 have no entities
    ("train", [f"stockmark:{i}" for i in range(8)], 1.0),
])
def test_stockmark_split(split, ids, f1):
    gold = load_gold(str(DATA / "stockmark.jsonl"), split=split)
    assert [item.id for item in gold.items] == ids
    assert gold.name == f"stockmark:{split}"
    report = evaluate(gold, load_run(str(DATA / "stockmark_pred.jsonl")))
    assert flatten(report.figures)["entities.micro.f1"] == f1


def test_split_rule():
    assert [split_of(i) for i in (0, 7, 8, 9, 18, 19, 20)] == ["train", "train", "dev", "test", "dev", "test", "train"]


def test_custom_and_identity_label_maps():
    custom = load_gold(str(DATA / "stockmark.json"), label_map=str(DATA / "label_map.json"))
    f = flatten(evaluate(custom, load_run(str(DATA / "stockmark_pred.jsonl"))).figures)
    # 製品名 and WORK_OF_ART dropped; 地名/施設名 and GPE/FAC are PLACE: 愛知県 tp, 東京 fp, 東京ドーム fn
    assert f["entities.PLACE.f1"] == 0.5
    assert "entities.PRODUCT.f1" not in f
    identity = load_gold(str(DATA / "stockmark.json"), label_map="identity")
    f = flatten(evaluate(identity, load_run(str(DATA / "stockmark_pred.jsonl"))).figures)
    assert f["entities.micro.f1"] == 0.0 and f["entities.unlabeled.f1"] > 0


def test_stockmark_needs_split_only_there():
    with pytest.raises(EvalInputError, match="--split"):
        load_gold(str(CORPUS), split="test")


def test_cli_table_json_markdown(capsys):
    status, out, _ = run(capsys, "eval", CORPUS, DATA / "pred.jsonl")
    assert status == 0
    row = next(line for line in out.splitlines() if line.startswith("entities.micro"))
    assert row.split()[1:5] == ["0.625", "0.714", "0.667", "0.800"]

    status, out, _ = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--json")
    data = json.loads(out)
    assert data["flat"]["entities.micro.f1"] == 0.6667
    assert data["figures"]["entities.ORG"]["tp"] == 2 and data["articles"] == 2

    status, out, _ = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--markdown")
    lines = out.splitlines()
    assert lines[2].startswith("| field | P | R | F1 |")
    assert "| `entities.micro` | 0.625 | 0.714 | 0.667 | 0.800 |  | 7 | 8 |" in lines
    assert "| `dates.value.TIME` |  |  |  |  | 0.000 | 1 |  |" in lines


def test_cli_errors_grouped_by_label_with_context(capsys):
    status, out, _ = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--errors", "entities")
    assert status == 0
    assert "== entities ORG: 1 fn, 1 fp, 1 canonical_mismatch" in out
    assert "== entities GPE: 1 fn" in out and "== entities LOC: 1 fp" in out
    fn_line = next(line for line in out.splitlines() if "[[東京]]" in line and line.strip().startswith("fn"))
    assert "a1@" in fn_line and "predicted as LOC" in fn_line
    assert "石破首相は7日午後3時、[[東京]]で会見し、トヨタ自動車と日本銀行の" in fn_line  # ~20 chars either side
    assert "== dates" not in out  # filtered to entities
    status, out, _ = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--errors", "--json")
    errors = json.loads(out)["errors"]
    assert {"id", "field", "label", "kind", "text", "start", "end", "context", "note"} <= set(errors[0])
    assert any(e["kind"] == "value_mismatch" and e["label"] == "TIME" for e in errors)


def test_cli_fail_under_exit_status(capsys):
    status, _, err = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--fail-under", "entities.micro.f1=0.6")
    assert status == 0 and "FAIL" not in err
    status, _, err = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--fail-under", "entities.micro.f1=0.6",
                         "--fail-under", "dates.value=0.9")
    assert status == 1
    assert "FAIL dates.value.accuracy = 0.5000 is under 0.9" in err and "entities.micro" not in err


@pytest.mark.parametrize("args,needle", [
    (["eval", CORPUS], "needs PRED"),
    (["eval", CORPUS, DATA / "pred.jsonl", "--run"], "either PRED or --run"),
    (["eval", DATA / "missing", DATA / "pred.jsonl"], "no such file or directory"),
    (["eval", CORPUS, DATA / "pred.jsonl", "--fail-under", "entities.nope.f1=1"], "no figure 'entities.nope.f1'"),
    (["eval", CORPUS, DATA / "pred.jsonl", "--fail-under", "entities.micro.f1"], "FIELD=VALUE"),
    (["eval", CORPUS, DATA / "pred.jsonl", "--label-map", "nowhere.json"], "--label-map"),
])
def test_cli_user_mistakes_one_line(capsys, args, needle):
    status, _, err = run(capsys, *args)
    assert status == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_render_helpers_skip_empty_rows(corpus_report):
    table = render_table(corpus_report)
    assert "key_points.exact" not in table  # neither gold nor prediction has any: no row
    assert render_markdown(corpus_report).count("\n|") == len(table.splitlines()[4:]) + 2  # + header, separator


def test_run_summarizes_gold_texts(capsys, tmp_path):
    saved = tmp_path / "run.jsonl"
    status, out, _ = run(capsys, "eval", CORPUS, "--run", "--save-run", saved, "--json")
    assert status == 0
    data = json.loads(out)
    assert data["scored"] == 2 and data["flat"]["title.accuracy"] == 1.0
    assert sorted(json.loads(line)["id"] for line in saved.read_text(encoding="utf-8").splitlines()) == ["a1", "b1"]


def test_newcomer_entities_only_gold_without_id(tmp_path, capsys):
    # what corpora/README.md tells a team to write: articles/<id>.txt + gold/<id>.json with only entities
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "n1.txt").write_text("石破首相が会見した。\n", encoding="utf-8")
    (tmp_path / "gold" / "n1.json").write_text(json.dumps(
        {"entities": [{"text": "石破", "label": "PERSON", "start": 1, "end": 3}]}), encoding="utf-8")
    gold = load_gold(str(tmp_path))
    item = gold.items[0]
    assert item.id == "n1" and item.fields == {"entities"} and item.text.startswith("石破")
    assert "gold entities '石破' at 1-3 but the article has '破首'" in item.warnings[0]
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "n1", "entities": [{"text": "石破", "label": "PERSON", "start": 0, "end": 2}],
                                "title": "unrelated"}, ensure_ascii=False) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "eval", tmp_path, pred, "--json")
    data = json.loads(out)
    assert status == 0 and set(data["figures"]) == {"entities.micro", "entities.unlabeled", "entities.PERSON"}
    assert data["flat"]["entities.micro.f1"] == 0.0 and data["flat"]["entities.micro.relaxed_f1"] == 1.0
    assert "warning: n1: gold entities" in err


def test_prediction_ids_with_a_directory_prefix_match(tmp_path):
    # `jnews summarize tests/data/eval/corpus` names the records "articles/a1", "articles/b1"
    rows = [json.loads(line) for line in (DATA / "pred.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["id"] = "articles/" + row["id"]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    report = evaluate(load_gold(str(CORPUS)), load_run(str(pred)))
    assert report.scored == 2 and report.extra == 1
    assert flatten(report.figures)["entities.micro.f1"] == 0.6667


def test_extracted_key_points_are_ignored_unless_gold_has_them(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    point = {"text": "要点。", "start": 0, "end": 3}
    gold.write_text(json.dumps({"id": "p", "key_points": []}) + "\n", encoding="utf-8")
    pred.write_text(json.dumps({"id": "p", "key_points": [{**point, "extracted": True}]}) + "\n", encoding="utf-8")
    report = evaluate(load_gold(str(gold)), load_run(str(pred)))
    assert report.figures["key_points.exact"]["fp"] == 0
    gold.write_text(json.dumps({"id": "p", "key_points": [{**point, "extracted": True}]}) + "\n", encoding="utf-8")
    pred.write_text(json.dumps({"id": "p", "key_points": [{**point, "extracted": True},
                                                          {"text": "他。", "start": 4, "end": 6, "extracted": True}]}) + "\n",
                    encoding="utf-8")
    report = evaluate(load_gold(str(gold)), load_run(str(pred)))
    assert (report.figures["key_points.exact"]["tp"], report.figures["key_points.exact"]["fp"]) == (1, 1)


def test_errors_flag_before_pred_and_bad_field(capsys):
    status, out, _ = run(capsys, "eval", CORPUS, "--errors", DATA / "pred.jsonl")
    assert status == 0 and "== entities ORG" in out
    status, _, err = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--errors", "entites")
    assert status == 2 and "--errors takes one of" in err


def test_jnews_command_line_has_eval_and_diff():
    import subprocess
    import sys

    def jnews(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True)

    result = jnews("eval", CORPUS, DATA / "pred.jsonl", "--fail-under", "entities.micro.f1=0.9", "--markdown")
    assert result.returncode == 1 and "| `entities.micro` |" in result.stdout
    assert "FAIL entities.micro.f1 = 0.6667 is under 0.9" in result.stderr
    assert jnews("diff", DATA / "run_a.jsonl", DATA / "run_a.jsonl").returncode == 0
    assert jnews("diff", DATA / "run_a.jsonl", DATA / "run_b.jsonl").returncode == 1
    result = jnews("eval", CORPUS)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_prediction_error_records_are_reported(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "a1", "error": {"kind": "internal_error", "message": "boom"}}\n', encoding="utf-8")
    status, out, err = run(capsys, "eval", CORPUS, pred)
    assert status == 0 and "1 prediction errors" in out and "1 without prediction" in out
    assert "a1: internal_error: boom" in err


def test_date_mod_accuracy_only_where_a_mod_is_given(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    dates = [{"text": "2025年度", "type": "DATE", "value": "2025", "start": 0, "end": 6, "mod": "FY"},
             {"text": "3日", "type": "DATE", "value": "XXXX-XX-03", "start": 7, "end": 9}]
    gold.write_text(json.dumps({"id": "d", "dates": dates}, ensure_ascii=False) + "\n", encoding="utf-8")
    pred.write_text(json.dumps({"id": "d", "dates": [{**dates[0], "mod": None}, dates[1]]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    f = flatten(evaluate(load_gold(str(gold)), load_run(str(pred))).figures)
    # values both right; the FY mod is missed, the other span has no mod on either side (not counted)
    assert f["dates.value.accuracy"] == 1.0 and f["dates.mod.accuracy"] == 0.0
    assert evaluate(load_gold(str(gold)), load_run(str(pred))).figures["dates.mod"]["n"] == 1


def test_cli_stockmark_split_and_label_map(capsys):
    status, out, _ = run(capsys, "eval", DATA / "stockmark.jsonl", DATA / "stockmark_pred.jsonl", "--split", "dev",
                         "--json", "-q")
    data = json.loads(out)
    assert status == 0 and data["corpus"] == "stockmark:dev" and data["label_map"] == "stockmark"
    assert data["flat"]["entities.micro.f1"] == 0.5 and data["articles"] == 1
    status, out, _ = run(capsys, "eval", DATA / "stockmark.json", DATA / "stockmark_pred.jsonl",
                         "--label-map", DATA / "label_map.json", "--markdown", "-q")
    assert status == 0 and "label map label_map.json" in out and "| `entities.PLACE` | 0.500 | 0.500 | 0.500 |" in out


def test_fail_under_aliases_and_short_names(capsys):
    status, _, err = run(capsys, "eval", DATA / "structure_gold.jsonl", DATA / "structure_pred.jsonl",
                         "--fail-under", "sections.date=1", "--fail-under", "sections.heading=0.9", "-q")
    # sections.date is sections.published (1.0, passes); sections.heading means its F1 (0.8)
    assert status == 1 and "FAIL sections.heading.f1 = 0.8000 is under 0.9" in err and "published" not in err
