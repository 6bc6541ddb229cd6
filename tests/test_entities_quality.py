"""Quality gate: entity figures must not drop below the recorded baseline
(``pipeline/resources/entities/baseline.json``, written by
``python -m pipeline.entities.evaluate --write-baseline``) minus a small tolerance."""
import json

import pytest

from pipeline import make_nlp
from pipeline.entities.evaluate import BASELINE_PATH, evaluate_corpus, evaluate_stockmark
from pipeline.entities.stockmark import stockmark_path

TOLERANCE = 0.02


@pytest.fixture(scope="module")
def baseline():
    return json.loads(BASELINE_PATH.read_text("utf-8"))["fast"]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp(entities="fast")


@pytest.mark.slow
def test_corpus_gold_quality(nlp, baseline):
    result = evaluate_corpus(nlp)
    assert result["documents"] >= 1
    assert result["micro"]["f1"] >= baseline["corpus"]["micro_f1"] - TOLERANCE, result["micro"]


@pytest.mark.slow
def test_stockmark_test_split_quality(nlp, baseline):
    if not stockmark_path().exists():
        pytest.skip(f"Stockmark data not found at {stockmark_path()} (../shared/data absent)")
    result = evaluate_stockmark(nlp)
    assert result["micro"]["f1"] >= baseline["stockmark_test"]["micro_f1"] - TOLERANCE, result["micro"]
    for label, f1 in baseline["stockmark_test"]["labels_f1"].items():
        assert result["labels"][label]["f1"] >= f1 - 2 * TOLERANCE, (label, result["labels"][label])
