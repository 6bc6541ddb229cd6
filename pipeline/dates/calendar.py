"""Calendar arithmetic and TIMEX3 value formatting (stdlib only; nothing reads the clock)."""

from __future__ import annotations

import calendar as _cal
import datetime as _dt

__all__ = [
    "add_days", "add_months", "days_in_month", "fiscal_year", "fmt_date", "fmt_duration", "iso_week",
    "week_day", "valid_date",
]


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(y: int, m: int) -> int:
    if m == 2 and _cal.isleap(y):
        return 29
    return _MONTH_DAYS[m - 1]


def valid_date(y: int | None, m: int | None, d: int | None) -> bool:
    """Month 1-12, day 1-31, and the day exists in that month when the year and month are known."""
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None:
        if not 1 <= d <= 31:
            return False
        if m is not None:
            # Unknown year: allow 2月29日 (leap years exist).
            limit = days_in_month(y, m) if y is not None else days_in_month(2000, m)
            if d > limit:
                return False
    return True


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def add_days(d: _dt.date, k: int) -> _dt.date:
    return d + _dt.timedelta(days=k)


def fiscal_year(d: _dt.date) -> int:
    """Japanese fiscal year (April to March): 2025-03-07 is in 2024年度, 2025-04-01 in 2025年度."""
    return d.year if d.month >= 4 else d.year - 1


def iso_week(d: _dt.date) -> str:
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}"


def week_day(d: _dt.date, weekday: int) -> _dt.date:
    """The date with ISO weekday `weekday` (1=Mon .. 7=Sun) in the ISO week of `d`."""
    return d + _dt.timedelta(days=weekday - d.isoweekday())


def fmt_date(y: int | None, m: int | None = None, d: int | None = None) -> str:
    """TIMEX3 calendar value; unknown higher parts stay X: (None, 2, 8) -> 'XXXX-02-08'."""
    ys = f"{y:04d}" if y is not None else "XXXX"
    if d is not None:
        ms = f"{m:02d}" if m is not None else "XX"
        return f"{ys}-{ms}-{d:02d}"
    if m is not None:
        return f"{ys}-{m:02d}"
    return ys


_DATE_UNITS = ("Y", "M", "W", "D")
_TIME_UNITS = ("H", "MIN", "S")
_FRACTION = {"Y": ("M", 12), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}


def _num_str(n) -> str:
    if isinstance(n, float):
        return f"{n:.3f}".rstrip("0").rstrip(".")
    return str(n)


def fmt_duration(parts: dict) -> str:
    """{'H': 1.5} -> 'PT1H30M'; {'Y': 'X'} -> 'PXY'; {'Y': 1, 'M': 6} -> 'P1Y6M'."""
    parts = dict(parts)
    for unit, (sub, k) in _FRACTION.items():
        n = parts.get(unit)
        if isinstance(n, float):
            whole, frac = int(n), n - int(n)
            if (frac * k).is_integer():
                parts[unit] = whole
                parts[sub] = parts.get(sub, 0) + int(frac * k)
    date = "".join(f"{_num_str(parts[u])}{u}" for u in _DATE_UNITS if parts.get(u))
    time = "".join(f"{_num_str(parts[u])}{u[0]}" for u in _TIME_UNITS if parts.get(u))
    return "P" + date + ("T" + time if time else "") if (date or time) else "PT0S"
