"""Handlers: turn one rule's match into TIMEX3 items. A rule names its handler in its table.
This module: the registry, shared helpers, and the calendar handlers (absolute, era, fiscal,
periods, relative); ``handlers_time.py``: times, durations, sets, vague references, ranges.

Each handler is ``handler(ctx, hit, params) -> list[Item] | None``; ``None`` (or an empty list)
drops the match. Handlers read only the match, the rule's params, the lexicons and the per-call
context (anchor, earlier items); they keep no state of their own.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from .calendar import (add_days, add_months, days_in_month, fiscal_year, fmt_date, fmt_duration,
                       iso_week, valid_date, week_day)
from .context import Ctx, Hit
from .numerals import is_unknown, kanji_to_int, to_number
from .rules import RULESET

__all__ = ["HANDLERS"]

LEX = RULESET.lexicons
HANDLERS: dict[str, Callable] = {}

WEEKDAY = {"月": 1, "火": 2, "水": 3, "木": 4, "金": 5, "土": 6, "日": 7}
_REF_VALUE = {-1: "PAST_REF", 1: "FUTURE_REF"}


def handler(name: str):
    def register(fn):
        HANDLERS[name] = fn
        return fn
    return register


# -- shared helpers --------------------------------------------------------------------------

def year_of(hit: Hit, ctx: Ctx | None = None) -> int | None:
    """The explicit year of a match: 2025, 二〇二五, 令和7 / R7 / 令和元, 25(年度) / 88(年)."""
    s = hit.get("y")
    if s:
        return int(s)
    s = hit.get("ky")
    if s:
        return kanji_to_int(s)
    era = hit.get("era")
    if era:
        n = to_number(hit.get("ey")) if hit.get("ey") != "元" else 1
        base = LEX["era"].get(era)
        return (LEX["era_historic"][era] if base is None else base) + n if n else None
    s = hit.get("yy")
    if s:  # two digits: the 2000s unless that is more than 10 years after the anchor (88年 -> 1988)
        a = ctx.anchor(hit.start) if ctx is not None else None
        limit = (a.year if a else 2020) + 10
        return 2000 + int(s) if 2000 + int(s) <= limit else 1900 + int(s)
    return None


def approx_mod(hit: Hit) -> str | None:
    return "APPROX" if (hit.get("approx") or hit.get("approx2")) else None


def _apply_part(value: str, part: str | None, level: str) -> tuple[str, str | None]:
    """上旬/末/前半 ... -> (value, mod); 前半/上半期 of a year -> 2025-H1."""
    if not part:
        return value, None
    spec = LEX["part"][part]
    if level == "year" and "half" in spec:
        return f"{value}-{spec['half']}", None
    return value, spec.get("mod")


def calendar_item(ctx: Ctx, hit: Hit, y, m, d, start=None, end=None, part=None, approx=None, from_base=True,
                  weekday=None):
    """A DATE from explicit parts; missing higher parts come from ctx.base (range or anchor).
    ``weekday`` (1-7, from 8日（土）) picks, among the months or years near the anchor, the one
    where that day falls on that weekday."""
    start = hit.start if start is None else start
    end = hit.end if end is None else end
    yx = y is not None
    if from_base and y is None and (m is not None or d is not None):
        by, bm, from_anchor = ctx.base(start, need_month=m is None)
        y = by
        month_known = m is not None
        if m is None:
            m = bm
            # 31日 in an anchor month of 30 days: the latest earlier month that has that day.
            if from_anchor and y is not None and m is not None and d is not None:
                for _ in range(3):
                    if d <= days_in_month(y, m):
                        break
                    y, m = add_months(y, m, -1)
        if from_anchor and weekday and y is not None and m is not None and d is not None:
            y, m = _by_weekday(y, m, d, weekday, month_known)
    if not valid_date(y, m, d):
        return None
    level = "day" if d is not None else "month" if m is not None else "year"
    value, mod = _apply_part(fmt_date(y, m, d), part, level)
    return [ctx.make(start, end, "DATE", value, hit.rule.id, mod or approx, ymd=(y, m, d), yx=yx)]


def _by_weekday(y: int, m: int, d: int, weekday: int, month_known: bool) -> tuple[int, int]:
    """The nearest month (or, when the text gave the month, year) to (y, m) in which day d is
    that weekday; (y, m) itself when none of the near ones is."""
    steps = ((0, 0), (-1, 0), (1, 0)) if month_known else ((0, 0), (0, -1), (0, 1), (0, -2), (0, 2))
    for dy, dm in steps:
        yy, mm = add_months(y + dy, m, dm)
        if d <= days_in_month(yy, mm) and _dt.date(yy, mm, d).isoweekday() == weekday:
            return yy, mm
    return y, m


def ref_date(ctx: Ctx, pos: int, ref: bool) -> _dt.date | None:
    """The base of a relative day/week: the previous full date for 同日/翌日, else the anchor."""
    if ref:
        y, m, d = ctx.last
        if y is not None and m is not None and d is not None:
            return _dt.date(y, m, d)
    return ctx.anchor(pos)


# -- absolute, era, fiscal, periods -----------------------------------------------------------

@handler("skip")
def h_skip(ctx, hit, params):
    return None


@handler("date")
def h_date(ctx, hit, params):
    return calendar_item(ctx, hit, year_of(hit, ctx), to_number(hit.get("m")), to_number(hit.get("d")),
                     part=hit.get("part"), approx=approx_mod(hit), weekday=WEEKDAY.get(hit.get("wdc")))


@handler("weekday")
def h_weekday(ctx, hit, params):
    n = WEEKDAY[hit.get("wd")]
    a = ctx.anchor(hit.start)
    if a is None:
        return [ctx.make(hit.start, hit.end, "DATE", f"XXXX-WXX-{n}", hit.rule.id)]
    d = week_day(a, n)
    return [ctx.make(hit.start, hit.end, "DATE", d.isoformat(), hit.rule.id, ymd=(d.year, d.month, d.day))]


@handler("fiscal")
def h_fiscal(ctx, hit, params):
    y = year_of(hit, ctx)
    if y is None:
        return None
    value, mod = f"{y:04d}", "FY"
    if hit.get("part"):
        spec = LEX["part"][hit.get("part")]
        if "half" in spec:
            value += "-" + spec["half"]
        else:
            mod = spec.get("mod", mod)
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod, ymd=(y, None, None), yx=True)]


@handler("fiscal_end")
def h_fiscal_end(ctx, hit, params):
    """2025年3月期 -> 2024 mod FY: the business year that ends with that month."""
    y, m = year_of(hit, ctx), to_number(hit.get("m"))
    if y is None or not m:
        return None
    start = y if m == 12 else y - 1
    mod = "END" if hit.get("part") else "FY"
    return [ctx.make(hit.start, hit.end, "DATE", f"{start:04d}", hit.rule.id, mod, ymd=(start, None, None), yx=True)]


@handler("quarter")
def h_quarter(ctx, hit, params):
    y = year_of(hit, ctx)
    fy = bool(hit.get("fy"))
    if hit.get("qm"):  # 1〜3月期 -> Q1; in a fiscal year 4〜6月期 is its first quarter
        q = (int(hit.get("qm")) - 1) // 3 + 1
        if fy:
            q = (q + 2) % 4 + 1
    else:
        q = to_number(hit.get("q"))
    if not q:
        return None
    if y is None:
        y = ctx.base(hit.start, need_month=False)[0]
    return [ctx.make(hit.start, hit.end, "DATE", f"{fmt_date(y)}-Q{q}", hit.rule.id,
                     "FY" if fy else None, ymd=(y, None, None) if y is not None else None)]


@handler("month_week")
def h_month_week(ctx, hit, params):
    y, m, n = year_of(hit, ctx), to_number(hit.get("m")), to_number(hit.get("wk"))
    if not m or not n or m > 12:
        return None
    if y is None:
        y = ctx.base(hit.start, need_month=False)[0]
    if y is None:
        return [ctx.make(hit.start, hit.end, "DATE", "XXXX-WXX", hit.rule.id)]
    first = _dt.date(y, m, 1)
    thursday = first + _dt.timedelta(days=(4 - first.isoweekday()) % 7)
    day = thursday + _dt.timedelta(days=7 * (n - 1))
    if day.month != m:  # 第5週 of a month with four Thursdays: the week of its last days
        day = _dt.date(y, m, days_in_month(y, m))
    return [ctx.make(hit.start, hit.end, "DATE", iso_week(day), hit.rule.id, ymd=(y, m, None))]


@handler("season")
def h_season(ctx, hit, params):
    y = year_of(hit, ctx)
    return [ctx.make(hit.start, hit.end, "DATE", f"{y:04d}-{LEX['season'][hit.get('season')]}", hit.rule.id,
                     ymd=(y, None, None))]


@handler("season_word")
def h_season_word(ctx, hit, params):
    """Bare seasons (夏に, 春ごろ) and season words (初夏, 晩秋): the anchor's year."""
    w = hit.get("w")
    spec = LEX["season_word"].get(w) or {"season": LEX["season"][w]}
    a = ctx.anchor(hit.start)
    y = a.year if a else None
    return [ctx.make(hit.start, hit.end, "DATE", f"{fmt_date(y)}-{spec['season']}", hit.rule.id,
                     spec.get("mod") or approx_mod(hit))]


