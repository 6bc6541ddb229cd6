"""Dates and times in Japanese news text, normalized to TIMEX3 values against an anchor date.

    >>> import datetime
    >>> from pipeline.dates import extract_dates
    >>> [(d["text"], d["value"]) for d in extract_dates("2月の首脳会談", datetime.date(2025, 3, 7))]
    [('2月', '2025-02')]

``extract_dates(text, anchor)`` returns dicts sorted by ``start``: ``text`` (always
``text[start:end]`` of the string given), ``type`` (DATE, TIME, DURATION, SET), ``value``,
``start``, ``end``, ``anchor`` (the anchor in effect at ``start``, ISO date, or None), optional
``mod`` and ``freq``, and ``rule`` (the id of the table row that matched; a date merged with the
time after it has ``<date rule>+<time rule>``).

Patterns are data (``pipeline/resources/dates/*.tsv``, one table per kind, each row with a
stable id and the name of its handler in ``handlers.py``); ``rules.py`` compiles them once, at
import; ``engine.py`` scans; ``context.py`` holds the per-call state (there is no module state
that depends on a call; the anchor is an argument, the clock is never read).

Conventions the summary builder can rely on (anchor 2025-03-07 in the examples):

* Partial dates take the missing year/month from the anchor: ``2月`` -> 2025-02 (a month later
  than the anchor month stays in the anchor year: ``12月`` -> 2025-12); ``8日`` -> 2025-03-08;
  a day the anchor month does not have goes to the latest earlier month that has it. With no
  anchor the unknown parts stay X: ``XXXX-02``, ``XXXX-XX-08``; relative words give
  ``XXXX-XX-XX`` / ``XXXX-WXX`` / ``XXXX``.
* The second member of a range or list inherits what it leaves out from the first:
  ``2024年6月から8月`` -> 2024-06, 2024-08; ``2月8日から10日`` -> 2025-02-10; ``午後1時から3時``
  -> T13:00, T15:00. Abbreviated ranges give two items, the first being just its number:
  ``6〜8月`` -> "6" (2025-06) and "8月" (2025-08).
* 同年/同月/同日/翌日/前日/翌年... refer to the most recent date mentioned earlier in the same
  text (同年: the most recent year an expression stated), else to the anchor.
* Relative offsets keep the unit's granularity: ``3日前`` -> 2025-03-04, ``2週間前`` -> 2025-W08,
  ``3か月後`` -> 2025-06, ``5年前`` -> 2020; ``数日前`` -> PAST_REF; sub-day offsets (``3時間前``)
  are DURATIONs with mod BEFORE/AFTER (there is no clock time to count from).
* Weeks are ISO weeks: ``来週`` -> 2025-W11, ``今週末`` -> 2025-W10-WE; a weekday resolves to that
  day of the anchor's ISO week (``月曜日`` -> 2025-03-03), or of the named week (``来週月曜``).
  The n-th week of a month is the n-th ISO week whose Thursday is in it (``3月第2週`` -> 2025-W11).
* Fiscal years follow the Japanese April-March year: ``2025年度`` -> 2025 mod FY, and relative
  fiscal years count from the anchor's fiscal year: ``今年度`` at 2025-03-07 is 2024, ``来年度``
  is 2025 (at 2025-05-01 they are 2025 and 2026). ``年度末`` -> the fiscal year with mod END.
* Parts of a period are mods: 上旬/初め START, 中旬/半ば MID, 下旬/末 END; 前半/後半 of a year
  are 2025-H1/H2. ``2025年第1四半期`` -> 2025-Q1; a quarter or half without a year takes the
  anchor's year as a bare month does (``第3四半期`` -> 2025-Q3, ``上半期`` / ``上期`` -> 2025-H1),
  except before 決算/業績 (``第2四半期決算`` names a company's report and yields nothing).
  ``1〜3月期`` -> 2025-Q1; ``2025年度4〜6月期`` -> 2025-Q1 mod FY (fiscal quarters count from April).
* Centuries and decades: ``21世紀`` -> "20", ``今世紀`` -> the anchor's, ``90年代`` -> "199"; a
  count of centuries is a duration: ``1世紀`` / ``約1世紀`` / ``2世紀ぶり`` -> P100Y / P200Y (a
  small ordinal with の, 頃, 初頭, 紀元前 ... stays a century: ``3世紀の古墳`` -> "02").
* Vague words: 今後/将来/間もなく -> FUTURE_REF, 近年/かつて/最近/過去 -> PAST_REF,
  現在/現状/現時点 -> PRESENT_REF.
* A date directly followed by a time or part of day is one TIME: ``3月7日午後3時`` ->
  2025-03-07T15:00, ``7日夜`` -> 2025-03-07TNI. A time alone has no date: ``午後3時`` -> T15:00,
  ``朝`` -> TMO; 今朝/今夜/昨夜 carry the anchor's date (2025-03-07TMO), 翌朝/同夜/前夜 the date
  of the last one mentioned.
* Twelve o'clock: ``午前12時`` (12 AM) -> T00:00, ``午後12時`` -> T12:00; ``夜12時`` / ``深夜12時``
  end the evening they name -> T24:00 of that day. Latin am/pm before or after the time:
  ``pm11時10分`` / ``11:10 PM`` -> T23:10, ``12:10 AM`` -> T00:10, ``9am`` -> T09:00.
* A time zone word (日本時間, 現地時間, 米東部時間) is not part of the span, and the value is the
  wall-clock time it names, without an offset: ``日本時間8日午前9時`` -> 2025-03-08T09:00.
* A weekday in brackets after a partial date picks the month or year where that day is that
  weekday, nearest the anchor: ``12月28日（土）`` -> 2024-12-28 (2025-12-28 is a Sunday). It is
  not part of the span and never moves a stated year.
* Durations: ``約1時間半`` -> PT1H30M mod APPROX; a bare 年/日 count is a duration only with a
  duration cue (約, 以上, ぶり, 連続, 過去, 懲役, ほど, ばかり, 前後 ...); ``8日前後に`` / から / まで
  stays a date. A compound is one duration: ``1年2ヶ月10日`` -> P1Y2M10D, units from larger to
  smaller. Fractions: ``1秒半`` -> PT1.5S, ``1秒05`` (stopwatch hundredths) -> PT1.05S,
  ``2週間半`` -> P2.5W, ``1.5時間`` -> PT1H30M. ``数日`` / ``十数年`` -> PXD / PXY.
* A range of amounts is two DURATIONs, as a range of dates is two DATEs: ``2〜3日間`` -> "2" P2D
  and "3日間" P3D; for 年/日 only with a duration cue (間, ほど, で, かかる, 約): a bare ``2〜3日``
  is two dates.
* Sets: ``週3回`` -> P1W freq 3X, ``毎年6月`` -> XXXX-06, ``日曜日ごと`` -> XXXX-WXX-7. A time per
  period has its unit in ``freq``, as an ISO duration: ``週3日`` -> P1W freq P3D, ``週40時間`` ->
  P1W freq PT40H, ``1日1時間`` -> P1D freq PT1H. ``週1`` -> P1W freq 1X; ``週2〜3回`` -> "週2"
  (freq 2X) and "3回" (freq 3X).
* Nothing is extracted inside URLs, phone numbers, zip codes, version strings and IP addresses,
  place names made of a day (十日町, 四日市), or anniversaries (生誕100年, 没後50年).
* Two-digit years (``24年12月``, ``25年度``) are in the 2000s unless that is more than 10 years
  after the anchor (``88年`` -> 1988).
"""

from .engine import extract_dates

__all__ = ["extract_dates"]
