"""Shared helpers for the batch tests (a synthetic dump and a `jnews` runner), plus a
check of the helpers themselves."""

import json
import os
import subprocess
import sys

from conftest import SEED

_SEED_LINES = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def article(n: int) -> str:
    """A varied article: seed lines picked by n, with numbers that make each text unique."""
    lines = [_SEED_LINES[(n * 7 + k * 3) % len(_SEED_LINES)] for k in range(8)]
    return f"記事{n}の見出し\n" + "\n".join(lines) + f"\n{n}件目の記事は{2000 + n % 30}年{n % 12 + 1}月に公開された。\n"


def write_dump(path, n: int, *, broken: bool = True) -> int:
    """A JSONL dump of n articles, with a few broken lines mixed in when ``broken``;
    returns the number of records (non-blank lines)."""
    with open(path, "wb") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"n{i}", "text": article(i), "published": "2025-03-07"},
                               ensure_ascii=False).encode() + b"\n")
            if broken and i % 40 == 5:
                f.write(b"{not json\n")
            if broken and i % 40 == 17:
                f.write(b'{"id": "bad-bytes", "text": "\xff\xfe"}\n')
            if broken and i % 40 == 29:
                f.write(b'{"id": "empty", "text": ""}\n')
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def jnews(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})})


def test_dump_helper_counts_records(tmp_path):
    assert write_dump(tmp_path / "d.jsonl", 50) == 50 + 2 + 1 + 1
    assert article(1) != article(2)