@handler("decade")
def h_decade(ctx, hit, params):
    s = hit.get("dec")
    if len(s) == 4:
        year = int(s)
    else:  # 90年代: the latest such decade not after the anchor (no anchor: 00-20 -> 2000s)
        a = ctx.anchor(hit.start)
        n = int(s)
        if a is not None:
            year = (a.year // 100) * 100 + n
            if year > a.year:
                year -= 100
        else:
            year = (2000 if n <= 20 else 1900) + n
    value, mod = _apply_part(f"{year // 10:03d}", hit.get("part"), "decade")
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod)]


@handler("century")
def h_century(ctx, hit, params):
    n = to_number(hit.get("n"))
    if not n or not isinstance(n, int) or n > 30:
        return None
    value, mod = _apply_part(("BC" if hit.get("bc") else "") + f"{n - 1:02d}", hit.get("part"), "century")
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod)]


@handler("bc_year")
def h_bc_year(ctx, hit, params):
    """紀元前221年 -> BC0221 (TIMEX3's form for years before the common era)."""
    n = to_number(hit.get("n"))
    if not n or n > 9999:
        return None
    return [ctx.make(hit.start, hit.end, "DATE", f"BC{n:04d}", hit.rule.id)]


@handler("period_word")
def h_period_word(ctx, hit, params):
    spec = LEX[params.get("lex", "period_word")][hit.get("w")]
    a = ctx.anchor(hit.start)
    unit, mod, ymd = spec["unit"], spec.get("mod"), None
    if unit == "year":
        by, _bm, from_anchor = ctx.base(hit.start, need_month=False)  # 2024年から年末まで
        y = by if by is None or not from_anchor else by + (1 if spec.get("new_year") and a.month >= 10 else 0)
        value, ymd = fmt_date(y), (y, None, None)
        if spec.get("half"):  # a bare 上半期: the half of the anchor's (or the range's) year
            value += "-" + spec["half"]
    elif unit == "fy":
        value = fmt_date(None if a is None else fiscal_year(a))
    elif unit == "month":
        y, m, _ = ctx.base(hit.start, need_month=True)  # 6月上旬から中旬: June
        value = "XXXX-XX" if y is None else fmt_date(y, m)
        ymd = None if y is None else (y, m, None)
    else:  # week
        value = "XXXX-WXX" if a is None else iso_week(add_days(a, 7 * spec.get("off", 0)))
        if spec.get("we"):
            value += "-WE"
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod, ymd=ymd)]


