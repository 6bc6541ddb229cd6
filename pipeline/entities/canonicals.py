"""One canonical per entity within a document (the last step of ``rules.recognize``)."""

from __future__ import annotations

from dataclasses import replace

from .mention import Mention

__all__ = ["MAX_NAME_CHARS", "unify_canonicals"]

MAX_NAME_CHARS = 64  # characters: longer than any name (a model span or canonical over that is none)


def unify_canonicals(mentions: list[Mention], text: str) -> list[Mention]:
    """One canonical per entity within the document: a surname or a last name after ・
    takes the full name of a longer PERSON mention; a shorter LAW takes the canonical of
    the LAW whose name ends with it (安全保障条約 -> 日米安全保障条約)."""
    # the longer names that start with / end in (after ・) a given one, and the longer laws
    # that end with it, indexed once rather than compared pairwise for every mention; names
    # longer than any real one (a model span over a run of thousands of 蘭) are left out, so
    # the index stays linear in the text
    people = {m.canonical for m in mentions if m.label == "PERSON" and len(m.canonical) <= MAX_NAME_CHARS}
    laws = {m.canonical for m in mentions if m.label == "LAW" and len(m.canonical) <= MAX_NAME_CHARS}
    extends: dict[str, set[str]] = {}
    for c in people:
        for k in range(len(c)):
            extends.setdefault(c[:k], set()).add(c)
        last = c.split("・")[-1]
        if len(last) < len(c):
            extends.setdefault(last, set()).add(c)
    ends_with: dict[str, set[str]] = {}
    for c in laws:
        for k in range(1, len(c)):
            ends_with.setdefault(c[k:], set()).add(c)
    out = []
    for m in mentions:
        if m.label == "PERSON" and m.rule != "gazetteer":
            longer = sorted(extends.get(m.canonical, ()))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
        elif m.label == "LAW":
            longer = sorted(ends_with.get(m.canonical, ()))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
            elif m.rule == "law_suffix.generic":
                continue  # 自由貿易協定: a kind of treaty, not a named one
        out.append(m)
    return out
