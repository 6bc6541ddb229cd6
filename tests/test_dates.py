"""Date/time extraction and TIMEX3 normalization (issue 4), from data tables per kind.

Each case is (text, anchor, expected items); an expected item is (text, type, value) plus
optional mod/freq. The whole output is compared, so a case fails on a missing item, an extra
item, a wrong span, a wrong value or a wrong mod. The default anchor is 2025-03-07 (a Friday,
ISO week 10, in Japanese fiscal year 2024).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.dates import extract_dates

A = dt.date(2025, 3, 7)
ROOT = Path(__file__).resolve().parent.parent
NEGATIVE = Path(__file__).resolve().parent / "data" / "dates" / "negative.txt"
SEED = ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt"


def D(text, type_, value, mod=None, freq=None):
    return (text, type_, value, mod, freq)


def case(text, *expected, anchor=A):
    return pytest.param(text, anchor, list(expected), id=text if anchor is A else f"{text}@{anchor}")


def got(text, anchor=A):
    return [(d["text"], d["type"], d["value"], d.get("mod"), d.get("freq")) for d in extract_dates(text, anchor)]


# fmt: off
ABSOLUTE = [
    case("2025年2月8日に会談した", D("2025年2月8日", "DATE", "2025-02-08")),
    case("2025年2月に発表", D("2025年2月", "DATE", "2025-02")),
    case("2025年に開催", D("2025年", "DATE", "2025")),
    case("公開日:2025/02/08", D("2025/02/08", "DATE", "2025-02-08")),
    case("2025/2/8付", D("2025/2/8", "DATE", "2025-02-08")),
    case("2025.2.8に更新", D("2025.2.8", "DATE", "2025-02-08")),
    case("2025-02-08の記事", D("2025-02-08", "DATE", "2025-02-08")),
    case("2025/02のデータ", D("2025/02", "DATE", "2025-02")),
    case("２０２５/０２/０８", D("２０２５/０２/０８", "DATE", "2025-02-08")),
    case("２０２５年２月８日", D("２０２５年２月８日", "DATE", "2025-02-08")),
    case("二〇二五年二月八日に", D("二〇二五年二月八日", "DATE", "2025-02-08")),
    case("二〇二五年の目標", D("二〇二五年", "DATE", "2025")),
    case("十二月二十五日に", D("十二月二十五日", "DATE", "2025-12-25")),
    case("三月三十一日まで", D("三月三十一日", "DATE", "2025-03-31")),
    case("二十五日に発表", D("二十五日", "DATE", "2025-03-25")),
    case("三十一日までに", D("三十一日", "DATE", "2025-03-31")),
    case("十二月に入り", D("十二月", "DATE", "2025-12")),
    case("2月の首脳会談", D("2月", "DATE", "2025-02")),
    case("12月に予定", D("12月", "DATE", "2025-12")),
    case("8日に会見", D("8日", "DATE", "2025-03-08")),
    case("3月7日に", D("3月7日", "DATE", "2025-03-07")),
    case("2月上旬に", D("2月上旬", "DATE", "2025-02", "START")),
    case("2月中旬", D("2月中旬", "DATE", "2025-02", "MID")),
    case("2月下旬", D("2月下旬", "DATE", "2025-02", "END")),
    case("3月末までに", D("3月末", "DATE", "2025-03", "END")),
    case("4月初めに", D("4月初め", "DATE", "2025-04", "START")),
    case("2025年末に", D("2025年末", "DATE", "2025", "END")),
    case("2025年前半", D("2025年前半", "DATE", "2025-H1")),
    case("2025年後半に", D("2025年後半", "DATE", "2025-H2")),
    case("2025年上半期", D("2025年上半期", "DATE", "2025-H1")),
    case("2月8日ごろ", D("2月8日ごろ", "DATE", "2025-02-08", "APPROX")),
    case("31日に", D("31日", "DATE", "2025-03-31", ), anchor=dt.date(2025, 3, 2)),
    case("31日に", D("31日", "DATE", "2025-03-31"), anchor=dt.date(2025, 4, 10)),
    case("西暦2025年", D("西暦2025年", "DATE", "2025")),
    case("1945年8月15日", D("1945年8月15日", "DATE", "1945-08-15")),
    case("2月8日（土）に", D("2月8日", "DATE", "2025-02-08")),
    case("2/8(土)に開催", D("2/8", "DATE", "2025-02-08")),
    case("月曜日に再開", D("月曜日", "DATE", "2025-03-03")),
    case("日曜に投開票", D("日曜", "DATE", "2025-03-09")),
    case("元日に", D("元日", "DATE", "2025-01-01")),
    case("大晦日", D("大晦日", "DATE", "2025-12-31")),
    case("2月30日"),
    case("2月8日に", D("2月8日", "DATE", "XXXX-02-08"), anchor=None),
    case("8日に", D("8日", "DATE", "XXXX-XX-08"), anchor=None),
    case("2月に", D("2月", "DATE", "XXXX-02"), anchor=None),
    case("24年12月に", D("24年12月", "DATE", "2024-12")),
    case("24年3月期決算", D("24年3月期", "DATE", "2023", "FY")),
    case("2/1〜2/14発売", D("2/1", "DATE", "2025-02-01"), D("2/14", "DATE", "2025-02-14")),
]

ERA = [
    case("令和7年2月8日", D("令和7年2月8日", "DATE", "2025-02-08")),
    case("令和7年に", D("令和7年", "DATE", "2025")),
    case("令和元年", D("令和元年", "DATE", "2019")),
    case("令和元年5月1日", D("令和元年5月1日", "DATE", "2019-05-01")),
    case("平成31年4月30日", D("平成31年4月30日", "DATE", "2019-04-30")),
    case("平成元年", D("平成元年", "DATE", "1989")),
    case("昭和64年", D("昭和64年", "DATE", "1989")),
    case("昭和20年8月15日", D("昭和20年8月15日", "DATE", "1945-08-15")),
    case("大正12年9月1日", D("大正12年9月1日", "DATE", "1923-09-01")),
    case("明治元年", D("明治元年", "DATE", "1868")),
    case("令和七年", D("令和七年", "DATE", "2025")),
    case("令和5年3月", D("令和5年3月", "DATE", "2023-03")),
    case("令和７年", D("令和７年", "DATE", "2025")),
    case("R7.2.8", D("R7.2.8", "DATE", "2025-02-08")),
    case("R7年の予算", D("R7年", "DATE", "2025")),
    case("R7予算", D("R7", "DATE", "2025")),
    case("H31.4.30", D("H31.4.30", "DATE", "2019-04-30")),
]

FISCAL_PERIOD = [
    case("2025年度の予算", D("2025年度", "DATE", "2025", "FY")),
    case("令和7年度", D("令和7年度", "DATE", "2025", "FY")),
    case("R7年度", D("R7年度", "DATE", "2025", "FY")),
    case("25年度予算", D("25年度", "DATE", "2025", "FY")),
    case("FY2025の業績", D("FY2025", "DATE", "2025", "FY")),
    case("今年度", D("今年度", "DATE", "2024", "FY")),
    case("今年度", D("今年度", "DATE", "2025", "FY"), anchor=dt.date(2025, 5, 1)),
    case("来年度", D("来年度", "DATE", "2025", "FY")),
    case("来年度", D("来年度", "DATE", "2026", "FY"), anchor=dt.date(2025, 5, 1)),
    case("昨年度", D("昨年度", "DATE", "2023", "FY")),
    case("2025年度末", D("2025年度末", "DATE", "2025", "END")),
    case("2025年度上半期", D("2025年度上半期", "DATE", "2025-H1", "FY")),
    case("2025年第1四半期", D("2025年第1四半期", "DATE", "2025-Q1")),
    case("2025年度第2四半期", D("2025年度第2四半期", "DATE", "2025-Q2", "FY")),
    case("2025年春", D("2025年春", "DATE", "2025-SP")),
    case("2024年秋に", D("2024年秋", "DATE", "2024-FA")),
    case("今春", D("今春", "DATE", "2025-SP")),
    case("昨夏", D("昨夏", "DATE", "2024-SU")),
    case("来春", D("来春", "DATE", "2026-SP")),
    case("1990年代", D("1990年代", "DATE", "199")),
    case("90年代", D("90年代", "DATE", "199")),
    case("2020年代", D("2020年代", "DATE", "202")),
    case("80年代後半", D("80年代後半", "DATE", "198", "END")),
    case("21世紀", D("21世紀", "DATE", "20")),
    case("20世紀末", D("20世紀末", "DATE", "19", "END")),
    case("年末に", D("年末", "DATE", "2025", "END")),
    case("年初から", D("年初", "DATE", "2025", "START")),
    case("年内に", D("年内", "DATE", "2025")),
    case("月末に", D("月末", "DATE", "2025-03", "END")),
    case("上旬に", D("上旬", "DATE", "2025-03", "START")),
    case("下旬", D("下旬", "DATE", "2025-03", "END")),
    case("週末に", D("週末", "DATE", "2025-W10-WE")),
    case("年度末", D("年度末", "DATE", "2024", "END")),
    case("年明けに", D("年明け", "DATE", "2025", "START")),
    case("年明けに", D("年明け", "DATE", "2026", "START"), anchor=dt.date(2025, 11, 20)),
    case("年末", D("年末", "DATE", "XXXX", "END"), anchor=None),
    case("夏に", D("夏", "DATE", "2025-SU")),
    case("春ごろ", D("春ごろ", "DATE", "2025-SP", "APPROX")),
    case("初夏", D("初夏", "DATE", "2025-SU", "START")),
    case("晩秋", D("晩秋", "DATE", "2025-FA", "END")),
    case("今年度中", D("今年度", "DATE", "2024", "FY")),
    case("週明けに", D("週明け", "DATE", "2025-W11", "START")),
    case("19世紀初頭", D("19世紀初頭", "DATE", "18", "START")),
]

NEWS = [
    case("政府は7日、閣議で決定した。", D("7日", "DATE", "2025-03-07")),
    case("同日午後、記者会見を開いた。", D("同日午後", "TIME", "2025-03-07TAF")),
    case("7日午前に発表", D("7日午前", "TIME", "2025-03-07TMO")),
    case("来年1月に施行", D("来年1月", "DATE", "2026-01")),
    case("4月1日付で異動", D("4月1日", "DATE", "2025-04-01")),
    case("1日、首相は", D("1日", "DATE", "2025-03-01")),
    case("前年同期比で増加", D("前年", "DATE", "2024")),
    case("2014年3月14日の地震で、数年前に", D("2014年3月14日", "DATE", "2014-03-14"),
         D("数年前", "DATE", "PAST_REF")),
    case("2007年6月17日に当選し、同年11月1日から", D("2007年6月17日", "DATE", "2007-06-17"),
         D("同年11月1日", "DATE", "2007-11-01")),
    case("1933年に設立、翌年に移転", D("1933年", "DATE", "1933"), D("翌年", "DATE", "1934")),
    case("2016年3月26日9時35分に出発", D("2016年3月26日9時35分", "TIME", "2016-03-26T09:35")),
    case("運休から6年半ぶりの復旧", D("6年半", "DURATION", "P6Y6M")),
    case("3時間半にわたる演説", D("3時間半", "DURATION", "PT3H30M")),
    case("同年4月の毎日マラソンで", D("同年4月", "DATE", "2025-04")),
    case("現在は野鳥を撮影", D("現在", "DATE", "PRESENT_REF")),
    case("ヘグセス米国防長官が間もなく日本を訪問", D("間もなく", "DATE", "FUTURE_REF")),
    case("2月の首脳会談でも対日防衛義務を確認", D("2月", "DATE", "2025-02")),
    case("およそ1985年に設立", D("1985年", "DATE", "1985")),
    case("戦後1946年には復旧", D("1946年", "DATE", "1946")),
    case("10月第1日曜日の大祭", D("10月", "DATE", "2025-10")),
    case("88年3月19日付の書簡", D("88年3月19日", "DATE", "1988-03-19")),
    case("1時間01分50秒で完走", D("1時間01分50秒", "DURATION", "PT1H1M50S")),
    case("2019年11月4・5日", D("2019年11月4", "DATE", "2019-11-04"), D("5日", "DATE", "2019-11-05")),
    case("1903年1月5日・7日・29日付", D("1903年1月5日", "DATE", "1903-01-05"), D("7日", "DATE", "1903-01-07"),
         D("29日", "DATE", "1903-01-29")),
    case("同日23時13分ごろ", D("同日23時13分ごろ", "TIME", "2025-03-07T23:13", "APPROX")),
    case("放送時間は毎週水曜19:00-19:54", D("毎週水曜", "SET", "XXXX-WXX-3"), D("19:00", "TIME", "T19:00"),
         D("19:54", "TIME", "T19:54")),
]

RELATIVE = [
    case("今日", D("今日", "DATE", "2025-03-07")),
    case("本日発表", D("本日", "DATE", "2025-03-07")),
    case("昨日", D("昨日", "DATE", "2025-03-06")),
    case("一昨日", D("一昨日", "DATE", "2025-03-05")),
    case("明日", D("明日", "DATE", "2025-03-08")),
    case("明後日", D("明後日", "DATE", "2025-03-09")),
    case("きょうは", D("きょう", "DATE", "2025-03-07")),
    case("あすの会合", D("あす", "DATE", "2025-03-08")),
    case("きのう、", D("きのう", "DATE", "2025-03-06")),
    case("3日前", D("3日前", "DATE", "2025-03-04")),
    case("10日後", D("10日後", "DATE", "2025-03-17")),
    case("三日前に", D("三日前", "DATE", "2025-03-04")),
    case("1週間前", D("1週間前", "DATE", "2025-W09")),
    case("2週間前", D("2週間前", "DATE", "2025-W08")),
    case("3か月後", D("3か月後", "DATE", "2025-06")),
    case("1ヶ月前", D("1ヶ月前", "DATE", "2025-02")),
    case("5年前", D("5年前", "DATE", "2020")),
    case("3年後に", D("3年後", "DATE", "2028")),
    case("数日前", D("数日前", "DATE", "PAST_REF")),
    case("数年後", D("数年後", "DATE", "FUTURE_REF")),
    case("約3年前", D("約3年前", "DATE", "2022", "APPROX")),
    case("3時間前", D("3時間前", "DURATION", "PT3H", "BEFORE")),
    case("30分後", D("30分後", "DURATION", "PT30M", "AFTER")),
    case("3日前", D("3日前", "DATE", "XXXX-XX-XX"), anchor=None),
    case("来週", D("来週", "DATE", "2025-W11")),
    case("先週", D("先週", "DATE", "2025-W09")),
    case("今週", D("今週", "DATE", "2025-W10")),
    case("再来週", D("再来週", "DATE", "2025-W12")),
    case("先々週", D("先々週", "DATE", "2025-W08")),
    case("来週月曜", D("来週月曜", "DATE", "2025-03-10")),
    case("先週金曜日", D("先週金曜日", "DATE", "2025-02-28")),
    case("来週の水曜日", D("来週の水曜日", "DATE", "2025-03-12")),
    case("今週末", D("今週末", "DATE", "2025-W10-WE")),
    case("来週末", D("来週末", "DATE", "2025-W11-WE")),
    case("来週", D("来週", "DATE", "2026-W01"), anchor=dt.date(2025, 12, 24)),
    case("先月", D("先月", "DATE", "2025-02")),
    case("今月", D("今月", "DATE", "2025-03")),
    case("来月", D("来月", "DATE", "2025-04")),
    case("再来月", D("再来月", "DATE", "2025-05")),
    case("先々月", D("先々月", "DATE", "2025-01")),
    case("先月", D("先月", "DATE", "2024-12"), anchor=dt.date(2025, 1, 15)),
    case("今月末", D("今月末", "DATE", "2025-03", "END")),
    case("先月末", D("先月末", "DATE", "2025-02", "END")),
    case("来月上旬", D("来月上旬", "DATE", "2025-04", "START")),
    case("今月10日", D("今月10日", "DATE", "2025-03-10")),
    case("先月20日に", D("先月20日", "DATE", "2025-02-20")),
    case("昨年", D("昨年", "DATE", "2024")),
    case("今年", D("今年", "DATE", "2025")),
    case("来年", D("来年", "DATE", "2026")),
    case("去年", D("去年", "DATE", "2024")),
    case("一昨年", D("一昨年", "DATE", "2023")),
    case("再来年", D("再来年", "DATE", "2027")),
    case("ことしの", D("ことし", "DATE", "2025")),
    case("今年6月", D("今年6月", "DATE", "2025-06")),
    case("昨年12月", D("昨年12月", "DATE", "2024-12")),
    case("来年3月1日", D("来年3月1日", "DATE", "2026-03-01")),
    case("昨年末", D("昨年末", "DATE", "2024", "END")),
    case("今年前半", D("今年前半", "DATE", "2025-H1")),
    case("今年の春", D("今年の春", "DATE", "2025-SP")),
    case("昨年", D("昨年", "DATE", "XXXX"), anchor=None),
    case("半年前の記念日", D("半年前", "DATE", "2024-09")),
    case("2年半ほど前", D("2年半ほど前", "DATE", "2022-09", "APPROX")),
    case("今から1時間半後に", D("1時間半後", "DURATION", "PT1H30M", "AFTER")),
    case("来月の3日", D("来月の3日", "DATE", "2025-04-03")),
    case("きょう午後", D("きょう午後", "TIME", "2025-03-07TAF")),
]

ANAPHORA = [
    case("2024年に始まり、同年6月に終了", D("2024年", "DATE", "2024"), D("同年6月", "DATE", "2024-06")),
    case("2月8日に会談し、同日夜に発表", D("2月8日", "DATE", "2025-02-08"), D("同日夜", "TIME", "2025-02-08TNI")),
    case("2月8日に会談し、翌日", D("2月8日", "DATE", "2025-02-08"), D("翌日", "DATE", "2025-02-09")),
    case("2月8日の前日", D("2月8日", "DATE", "2025-02-08"), D("前日", "DATE", "2025-02-07")),
    case("2023年6月に開始し、同月末", D("2023年6月", "DATE", "2023-06"), D("同月末", "DATE", "2023-06", "END")),
    case("2020年の前年", D("2020年", "DATE", "2020"), D("前年", "DATE", "2019")),
    case("同年", D("同年", "DATE", "2025")),
    case("翌年", D("翌年", "DATE", "2026")),
    case("同日", D("同日", "DATE", "2025-03-07")),
    case("2019年に就任。2月の会談で同年", D("2019年", "DATE", "2019"), D("2月", "DATE", "2025-02"),
         D("同年", "DATE", "2019")),
]

TIME = [
    case("午後3時に", D("午後3時", "TIME", "T15:00")),
    case("午前10時", D("午前10時", "TIME", "T10:00")),
    case("15時30分に", D("15時30分", "TIME", "T15:30")),
    case("15時に", D("15時", "TIME", "T15:00")),
    case("朝9時に", D("朝9時", "TIME", "T09:00")),
    case("夜9時", D("夜9時", "TIME", "T21:00")),
    case("午後3時半", D("午後3時半", "TIME", "T15:30")),
    case("10時半に", D("10時半", "TIME", "T10:30")),
    case("午前0時", D("午前0時", "TIME", "T00:00")),
    case("正午に", D("正午", "TIME", "T12:00")),
    case("15:30から", D("15:30", "TIME", "T15:30")),
    case("9:05に", D("9:05", "TIME", "T09:05")),
    case("１５：３０", D("１５：３０", "TIME", "T15:30")),
    case("午後3時ごろ", D("午後3時ごろ", "TIME", "T15:00", "APPROX")),
    case("午後3時過ぎ", D("午後3時過ぎ", "TIME", "T15:00", "AFTER")),
    case("深夜2時", D("深夜2時", "TIME", "T02:00")),
    case("深夜11時", D("深夜11時", "TIME", "T23:00")),
    case("夕方5時", D("夕方5時", "TIME", "T17:00")),
    case("午後三時", D("午後三時", "TIME", "T15:00")),
    case("午後1時15分", D("午後1時15分", "TIME", "T13:15")),
    case("10時20分30秒", D("10時20分30秒", "TIME", "T10:20:30")),
    case("3月7日午後3時に", D("3月7日午後3時", "TIME", "2025-03-07T15:00")),
    case("7日午後3時", D("7日午後3時", "TIME", "2025-03-07T15:00")),
    case("2025/02/08 15:30", D("2025/02/08 15:30", "TIME", "2025-02-08T15:30")),
    case("明日午後3時", D("明日午後3時", "TIME", "2025-03-08T15:00")),
    case("8日（土）午前10時", D("8日（土）午前10時", "TIME", "2025-03-08T10:00")),
    case("2月8日の午後", D("2月8日の午後", "TIME", "2025-02-08TAF")),
    case("今朝", D("今朝", "TIME", "2025-03-07TMO")),
    case("今夜", D("今夜", "TIME", "2025-03-07TNI")),
    case("昨夜", D("昨夜", "TIME", "2025-03-06TNI")),
    case("明朝", D("明朝", "TIME", "2025-03-08TMO")),
    case("今晩", D("今晩", "TIME", "2025-03-07TNI")),
    case("今朝", D("今朝", "TIME", "XXXX-XX-XXTMO"), anchor=None),
    case("朝から雨", D("朝", "TIME", "TMO")),
    case("夜に会見", D("夜", "TIME", "TNI")),
    case("午前中に", D("午前中", "TIME", "TMO")),
    case("午後から", D("午後", "TIME", "TAF")),
    case("7日朝", D("7日朝", "TIME", "2025-03-07TMO")),
    case("8日夜", D("8日夜", "TIME", "2025-03-08TNI")),
    case("未明に", D("未明", "TIME", "TNI")),
    case("夕方", D("夕方", "TIME", "TEV")),
    case("深夜に", D("深夜", "TIME", "TNI")),
    case("今夜9時スタート", D("今夜9時", "TIME", "2025-03-07T21:00")),
    case("昨夜11時ごろ", D("昨夜11時ごろ", "TIME", "2025-03-06T23:00", "APPROX")),
    case("けさ早く", D("けさ", "TIME", "2025-03-07TMO")),
    case("ゆうべの", D("ゆうべ", "TIME", "2025-03-06TNI")),
    case("夜遅くまで議論", D("夜", "TIME", "TNI")),
    case("昼過ぎに到着", D("昼過ぎ", "TIME", "TAF")),
    case("日曜夜", D("日曜夜", "TIME", "2025-03-09TNI")),
    case("金曜日の夜", D("金曜日の夜", "TIME", "2025-03-07TNI")),
    case("8日未明", D("8日未明", "TIME", "2025-03-08TNI")),
    case("正午過ぎ", D("正午過ぎ", "TIME", "T12:00", "AFTER")),
    case("2025年3月7日（金）15時から", D("2025年3月7日（金）15時", "TIME", "2025-03-07T15:00")),
    case("十時に開店", D("十時", "TIME", "T10:00")),
    case("十一時半", D("十一時半", "TIME", "T11:30")),
    case("5日夕", D("5日夕", "TIME", "2025-03-05TEV")),
    case("明日の朝", D("明日の朝", "TIME", "2025-03-08TMO")),
    case("7日夜から8日朝にかけて", D("7日夜", "TIME", "2025-03-07TNI"), D("8日朝", "TIME", "2025-03-08TMO")),
    case("午前9時から午後5時まで", D("午前9時", "TIME", "T09:00"), D("午後5時", "TIME", "T17:00")),
]

RANGES = [
    case("6月から8月", D("6月", "DATE", "2025-06"), D("8月", "DATE", "2025-08")),
    case("6〜8月", D("6", "DATE", "2025-06"), D("8月", "DATE", "2025-08")),
    case("2月8〜10日", D("2月8", "DATE", "2025-02-08"), D("10日", "DATE", "2025-02-10")),
    case("2月8日から10日まで", D("2月8日", "DATE", "2025-02-08"), D("10日", "DATE", "2025-02-10")),
    case("2024年6月から8月", D("2024年6月", "DATE", "2024-06"), D("8月", "DATE", "2024-08")),
    case("8〜10日", D("8", "DATE", "2025-03-08"), D("10日", "DATE", "2025-03-10")),
    case("2024〜25年", D("2024", "DATE", "2024"), D("25年", "DATE", "2025")),
    case("2024年度〜2026年度", D("2024年度", "DATE", "2024", "FY"), D("2026年度", "DATE", "2026", "FY")),
    case("2月8日と10日", D("2月8日", "DATE", "2025-02-08"), D("10日", "DATE", "2025-02-10")),
    case("12:00〜17:30", D("12:00", "TIME", "T12:00"), D("17:30", "TIME", "T17:30")),
    case("午後1時から3時", D("午後1時", "TIME", "T13:00"), D("3時", "TIME", "T15:00")),
    case("午後1〜3時", D("午後1", "TIME", "T13:00"), D("3時", "TIME", "T15:00")),
    case("10時〜12時", D("10時", "TIME", "T10:00"), D("12時", "TIME", "T12:00")),
    case("3月7日午後1時から3時まで",
         D("3月7日午後1時", "TIME", "2025-03-07T13:00"), D("3時", "TIME", "2025-03-07T15:00")),
    case("7日午後1〜3時", D("7日午後1", "TIME", "2025-03-07T13:00"), D("3時", "TIME", "2025-03-07T15:00")),
    case("午後1時半から同3時半", D("午後1時半", "TIME", "T13:30"), D("3時半", "TIME", "T15:30")),
    case("2005年11月から翌2006年7月", D("2005年11月", "DATE", "2005-11"), D("2006年7月", "DATE", "2006-07")),
    case("2月8日午後3時〜5時",
         D("2月8日午後3時", "TIME", "2025-02-08T15:00"), D("5時", "TIME", "2025-02-08T17:00")),
    case("2024年10〜12月期", D("2024年10〜12月期", "DATE", "2024-Q4")),
    case("7月22日から24日にかけて", D("7月22日", "DATE", "2025-07-22"), D("24日", "DATE", "2025-07-24")),
    case("6月上旬から中旬", D("6月上旬", "DATE", "2025-06", "START"), D("中旬", "DATE", "2025-06", "MID")),
    case("2024年から年末まで", D("2024年", "DATE", "2024"), D("年末", "DATE", "2024", "END")),
]

DURATION = [
    case("2週間", D("2週間", "DURATION", "P2W")),
    case("約1時間半", D("約1時間半", "DURATION", "PT1H30M", "APPROX")),
    case("3日間", D("3日間", "DURATION", "P3D")),
    case("5年間", D("5年間", "DURATION", "P5Y")),
    case("30分間", D("30分間", "DURATION", "PT30M")),
    case("1時間", D("1時間", "DURATION", "PT1H")),
    case("2時間30分", D("2時間30分", "DURATION", "PT2H30M")),
    case("90分で", D("90分", "DURATION", "PT90M")),
    case("15秒", D("15秒", "DURATION", "PT15S")),
    case("3か月", D("3か月", "DURATION", "P3M")),
    case("3ヶ月間", D("3ヶ月間", "DURATION", "P3M")),
    case("3カ月", D("3カ月", "DURATION", "P3M")),
    case("1年半", D("1年半", "DURATION", "P1Y6M")),
    case("半年", D("半年", "DURATION", "P6M")),
    case("半年間", D("半年間", "DURATION", "P6M")),
    case("1.5時間", D("1.5時間", "DURATION", "PT1H30M")),
    case("数日間", D("数日間", "DURATION", "PXD")),
    case("数週間", D("数週間", "DURATION", "PXW")),
    case("約10年", D("約10年", "DURATION", "P10Y", "APPROX")),
    case("10年以上", D("10年", "DURATION", "P10Y")),
    case("5年ぶり", D("5年", "DURATION", "P5Y")),
    case("3年連続", D("3年", "DURATION", "P3Y")),
    case("懲役5年", D("5年", "DURATION", "P5Y")),
    case("過去10年で", D("10年", "DURATION", "P10Y")),
    case("この10年", D("10年", "DURATION", "P10Y")),
    case("ここ数年", D("数年", "DURATION", "PXY")),
    case("一時間", D("一時間", "DURATION", "PT1H")),
    case("二週間", D("二週間", "DURATION", "P2W")),
    case("十分間", D("十分間", "DURATION", "PT10M")),
    case("１時間", D("１時間", "DURATION", "PT1H")),
    case("2年3か月", D("2年3か月", "DURATION", "P2Y3M")),
    case("1時間ほど", D("1時間ほど", "DURATION", "PT1H", "APPROX")),
    case("3日ほどで", D("3日ほど", "DURATION", "P3D", "APPROX")),
    case("24時間", D("24時間", "DURATION", "PT24H")),
    case("30分程度", D("30分程度", "DURATION", "PT30M", "APPROX")),
    case("四半世紀", D("四半世紀", "DURATION", "P25Y")),
    case("5分30秒", D("5分30秒", "DURATION", "PT5M30S")),
    case("1日半", D("1日半", "DURATION", "P1DT12H")),
    case("戦後80年", D("80年", "DURATION", "P80Y")),
    case("創業100年の老舗", D("100年", "DURATION", "P100Y")),
    case("1年で黒字化", D("1年", "DURATION", "P1Y")),
    case("3年かけて完成", D("3年", "DURATION", "P3Y")),
    case("約2カ月ぶり", D("約2カ月", "DURATION", "P2M", "APPROX")),
]

SET = [
    case("毎週", D("毎週", "SET", "P1W")),
    case("毎日", D("毎日", "SET", "P1D")),
    case("毎月", D("毎月", "SET", "P1M")),
    case("毎年", D("毎年", "SET", "P1Y")),
    case("毎年6月", D("毎年6月", "SET", "XXXX-06")),
    case("毎年4月1日", D("毎年4月1日", "SET", "XXXX-04-01")),
    case("毎月1日", D("毎月1日", "SET", "XXXX-XX-01")),
    case("毎週月曜日", D("毎週月曜日", "SET", "XXXX-WXX-1")),
    case("週3回", D("週3回", "SET", "P1W", freq="3X")),
    case("週に1回", D("週に1回", "SET", "P1W", freq="1X")),
    case("月2回", D("月2回", "SET", "P1M", freq="2X")),
    case("年1回", D("年1回", "SET", "P1Y", freq="1X")),
    case("1日3回", D("1日3回", "SET", "P1D", freq="3X")),
    case("年に数回", D("年に数回", "SET", "P1Y", freq="XX")),
    case("4年に1度", D("4年に1度", "SET", "P4Y", freq="1X")),
    case("隔週", D("隔週", "SET", "P2W")),
    case("隔年", D("隔年", "SET", "P2Y")),
    case("毎朝", D("毎朝", "SET", "TMO")),
    case("毎晩", D("毎晩", "SET", "TNI")),
    case("毎週末", D("毎週末", "SET", "XXXX-WXX-WE")),
    case("4年ごと", D("4年ごと", "SET", "P4Y")),
    case("毎月末", D("毎月末", "SET", "P1M", "END")),
    case("連日", D("連日", "SET", "P1D")),
    case("毎時", D("毎時", "SET", "PT1H")),
    case("毎年春に開催", D("毎年春", "SET", "XXXX-SP")),
    case("1日おき", D("1日おき", "SET", "P1D")),
]

VAGUE = [
    case("今後の交渉", D("今後", "DATE", "FUTURE_REF")),
    case("近年", D("近年", "DATE", "PAST_REF")),
    case("かつて", D("かつて", "DATE", "PAST_REF")),
    case("現在は", D("現在", "DATE", "PRESENT_REF")),
    case("現状では", D("現状", "DATE", "PRESENT_REF")),
    case("間もなく", D("間もなく", "DATE", "FUTURE_REF")),
    case("まもなく", D("まもなく", "DATE", "FUTURE_REF")),
    case("将来は", D("将来", "DATE", "FUTURE_REF")),
    case("近い将来", D("近い将来", "DATE", "FUTURE_REF")),
    case("最近", D("最近", "DATE", "PAST_REF")),
    case("以前は", D("以前", "DATE", "PAST_REF")),
    case("過去の発言", D("過去", "DATE", "PAST_REF")),
    case("現時点で", D("現時点", "DATE", "PRESENT_REF")),
    case("当面", D("当面", "DATE", "FUTURE_REF")),
    case("近日中に", D("近日中", "DATE", "FUTURE_REF")),
    case("先日", D("先日", "DATE", "PAST_REF")),
    case("3月7日現在", D("3月7日", "DATE", "2025-03-07")),
    case("今後", D("今後", "DATE", "FUTURE_REF"), anchor=None),
]
# fmt: on

TABLES = {"absolute": ABSOLUTE, "era": ERA, "fiscal_period": FISCAL_PERIOD, "relative": RELATIVE,
          "anaphora": ANAPHORA, "time": TIME, "ranges": RANGES, "duration": DURATION, "set": SET,
          "vague": VAGUE, "news": NEWS}
ALL_CASES = [c for cases in TABLES.values() for c in cases]


@pytest.mark.issue(4)
@pytest.mark.parametrize("text,anchor,expected", ALL_CASES)
def test_table(text, anchor, expected):
    assert got(text, anchor) == expected


def test_table_size():
    assert len(ALL_CASES) >= 150


@pytest.mark.parametrize("text,anchor,expected", ALL_CASES)
def test_offsets_and_anchor_field(text, anchor, expected):
    for d in extract_dates(text, anchor):
        assert text[d["start"]:d["end"]] == d["text"]
        assert d["anchor"] == (anchor.isoformat() if anchor else None)
        assert set(d) <= {"text", "type", "value", "start", "end", "anchor", "mod", "freq", "rule"}


def test_every_rule_is_exercised():
    """Each rule of the tables fires in at least one case of this file or of
    test_dates_timex.py (guards: in the negative file)."""
    from pipeline.dates.rules import RULESET
    from test_dates_timex import ALL_CASES as TIMEX_CASES

    seen = set()
    for values in ALL_CASES + TIMEX_CASES:
        text, anchor, _ = values.values
        for d in extract_dates(text, anchor):
            seen.update(d["rule"].split("+"))
    rules = {r.id for r in RULESET.rules if r.table != "guard"}
    assert sorted(rules - seen) == []


# -- negatives -----------------------------------------------------------------------------

def negative_texts():
    lines = NEGATIVE.read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


@pytest.mark.issue(4)
@pytest.mark.parametrize("text", negative_texts())
def test_negative(text):
    assert extract_dates(text, A) == []


def test_guards_fire_on_negatives():
    """The guards are what keeps URLs, phones and versions quiet: each one is needed."""
    from pipeline.dates.engine import explain

    fired = {rule for text in negative_texts() for rule, _s, _e in explain(text)}
    assert {"guard.url", "guard.www", "guard.phone", "guard.zip", "guard.version", "guard.dotted"} <= fired
    assert explain("詳細は https://mainichi.jp/articles/20250208/k00 を参照")[0][0] == "guard.url"


# -- the seed --------------------------------------------------------------------------------

def _seed_anchor(text):
    """Approximate section map: section 1 (and the lead) 公開日 2025/02/08, sections 2-3 2025/03/07."""
    second = text.index("米国の動きと今後の展望")
    return lambda pos: dt.date(2025, 2, 8) if pos < second else dt.date(2025, 3, 7)


@pytest.mark.issue(4)
def test_seed():
    text = SEED.read_text(encoding="utf-8")
    items = extract_dates(text, _seed_anchor(text))
    for d in items:
        assert text[d["start"]:d["end"]] == d["text"]
    pairs = [(d["text"], d["value"]) for d in items]
    assert [p for p in pairs if p[0] != "今後"] == [
        ("2025/02/08", "2025-02-08"), ("2025/03/07", "2025-03-07"), ("2月", "2025-02"),
        ("間もなく", "FUTURE_REF"), ("2025/03/07", "2025-03-07"), ("過去", "PAST_REF")]
    futures = [d for d in items if d["text"] == "今後"]
    assert len(futures) == text.count("今後") and all(d["value"] == "FUTURE_REF" for d in futures)
    month = next(d for d in items if d["text"] == "2月")
    assert text[month["end"]:month["end"] + 5] == "の首脳会談" and month["anchor"] == "2025-03-07"
    urls = [m.span() for m in re.finditer(r"https?://[!-~]+", text)]
    assert len(urls) == 3
    for d in items:
        assert not any(s < d["end"] and d["start"] < e for s, e in urls), d


# -- the anchor argument ----------------------------------------------------------------------

def test_anchor_forms_agree():
    text = "昨日と2月の会談、来週"
    by_date = extract_dates(text, A)
    assert [d["value"] for d in by_date] == ["2025-03-06", "2025-02", "2025-W11"]
    assert extract_dates(text, dt.datetime(2025, 3, 7, 23, 59)) == by_date
    assert extract_dates(text, lambda pos: A) == by_date


def test_anchor_none_keeps_unknown_parts():
    values = [d["value"] for d in extract_dates("昨日と2月8日、来週、2025年2月8日", None)]
    assert values == ["XXXX-XX-XX", "XXXX-02-08", "XXXX-WXX", "2025-02-08"]
    assert all(d["anchor"] is None for d in extract_dates("昨日", None))


def test_anchor_callable_per_offset():
    text = "2月の会談。\n2月の会談。"
    calls = []

    def anchor(pos):
        calls.append(pos)
        return dt.date(2025, 3, 7) if pos < 6 else None

    items = extract_dates(text, anchor)
    assert [(d["value"], d["anchor"]) for d in items] == [("2025-02", "2025-03-07"), ("XXXX-02", None)]
    assert calls and all(isinstance(p, int) for p in calls)


def test_anchor_callable_may_return_datetime():
    assert extract_dates("昨日", lambda pos: dt.datetime(2025, 3, 7, 9))[0]["value"] == "2025-03-06"


@pytest.mark.parametrize("bad", ["2025-03-07", 20250307, object()])
def test_anchor_bad_type(bad):
    with pytest.raises(TypeError):
        extract_dates("昨日", bad)


def test_anchor_callable_bad_return():
    with pytest.raises(TypeError):
        extract_dates("昨日", lambda pos: "2025-03-07")


# -- invariants ------------------------------------------------------------------------------

def test_offsets_with_crlf_fullwidth_and_emoji():
    text = "公開日:2025/02/08\r\n\r\n😀3月7日午後3時に会談、２０２５年２月８日と🇯🇵今後"
    items = extract_dates(text, A)
    assert [d["text"] for d in items] == ["2025/02/08", "3月7日午後3時", "２０２５年２月８日", "今後"]
    for d in items:
        assert text[d["start"]:d["end"]] == d["text"]
    assert items == sorted(items, key=lambda d: d["start"])


def test_offsets_fuzz():
    """Random slices of the seed and of the case texts, with CRLF, full-width digits and emoji
    mixed in: spans stay exact, sorted and disjoint, and values are well formed."""
    import random

    rnd = random.Random(4)
    seed = SEED.read_text(encoding="utf-8")
    pool = [seed] + [c.values[0] for c in ALL_CASES]
    fw = str.maketrans("0123456789:/", "０１２３４５６７８９：／")
    value = re.compile(r"[0-9X]{2,4}(-[0-9X]{2}|-W[0-9X]{2}|-[HQ][1-4]|-(SP|SU|FA|WI))*(-[0-9X]{2}|-WE|-[1-7])?"
                       r"(T[0-9:]+|T(MO|AF|EV|NI|MI|DT))?|T[0-9:]+|T(MO|AF|EV|NI|MI|DT)|P[0-9X.YMWDTHS]+|"
                       r"(FUTURE|PAST|PRESENT)_REF")
    for _ in range(300):
        src = rnd.choice(pool)
        i = rnd.randrange(len(src))
        text = src[i:i + rnd.randrange(1, 120)]
        if rnd.random() < 0.3:
            text = text.translate(fw)
        if rnd.random() < 0.3:
            text = text.replace("\n", "\r\n").replace("。", "。😀")
        items = extract_dates(text, A)
        end = 0
        for d in items:
            assert text[d["start"]:d["end"]] == d["text"] and d["text"]
            assert d["start"] >= end
            end = d["end"]
            assert value.fullmatch(d["value"]), d


def test_same_input_same_output_and_no_leak_between_calls():
    text = "2024年に始まり、同年6月。昨日の会見で来週"
    first = extract_dates(text, A)
    extract_dates("2019年。同年", dt.date(2000, 1, 1))  # a different call in between
    assert extract_dates(text, A) == first
    assert extract_dates("同年", A)[0]["value"] == "2025"


def test_empty_and_non_str():
    assert extract_dates("") == []
    assert extract_dates("日本の防衛政策") == []
    with pytest.raises(TypeError):
        extract_dates(b"2025\xe5\xb9\xb4")  # type: ignore[arg-type]


@pytest.mark.parametrize("s,n", [("二〇二五", 2025), ("二十五", 25), ("三十一", 31), ("十二", 12), ("十", 10),
                                 ("千九百四十五", 1945), ("二千", 2000), ("元", 1), ("一九九五", 1995)])
def test_kanji_numerals(s, n):
    from pipeline.dates.numerals import kanji_to_int

    assert kanji_to_int(s) == n


@pytest.mark.parametrize("parts,value", [({"H": 1.5}, "PT1H30M"), ({"Y": 2.5}, "P2Y6M"), ({"Y": "X"}, "PXY"),
                                         ({"Y": 1, "M": 6}, "P1Y6M"), ({"D": 1, "H": 12}, "P1DT12H"),
                                         ({"W": 2}, "P2W"), ({"MIN": 90}, "PT90M"), ({"H": 0.5}, "PT30M")])
def test_fmt_duration(parts, value):
    from pipeline.dates.calendar import fmt_duration

    assert fmt_duration(parts) == value


def _date_item_schema():
    import json

    def find(node):
        if isinstance(node, dict):
            if "dates" in node.get("properties", {}):
                return node["properties"]["dates"]["items"]
            for v in node.values():
                r = find(v)
                if r is not None:
                    return r
        elif isinstance(node, list):
            for v in node:
                r = find(v)
                if r is not None:
                    return r
        return None

    path = ROOT / "pipeline" / "schema" / "summary.schema.json"
    if not path.exists():
        pytest.skip("no summary schema")
    return find(json.loads(path.read_text(encoding="utf-8")))


def test_items_fit_the_summary_schema():
    """Every item of every case fits the ``dates`` items of the output contract (mod enum,
    anchor pattern, types)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = _date_item_schema()
    assert schema is not None
    validator = jsonschema.Draft202012Validator(schema)
    for c in ALL_CASES:
        text, anchor, _ = c.values
        for d in extract_dates(text, anchor):
            errors = list(validator.iter_errors(d))
            assert not errors, (text, d, [e.message for e in errors])