@handler("holiday")
def h_holiday(ctx, hit, params):
    mmdd = LEX["holiday"][hit.get("w")]
    a = ctx.anchor(hit.start)
    y = a.year if a else None
    m, d = int(mmdd[:2]), int(mmdd[3:])
    return [ctx.make(hit.start, hit.end, "DATE", fmt_date(y, m, d), hit.rule.id, ymd=(y, m, d))]


# -- relative --------------------------------------------------------------------------------

@handler("rel_year")
def h_rel_year(ctx, hit, params):
    spec = LEX[params.get("lex", "rel_year")][hit.get("ry")]
    fy = bool(hit.get("fy"))
    a = ctx.anchor(hit.start)
    base = None
    if spec.get("ref") and ctx.last_year is not None:
        base = ctx.last_year
    elif a is not None:
        base = fiscal_year(a) if fy else a.year
    y = None if base is None else base + spec["off"]
    if fy:
        value, mod = fmt_date(y), "FY"
        if hit.get("part"):
            p = LEX["part"][hit.get("part")]
            value, mod = (f"{value}-{p['half']}", mod) if "half" in p else (value, p.get("mod", mod))
        return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod, ymd=(y, None, None), yx=True)]
    if hit.get("season"):
        value = f"{fmt_date(y)}-{LEX['season'][hit.get('season')]}"
        return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, ymd=(y, None, None), yx=True)]
    return calendar_item(ctx, hit, y, to_number(hit.get("m")), to_number(hit.get("d")), part=hit.get("part"), from_base=False)


@handler("rel_month")
def h_rel_month(ctx, hit, params):
    spec = LEX["rel_month"][hit.get("rm")]
    a = ctx.anchor(hit.start)
    y, m = (None, None)
    if spec.get("ref") and ctx.last[0] is not None and ctx.last[1] is not None:
        y, m = ctx.last[0], ctx.last[1]
    elif a is not None:
        y, m = a.year, a.month
    if y is None:
        d = to_number(hit.get("d"))
        value = "XXXX-XX" if d is None else f"XXXX-XX-{d:02d}"
        return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id)]
    y, m = add_months(y, m, spec["off"])
    return calendar_item(ctx, hit, y, m, to_number(hit.get("d")), part=hit.get("part"), from_base=False)


