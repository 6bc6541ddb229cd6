"""Handlers for times, durations, sets, vague references and abbreviated ranges (see handlers.py)."""

from __future__ import annotations

from .calendar import add_days, fmt_duration, valid_date
from .context import Ctx
from .handlers import LEX, WEEKDAY, approx_mod, calendar_item, ref_date, year_of, handler
from .numerals import is_unknown, to_number

__all__: list[str] = []


# -- times -----------------------------------------------------------------------------------

@handler("clock")
def h_clock(ctx, hit, params):
    h = to_number(hit.get("h")) if hit.get("h") else params.get("h")
    mi = 30 if hit.get("half") else (to_number(hit.get("mi")) if hit.get("mi") else 0)
    s = to_number(hit.get("s")) if hit.get("s") else None
    if h is None or mi is None or h > 24 or mi > 59 or (s is not None and s > 59):
        return None
    ampm = (LEX["ampm"].get(hit.get("ampm")) if hit.get("ampm")
            else LEX["ampm_latin"].get(hit.get("ampm_l")) if hit.get("ampm_l") else None)
    if hit.get("w"):  # 今夜9時 -> <anchor>T21:00, 明朝6時 -> <anchor+1>T06:00
        spec = LEX["pod_rel"][hit.get("w")]
        a = ref_date(ctx, hit.start, spec.get("ref", False))
        day = add_days(a, spec["off"]) if a else None
        h = _ampm_hour(h, "am" if spec["code"] == "MO" else "eve")
        date = day.isoformat() if day else "XXXX-XX-XX"
        ymd = (day.year, day.month, day.day) if day else None
    else:
        date, ymd, h = _time_context(ctx, hit.start, ampm is not None, _ampm_hour(h, ampm))
    value = f"{date}T{h:02d}:{mi:02d}" + (f":{s:02d}" if s is not None else "")
    mod = "APPROX" if hit.get("approx2") else "AFTER" if hit.get("after") else "BEFORE" if hit.get("before") else None
    return [ctx.make(hit.start, hit.end, "TIME", value, hit.rule.id, mod, ymd=ymd, hour=h)]


def _ampm_hour(h: int, ampm: str | None) -> int:
    """12 is noon only after 午後/pm. 午前12時 (12 AM) is 00:00; 夜12時 and 深夜12時 end the
    evening they name, so they are 24:00 of that day (7日夜12時 -> 2025-03-07T24:00)."""
    if ampm == "pm":
        return h + 12 if h < 12 else h
    if h == 12 and ampm == "am":
        return 0
    if h == 12 and ampm in ("night", "eve"):
        return 24
    if ampm == "night" and 6 <= h < 12:  # 深夜11時 -> 23:00, 深夜2時 -> 02:00
        return h + 12
    if ampm == "eve" and 4 <= h < 12:  # 夜8時 -> 20:00, 夜1時 -> 01:00
        return h + 12
    return h


def _time_context(ctx: Ctx, pos: int, explicit_ampm: bool, h: int):
    """Second member of a time range (午後1時から3時, 3月7日13時〜15時): inherit 午後 and the date."""
    prev = ctx.range_prev(pos)
    if prev is None or prev.type != "TIME" or prev.hour is None:
        return "", None, h
    if not explicit_ampm and prev.hour >= 12 and h < 12 and prev.hour < h + 12 <= 24:
        h += 12
    date = prev.value.split("T")[0]
    return date, (prev.ymd if date else None), h


@handler("pod")
def h_pod(ctx, hit, params):
    return [ctx.make(hit.start, hit.end, "TIME", "T" + LEX["pod"][hit.get("w")], hit.rule.id)]


@handler("pod_rel")
def h_pod_rel(ctx, hit, params):
    spec = LEX[params.get("lex", "pod_rel")][hit.get("w")]
    a = ref_date(ctx, hit.start, spec.get("ref", False))  # 翌朝: the morning after the last date
    if a is None:
        return [ctx.make(hit.start, hit.end, "TIME", f"XXXX-XX-XXT{spec['code']}", hit.rule.id)]
    d = add_days(a, spec["off"])
    return [ctx.make(hit.start, hit.end, "TIME", f"{d.isoformat()}T{spec['code']}", hit.rule.id,
                     ymd=(d.year, d.month, d.day))]


# -- durations and sets ----------------------------------------------------------------------

_HALF = {"Y": ("M", 6), "M": ("D", 15), "W": ("D", 3.5), "D": ("H", 12), "H": ("MIN", 30), "MIN": ("S", 30)}


