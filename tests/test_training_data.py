"""The training readers: GSD's test split is never read, and both corpora map to the labels
the CRF learns (skipped where ../shared/data is absent)."""

import pytest

from pipeline.entities.gsd import gsd_path, load_gsd
from pipeline.entities.stockmark import stockmark_path
from pipeline.entities.train import TRAIN_LABELS, gsd_examples, stockmark_examples, stockmark_training_label


def test_the_gsd_test_split_is_refused():
    with pytest.raises(ValueError, match="withheld"):
        load_gsd("test")


def test_stockmark_places_and_titles_get_our_finer_labels():
    text = "富士山と『吾輩は猫である』と東京"
    assert stockmark_training_label("地名", text, 0, 3) == "LOC"
    assert stockmark_training_label("製品名", text, 5, 12) == "WORK_OF_ART"
    assert stockmark_training_label("地名", text, 14, 16) == "GPE"


@pytest.mark.skipif(not (gsd_path() / "dev.jsonl").exists(), reason="GSD data not in ../shared/data")
def test_gsd_dev_keeps_only_learned_labels_on_the_text():
    examples = gsd_examples("dev")
    assert len(examples) == 51
    labels = {label for _, gold in examples for _, _, label in gold}
    assert labels <= TRAIN_LABELS and {"PERSON", "ORG", "GPE"} <= labels
    for text, gold in examples:
        assert all(0 <= a < b <= len(text) for a, b, _ in gold)


@pytest.mark.skipif(not stockmark_path().exists(), reason="Stockmark data not in ../shared/data")
def test_stockmark_dev_spans_keep_their_names():
    for text, gold in stockmark_examples("dev")[:200]:
        assert {label for _, _, label in gold} <= TRAIN_LABELS


def test_the_shipped_model_was_trained_on_the_shipped_tables():
    """The CRF reads the gazetteers (its g column) and the word classes: after one of them
    changes, the shipped model is no longer what the retraining command gives, and reads
    columns it did not learn from. Retrain: python -m pipeline.entities.train"""
    from pipeline.entities.crf import CrfTagger
    from pipeline.entities.train import MODEL_PATH, training_inputs_digest

    assert CrfTagger.load(MODEL_PATH).trained_on == training_inputs_digest(), (
        "a gazetteer or the word classes changed since the CRF was trained: python -m pipeline.entities.train")
