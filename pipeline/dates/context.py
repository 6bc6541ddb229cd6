"""Per-call state of one extraction: the text, the anchor, the items found so far.

Nothing here outlives a call to :func:`pipeline.dates.extract_dates`; the reference date is an
argument, never state of the module.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Callable

__all__ = ["Ctx", "Item", "Hit", "anchor_function"]

# Between a date and a time that belong together: 3月7日午後3時, 7日（金）午後, 2025/02/08 15:30, 7日の夜.
_DATE_TIME_GAP = re.compile(r"[ \t\u3000]*(?:[(（][月火水木金土日](?:曜日?)?[)）])?[ \t\u3000]*(?:の|T)?[ \t\u3000]*")
# Between the two members of a range or list: 6月から8月, 12:00〜17:30, 2月8日と10日, 午後1時から同3時.
_RANGE_GAP = re.compile(r"[ \t\u3000]*(?:から|より|〜|～|~|-|－|−|–|—|―|ー|・|、|，|,|と|や|及び|および|ないし|または|か)?"
                        r"[ \t\u3000]*(?:同|翌)?")


class Item:
    """One extracted expression (internal form; see :meth:`public`)."""

    __slots__ = ("start", "end", "type", "value", "rule", "mod", "freq", "anchor", "ymd", "hour", "yx")

    def __init__(self, start, end, type_, value, rule, mod=None, freq=None, anchor=None, ymd=None, hour=None,
                 yx=False):
        self.start = start
        self.end = end
        self.type = type_
        self.value = value
        self.rule = rule
        self.mod = mod
        self.freq = freq
        self.anchor = anchor
        self.ymd = ymd      # (year, month, day) resolved calendar parts, for anaphora and ranges
        self.hour = hour    # 24h hour of a clock time, for 午後1時から3時
        self.yx = yx        # the expression itself gives the year (2024年, 昨年), for 同年

    def public(self, text: str) -> dict:
        d = {"text": text[self.start:self.end], "type": self.type, "value": self.value,
             "start": self.start, "end": self.end, "anchor": self.anchor}
        if self.mod is not None:
            d["mod"] = self.mod
        if self.freq is not None:
            d["freq"] = self.freq
        d["rule"] = self.rule
        return d


class Hit(dict):
    """A rule's match: its named groups (read them with ``hit.get(name)``), plus ``m`` (the
    match), ``rule``, ``start`` and ``end``. Built by the engine from ``m.groupdict()``."""

    __slots__ = ("m", "rule", "start", "end")

    def span(self, name: str) -> tuple[int, int]:
        return self.m.span(name)


def anchor_function(anchor) -> Callable[[int], _dt.date | None] | None:
    """Normalize the `anchor` argument to offset -> date | None (or None for no anchor)."""
    if anchor is None:
        return None
    if isinstance(anchor, _dt.datetime):
        fixed = anchor.date()
        return lambda _pos: fixed
    if isinstance(anchor, _dt.date):
        return lambda _pos: anchor
    if callable(anchor):
        def call(pos: int, _f=anchor) -> _dt.date | None:
            r = _f(pos)
            if r is None:
                return None
            if isinstance(r, _dt.datetime):
                return r.date()
            if isinstance(r, _dt.date):
                return r
            raise TypeError(f"anchor callable returned {type(r).__name__}, expected datetime.date or None")
        return call
    raise TypeError(f"anchor must be a datetime.date, a callable or None, not {type(anchor).__name__}")


class Ctx:
    __slots__ = ("work", "anchor_fn", "items", "last", "last_year", "_cache", "_iso")

    def __init__(self, work: str, anchor_fn):
        self.work = work            # the text after 1:1 full-width translation
        self.anchor_fn = anchor_fn
        self.items: list[Item] = []
        self.last = (None, None, None)  # most recent (y, m, d) mentioned, for 同月/同日/翌日
        self.last_year = None           # most recent year stated by an expression, for 同年/翌年
        self._cache: dict[int, _dt.date | None] = {}
        self._iso: dict[_dt.date, str] = {}

    def anchor(self, pos: int) -> _dt.date | None:
        f = self.anchor_fn
        if f is None:
            return None
        c = self._cache
        if pos not in c:
            c[pos] = f(pos)
        return c[pos]

    def anchor_iso(self, pos: int) -> str | None:
        a = self.anchor(pos)
        if a is None:
            return None
        s = self._iso.get(a)
        if s is None:
            s = self._iso[a] = a.isoformat()
        return s

    def range_prev(self, pos: int) -> Item | None:
        """The previous item if it is joined to `pos` by a range/list connector (or nothing)."""
        if self.items:
            prev = self.items[-1]
            if prev.end <= pos and _RANGE_GAP.fullmatch(self.work, prev.end, pos):
                return prev
        return None

    def base(self, pos: int, need_month: bool) -> tuple[int | None, int | None, bool]:
        """Year and month for a partial date at `pos`: from the first member of a range it
        continues (2024年6月から8月, 2月8日から10日), else from the anchor. The flag is True
        when they come from the anchor."""
        prev = self.range_prev(pos)
        if prev is not None and prev.ymd is not None:
            y, m, _d = prev.ymd
            if y is not None and (m is not None or not need_month):
                return y, m, False
        a = self.anchor(pos)
        return (a.year, a.month, True) if a else (None, None, True)

    def make(self, start, end, type_, value, rule, mod=None, freq=None, ymd=None, hour=None, yx=False) -> Item:
        return Item(start, end, type_, value, rule, mod, freq, self.anchor_iso(start), ymd, hour, yx)

    def date_before(self, pos: int) -> Item | None:
        """The previous item if it is a day-level DATE that a time at `pos` completes
        (3月7日午後3時, 7日（金）夜, 2025/02/08 15:30)."""
        if self.items:
            prev = self.items[-1]
            if (prev.type == "DATE" and prev.ymd is not None and prev.ymd[2] is not None
                    and prev.end <= pos and _DATE_TIME_GAP.fullmatch(self.work, prev.end, pos)):
                return prev
        return None

    def push(self, item: Item) -> None:
        """Append an item; a time directly after its date becomes one TIME with both."""
        items = self.items
        if item.type == "TIME" and item.value[:1] == "T":
            day = self.date_before(item.start)
            if day is not None:
                item = Item(day.start, item.end, "TIME", day.value + item.value, f"{day.rule}+{item.rule}",
                            item.mod or day.mod, None, day.anchor, day.ymd, item.hour, day.yx)
                items[-1] = item
                return
        items.append(item)
        if item.ymd is not None:
            self.last = item.ymd
            if item.yx:
                self.last_year = item.ymd[0]
