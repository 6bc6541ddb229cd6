"""Entity ids: the same entity has the same id in every article, every run and every worker count.

An id is a function of the entity's (label, canonical name) only, as the output contract
says, never of which rule or model found the mention: the gazetteer's id when an entry has
that label and canonical name (or the official name that ``aliases.tsv`` gives it: JR九州 is
``九州旅客鉄道``, ``org.jp.jr_kyushu``), else ``h.`` and 16 hex digits of a BLAKE2b hash of the
label and the NFKC canonical name: stable across processes and versions (Python's ``hash`` is
salted per process, so it is not used).
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from .aliases import load_official_names
from .gazetteer import load_gazetteer

__all__ = ["entity_id", "HASH_PREFIX"]

HASH_PREFIX = "h."


@lru_cache(maxsize=1)
def _gazetteer_ids() -> dict[tuple[str, str], str]:
    """(label, NFKC canonical) -> gazetteer id, for each entry's canonical and official name;
    where two entries share a key, the smallest id."""
    official = load_official_names()
    ids: dict[tuple[str, str], str] = {}
    for entry in load_gazetteer().by_id.values():
        names = {entry.canonical, official.official(entry.canonical, entry.canonical, entry.label) or entry.canonical}
        for name in names:
            key = (entry.label, unicodedata.normalize("NFKC", name))
            if key not in ids or entry.id < ids[key]:
                ids[key] = entry.id
    return ids


@lru_cache(maxsize=1 << 16)  # a run names the same entities again and again: hash each once
def entity_id(label: str, canonical: str) -> str:
    """The id of the entity (label, canonical)."""
    key = (label, unicodedata.normalize("NFKC", canonical))
    known = _gazetteer_ids().get(key)
    if known is not None:
        return known
    digest = hashlib.blake2b(f"{key[0]}\x1f{key[1]}".encode("utf-8"), digest_size=8).hexdigest()
    return HASH_PREFIX + digest
