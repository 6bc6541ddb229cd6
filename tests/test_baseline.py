"""Baseline read / update / compare, and the eval flags that use them."""

import json
from pathlib import Path

from pipeline.evaluation import compare_baseline, read_baseline, update_baseline
from pipeline.evaluation.baseline import default_baseline_path
from pipeline.cli.evaluation import main as eval_main

DATA = Path(__file__).resolve().parent / "data" / "eval"
CORPUS = DATA / "corpus"
PRED = DATA / "pred.jsonl"


def run(capsys, *args):
    status = eval_main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_update_then_compare(tmp_path):
    path = tmp_path / "baseline.json"
    update_baseline(path, "c", {"entities.micro.f1": 0.5, "dates.spans.f1": 0.9, "x.f1": 0.0},
                    articles=3, command="jnews eval c --run --update-baseline", gold=str(CORPUS))
    data = read_baseline(path)
    entry = data["corpora"]["c"]
    assert data["tolerance"] == 0.02 and entry["articles"] == 3 and entry["run"] is True
    assert (path.parent / entry["gold"]).resolve() == CORPUS.resolve()
    # within tolerance (0.5 - 0.02 = 0.48), a rise, and a 0.0 figure that vanished: no regression
    assert compare_baseline(data, "c", {"entities.micro.f1": 0.48, "dates.spans.f1": 1.0}) == []
    regressions = compare_baseline(data, "c", {"entities.micro.f1": 0.47, "x.f1": 0.0})
    assert [(r.field, r.baseline, r.current) for r in regressions] == [  # figures are stored A-Z
        ("dates.spans.f1", 0.9, None), ("entities.micro.f1", 0.5, 0.47)]
    assert str(regressions[1]) == "entities.micro.f1: 0.4700 < baseline 0.5000"
    assert str(regressions[0]) == "dates.spans.f1: missing < baseline 0.9000"
    assert compare_baseline(data, "c", {"entities.micro.f1": 0.47, "dates.spans.f1": 0.9}, tolerance=0.05) == []
    # another corpus is kept when one is updated
    update_baseline(path, "d", {"a.f1": 1.0}, articles=1, command="x")
    assert sorted(read_baseline(path)["corpora"]) == ["c", "d"]


def test_cli_update_and_check_baseline(capsys, tmp_path):
    path = tmp_path / "baseline.json"
    status, _, err = run(capsys, "eval", CORPUS, PRED, "--update-baseline", "--baseline", path)
    assert status == 0 and "baseline for corpus written" in err
    entry = json.loads(path.read_text(encoding="utf-8"))["corpora"]["corpus"]
    assert entry["figures"]["entities.micro.f1"] == 0.6667 and entry["run"] is False
    assert entry["command"].endswith(f"--baseline {path} --update-baseline")
    status, _, err = run(capsys, "eval", CORPUS, PRED, "--check-baseline", "--baseline", path)
    assert status == 0 and "REGRESSION" not in err
    # raise one figure in the baseline above what the prediction reaches: the gate names it
    data = json.loads(path.read_text(encoding="utf-8"))
    data["corpora"]["corpus"]["figures"]["entities.ORG.f1"] = 0.9
    path.write_text(json.dumps(data), encoding="utf-8")
    status, _, err = run(capsys, "eval", CORPUS, PRED, "--check-baseline", "--baseline", path)
    assert status == 1 and "REGRESSION entities.ORG.f1: 0.6667 < baseline 0.9000" in err
    status, _, err = run(capsys, "eval", CORPUS, PRED, "--check-baseline", "--baseline", path, "--corpus", "other")
    assert status == 2 and "no baseline for corpus 'other'" in err


def test_stockmark_split_baseline_name_and_options(capsys, tmp_path):
    path = tmp_path / "baseline.json"
    status, _, _ = run(capsys, "eval", DATA / "stockmark.json", DATA / "stockmark_pred.jsonl", "--split", "test",
                       "--update-baseline", "--baseline", path)
    entry = json.loads(path.read_text(encoding="utf-8"))["corpora"]["stockmark:test"]
    assert status == 0 and entry["options"] == {"split": "test"}
    assert entry["figures"]["entities.micro.f1"] == 0.5


def test_default_baseline_path_is_the_corpora_dir_of_gold():
    root = Path(__file__).resolve().parent.parent
    assert default_baseline_path(str(root / "corpora" / "jnews")) == root / "corpora" / "baseline.json"
    assert default_baseline_path(str(CORPUS)).name == "baseline.json"


def test_entities_mode_is_recorded_and_rerun(capsys, tmp_path):
    from pipeline.evaluation import flatten
    from pipeline.evaluation.baseline import rerun_entry

    path = tmp_path / "baseline.json"
    status, _, _ = run(capsys, "eval", CORPUS, "--run", "--entities", "accurate", "--corpus", "corpus:accurate",
                       "--update-baseline", "--baseline", path)
    data = read_baseline(path)
    entry = data["corpora"]["corpus:accurate"]
    assert status == 0 and entry["options"] == {"entities": "accurate"} and "--entities accurate" in entry["command"]
    report = rerun_entry(path, "corpus:accurate", entry)  # what the gate does
    assert compare_baseline(data, "corpus:accurate", flatten(report.figures)) == []
    status, _, err = run(capsys, "eval", CORPUS, DATA / "pred.jsonl", "--entities", "fast")
    assert status == 2 and "--entities needs --run" in err
