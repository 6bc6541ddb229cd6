"""Summaries to bytes (one JSON object per line, deterministic), and the sink that writes
them so that a crash never leaves a half line that a resumed run would trust.

A file output is written to ``OUT.partial``, one ``os.write`` per line, and renamed to
``OUT`` when the run completes, so ``OUT`` only ever exists whole. After a kill (even
``kill -9``), ``--resume`` keeps the complete lines of ``OUT.partial``, cuts a torn last
line if the kill hit in the middle of a write, and continues after the records already
written: the result is byte for byte the output of an uninterrupted run.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path
from typing import IO, Iterator

__all__ = ["dumps_summary", "iter_run", "RunFileError", "LineSink", "ResumeError", "PARTIAL_SUFFIX"]

PARTIAL_SUFFIX = ".partial"
_FINGERPRINT_SUFFIX = ".partial.run.json"
_ERROR_KEY = b',"error":{"kind":'


def dumps_summary(summary: dict, pretty: bool = False) -> str:
    """Compact one-line JSON (JSONL) or indented JSON; non-ASCII kept as is."""
    if pretty:
        return json.dumps(summary, ensure_ascii=False, indent=2)
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"))


class RunFileError(ValueError):
    """A file given as a run is not ``jnews summarize`` output."""


def iter_run(path: str | os.PathLike) -> Iterator[dict]:
    """The summaries (and error records) of a run, in order: JSONL or JSONL.gz."""
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                summary = json.loads(line)
            except ValueError as error:
                raise RunFileError(f"{path}: line {number} is not JSON ({error}); is this a jnews run?") from None
            if not isinstance(summary, dict) or "id" not in summary:
                raise RunFileError(f"{path}: line {number} is not a jnews summary")
            yield summary


class ResumeError(Exception):
    """``--resume`` cannot continue this output (other inputs or options, or not JSONL)."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _error_kind(line: bytes) -> str | None:
    if _ERROR_KEY not in line:  # cheap test first: summaries never hold this byte string at top level
        return None
    try:
        error = json.loads(line).get("error")
    except ValueError:
        return None
    return error.get("kind") if isinstance(error, dict) else None


class LineSink:
    """Where output lines go: standard output, or a file written through ``OUT.partial``.

    ``done`` is how many records an interrupted run already wrote (``resume=True``), and
    ``kept_errors`` counts the error lines among them, by kind."""

    def __init__(self, path: str | None, *, resume: bool = False, fingerprint: dict | None = None,
                 stdout: IO[bytes] | None = None) -> None:
        self.path = path
        self.done = 0
        self.kept_errors: dict[str, int] = {}
        self._stdout = stdout
        self._fd: int | None = None
        if path is None:
            if resume:
                raise ResumeError("--resume needs an output file (-o OUT.jsonl)")
            return
        self.partial = path + PARTIAL_SUFFIX
        self._fingerprint_path = path + _FINGERPRINT_SUFFIX
        fingerprint = fingerprint or {}
        if resume and not os.path.exists(self.partial) and os.path.exists(path):
            os.replace(path, self.partial)  # a finished run: every record will be skipped
            self._write_fingerprint(fingerprint)
        if resume and os.path.exists(self.partial):
            self._check_fingerprint(fingerprint)
            self._take_over()
            self._fd = os.open(self.partial, os.O_WRONLY | os.O_APPEND)
        else:
            self._fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            self._write_fingerprint(fingerprint)

    def _write_fingerprint(self, fingerprint: dict) -> None:
        with open(self._fingerprint_path, "w", encoding="utf-8") as f:
            json.dump(fingerprint, f, ensure_ascii=False, sort_keys=True)

    def _check_fingerprint(self, fingerprint: dict) -> None:
        try:
            with open(self._fingerprint_path, encoding="utf-8") as f:
                before = json.load(f)
        except (OSError, ValueError):
            return  # written by hand or by an older version: trust the user
        changed = sorted(k for k in set(before) | set(fingerprint) if before.get(k) != fingerprint.get(k))
        if changed:
            raise ResumeError(f"{self.partial} was written with other {', '.join(changed)}; "
                              "run again without --resume, or with the same inputs and options")

    def _take_over(self) -> None:
        """Count the complete lines of OUT.partial and cut a torn last line."""
        good = 0
        with open(self.partial, "rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break
                if not line.startswith(b"{"):
                    raise ResumeError(f"{self.partial} is not JSONL output of jnews (--pretty output cannot be resumed)")
                good += len(line)
                self.done += 1
                kind = _error_kind(line)
                if kind is not None:
                    self.kept_errors[kind] = self.kept_errors.get(kind, 0) + 1
        if os.path.getsize(self.partial) != good:
            os.truncate(self.partial, good)

    def write(self, line: str) -> None:
        """Write one record's line (newline added) with a single write, flushed."""
        data = (line + "\n").encode("utf-8")
        if self._fd is not None:
            _write_all(self._fd, data)
        else:
            stream = self._stdout or sys.stdout.buffer
            stream.write(data)
            stream.flush()

    def commit(self) -> None:
        """The run is complete: OUT.partial becomes OUT."""
        self.close()
        if self.path is not None:
            os.replace(self.partial, self.path)
            try:
                os.remove(self._fingerprint_path)
            except FileNotFoundError:
                pass

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
