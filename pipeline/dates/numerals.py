"""Numbers inside matched spans: ASCII/full-width digits and kanji numerals (二〇二五, 二十五, 三十一).

Full-width forms are translated 1:1 with ``str.translate`` before matching, so every offset in the
translated text is an offset into the original text.
"""

from __future__ import annotations

import re

__all__ = ["to_ascii", "to_number", "kanji_to_int", "is_unknown"]

_FW_SRC = "０１２３４５６７８９：／．－＋ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
_FW_DST = "0123456789:/.-+ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_FW_TABLE = str.maketrans(_FW_SRC, _FW_DST)
_FW_ANY = re.compile("[" + re.escape(_FW_SRC) + "]")

_KDIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KUNIT = {"十": 10, "百": 100, "千": 1000}
# Words that mean "some number of": the value is unknown (TIMEX3 "X").
_UNKNOWN = frozenset({"数", "十数", "数十", "何"})


def to_ascii(text: str) -> str:
    """Full-width digits, ASCII letters and :/.-+ -> ASCII; same length, so offsets are unchanged."""
    return text.translate(_FW_TABLE) if _FW_ANY.search(text) else text


def kanji_to_int(s: str) -> int | None:
    """二〇二五 -> 2025 (digit by digit), 二十五 -> 25, 千九百四十五 -> 1945, 元 -> 1."""
    if s == "元":
        return 1
    if not s:
        return None
    if all(c in _KDIGIT for c in s):
        n = 0
        for c in s:
            n = n * 10 + _KDIGIT[c]
        return n
    total = 0
    man = 0
    cur = None
    for c in s:
        if c in _KDIGIT:
            cur = (cur or 0) * 10 + _KDIGIT[c]
        elif c in _KUNIT:
            total += (1 if cur is None else cur) * _KUNIT[c]
            cur = None
        elif c == "万":
            man += (total + (cur or 0)) * 10000
            total, cur = 0, None
        else:
            return None
    return man + total + (cur or 0)


def to_number(s: str | None) -> int | float | None:
    """'12' -> 12, '1.5' -> 1.5, '十二' -> 12; None for None and for 数/十数 (unknown count)."""
    if not s or s in _UNKNOWN:
        return None
    c = s[0]
    if "0" <= c <= "9":
        if "." in s:
            f = float(s)
            return int(f) if f.is_integer() else f
        return int(s)
    return kanji_to_int(s)


def is_unknown(s: str | None) -> bool:
    """True for the 'some number of' words (数日, 十数年)."""
    return s in _UNKNOWN
