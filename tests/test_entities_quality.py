"""Quality gate: entity figures must not drop below the recorded baseline
(``pipeline/resources/entities/baseline.json``, written by
``python -m pipeline.evaluation.entities --mode MODE --write-baseline``) minus a small
tolerance, for both modes: GSD dev, Stockmark dev and test, corpora/jnews. The GSD and
Stockmark parts are skipped when ../shared/data is absent; the corpora part always runs."""
import json

import pytest

from pipeline import make_nlp
from pipeline.evaluation.entities import BASELINE_PATH, evaluate_corpus, evaluate_gsd, evaluate_gsd_roles, evaluate_stockmark
from pipeline.entities.gsd import gsd_path
from pipeline.entities.stockmark import stockmark_path

TOLERANCE = 0.02
MODES = ["fast", "accurate"]


@pytest.fixture(scope="module")
def baseline():
    return json.loads(BASELINE_PATH.read_text("utf-8"))


@pytest.fixture(scope="module", params=MODES)
def mode_nlp(request):
    return request.param, make_nlp(entities=request.param)


@pytest.mark.slow
def test_corpus_gold_quality(mode_nlp, baseline):
    mode, nlp = mode_nlp
    result = evaluate_corpus(nlp)
    assert result["documents"] >= 1
    assert result["micro"]["f1"] >= baseline[mode]["corpus"]["micro_f1"] - TOLERANCE, result["micro"]


def _assert_holds(result, recorded):
    assert result["micro"]["f1"] >= recorded["micro_f1"] - TOLERANCE, result["micro"]
    for label, f1 in recorded["labels_f1"].items():
        assert result["labels"][label]["f1"] >= f1 - 2 * TOLERANCE, (label, result["labels"][label])


@pytest.mark.slow
@pytest.mark.parametrize("split", ["dev", "test"])
def test_stockmark_split_quality(mode_nlp, baseline, split):
    if not stockmark_path().exists():
        pytest.skip(f"Stockmark data not found at {stockmark_path()} (../shared/data absent)")
    mode, nlp = mode_nlp
    _assert_holds(evaluate_stockmark(nlp, split=split), baseline[mode][f"stockmark_{split}"])


@pytest.mark.slow
def test_gsd_dev_quality(mode_nlp, baseline):
    if not (gsd_path() / "dev.jsonl").exists():
        pytest.skip(f"UD Japanese GSD data not found at {gsd_path()} (../shared/data absent)")
    mode, nlp = mode_nlp
    result = evaluate_gsd(nlp)
    assert result["documents"] == baseline[mode]["gsd_dev"]["documents"]
    _assert_holds(result, baseline[mode]["gsd_dev"])


@pytest.mark.slow
def test_gsd_roles_hold(mode_nlp, baseline):
    """Roles next to GSD's PERSON spans (TITLE_AFFIX): train within the tolerance, and the
    8 pairs of dev at most one fewer right than recorded."""
    if not (gsd_path() / "dev.jsonl").exists():
        pytest.skip(f"UD Japanese GSD data not found at {gsd_path()} (../shared/data absent)")
    mode, nlp = mode_nlp
    recorded = baseline[mode]["gsd_roles"]
    dev, train = evaluate_gsd_roles(nlp, "dev"), evaluate_gsd_roles(nlp, "train")
    assert dev["pairs"] == recorded["dev"]["pairs"] and dev["right"] >= recorded["dev"]["right"] - 1, dev
    assert train["accuracy"] >= recorded["train"]["accuracy"] - TOLERANCE, train
    assert dev["right"] + dev["wrong"] + dev["missed"] == dev["pairs"]


def test_accurate_mode_meets_the_bars(baseline):
    """The figures recorded for the accurate mode meet the bars, judged on dev splits (models
    are chosen on them; a test split only reports): corpora/jnews at least issue 16's 0.92,
    and the dev figures at least what the model trained on GSD + Stockmark first reached."""
    accurate = baseline["accurate"]
    assert accurate["corpus"]["micro_f1"] >= 0.92
    if "gsd_dev" in accurate:
        assert accurate["gsd_dev"]["micro_f1"] >= 0.64
    if "stockmark_dev" in accurate:
        assert accurate["stockmark_dev"]["micro_f1"] >= 0.74
