"""Replay every input ``bench/fuzz.py`` (or a bug report) stored under tests/regressions/:
each must now pass its level's check (decode, record, layout or the whole summary)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "regressions").glob("*.json"))


def _fuzz():
    spec = importlib.util.spec_from_file_location("jnews_bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzz():
    return _fuzz()


def test_there_are_stored_cases():
    assert CASES, "tests/regressions/ holds the inputs that once crashed a stage"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_stored_case_passes(fuzz, path):
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["level"] in fuzz.CHECKS
    fuzz.replay(case)
