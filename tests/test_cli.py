import json
import subprocess
import sys

import pytest

from conftest import SEED


def jnews(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True)


def test_version():
    result = jnews("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("jnews-pipeline ")


@pytest.mark.parametrize("args,needle", [
    (["summarize", "missing.txt"], "no such file or directory: missing.txt"),
    (["summarize", str(SEED), "--bogus"], "unrecognized arguments: --bogus"),
    (["summarize", str(SEED), "--reference-date", "2025-13-40"], "not a date"),
    (["summarize"], "required"),
])
def test_user_mistakes_get_one_line_and_no_traceback(args, needle):
    result = jnews(*args)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_output_file_and_stdin_and_error_records(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"id":"ok","text":"石破首相が会見した。"}\nnot json\n{"id":"e","text":""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = jnews("summarize", str(dump), "-o", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["ok", "dump:2", "e"]
    assert [r.get("error", {}).get("kind") for r in lines] == [None, "bad_json", "empty_text"]
    assert result.returncode == 1
    assert "1 summarized, 2 errors" in result.stderr.decode()
    piped = jnews("summarize", "-", stdin="標準入力の記事です。".encode("cp932"))
    assert piped.returncode == 0 and json.loads(piped.stdout)["stats"]["chars"] == 10


def test_doctor_reports_dictionary():
    result = jnews("doctor")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "unidic-lite" in out and "dictionary " in out and "tokenizer ok" in out
    assert "entity model ok: ner_crf.npz (21 labels" in out


def test_doctor_says_what_to_do_when_the_entity_model_is_unusable(monkeypatch):
    from pipeline.cli.doctor import doctor_report
    from pipeline.entities import component

    def broken():
        raise ValueError("trained with other feature templates")

    monkeypatch.setattr(component, "load_tagger", broken)
    lines, healthy = doctor_report()
    assert not healthy
    assert any("unusable (trained with other feature templates)" in line and "--entities fast" in line
               for line in lines)


def test_doctor_says_when_the_entity_model_was_trained_on_other_tables(monkeypatch):
    from pipeline.cli.doctor import doctor_report
    from pipeline.entities import train

    lines, healthy = doctor_report()
    assert healthy and not any("retrain it" in line for line in lines)
    monkeypatch.setattr(train, "training_inputs_digest", lambda: "a gazetteer edited since")
    lines, healthy = doctor_report()
    assert healthy and any(line.startswith("entity model ok") and "python -m pipeline.entities.train" in line
                           for line in lines)


def test_same_input_same_bytes(tmp_path):
    first = jnews("summarize", str(SEED)).stdout
    second = jnews("summarize", str(SEED)).stdout
    assert first == second and first.endswith(b"\n")


def test_entities_mode_flag(validate):
    accurate = jnews("summarize", str(SEED), "--entities", "accurate", "-q")
    assert accurate.returncode == 0
    summary = json.loads(accurate.stdout)
    validate(summary)
    people = {(e["text"], e["role"]) for e in summary["entities"] if e["label"] == "PERSON"}
    assert ("石破", "首相") in people and ("中谷元", "防衛相") in people
    wrong = jnews("summarize", str(SEED), "--entities", "slow")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr.decode()
