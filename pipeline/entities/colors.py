"""displaCy colours for our entity labels (DESIGN.md) and the TIMEX3 date types, close to
displaCy's own. Registered through the ``spacy_displacy_colors`` entry point, so
``displacy.render(doc, style="ent")`` uses them in any process."""

from __future__ import annotations

__all__ = ["LABEL_COLORS", "displacy_colors"]

LABEL_COLORS = {
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561", "FAC": "#9cc9cc",
    "PRODUCT": "#bfeeb7", "EVENT": "#ffeb80", "LAW": "#ff8197", "NORP": "#c887fb", "WORK_OF_ART": "#f0d0ff",
    "MONEY": "#e4e7d2", "PERCENT": "#e4e7d2", "QUANTITY": "#e4e7d2",
    "DATE": "#bfe1d9", "TIME": "#bfe1d9", "DURATION": "#d9e8bf", "SET": "#e1d9bf",
}


def displacy_colors() -> dict[str, str]:
    return dict(LABEL_COLORS)
