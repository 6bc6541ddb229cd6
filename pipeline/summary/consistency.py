"""Consistency warnings: a ✅ point or 💡 takeaway that names what its article does not say.

A marked point summarizes its section, and a takeaway the whole article. Each PERSON, ORG,
MONEY, PERCENT or QUANTITY the point names is looked up in the text it summarizes (for a point:
its section's heading, question, answer and body; for a takeaway: every section), and then in
the rest of the article (title, lead, other sections; for a takeaway, the ✅ points too). It is **supported** when it is found
there: the same entity id (so ``石破首相`` supports ``石破``, and ``米国`` supports
``アメリカ``), or for an amount the same unit and a value within ``_ROUNDING`` of it (a point
may round 1兆9800億円 to 約2兆円).

An unsupported name is warned about only when the summarized text names **another entity in
its place**: a PERSON with the same role (the seed's point names ヘーゲル国防長官 where the body
says ヘグセス国防長官), a known ORG (a gazetteer entry) of the same kind as a known one (its
head: 省, 庁, 党 ...), an amount in the same unit after the same words (``防衛費を2兆円`` where
the body says ``防衛費を1兆円``), with the same dates before it on its line. So paraphrase never warns (両首脳 names no one; a point that adds a fact the body
lacks has nothing to contradict), and the warning names both spans and the reason.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Iterable

from ..entities.ids import HASH_PREFIX

__all__ = ["consistency_warnings", "amount", "amount_context"]

_NAMES = ("PERSON", "ORG")
_AMOUNTS = ("MONEY", "PERCENT", "QUANTITY")
_ROUNDING = 0.05
_TIMES_KEPT = 3  # the dates right before an amount on its line say when it holds
# The head of an organization's name: two ORGs with the same head are the same kind of body.
_ORG_HEADS = ("委員会", "取引所", "裁判所", "銀行", "政府", "大学", "議会", "省", "庁", "党", "社", "局", "院", "所",
              "会", "団", "軍", "府", "署", "部", "機構", "連合")
_MULTIPLIERS = {"万": 1e4, "億": 1e8, "兆": 1e12}
_AMOUNT = re.compile(r"(?P<n>[0-9]+(?:[.,][0-9]+)*)(?P<m>[万億兆]?)")
_CONTEXT_CHARS = 4
_CONTEXT_CUT = re.compile(r"[、。,，.「」『』（）()・:：\s]")
_CONTEXT_PARTICLE = re.compile(r"[はがをでにのとも]")
_CONTEXT_TAIL = re.compile(r"(?:は|が|を|も|で|に|の|と|へ|約|計|総額|およそ|合計|最大|最高|前年比|前年度比)+$")
_HEDGES = re.compile(r"\s|約|およそ|超|強|弱|余り?|以上|以下|未満|前後|程度|ほど|近く")


def amount(text: str) -> tuple[float, str] | None:
    """(value, unit) of an amount as written: ``1兆2000億円`` -> (1.2e12, "円"), ``3.5%`` ->
    (3.5, "%"); None when it holds no Arabic number (kanji numerals are left to the exact test)."""
    text = unicodedata.normalize("NFKC", text)
    value, end, found = 0.0, 0, False
    for match in _AMOUNT.finditer(text):
        if found and match.start() != end:
            break  # 1兆2000億円: the parts of one number follow each other
        number = float(match.group("n").replace(",", ""))
        value += number * _MULTIPLIERS.get(match.group("m"), 1.0)
        end, found = match.end(), True
        if not match.group("m"):
            break
    if not found:
        return None
    unit = _HEDGES.sub("", text[end:])
    return value, unit


def _org_head(canonical: str) -> str | None:
    return next((head for head in _ORG_HEADS if canonical.endswith(head) and len(canonical) > len(head)), None)


class _Support:
    """What a set of entities supports, for lookups in constant time: their ids, their amounts
    by (label, unit) as sorted values, the canonical names of amounts written in kanji."""

    def __init__(self, entities: Iterable[dict]) -> None:
        self.ids: set[str] = set()
        self.canonicals: set[tuple[str, str]] = set()
        values: dict[tuple[str, str], list[float]] = {}
        for entity in entities:
            if entity["label"] in _NAMES:
                self.ids.add(entity["id"])
                continue
            found = amount(entity["text"])
            if found is None:
                self.canonicals.add((entity["label"], entity["canonical"]))
            else:
                values.setdefault((entity["label"], found[1]), []).append(found[0])
        self.values = {key: sorted(v) for key, v in values.items()}

    def supports(self, entity: dict) -> bool:
        if entity["label"] in _NAMES:
            return entity["id"] in self.ids
        mine = amount(entity["text"])
        if mine is None:
            return (entity["label"], entity["canonical"]) in self.canonicals
        values = self.values.get((entity["label"], mine[1]), ())
        # within _ROUNDING of the larger of the two: |a - b| <= r * max(|a|, |b|)
        low, high = mine[0] * (1 - _ROUNDING), mine[0] / (1 - _ROUNDING)
        i = bisect_left(values, min(low, high))
        return i < len(values) and values[i] <= max(low, high)


def amount_context(text: str, start: int) -> str:
    """What an amount counts, as the words right before it say: ``出荷台数は2810万台`` ->
    ``出荷台数`` (at most ``_CONTEXT_CHARS``, back to a punctuation mark, particles dropped)."""
    before = text[max(0, start - _CONTEXT_CHARS - 4):start]
    before = _CONTEXT_CUT.split(before)[-1]
    before = _CONTEXT_TAIL.sub("", before)
    before = _CONTEXT_PARTICLE.split(before)[-1]  # 家庭の負担は1年間で -> 1年間
    return "" if any(c.isdigit() for c in before) else before[-_CONTEXT_CHARS:]


def _times_before(text: str, dates: "_Dates", start: int) -> tuple[str, ...]:
    """The values of the last dates between the start of the line and ``start``: when two
    amounts of the same thing come with different times (2025年度中に7機, 将来的には11機), both
    can be true."""
    line_start = text.rfind("\n", 0, start) + 1
    first, last = bisect_left(dates.starts, line_start), bisect_left(dates.starts, start)
    return tuple(sorted({dates.values[i] for i in range(max(first, last - _TIMES_KEPT), last)}))


class _Dates:
    def __init__(self, dates: Iterable[dict]) -> None:
        ordered = sorted(dates, key=lambda d: d["start"])
        self.starts = [d["start"] for d in ordered]
        self.values = [d["value"] for d in ordered]


class _Places:
    """The entities of the summarized text by the place they fill: a PERSON by its role, a
    gazetteer ORG by its head, an amount by its label, unit, the words before it and the dates
    before it on its line. Each place keeps its first two entities of distinct ids, so that the
    one that is not the point's own can be found in constant time."""

    def __init__(self, text: str, entities: list[dict], dates: _Dates) -> None:
        self.text, self.dates = text, dates
        self.places: dict[tuple, list[dict]] = {}
        for entity in entities:
            key = self.key(entity)
            if key is None:
                continue
            kept = self.places.setdefault(key, [])
            if len(kept) < 2 and all(e["id"] != entity["id"] for e in kept):
                kept.append(entity)

    def key(self, entity: dict) -> tuple | None:
        label = entity["label"]
        if label == "PERSON":
            return (label, entity["role"]) if entity["role"] else None
        if label == "ORG":
            head = _org_head(entity["canonical"])
            return (label, head) if head is not None and not entity["id"].startswith(HASH_PREFIX) else None
        found = amount(entity["text"])
        if found is None or not found[1]:
            return None
        context = amount_context(self.text, entity["start"])
        if len(context) < 2:
            return None
        return label, found[1], context, _times_before(self.text, self.dates, entity["start"])

    def other_than(self, entity: dict) -> dict | None:
        """The entity in ``entity``'s place that is not ``entity`` (see the module doc)."""
        key = self.key(entity)
        return next((e for e in self.places.get(key, ()) if e["id"] != entity["id"]), None) if key else None


