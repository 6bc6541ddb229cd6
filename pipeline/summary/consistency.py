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
from bisect import bisect_right

from ..entities.ids import HASH_PREFIX

__all__ = ["consistency_warnings", "amount", "amount_context"]

_NAMES = ("PERSON", "ORG")
_AMOUNTS = ("MONEY", "PERCENT", "QUANTITY")
_ROUNDING = 0.05
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


def _same_amount(a: tuple[float, str], b: tuple[float, str]) -> bool:
    return a[1] == b[1] and abs(a[0] - b[0]) <= _ROUNDING * max(abs(a[0]), abs(b[0]))


def _supported(entity: dict, others: list[dict]) -> bool:
    if entity["label"] in _NAMES:
        return any(o["id"] == entity["id"] for o in others)
    mine = amount(entity["text"])
    if mine is None:
        return any(o["canonical"] == entity["canonical"] for o in others if o["label"] == entity["label"])
    return any(_same_amount(mine, theirs) for o in others if o["label"] == entity["label"]
               and (theirs := amount(o["text"])) is not None)


def amount_context(text: str, start: int) -> str:
    """What an amount counts, as the words right before it say: ``出荷台数は2810万台`` ->
    ``出荷台数`` (at most ``_CONTEXT_CHARS``, back to a punctuation mark, particles dropped)."""
    before = text[max(0, start - _CONTEXT_CHARS - 4):start]
    before = _CONTEXT_CUT.split(before)[-1]
    before = _CONTEXT_TAIL.sub("", before)
    before = _CONTEXT_PARTICLE.split(before)[-1]  # 家庭の負担は1年間で -> 1年間
    return "" if any(c.isdigit() for c in before) else before[-_CONTEXT_CHARS:]


def _times_before(text: str, dates: list[dict], start: int) -> set[str]:
    """The values of the dates between the start of the line and ``start``: when two amounts of
    the same thing come with different times (2025年度中に7機, 将来的には11機), both can be true."""
    line_start = text.rfind("\n", 0, start) + 1
    return {d["value"] for d in dates if line_start <= d["start"] < start}


def _in_its_place(text: str, entity: dict, others: list[dict], dates: list[dict]) -> dict | None:
    """The entity of ``others`` that takes ``entity``'s place: a PERSON with the same role, an
    ORG of the gazetteer with the same head as this one (also of the gazetteer), an amount in
    the same unit after the same words."""
    label = entity["label"]
    for other in others:
        if other["label"] != label or other["id"] == entity["id"]:
            continue
        if label == "PERSON":
            if entity["role"] and other["role"] == entity["role"]:
                return other
        elif label == "ORG":
            head = _org_head(entity["canonical"])
            known = not entity["id"].startswith(HASH_PREFIX) and not other["id"].startswith(HASH_PREFIX)
            if known and head is not None and _org_head(other["canonical"]) == head:
                return other
        else:
            mine, theirs = amount(entity["text"]), amount(other["text"])
            if mine is None or theirs is None or mine[1] != theirs[1] or not mine[1]:
                continue
            context = amount_context(text, entity["start"])
            if (len(context) >= 2 and context == amount_context(text, other["start"])
                    and _times_before(text, dates, entity["start"]) == _times_before(text, dates, other["start"])):
                return other
    return None


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
        for start, end in spans:
            first = bisect_right(self.starts, start - 1)
            for entity in self.entities[first:]:
                if entity["start"] >= end:
                    break
                if entity["end"] <= end:
                    out.append(entity)
        return out


def consistency_warnings(text: str, article, entities: list[dict], dates: list[dict] = ()) -> list[str]:
    """One warning per point entity that the summarized text contradicts (see the module doc);
    ``dates``: the summary's dates (amounts at different times do not contradict)."""
    if not any(section.points for section in article.sections) and not article.takeaways:
        return []
    index = _Index(entities)
    everywhere = [span for section in article.sections for span in _spans_of_section(section)]
    rest = [(s.start, s.end) for s in (article.title, article.lead) if s is not None]
    warnings = []
    points = [(p.span.start, p.span.end) for section in article.sections for p in section.points]
    checks = [(f"the ✅ point of section {number}", [p.span for p in section.points], _spans_of_section(section), [])
              for number, section in enumerate(article.sections) if section.points]
    # takeaways sum up the article, its points included
    checks.append(("the 💡 takeaway", article.takeaways, everywhere, points))
    for what, point_spans, summarized, also in checks:
        near = index.within(summarized)
        far = near + index.within(rest + everywhere + also)
        for span in point_spans:
            for entity in index.within([(span.start, span.end)]):
                if _supported(entity, far):
                    continue
                other = _in_its_place(text, entity, near, list(dates))
                if other is not None:
                    warnings.append(f"{what} names {_describe(entity)}, but the text it summarizes names "
                                    f"{_describe(other)} in its place and never {entity['text']}")
    return warnings