def _amount(s: str | None):
    if is_unknown(s):
        return "X"
    return to_number(s)


@handler("duration")
def h_duration(ctx, hit, params):
    code = LEX["dur_unit"][hit.get("unit")]
    n = _amount(hit.get("n"))
    if n is None or n == 0:
        return None
    if code == "C":  # 1世紀 -> P100Y
        code, n = "Y", (n if n == "X" else n * 100)
    if hit.get("frac") and n != "X":  # 1秒05: stopwatch notation, hundredths
        n = float(f"{hit.get('n')}.{hit.get('frac')}")
    parts = {code: n}
    if hit.get("half") and n != "X":
        if code in ("S", "W"):  # 1秒半 -> PT1.5S, 2週間半 -> P2.5W (no whole unit below)
            parts[code] = n + 0.5
        else:
            sub, k = _HALF[code]
            parts[sub] = parts.get(sub, 0) + k
    return [ctx.make(hit.start, hit.end, "DURATION", fmt_duration(parts), hit.rule.id, approx_mod(hit))]


# Units in the order a compound duration names them (1年2ヶ月10日, 2時間30分15秒).
_UNIT_ORDER = {"Y": 0, "M": 1, "W": 2, "D": 3, "H": 4, "MIN": 5, "S": 6}


@handler("duration_chain")
def h_duration_chain(ctx, hit, params):
    """1年2ヶ月10日 -> P1Y2M10D: one duration, each unit at most once and from larger to smaller
    (2日3日 is not a duration)."""
    parts, last = {}, -1
    for i in (1, 2, 3, 4):
        unit = hit.get(f"u{i}")
        if unit is None:
            break
        code = LEX["dur_unit"][unit]
        n = _amount(hit.get(f"n{i}"))
        if n is None or n == "X" or _UNIT_ORDER[code] <= last:
            return None
        parts[code], last = n, _UNIT_ORDER[code]
    return [ctx.make(hit.start, hit.end, "DURATION", fmt_duration(parts), hit.rule.id, approx_mod(hit))]


@handler("dur_word")
def h_dur_word(ctx, hit, params):
    return [ctx.make(hit.start, hit.end, "DURATION", LEX["dur_word"][hit.get("w")], hit.rule.id)]


@handler("set_value")
def h_set_value(ctx, hit, params):
    return [ctx.make(hit.start, hit.end, "SET", LEX[params["lex"]][hit.get("w")], hit.rule.id)]


@handler("set_date")
def h_set_date(ctx, hit, params):
    m, d = to_number(hit.get("m")), to_number(hit.get("d"))
    mod = None
    if hit.get("wd"):
        value = f"XXXX-WXX-{WEEKDAY[hit.get('wd')]}"
    elif hit.get("season"):
        value = f"XXXX-{LEX['season'][hit.get('season')]}"
    elif hit.get("part"):
        value, mod = "P1M", LEX["part"][hit.get("part")].get("mod")
    else:
        if not valid_date(None, m, d):
            return None
        value = ("XXXX-" + (f"{m:02d}" if m else "XX") + (f"-{d:02d}" if d else ""))
    return [ctx.make(hit.start, hit.end, "SET", value, hit.rule.id, mod)]


@handler("set_freq")
def h_set_freq(ctx, hit, params):
    if hit.get("per"):
        value = LEX["set_per"][hit.get("per")]
    else:
        n = _amount(hit.get("n"))
        if not n:
            return None
        value = fmt_duration({LEX["dur_unit"][hit.get("unit")]: n})
    k = hit.get("k")
    count = "X" if is_unknown(k) else to_number(k)
    if not count:
        return None
    if hit.get("funit"):  # 週3日: time per period; the unit must be smaller than the period
        code = LEX["dur_unit"][hit.get("funit")]
        if _UNIT_ORDER[code] <= _UNIT_ORDER[_PERIOD_UNIT[value]]:
            return None
        return [ctx.make(hit.start, hit.end, "SET", value, hit.rule.id, freq=fmt_duration({code: count}))]
    return [ctx.make(hit.start, hit.end, "SET", value, hit.rule.id, freq=f"{count}X")]


_PERIOD_UNIT = {"P1D": "D", "P1W": "W", "P1M": "M", "P1Y": "Y", "PT1H": "H", "PT1M": "MIN"}


