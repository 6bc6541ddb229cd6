"""Official names for the short forms news writes: ``resources/entities/aliases.tsv``.

Each row gives a short form, the official name, the label it applies to and where the name
comes from (a statute, the body's own registration): 東京地裁 -> 東京地方裁判所 by the courts'
suffix, JR九州 -> 九州旅客鉄道 and 万博協会 -> 日本国際博覧会協会 by name. A canonical name is the
official one when the table knows it, whichever rule or the model found the mention.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache

from ..rule_tables import read_rows

__all__ = ["OfficialNames", "load_official_names", "with_official_names"]


class OfficialNames:
    def __init__(self, rows) -> None:
        self.names: dict[tuple[str, str], str] = {}  # (short form, label) -> official name
        self.suffixes: dict[str, list[tuple[str, str]]] = {}  # label -> [(short, official)], longest first
        for kind, short, official, label, _provenance in rows:
            short = unicodedata.normalize("NFKC", short)
            if kind == "name":
                self.names[short, label] = official
            elif kind == "suffix":
                self.suffixes.setdefault(label, []).append((short, official))
            else:
                raise ValueError(f"aliases.tsv: unknown kind {kind!r} (name or suffix)")
        for pairs in self.suffixes.values():
            pairs.sort(key=lambda pair: -len(pair[0]))

    def official(self, text: str, canonical: str, label: str) -> str | None:
        """The official name of a mention (its text NFKC, then its canonical), or None."""
        surface = unicodedata.normalize("NFKC", text)
        for name in (surface, canonical):
            found = self.names.get((name, label))
            if found:
                return found
        for short, full in self.suffixes.get(label, ()):
            if canonical.endswith(short) and len(canonical) > len(short):
                return canonical[:-len(short)] + full
        return None


@lru_cache(maxsize=1)
def load_official_names() -> OfficialNames:
    return OfficialNames(read_rows("entities/aliases.tsv"))


def with_official_names(mentions, text: str) -> list:
    """``mentions`` with the canonical name of each that has an official one replaced."""
    names = load_official_names()
    out = []
    for m in mentions:
        official = names.official(text[m.start:m.end], m.canonical, m.label)
        out.append(replace(m, canonical=official) if official and official != m.canonical else m)
    return out
