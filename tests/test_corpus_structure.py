"""Every gold article in corpora/*/ : the layout must reproduce its hand-checked structure."""

import json
from pathlib import Path

import pytest

from conftest import ROOT, iter_spans
from pipeline import make_nlp, summarize_text
from pipeline.io.reading import decode_bytes

GOLD_FILES = sorted(ROOT.glob("corpora/*/gold/*.json"))
STRUCTURE_FIELDS = ("title", "published", "key_points", "takeaways")
SECTION_FIELDS = ("heading", "published", "question", "answer", "key_points", "source", "body")


@pytest.fixture(scope="module")
def summarize_file():
    nlp = make_nlp()

    def run(gold_path: Path):
        article = gold_path.parent.parent / "articles" / (gold_path.stem + ".txt")
        text, encoding = decode_bytes(article.read_bytes())
        # key_points=0: the layout's own points only (the gold holds no extracted ones)
        return text, encoding, summarize_text(text, nlp, id=gold_path.stem, key_points=0)

    return run


def test_corpus_is_there():
    assert len(GOLD_FILES) >= 1


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_structure_matches_gold(gold_path, summarize_file, validate):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text, encoding, summary = summarize_file(gold_path)
    validate(summary)
    if "encoding" in gold:
        assert encoding.replace("_", "-") == gold["encoding"].replace("_", "-")
    for span in iter_spans(summary):
        assert text[span["start"]:span["end"]] == span["text"]
    for field in STRUCTURE_FIELDS:
        if field in gold:
            assert summary[field] == gold[field], field
    if "sections" in gold:
        assert len(summary["sections"]) == len(gold["sections"])
        for number, (got, want) in enumerate(zip(summary["sections"], gold["sections"])):
            for field in SECTION_FIELDS:
                if field in want:
                    assert got[field] == want[field], f"section {number} {field}"