@handler("set_freq_range")
def h_set_freq_range(ctx, hit, params):
    value = LEX["set_per"][hit.get("per")]
    k1, k2 = to_number(hit.get("k")), to_number(hit.get("k2"))
    if not k1 or not k2 or k1 >= k2:
        return None
    return [ctx.make(s, e, "SET", value, hit.rule.id, freq=f"{k}X")
            for (s, e), k in zip(_bound_spans(hit, "k", "k2"), (k1, k2))]


def _bound_spans(hit, first: str, second: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The two items of a range of amounts (2〜3日間, 週2〜3回), as a range of dates gives two
    DATEs: from the match's start to the end of group ``first``, and from group ``second`` on."""
    return (hit.start, hit.span(first)[1]), (hit.span(second)[0], hit.end)


@handler("set_each")
def h_set_each(ctx, hit, params):
    n = _amount(hit.get("n"))
    if not n:
        return None
    return [ctx.make(hit.start, hit.end, "SET", fmt_duration({LEX["dur_unit"][hit.get("unit")]: n}), hit.rule.id)]


@handler("vague")
def h_vague(ctx, hit, params):
    return [ctx.make(hit.start, hit.end, "DATE", params["value"], hit.rule.id)]


# -- abbreviated ranges ----------------------------------------------------------------------

@handler("dur_range")
def h_dur_range(ctx, hit, params):
    """2〜3日間 -> "2" P2D and "3日間" P3D; the first bound takes the second's unit."""
    code = LEX["dur_unit"][hit.get("unit")]
    n1, n2 = to_number(hit.get("n1")), to_number(hit.get("n2"))
    if not n1 or not n2 or n1 >= n2:
        return None
    mod = approx_mod(hit)
    return [ctx.make(s, e, "DURATION", fmt_duration({code: n}), hit.rule.id, mod)
            for (s, e), n in zip(_bound_spans(hit, "n1", "n2"), (n1, n2))]


@handler("range")
def h_range(ctx, hit, params):
    kind = params["kind"]
    rid = hit.rule.id
    if kind == "time":
        ampm = LEX["ampm"].get(hit.get("ampm")) if hit.get("ampm") else None
        h1, h2 = int(hit.get("h1")), int(hit.get("h2"))
        mi = 30 if hit.get("half") else int(hit.get("mi") or 0)
        if h1 > 24 or h2 > 24 or mi > 59:
            return None
        h1, h2 = _ampm_hour(h1, ampm), _ampm_hour(h2, ampm)
        e1 = hit.span("h1")[1]
        s2 = hit.span("h2")[0]
        day = ctx.date_before(hit.start)  # 3月7日午後1〜3時: the second member gets the date too
        date, ymd = (day.value, day.ymd) if day else ("", None)
        return [ctx.make(hit.start, e1, "TIME", f"T{h1:02d}:00", rid, hour=h1),
                ctx.make(s2, hit.end, "TIME", f"{date}T{h2:02d}:{mi:02d}", rid, ymd=ymd, hour=h2)]
    if kind == "y":
        y1 = int(hit.get("y1"))
        s = hit.get("y2")
        y2 = int(s) if len(s) == 4 else (y1 // 100) * 100 + int(s)
        if len(s) == 2 and y2 < y1:
            y2 += 100
        mod = "FY" if hit.get("fy") else None
        e1, s2 = hit.span("y1")[1], hit.span("y2")[0]
        return [ctx.make(hit.start, e1, "DATE", f"{y1:04d}", rid, mod, ymd=(y1, None, None), yx=True),
                ctx.make(s2, hit.end, "DATE", f"{y2:04d}", rid, mod, ymd=(y2, None, None), yx=True)]
    if kind == "m":
        m1, m2 = to_number(hit.get("m1")), to_number(hit.get("m2"))
        first = calendar_item(ctx, hit, year_of(hit, ctx), m1, None, end=hit.span("m1")[1])
        if not first:
            return None
        y = first[0].ymd[0]
        second = calendar_item(ctx, hit, y, m2, None, start=hit.span("m2")[0], part=hit.get("part"), from_base=False)
        return first + second if second else None
    # "md" (2月8〜10日) and "d" (8〜10日)
    m1 = to_number(hit.get("m1")) if kind == "md" else None
    d1, d2 = to_number(hit.get("d1")), to_number(hit.get("d2"))
    first = calendar_item(ctx, hit, year_of(hit, ctx) if kind == "md" else None, m1, d1, end=hit.span("d1")[1])
    if not first:
        return None
    y, m, _ = first[0].ymd
    second = calendar_item(ctx, hit, y, m, d2, start=hit.span("d2")[0], from_base=False)
    return first + second if second else None
