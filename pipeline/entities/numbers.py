"""Number rules: MONEY, PERCENT and QUANTITY mentions with full-width and kanji numerals.

``numbers_at`` finds every number once; ``number_mentions`` (a number with a currency,
percent unit or counter word) and ``counted_quantities`` (a number and the noun it counts)
try only those positions, since each of their matches begins with such a number."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .gazetteer import load_context
from .mention import P_NUMBER, Mention, nfkc

__all__ = ["numbers_at", "counted_quantities", "number_mentions", "with_ranges"]


@lru_cache(maxsize=None)
def char_table(chars: str) -> np.ndarray:
    """A lookup table over code points: ``table[codes]`` tells which characters are in ``chars``."""
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


_D = "[0-9０-９]"
_K = "[〇一二三四五六七八九十百千]"
# Every repetition is bounded, so that one match attempt reads a bounded stretch of text:
# the rules try each position of a run of numerals (kanji numerals are not excluded by
# _NOT_AFTER), and with unbounded repeats each attempt read to the end of the run, which made
# a long run quadratic (issue 14: 40k characters of 二〇 took 230 s). The bounds are far above
# any number written in news (1兆2345億6789万1234円, 1,234,567,890.12 ドル); a longer "number" is
# read as several.
_MAX_FIGURES = 24
_N1 = (rf"(?:{_D}{{1,{_MAX_FIGURES}}}(?:[,，]{_D}{{3}}){{0,8}}(?:[.．・]{_D}{{1,{_MAX_FIGURES}}})?"
       rf"|{_K}{{1,{_MAX_FIGURES}}}|数)")
_NUM = rf"(?:{_N1}(?:[万億兆]{_N1}?){{0,4}}(?:[万億兆])?)"
# not part of a code or an ordinal: AKB48, F1, A300B, 第18軍
_NOT_AFTER = r"(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９第.．\-])"


@lru_cache(maxsize=1)
def _number_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    context = load_context()

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    approx = _NOT_AFTER + r"(?:約|およそ)?"
    symbols = "$＄￥¥€"
    # after the pattern: whether a match can start with a number (where _NUM_RE matches) and
    # the other characters it can start with (see number_mentions)
    return (
        ("number.money", "MONEY",
         re.compile(rf"{approx}{_NUM}(?:余り|あまり|超|強|弱)?(?:{alt(context['currencies'])})"), True, ""),
        ("number.money_symbol", "MONEY",
         re.compile(rf"[{symbols}]{_D}+(?:[,，]{_D}{{3}})*(?:[.．]{_D}+)?(?:[万億兆]|million|billion)?"), False, symbols),
        ("number.percent", "PERCENT", re.compile(
            rf"(?:{alt(context['percent_prefixes'])})?{approx}{_NUM}(?:{alt(context['percent_units'])})(?:{_K}分)?"),
         True, "".join(sorted({p[0] for p in context["percent_prefixes"]}))),
        ("number.quantity", "QUANTITY", re.compile(rf"{approx}{_NUM}(?:{alt(context['counters'])})"), True, ""),
    )


def _finditer_at(pattern: re.Pattern, text: str, positions, lo: int = 0, hi: int | None = None):
    """The matches of ``pattern.finditer(text, lo, hi)`` for a pattern that never matches the
    empty string, trying only ``positions`` (sorted; a superset of where a match can start).
    The number patterns begin with a lookbehind, so the regex engine cannot skip ahead by
    itself and would try every character."""
    hi = len(text) if hi is None else hi
    after = lo
    for position in positions:
        if position < after:
            continue
        if position >= hi:
            break
        m = pattern.match(text, position, hi)
        if m is not None:
            yield m
            after = m.end()


def code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _positions(text: str, chars: str, codes: np.ndarray | None = None) -> list[int]:
    """Where the characters of ``chars`` occur in ``text``, in order."""
    codes = code_points(text) if codes is None else codes
    return np.flatnonzero(char_table(chars)[codes]).tolist()


def numbers_at(text: str, codes: np.ndarray | None = None) -> dict[int, re.Match]:
    """``_NUM_RE``'s match at every position where it matches, in order. The number rules
    try only these positions (and a few characters of their own): each of their matches
    begins with such a number."""
    codes = code_points(text) if codes is None else codes
    may = char_table(_NUM_INITIALS)[codes]
    may[1:] &= ~char_table(_NOT_AFTER_CHARS)[codes[:-1]]
    found = {}
    for position in np.flatnonzero(may).tolist():
        m = _NUM_RE.match(text, position)
        if m is not None:
            found[position] = m
    return found


def _ordinal_after(text: str, end: int) -> bool:
    """Not a count: 3回目の / 2人目 (ordinals; 目標 is a word), 5回に / 5回、 (an inning, a
    point in a series), 1株当たり / 1人あたり (the unit of a rate)."""
    if text.startswith("目", end) and not (end + 1 < len(text) and "\u4e00" <= text[end + 1] <= "\u9fff"):
        return True
    if text.startswith("回", end - 1) and text.startswith(("に", "、", "表", "裏"), end):
        return True
    if not text.startswith(_PER, end):
        return False
    # the last digit before the unit (1株当たり: a word or two back); the look back is bounded,
    # or a long run of kanji numerals would be read back from every number in it
    floor = max(0, end - _PER_REACH)
    start = end - 1
    while start > floor and not text[start - 1].isdigit():
        start -= 1
    return start > 0 and text[start - 1].isdigit() and text[start - 1] in "1１" and (
        start < 2 or not text[start - 2].isdigit())


_PER_REACH = 16  # characters from a rate's 1 to its 当たり (1株当たり, 1人あたり, 1世帯当たり)


_PER = ("当たり", "あたり", "当り")
_HAS_COUNT = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万億兆]")
_HAS_AMOUNT = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万億兆半数]")
_KANJI_NUMBER = re.compile(_K + "+")
_REGNAL_BEFORE = re.compile(r"[\u30a1-\u30faー]")  # the end of a katakana name
_NUM_RE = re.compile(rf"{_NOT_AFTER}(?:約|およそ)?{_NUM}")
# what a number (_NUM, after an optional 約 / およそ) can start with; what _NOT_AFTER excludes
_NUM_INITIALS = "約お0123456789０１２３４５６７８９〇一二三四五六七八九十百千数"
_NOT_AFTER_CHARS = "".join(chr(c) for a, b in ("AZ", "az", "ＡＺ", "ａｚ", "09", "０９")
                           for c in range(ord(a), ord(b) + 1)) + "第.．-"


def counted_quantities(text: str, tokens, token_at,
                       numbers: dict[int, re.Match] | None = None) -> list[Mention]:
    """A number followed by a noun that counts something (5回, 42議案, 3安打): QUANTITY,
    unless the noun is a unit of time, age, rank or money (left to dates and MONEY).
    ``numbers``: ``numbers_at(text)`` when the caller has it."""
    time_units = set(load_context()["time_units"])
    # not a count: a place in a race (5着), a series (103系), an anniversary (10周年), a span
    # of time (57秒間), an ordinal (2nd), ...; read off the counted rule's misses on GSD train
    # (0 of 12 for 着)
    not_counted = set(load_context()["not_counted"])
    found = []
    after = 0
    for position, m in (numbers_at(text) if numbers is None else numbers).items():
        if position < after:
            continue  # as _NUM_RE.finditer: no match inside the previous one
        after = end = m.end()
        if m.start() not in token_at or end not in token_at:
            continue
        if not _HAS_COUNT.search(m.group()):
            continue
        k = token_at[end]
        s, e, surface, tag = tokens[k]
        if surface in time_units or surface in not_counted or (surface.isascii() and not surface.islower()) \
                or not tag.startswith(("名詞-普通名詞", "接尾辞")) or tag.startswith("名詞-数詞"):
            continue  # 4G, 2F, 10FFFF: a number before capitals is a code, not an amount of cm
        while k + 1 < len(tokens) and tokens[k + 1][3].startswith("接尾辞") and tokens[k + 1][2] not in time_units \
                and not tokens[k + 1][2].startswith(_PER) and tokens[k + 1][2] != "目":
            k += 1  # 8 + 選挙 + 区
            e = tokens[k][1]
        if _KANJI_NUMBER.fullmatch(nfkc(m.group())) and len(m.group()) == 1:
            continue  # 一部, 三振 …: kanji numerals glued to words
        if _ordinal_after(text, e):
            continue  # 3回目 (an ordinal)
        if surface == "世" and m.start() and _REGNAL_BEFORE.match(text, m.start() - 1):
            continue  # ヘンリー8世: a regnal number, part of a ruler's name (the tagger's), not a count
        found.append(Mention(m.start(), e, "QUANTITY", nfkc(text[m.start():e]), rule="number.counted",
                             priority=P_NUMBER - 1))
    return found


_RANGE_WINDOW = 40  # characters before a number read for the start of its range (bounded: linear)
_RANGE_START = re.compile(rf"{_NOT_AFTER}(?:約|およそ)?{_NUM}[~〜～]$")


def with_ranges(text: str, mentions: list[Mention]) -> list[Mention]:
    """A number whose range starts before it is one mention with its start (5～6人, 2~3cm,
    3～5億円), as GSD annotates it: the range is the amount, and its first number alone
    would be no mention at all."""
    out = []
    for m in mentions:
        if m.start and text[m.start - 1] in "~〜～" and text[m.start] not in "約お":
            head = _RANGE_START.search(text, max(0, m.start - _RANGE_WINDOW), m.start)
            if head is not None:
                m = Mention(head.start(), m.end, m.label, nfkc(text[head.start():m.end]), rule=m.rule + ".range",
                            priority=m.priority)
        out.append(m)
    return out


def _kanji_count(text: str, start: int, end: int) -> bool:
    """One kanji numeral and a counter that count (一人で, 二台の, 三つ; GSD marks them), not
    a word made of them: the counter is one of ``kanji_counters``, no kanji, numeral or ひ
    follows (一人芝居, 一人一人, 一人ひとり), and it is not "one of" (四天王の一人)."""
    if text[end - 1] not in _kanji_counters():
        return False
    if end < len(text) and (text[end] in "ひ〇一二三四五六七八九十" or "\u4e00" <= text[end] <= "\u9fff"):
        return False
    return not (text[start] == "一" and start and text[start - 1] == "の")


@lru_cache(maxsize=1)
def _kanji_counters() -> frozenset[str]:
    return frozenset(load_context()["kanji_counters"])


def number_mentions(text: str, lo: int = 0, hi: int | None = None,
                    numbers: dict[int, re.Match] | None = None, codes: np.ndarray | None = None) -> list[Mention]:
    """``numbers`` and ``codes``: ``numbers_at(text)`` and the code points, when the caller has them."""
    hi = len(text) if hi is None else hi
    codes = code_points(text) if codes is None else codes
    numbers = numbers_at(text, codes) if numbers is None else numbers
    found = []
    for rule, label, pattern, after_number, initials in _number_patterns():
        positions = list(numbers) if after_number else []
        if initials:
            positions = sorted({*positions, *_positions(text, initials, codes)})
        for m in _finditer_at(pattern, text, positions, lo, hi):
            value = m.group()
            if not _HAS_AMOUNT.search(value):
                continue
            if label == "QUANTITY" and _ordinal_after(text, m.end()):
                continue
            if label == "QUANTITY" and _KANJI_NUMBER.fullmatch(nfkc(value)[:-1] or "x") and len(value) <= 2 \
                    and not _kanji_count(text, m.start(), m.end()):
                continue  # 一本化, 一戸建て, 八戸 …: one kanji numeral and a counter are often a word
            found.append(Mention(m.start(), m.end(), label, nfkc(value), rule=rule, priority=P_NUMBER))
    return found