@handler("rel_week")
def h_rel_week(ctx, hit, params):
    spec = LEX["rel_week"][hit.get("rw")]
    base = ref_date(ctx, hit.start, spec.get("ref", False))
    part = LEX["week_part"].get(hit.get("part")) if hit.get("part") else None
    wd = WEEKDAY.get(hit.get("wd")) if hit.get("wd") else None
    if base is None:
        value, ymd = ("XXXX-WXX" + (f"-{wd}" if wd else "")), None
    else:
        day = add_days(base, 7 * spec["off"])
        if wd:
            d = week_day(day, wd)
            value, ymd = d.isoformat(), (d.year, d.month, d.day)
        else:
            value, ymd = iso_week(day), None
    mod = None
    if part:
        if part.get("we") and not wd:
            value += "-WE"
        mod = part.get("mod")
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod, ymd=ymd)]


@handler("rel_day")
def h_rel_day(ctx, hit, params):
    spec = LEX[params.get("lex", "rel_day")][hit.get("rd")]
    base = ref_date(ctx, hit.start, spec.get("ref", False))
    if base is None:
        return [ctx.make(hit.start, hit.end, "DATE", "XXXX-XX-XX", hit.rule.id)]
    d = add_days(base, spec["off"])
    return [ctx.make(hit.start, hit.end, "DATE", d.isoformat(), hit.rule.id, ymd=(d.year, d.month, d.day))]


@handler("rel_century")
def h_rel_century(ctx, hit, params):
    """今世紀 -> the anchor's century (2025: "20", as 21世紀 is)."""
    a = ctx.anchor(hit.start)
    value = "XX" if a is None else f"{a.year // 100 + LEX['rel_century'][hit.get('w')]:02d}"
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id)]


@handler("rel_season")
def h_rel_season(ctx, hit, params):
    spec = LEX["rel_season"][hit.get("w")]
    a = ctx.anchor(hit.start)
    y = None if a is None else a.year + spec["off"]
    return [ctx.make(hit.start, hit.end, "DATE", f"{fmt_date(y)}-{spec['season']}", hit.rule.id,
                     ymd=(y, None, None))]


_SUBDAY = {"hour": "H", "minute": "MIN", "second": "S"}


@handler("rel_offset")
def h_rel_offset(ctx, hit, params):
    """3日前 -> anchor-3 days; 2週間前 -> ISO week; 3か月後 -> month; 5年前 -> year;
    数日前 -> PAST_REF; 3時間前 -> DURATION PT3H mod BEFORE (no clock time to count from)."""
    sign = LEX["direction"][hit.get("dir")]
    mod = approx_mod(hit)
    if hit.get("w"):  # 半年前, 半月後
        unit, n = ("month", 6) if hit.get("w") == "半年" else ("day", 15)
    else:
        unit = LEX["rel_unit"][hit.get("unit")]
        if is_unknown(hit.get("n")):
            return [ctx.make(hit.start, hit.end, "DATE", _REF_VALUE[sign], hit.rule.id, mod)]
        n = to_number(hit.get("n"))
        if n is None:
            return None
        if hit.get("half"):  # 2年半前 -> 30 months; 1時間半後 -> 1.5 hours
            unit, n = {"year": ("month", n * 12 + 6), "month": ("day", n * 30 + 15),
                       "week": ("day", n * 7 + 3), "day": ("hour", n * 24 + 12),
                       "hour": ("hour", n + 0.5), "minute": ("minute", n + 0.5),
                       "second": ("second", n + 0.5)}[unit]
    if unit in _SUBDAY or not isinstance(n, int):
        code = _SUBDAY.get(unit) or {"year": "Y", "month": "M", "week": "W", "day": "D"}[unit]
        return [ctx.make(hit.start, hit.end, "DURATION", fmt_duration({code: n}), hit.rule.id,
                         "BEFORE" if sign < 0 else "AFTER")]
    a = ctx.anchor(hit.start)
    k = sign * n
    ymd = None
    if a is None:
        value = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit]
    elif unit == "day":
        d = add_days(a, k)
        value, ymd = d.isoformat(), (d.year, d.month, d.day)
    elif unit == "week":
        value = iso_week(add_days(a, 7 * k))
    elif unit == "month":
        y, m = add_months(a.year, a.month, k)
        value, ymd = fmt_date(y, m), (y, m, None)
    else:
        value, ymd = fmt_date(a.year + k), (a.year + k, None, None)
    return [ctx.make(hit.start, hit.end, "DATE", value, hit.rule.id, mod, ymd=ymd, yx=unit == "year")]
