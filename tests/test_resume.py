"""kill -9 in the middle of a run, then --resume: the output equals an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from test_batch_corpus import jnews, write_dump


def _start(*args):
    return subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def _lines(path) -> int:
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_after(process, path, lines: int, timeout: float = 120) -> None:
    """SIGKILL the whole process group (the CLI and its workers) once ``path`` has ``lines`` lines."""
    deadline = time.monotonic() + timeout
    while _lines(path) < lines:
        assert process.poll() is None, f"the run ended before it could be killed: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 700)
    reference = tmp_path / "reference.jsonl"
    assert jnews("summarize", dump, "-o", reference, "-q").returncode == 1
    expected = reference.read_bytes()
    assert expected.count(b"\n") == records

    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    _kill_after(_start("summarize", dump, "-o", out, "--workers", "2"), partial, 40)
    assert not out.exists(), "OUT appears only when the run is complete"
    _kill_after(_start("summarize", dump, "-o", out, "--workers", "1", "--resume"), partial, _lines(partial) + 60)
    assert not out.exists()
    # a torn last line (a kill in the middle of a write) is cut and redone
    with open(partial, "ab") as f:
        f.write(b'{"schema_version":"1","id":"n')
    kept = _lines(partial)
    assert 100 <= kept < records
    result = jnews("summarize", dump, "-o", out, "--workers", "2", "--resume")
    assert result.returncode == 1
    assert out.read_bytes() == expected
    assert not partial.exists() and not (tmp_path / "out.jsonl.partial.run.json").exists()
    errors = sum(1 for line in expected.splitlines() if b'"error":{"kind"' in line)
    assert f"{records - errors} summarized, {errors} errors" in result.stderr.decode()
    assert f"{kept} of them kept from the interrupted run" in result.stderr.decode()


def test_resume_of_a_finished_run_changes_nothing(tmp_path):
    dump = tmp_path / "dump.jsonl"
    write_dump(dump, 20)
    out = tmp_path / "out.jsonl"
    first = jnews("summarize", dump, "-o", out, "-q")
    before = out.read_bytes()
    again = jnews("summarize", dump, "-o", out, "--resume")
    assert out.read_bytes() == before and again.returncode == first.returncode == 1
    assert "of them kept" in again.stderr.decode()


def test_resume_refuses_other_options_and_needs_a_file(tmp_path):
    dump = tmp_path / "dump.jsonl"
    write_dump(dump, 3, broken=False)
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_bytes(b"")
    from pipeline.cli.main import build_parser, run_fingerprint

    fingerprint = run_fingerprint(build_parser().parse_args(["summarize", str(dump), "-o", str(out)]))
    fingerprint["paths"] = ["other.jsonl"]
    (tmp_path / "out.jsonl.partial.run.json").write_text(json.dumps(fingerprint))
    result = jnews("summarize", dump, "-o", out, "--resume")
    assert result.returncode == 2 and "written with other paths;" in result.stderr.decode()
    assert jnews("summarize", dump, "--resume").returncode == 2
    assert jnews("summarize", dump, "-o", out, "--resume", "--pretty").returncode == 2


def test_resume_takes_the_same_inputs_however_they_are_spelled(tmp_path):
    dump = tmp_path / "dump.jsonl"
    write_dump(dump, 3, broken=False)
    (tmp_path / "sub").mkdir()
    out = tmp_path / "out.jsonl"
    whole = jnews("summarize", dump, "-q").stdout
    (tmp_path / "out.jsonl.partial").write_bytes(whole.splitlines(keepends=True)[0])
    from pipeline.cli.main import build_parser, run_fingerprint

    fingerprint = run_fingerprint(build_parser().parse_args(["summarize", str(dump), "-o", str(out)]))
    (tmp_path / "out.jsonl.partial.run.json").write_text(json.dumps(fingerprint))
    other_spelling = tmp_path / "sub" / ".." / "dump.jsonl"
    result = jnews("summarize", other_spelling, "-o", out, "--resume", "-q")
    assert result.returncode == 0, result.stderr.decode()
    lines, expected = out.read_bytes().splitlines(keepends=True), whole.splitlines(keepends=True)
    assert lines[0] == expected[0]  # kept from the interrupted run
    # the rest summarized now; each line names its source as typed this time
    assert [line.replace(str(other_spelling).encode(), str(dump).encode()) for line in lines[1:]] == expected[1:]