def _describe(entity: dict) -> str:
    role = f", {entity['role']}" if entity.get("role") else ""
    return f"{entity['text']} ({entity['label']}{role}) at {entity['start']}"


def _spans_of_section(section) -> list[tuple[int, int]]:
    spans = [(s.start, s.end) for s in (section.heading, section.question, section.answer) if s is not None]
    return spans + [(b.span.start, b.span.end) for b in section.body]


class _Index:
    """The checked entities by offset: which of them fall inside a set of spans."""

    def __init__(self, entities: list[dict]) -> None:
        self.entities = [e for e in entities if e["label"] in _NAMES + _AMOUNTS]
        self.starts = [e["start"] for e in self.entities]

    def within(self, spans) -> list[dict]:
        out = []
        entities, count = self.entities, len(self.entities)
        for start, end in spans:
            i = bisect_left(self.starts, start)  # an index, not a slice: a slice copies the tail
            while i < count and entities[i]["start"] < end:
                if entities[i]["end"] <= end:
                    out.append(entities[i])
                i += 1
        return out


def consistency_warnings(text: str, article, entities: list[dict], dates: Iterable[dict] = ()) -> list[str]:
    """One warning per point entity that the summarized text contradicts (see the module doc);
    ``dates``: the summary's dates (amounts at different times do not contradict). Linear in
    the entities: each span is looked up once, and supports and places are tables."""
    if not any(section.points for section in article.sections) and not article.takeaways:
        return []
    index, by_date = _Index(entities), _Dates(dates)
    rest = [(s.start, s.end) for s in (article.title, article.lead) if s is not None]
    in_sections = [index.within(_spans_of_section(section)) for section in article.sections]
    in_points = [[index.within([(p.span.start, p.span.end)]) for p in section.points] for section in article.sections]
    article_text = [e for found in in_sections for e in found] + index.within(rest)
    support = _Support(article_text)
    warnings = []
    for number, section in enumerate(article.sections):
        if not section.points:
            continue
        places = _Places(text, in_sections[number], by_date)
        for found in in_points[number]:
            warnings += _check(f"the ✅ point of section {number}", found, support, places)
    if article.takeaways:  # takeaways sum up the article, its points included
        with_points = _Support(article_text + [e for found in in_points for point in found for e in point])
        places = _Places(text, [e for found in in_sections for e in found], by_date)
        for span in article.takeaways:
            warnings += _check("the 💡 takeaway", index.within([(span.start, span.end)]), with_points, places)
    return warnings


def _check(what: str, named: list[dict], support: _Support, places: _Places) -> list[str]:
    out = []
    for entity in named:
        if support.supports(entity):
            continue
        other = places.other_than(entity)
        if other is not None:
            out.append(f"{what} names {_describe(entity)}, but the text it summarizes names "
                       f"{_describe(other)} in its place and never {entity['text']}")
    return out
