"""The record every entity rule produces, the priorities that settle overlaps between rules,
and the character tests the rules share. No rule lives here: each rule module imports this one,
and ``rules.recognize`` imports the rule modules."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ADMIN_SUFFIXES", "HONORIFICS", "Mention", "nfkc", "char_class_name", "P_NUMBER", "P_GAZETTEER_CTX", "P_GAZETTEER", "P_NORP",
           "P_ROLE_PERSON", "P_COMPOUND", "P_STATE", "P_RULE", "P_MODEL"]

# The honorifics after a name (roles.tsv's role.honorific rule matches the same ones); the
# keyword and people rules take their sets from here.
HONORIFICS = frozenset({"氏", "さん", "様", "さま", "君", "ちゃん", "殿"})
# The suffixes of administrative divisions (東京都, 奈良市, 港区, テキサス州): the UniDic-run
# and role rules take their set from here.
ADMIN_SUFFIXES = frozenset({"都", "道", "府", "県", "市", "区", "町", "村", "郡", "州"})

P_NUMBER, P_GAZETTEER_CTX, P_GAZETTEER, P_NORP, P_ROLE_PERSON, P_COMPOUND, P_STATE, P_RULE, P_MODEL = (
    40, 31, 30, 32, 37, 25, 24, 20, 10)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    canonical: str
    role: str | None = None
    rule: str = ""
    kb_id: str = ""
    priority: int = 0


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_KATAKANA_NAME = re.compile(r"(?![ー・＝=])[\u30a1-\u30faー・＝=]{2,}")


def is_katakana_name(text: str) -> bool:
    return _KATAKANA_NAME.fullmatch(text) is not None


def char_class_name(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u30a1" <= ch <= "\u30fa" or ch in "ー・々"
