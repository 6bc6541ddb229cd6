"""Rebuild the historical era names of ``pipeline/resources/dates/lexicons.json`` ("era_historic")
from japanera's era table (MIT licence): each era's name -> the Western year before its first
year (元年), the same form as the modern "era" entries (令和: 2018).

Usage: pip install japanera==2.1.3 && python scripts/build_era_table.py
The modern eras (明治 and later) stay in "era"; only the older ones are written here, but for
four names that are everyday words (EVERYDAY_WORDS). An era's
first year is the year in which it began, so 慶長5年 is 1600; months and days of the old
lunisolar calendar are not converted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from japanera import ERA_DATA_DAIKAKUJI, ERA_DATA_GENERAL, ERA_DATA_JIMYOUIN  # type: ignore[import-not-found]

LEXICONS = Path(__file__).resolve().parent.parent / "pipeline" / "resources" / "dates" / "lexicons.json"
MODERN = {"明治", "大正", "昭和", "平成", "令和"}
# Era names that are everyday words before a count in modern text (契約を延長3年, 治安3年):
# left out, so those four short eras of the 10th-12th centuries are not read.
EVERYDAY_WORDS = {"延長", "治安", "保安", "永久"}


def historic_eras() -> dict[str, int]:
    out: dict[str, int] = {}
    # both courts of 1331-1392 (大覚寺統 / 持明院統) are named in histories
    for era in [*ERA_DATA_GENERAL, *ERA_DATA_DAIKAKUJI, *ERA_DATA_JIMYOUIN]:
        name = era.kanji
        if name == "不明" or name in MODERN or name in EVERYDAY_WORDS:
            continue
        out.setdefault(name, era.since.year - 1)  # a name used twice keeps its first era
    return dict(sorted(out.items(), key=lambda item: (item[1], item[0])))


def main() -> None:
    text = LEXICONS.read_text(encoding="utf-8")
    line = '  "era_historic": ' + json.dumps(historic_eras(), ensure_ascii=False) + ",\n"
    text, n = re.subn(r'  "era_historic": \{.*?\},\n', lambda _m: line, text, flags=re.S)
    if n != 1:
        raise SystemExit('lexicons.json has no "era_historic" line to replace')
    json.loads(text)  # still valid JSON
    LEXICONS.write_text(text, encoding="utf-8")
    print(f"{LEXICONS}: {len(historic_eras())} historical eras")


if __name__ == "__main__":
    main()
