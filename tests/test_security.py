"""Ids are data, never paths; nothing in the input is executed; no network (issue 8).

Every command that writes (summarize -o, tables --out, report -o, eval --update-baseline
--baseline) is run on records with hostile ids, from a working directory inside a sandbox;
afterwards the only new files are the ones the user named. The CLI also runs with
networking blocked at the socket level (a sitecustomize on PYTHONPATH, inherited by the
worker processes) and must pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SEED

HOSTILE_IDS = [
    "../../etc/passwd", "../../../../../../tmp/jnews-escape", "/tmp/jnews-absolute", "a\x00b", "a\nb\r\nc", "..", ".",
    "../outside/x.jsonl", "C:\\Windows\\system32", "~/.bashrc", "a/../../b", "", "<script>alert(1)</script>",
    "$(touch PWNED)", "`touch PWNED`", "{{7*7}}", "__import__('os').system('touch PWNED')", "\u202egnp.exe",
    "CON", "x" * 300,
]
ACTIVE_TEXT = ("石破首相は2025年2月8日、ワシントンで会談した。\n$(touch PWNED) `touch PWNED` "
               "__import__('os').system('touch PWNED') {{7*7}} <script>alert(1)</script> "
               "<img src=x onerror=alert(1)> https://example.com/x?q=1\n")


def jnews(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, cwd=cwd,
                          env=env, timeout=600)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.fixture()
def sandbox(tmp_path):
    """tmp/box/work is the working directory, tmp/box/in holds the input; any file
    written anywhere under tmp/box (or /tmp/jnews-*) that the user did not name is a failure."""
    box = tmp_path / "box"
    (box / "work").mkdir(parents=True)
    (box / "in").mkdir()
    records = [{"id": record_id, "text": ACTIVE_TEXT, "published": "2025-02-08"} for record_id in HOSTILE_IDS]
    records.append({"text": ACTIVE_TEXT, "id": {"nested": "../../x"}})
    with open(box / "in" / "hostile.jsonl", "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return box


def test_hostile_ids_cannot_make_any_command_write_elsewhere(sandbox):
    work = sandbox / "work"
    (work / "out").mkdir()
    before = _files(sandbox)
    escapes = [Path("/tmp/jnews-escape"), Path("/tmp/jnews-absolute"), Path("/tmp/jnews-absolute.jsonl")]
    assert not any(p.exists() for p in escapes)
    passwd = Path("/etc/passwd").stat().st_mtime_ns if Path("/etc/passwd").exists() else None
    outside = _files(sandbox.parent)
    run = jnews("summarize", "../in/hostile.jsonl", "-o", "out/run.jsonl", "--workers", "1", "-q", cwd=work)
    assert run.returncode == 0, run.stderr.decode()
    lines = [json.loads(line) for line in (work / "out" / "run.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines[:-1]] == [i if i else "hostile:12" for i in HOSTILE_IDS]
    assert lines[-1]["id"] == str({"nested": "../../x"})  # a non-string id is kept as text
    tables = jnews("tables", "out/run.jsonl", "--out", "out/tables", "-q", cwd=work)
    assert tables.returncode == 0, tables.stderr.decode()
    report = jnews("report", "out/run.jsonl", "-o", "out/report.html", "-q", cwd=work)
    assert report.returncode == 0, report.stderr.decode()
    baseline = jnews("eval", "out/run.jsonl", "out/run.jsonl", "--update-baseline", "--baseline", "out/base.json",
                     "--corpus", "../../hostile", "-q", cwd=work)
    assert baseline.returncode == 0, baseline.stderr.decode()
    new = _files(sandbox) - before
    allowed = {"work/out/run.jsonl", "work/out/report.html", "work/out/base.json", "work/out/tables"}
    assert {p for p in new if not p.startswith("work/out/tables/")} == allowed
    assert {Path(p).name for p in new if p.startswith("work/out/tables/")} <= {
        "articles.parquet", "entities.parquet", "dates.parquet", "key_points.parquet", "sections.parquet",
        "entity_registry.parquet"}
    assert not any(p.exists() for p in escapes)
    assert {p for p in _files(sandbox.parent) - outside if not p.startswith("box/")} == set()
    assert passwd is None or Path("/etc/passwd").stat().st_mtime_ns == passwd
    assert not any("PWNED" in p for p in _files(sandbox))
    # the active-looking text is data: kept verbatim, escaped in HTML
    assert all("error" not in line for line in lines)
    page = (work / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_the_output_goes_only_where_the_user_said(sandbox):
    """stdout when there is no -o; -o with a hostile-looking name is taken literally."""
    work = sandbox / "work"
    before = _files(sandbox)
    run = jnews("summarize", "../in/hostile.jsonl", "--workers", "1", "-q", cwd=work)
    assert run.returncode == 0 and len(run.stdout.splitlines()) == len(HOSTILE_IDS) + 1
    assert _files(sandbox) == before
    odd = "out put;rm -rf x.jsonl"
    run = jnews("summarize", "../in/hostile.jsonl", "-o", odd, "--workers", "1", "-q", cwd=work)
    assert run.returncode == 0 and _files(sandbox) - before == {f"work/{odd}"}


SITECUSTOMIZE = '''
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _local(sock):
    return sock.family == getattr(socket, "AF_UNIX", None)


def _blocked(*args, **kwargs):
    raise OSError("network blocked by the jnews test sandbox")


def _connect(self, *args, **kwargs):
    if _local(self):
        return _real_connect(self, *args, **kwargs)
    _blocked()


def _connect_ex(self, *args, **kwargs):
    if _local(self):
        return _real_connect_ex(self, *args, **kwargs)
    _blocked()


socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
socket.socket.sendto = _blocked
socket.getaddrinfo = _blocked
socket.gethostbyname = _blocked
socket.create_connection = _blocked
'''


def test_the_cli_works_with_networking_blocked(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(blocker), os.environ.get("PYTHONPATH")]))}
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), 1)"],
                           capture_output=True, env=env)
    assert probe.returncode != 0 and b"network blocked" in probe.stderr  # the blocker is in force
    page = tmp_path / "page.html"
    page.write_text('<html><head><title>見出し</title><link rel="stylesheet" href="https://cdn.example/x.css">'
                    '<script src="https://cdn.example/x.js"></script></head><body><img src="https://cdn.example/i.png">'
                    "<p>石破首相は2月7日、ワシントンで会談した。</p></body></html>", encoding="utf-8")
    out = tmp_path / "run.jsonl"
    run = jnews("summarize", SEED, page, "-o", out, "--workers", "2", "-q", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr.decode()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["title"] == "見出し"
    for args in (("tables", out, "--out", tmp_path / "tables", "-q"), ("report", out, "-o", tmp_path / "r.html", "-q"),
                 ("doctor",)):
        result = jnews(*args, cwd=tmp_path, env=env)
        assert result.returncode == 0, (args, result.stderr.decode())