def test_module_doctest():
    import doctest

    import pipeline.dates

    assert doctest.testmod(pipeline.dates).failed == 0


def test_rule_ids_are_stable_and_named():
    from pipeline.dates.rules import RULESET

    ids = [r.id for r in RULESET.rules]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+", i) for i in ids)
    assert extract_dates("2025/02/08")[0]["rule"] == "abs.ymd.slash"


@pytest.mark.parametrize("text", ["99999999日後に開く。", "3000000日前のこと。", "99999999週間後に。"])
def test_offsets_beyond_the_calendar_are_left_out_not_an_error(text):
    assert extract_dates(text, dt.date(2025, 3, 7)) == []
    assert [d["value"] for d in extract_dates(text.replace("99999999", "2").replace("3000000", "2"),
                                              dt.date(2025, 3, 7))] in (["2025-03-09"], ["2025-03-05"], ["2025-W12"])


@pytest.mark.parametrize("text, anchor", [("明日、来週の月曜に会う。", dt.date(9999, 12, 31)),
                                          ("昨日、先週の金曜に会った。", dt.date(1, 1, 1))])
def test_anchors_at_the_ends_of_the_calendar(text, anchor):
    assert extract_dates(text, anchor) == []  # the day after 9999-12-31 has no ISO date
    assert len(extract_dates(text, dt.date(2025, 3, 7))) == 2
