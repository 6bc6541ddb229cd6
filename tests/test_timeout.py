"""--record-timeout: a record past its deadline is one `timeout` line, its worker is replaced,
and every other record still gets its own line, byte for byte (issue 14, item 3)."""

import json
import os
import subprocess
import sys
import time

import pytest

from test_batch_corpus import article

from pipeline.batch.partition import RunOptions, batches
from pipeline.batch.local_engine import LocalEngine
from pipeline.io.reading import Record

NEEDS_FORK = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                                reason="the forked workers inherit the test's patch")


def _prose(chars: int) -> str:
    """Plain news prose: several seconds of work at 900k characters, linear in the length."""
    lines, total, n = ["東京発 共同"], 0, 0
    while total < chars:
        line = f"第{n}段落では、政府が{n % 97}日に発表した経済対策について、専門家が「効果は限定的だ」と述べた。市場の反応も注目される。"
        lines.append(line)
        total += len(line) + 1
        n += 1
    return "\n".join(lines)[:chars]


def _write(path, records) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record_id, text in records:
            f.write(json.dumps({"id": record_id, "text": text}, ensure_ascii=False) + "\n")


def _jnews(cwd, *args):
    """The CLI in ``cwd``, so that a relative input path (the lines' source_path) can be the same."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, capture_output=True, env=env)


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    """[short, 900k characters, short] in slow/dump.jsonl; the two short ones alone in short/dump.jsonl."""
    base = tmp_path_factory.mktemp("timeout")
    short = [("a", article(1)), ("b", article(2))]
    (base / "slow").mkdir()
    (base / "short").mkdir()
    _write(base / "slow" / "dump.jsonl", [short[0], ("long", _prose(900_000)), short[1]])
    _write(base / "short" / "dump.jsonl", short)
    reference = _jnews(base / "short", "summarize", "dump.jsonl", "--record-timeout", "0", "--workers", "1", "-q")
    assert reference.returncode == 0
    return base, reference.stdout.splitlines()


def _kinds(lines):
    return [json.loads(line).get("error", {}).get("kind") for line in lines]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_long_record_past_the_deadline_is_one_timeout_line(dumps, workers, validate):
    base, short = dumps
    result = _jnews(base / "slow", "summarize", "dump.jsonl", "--record-timeout", "0.5", "--workers", workers)
    lines = result.stdout.splitlines()
    assert _kinds(lines) == [None, "timeout", None], result.stderr.decode()
    assert result.returncode == 1
    assert [lines[0], lines[2]] == short  # byte for byte the lines of a run without a deadline
    line = json.loads(lines[1])
    assert set(line) == {"schema_version", "id", "source_path", "error"}
    assert (line["schema_version"], line["id"], line["source_path"]) == ("1", "long", "dump.jsonl")
    assert "0.5 s" in line["error"]["message"] and "--record-timeout" in line["error"]["message"]
    for each in lines:
        validate(json.loads(each))
    assert result.stderr.decode().strip().splitlines()[-1] == "2 summarized, 1 errors (timeout 1)"


def test_resume_after_a_timeout_line(dumps, tmp_path):
    from pipeline.cli.main import build_parser, run_fingerprint

    base, _ = dumps
    out = tmp_path / "out.jsonl"
    args = ["summarize", "dump.jsonl", "-o", out, "--record-timeout", "0.5", "--workers", "2", "-q"]
    assert _jnews(base / "slow", *args).returncode == 1
    whole = out.read_bytes()
    assert _kinds(whole.splitlines()) == [None, "timeout", None]
    # interrupted after its first line (a kill -9 leaves OUT.partial and the run's fingerprint)
    os.replace(out, str(out) + ".partial")
    with open(str(out) + ".partial", "r+b") as f:
        f.truncate(len(whole.splitlines(keepends=True)[0]))
    cwd = os.getcwd()
    try:
        os.chdir(base / "slow")  # the fingerprint holds the inputs' real paths
        fingerprint = run_fingerprint(build_parser().parse_args(list(map(str, args))))
    finally:
        os.chdir(cwd)
    assert not any("timeout" in key for key in fingerprint)  # a deadline may change on resume, like --workers
    with open(str(out) + ".partial.run.json", "w", encoding="utf-8") as f:
        json.dump(fingerprint, f)
    resumed = _jnews(base / "slow", "summarize", "dump.jsonl", "-o", out, "--record-timeout", "0.5",
                     "--workers", "1", "--resume")
    assert resumed.returncode == 1 and out.read_bytes() == whole
    assert resumed.stderr.decode().strip().splitlines()[-1] == \
        "2 summarized, 1 errors (timeout 1); 1 of them kept from the interrupted run"


def test_record_timeout_0_keeps_workers_1_in_this_process(dumps):
    base, short = dumps
    result = _jnews(base / "short", "summarize", "dump.jsonl", "--workers", "1", "-q")  # the default deadline
    assert result.returncode == 0 and result.stdout.splitlines() == short
    assert LocalEngine(1, record_timeout=0).in_process and LocalEngine(1).in_process
    assert not LocalEngine(1, record_timeout=120).in_process
    records = [Record(id=str(n), text=article(n)) for n in range(3)]
    with LocalEngine(1, record_timeout=0) as engine:
        engine.start(RunOptions())
        lines = list(engine.map_batches(batches(iter(records), RunOptions()), RunOptions()))
        assert engine._pool is None  # no worker process was started
    assert [line.error for batch in lines for line in batch] == [None] * 3


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf", ""])
def test_a_bad_deadline_is_one_line_and_exit_status_2(capsys, value):
    from pipeline.cli.main import main

    assert main(["summarize", "dump.jsonl", "--record-timeout", value]) == 2
    captured = capsys.readouterr()
    [message] = captured.err.splitlines()
    assert "--record-timeout" in message and "Traceback" not in message and captured.out == ""


def _hang_on_stuck(self, records):
    if any(record.id == "stuck" for record in records):
        # Catastrophic backtracking: a C call that holds the GIL, like a stuck scanner; no
        # signal or exception stops it, only killing the process. About half a minute: far
        # past the deadline, and finite, so that a broken deadline fails instead of hanging.
        __import__("re").fullmatch(r"(a|aa)*c", "a" * 40)
    return _ORIGINAL_PROCESS(self, records)


_ORIGINAL_PROCESS = None


@NEEDS_FORK
@pytest.mark.parametrize("workers", [1, 2])
def test_a_stuck_record_in_a_batch_does_not_take_the_others_with_it(monkeypatch, workers):
    global _ORIGINAL_PROCESS
    from pipeline.batch import partition as batch

    records = [Record(id=f"r{n}", text=article(n)) for n in range(24)]
    with LocalEngine(1) as engine:  # in this process, before the patch
        expected = [line.text for lines in engine.map_batches(iter([records]), RunOptions()) for line in lines]
    _ORIGINAL_PROCESS = batch.Worker.process
    monkeypatch.setattr(batch.Worker, "process", _hang_on_stuck)
    records = [*records[:10], Record(id="stuck", text="この記事で止まる。"), *records[10:]]
    written, errors = [], []
    started = time.monotonic()
    with LocalEngine(workers, record_timeout=0.3) as engine:
        engine.start(RunOptions())
        # batches of 4: others are in flight, before and after, when the stuck one is found
        for lines in engine.map_batches(batches(iter(records), RunOptions(), max_records=4), RunOptions()):
            written += [line.text for line in lines]
            errors += [line.error for line in lines]
    assert time.monotonic() - started < 60
    assert [json.loads(line)["id"] for line in written] == [record.id for record in records]
    assert errors == [None] * 10 + ["timeout"] + [None] * 14
    assert written[:10] + written[11:] == expected  # the stuck record's batch-mates too


@pytest.mark.slow
def test_dask_engine_timeout_line(dumps):
    pytest.importorskip("distributed")
    base, short = dumps
    result = _jnews(base / "slow", "summarize", "dump.jsonl", "--record-timeout", "0.5", "--engine", "dask",
                    "--workers", "2")
    lines = result.stdout.splitlines()
    assert _kinds(lines) == [None, "timeout", None], result.stderr.decode()[-2000:]
    assert result.returncode == 1 and [lines[0], lines[2]] == short
    assert result.stderr.decode().strip().splitlines()[-1] == "2 summarized, 1 errors (timeout 1)"
