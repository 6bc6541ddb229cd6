"""UD Japanese GSD r2.8-NE (train and dev splits): reading and its label map.

Read from ``../shared/data/ud-japanese-gsd-ne/{train,dev}.jsonl`` relative to the repository
root (or the folder ``$JNEWS_GSD``); never copied into the repository. Its test split is
withheld on purpose: nothing here reads it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .stockmark import REPO_ROOT

__all__ = ["GSD_TO_LABEL", "gsd_path", "load_gsd"]

# GSD label -> ours. GSD uses OntoNotes names, so our ten name labels and the three numeric
# ones map to themselves. TITLE_AFFIX is our ``role`` (not an entity); DATE and TIME are our
# ``dates``; ORDINAL, CARDINAL, MOVEMENT, LANGUAGE, PET_NAME and PHONE have no label of ours.
GSD_TO_LABEL = {label: label for label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "NORP",
                                           "WORK_OF_ART", "MONEY", "PERCENT", "QUANTITY")}


def gsd_path() -> Path:
    env = os.environ.get("JNEWS_GSD")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "data" / "ud-japanese-gsd-ne"


def load_gsd(split: str, folder: Path | None = None) -> list[dict]:
    """Records {"id", "text", "entities": [{"start", "end", "label", "text"}]} of ``train``
    or ``dev`` (GSD labels, unmapped)."""
    if split not in ("train", "dev"):
        raise ValueError(f"GSD split {split!r}: only train and dev are here (test is withheld)")
    path = (folder or gsd_path()) / f"{split}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
