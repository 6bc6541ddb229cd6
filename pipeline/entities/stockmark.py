"""The Stockmark Wikipedia NER data set: reading, the fixed split, label mapping, BIO.

Read from ``../shared/data/stockmark-ner-wikipedia/ner.json`` relative to the repository
root (or ``$JNEWS_STOCKMARK``); never copied into the repository. Split by position i:
test ``i % 10 == 9``, dev ``i % 10 == 8``, train the rest.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["STOCKMARK_TO_LABEL", "stockmark_path", "load_split", "score_label", "to_bio"]

REPO_ROOT = Path(__file__).resolve().parents[2]
# Stockmark type -> the label the statistical model learns (and the scoring class).
STOCKMARK_TO_LABEL = {
    "人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG",
    "地名": "GPE", "施設名": "FAC", "製品名": "PRODUCT", "イベント名": "EVENT",
}
# Our label -> the class it is scored as against Stockmark (None: not annotated there).
_SCORE_CLASS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "FAC",
                "PRODUCT": "PRODUCT", "WORK_OF_ART": "PRODUCT", "LAW": "PRODUCT", "EVENT": "EVENT"}


def score_label(label: str) -> str | None:
    """Our label as a Stockmark scoring class: GPE/LOC are one class, LAW and WORK_OF_ART
    count as PRODUCT, NORP and the numeric labels are left out."""
    return _SCORE_CLASS.get(label)


def stockmark_path() -> Path:
    env = os.environ.get("JNEWS_STOCKMARK")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"


def load_split(split: str, path: Path | None = None) -> list[dict]:
    """Records {"text", "entities": [{"name", "span", "type"}]} of one split."""
    want = {"train": lambda i: i % 10 not in (8, 9), "dev": lambda i: i % 10 == 8, "test": lambda i: i % 10 == 9}[split]
    data = json.loads((path or stockmark_path()).read_text(encoding="utf-8"))
    return [record for i, record in enumerate(data) if want(i)]


def to_bio(doc, entities) -> list[str]:
    """BIO labels for ``doc``'s tokens from character spans [(start, end, label)];
    spans that do not fall on token boundaries are skipped."""
    labels = ["O"] * len(doc)
    starts = {t.idx: t.i for t in doc}
    ends = {t.idx + len(t.text): t.i for t in doc}
    for start, end, label in entities:
        if start in starts and end in ends and all(l == "O" for l in labels[starts[start]:ends[end] + 1]):
            first, last = starts[start], ends[end]
            labels[first] = "B-" + label
            for i in range(first + 1, last + 1):
                labels[i] = "I-" + label
    return labels
