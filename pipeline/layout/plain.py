"""Plain news (no aggregator markers): sub-headings, and the lines that are not body prose.

A plain article is its title, an optional dateline, and sections: the lead (the text before
the first sub-heading, ``heading`` null) and one section per sub-heading, holding the lines
under it. Sub-heading lines (``■…``, ``◆…``, ``●…``, ``【…】`` or ``＜…＞`` alone on a line,
``1．…``) become ``heading`` without their marker; they are never body sentences, so never
key points. Text without sub-headings stays one untitled section.

Lines that are not prose get body kinds of their own: ``caption`` (``写真1■…``,
``（写真：…）``, ``画像はイメージ``), ``survey`` (``▼…ですか？``), ``list_item`` (a run of
two or more ``①``/``1.``/``・`` lines with the same marker) and ``spec`` (a run of two or more
``label：value`` rows). Publisher furniture is ``boilerplate`` (``boilerplate.py``); a caption
that a boilerplate rule also matches (``写真：…`` credits) is a caption.

The rules are data (``resources/layout/plain_lines.tsv``), each with a stable id, and every
decision looks at a line and its neighbours only, so the parse is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..nlp.sentences import split_sentences
from ..rule_tables import read_rows
from .body_kinds import classify_section_body
from .boilerplate import boilerplate_lines
from .parts import Article, BodySentence, Section, Span

__all__ = ["PlainRule", "PLAIN_RULES", "PlainLayout", "plain_layout", "parse_plain_body", "LINE_KINDS"]

LINE_KINDS = ("heading", "caption", "survey", "list_item", "spec")
_HEADING_MAX_CHARS = 40     # a sub-heading is a phrase; a longer marked line is a paragraph
_SENTENCE_END = "。．"        # a heading may end in ？ or ！, never in a full stop
_BULLET_RULE = "li.bullet"  # its lines are one list only when they share the marker character
_SPEC_RULE = "sp.row"


@dataclass(frozen=True)
class PlainRule:
    id: str
    kind: str
    pattern: re.Pattern
    why: str


def _load_rules() -> tuple[PlainRule, ...]:
    rules = []
    for rule_id, kind, pattern, why in read_rows("layout/plain_lines.tsv"):
        if kind not in LINE_KINDS:
            raise ValueError(f"plain-news line rule {rule_id}: unknown kind {kind!r}")
        rules.append(PlainRule(rule_id, kind, re.compile(pattern), why))
    return tuple(rules)


PLAIN_RULES = _load_rules()
_MARKED = [r for r in PLAIN_RULES if r.kind in ("caption", "survey")]
_HEADINGS = [r for r in PLAIN_RULES if r.kind == "heading"]
_LISTS = [r for r in PLAIN_RULES if r.kind == "list_item"]
_SPECS = [r for r in PLAIN_RULES if r.kind == "spec"]


@dataclass(frozen=True)
class PlainLayout:
    """What the rules found among the body lines of a plain article (indexes into them)."""
    headings: dict[int, tuple[int, int, str]]  # line -> (heading start, end, rule id)
    kinds: dict[int, tuple[str, str]]          # line -> (body kind, rule id), headings left out
    boilerplate: dict[int, str]                # line -> boilerplate rule id (captions left out)


def _match(rules, text: str, start: int, end: int):
    for rule in rules:
        match = rule.pattern.match(text, start, end)
        if match:
            return rule, match
    return None


def _runs(keys: list) -> list[tuple[int, int]]:
    """[first, last] of every run of two or more equal, non-None keys."""
    runs, index = [], 0
    while index < len(keys):
        last = index
        while keys[index] is not None and last + 1 < len(keys) and keys[last + 1] == keys[index]:
            last += 1
        if last > index:
            runs.append((index, last))
        index = last + 1
    return runs


def plain_layout(text: str, lines: Sequence[tuple[int, int]]) -> PlainLayout:
    """Headings and line kinds among ``lines`` (trimmed, non-blank [start, end) spans of the
    body, in order)."""
    furniture = boilerplate_lines(text, lines)
    kinds: dict[int, tuple[str, str]] = {}
    for index, (start, end) in enumerate(lines):
        found = _match(_MARKED, text, start, end)
        if found:
            kinds[index] = (found[0].kind, found[0].id)
            furniture.pop(index, None)

    def free(index: int) -> bool:
        return index not in furniture and index not in kinds

    spec_keys = [_SPEC_RULE if free(i) and _match(_SPECS, text, s, e) else None for i, (s, e) in enumerate(lines)]
    for first, last in _runs(spec_keys):
        for index in range(first, last + 1):
            kinds[index] = ("spec", _SPEC_RULE)
    list_keys = []
    for index, (start, end) in enumerate(lines):
        found = _match(_LISTS, text, start, end) if free(index) else None
        key = None
        if found:
            key = (found[0].id, text[start] if found[0].id == _BULLET_RULE else "")
        list_keys.append(key)
    for first, last in _runs(list_keys):
        for index in range(first, last + 1):
            kinds[index] = ("list_item", list_keys[index][0])

    headings: dict[int, tuple[int, int, str]] = {}
    for index, (start, end) in enumerate(lines):
        if not free(index) or index + 1 >= len(lines) or index + 1 in furniture:
            continue
        found = _match(_HEADINGS, text, start, end)
        if not found:
            continue
        rule, match = found
        h_start, h_end = match.span("h")
        heading = text[h_start:h_end]
        if len(heading) > _HEADING_MAX_CHARS or any(c in heading for c in _SENTENCE_END):
            continue
        headings[index] = (h_start, h_end, rule.id)
    return PlainLayout(headings, kinds, furniture)


_CREDIT = re.compile(r"【[^】\n]{1,20}】[ \u3000]*")


def _after_credit(text: str, start: int, end: int) -> int:
    """Where a paragraph's first sentence starts: after a wire credit like 【ワシントン共同】."""
    match = _CREDIT.match(text, start, end)
    return match.end() if match and match.end() < end else start  # a line of only 【関連記事】 is not a credit


def parse_plain_body(text: str, lines: Sequence[tuple[int, int]], article: Article) -> None:
    """Fill ``article``'s lead and sections from the body lines of a plain article."""
    if not lines:
        return
    layout = plain_layout(text, lines)
    cuts = sorted(layout.headings)
    if not cuts:
        article.lead = Span(*lines[0])
    elif cuts[0] > 0:
        article.lead = Span(lines[0][0], lines[cuts[0] - 1][1])
    bounds = ([0] if not cuts or cuts[0] > 0 else []) + cuts + [len(lines)]
    for first, stop in zip(bounds, bounds[1:]):
        section = Section(start=lines[first][0], end=lines[stop - 1][1])
        body_from = first
        if first in layout.headings:
            h_start, h_end, _rule = layout.headings[first]
            section.heading = Span(h_start, h_end)
            body_from = first + 1
        members = range(body_from, stop)
        paragraphs = [split_sentences(text, _after_credit(text, *lines[i]), lines[i][1]) for i in members]
        section.body = [BodySentence(Span(*span), kind) for span, kind in classify_section_body(
            text, paragraphs, aggregator=False,
            boilerplate={n for n, i in enumerate(members) if i in layout.boilerplate},  # a set: looked up per line
            line_kinds={n: layout.kinds[i][0] for n, i in enumerate(members) if i in layout.kinds})]
        article.sections.append(section)
