"""Publisher boilerplate in plain news text: link lists, bylines, copyright, shop data.

Plain news pages carry furniture that is not the story: ``■関連記事`` / ``【関連ニュース】``
blocks with lists of ``・`` headlines, ``記事執筆：…`` bylines, copyright lines (also as
leftover ``&copy;`` entities), shop address blocks (``住所：`` ``営業時間：`` ``TEL：``), bare
URLs and share buttons. The layout gives the sentences of such lines the body kind
``"boilerplate"``; key points and keywords never use them, and ``boilerplate_spans`` hands
them to later stages (entities of interest) so they can skip them too.

The rules are data (``resources/boilerplate/rules.tsv``), each with a stable id:
- ``head`` opens a block: the furniture-like lines after it (list items, fields, short
  unpunctuated lines) are boilerplate until a prose line;
- ``line`` marks the line itself;
- ``item`` marks list items that are headlines, in a run of two or more at the end of the
  text (after them only boilerplate) or inside a block opened by a head.
A run of two or more shop-data fields is a block too, with the short name line before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..rule_tables import read_rows
from .parts import line_spans

__all__ = ["BoilerplateRule", "BOILERPLATE_RULES", "BoilerplateMatch", "boilerplate_lines", "find_boilerplate",
           "boilerplate_spans", "BOILERPLATE_KIND"]

BOILERPLATE_KIND = "boilerplate"
_SENTENCE_END = "。．！？!?"
_LONG_PROSE = 30        # a line longer than this that ends a sentence is prose, and ends a block
_SHORT_LINE = 60        # furniture-like: a line at most this long without a sentence end
_NAME_LINE = 40         # the shop-name line before a run of shop fields
_LINE_RULE_MAX = 200    # line rules look only at lines up to this long (a paragraph is not furniture)


@dataclass(frozen=True)
class BoilerplateRule:
    id: str
    scope: str  # head | line | item
    pattern: re.Pattern
    why: str


@dataclass(frozen=True)
class BoilerplateMatch:
    start: int
    end: int
    rule: str


def _load_rules() -> tuple[BoilerplateRule, ...]:
    rules = []
    for rule_id, scope, pattern, why in read_rows("boilerplate/rules.tsv"):
        if scope not in ("head", "line", "item"):
            raise ValueError(f"boilerplate rule {rule_id}: unknown scope {scope!r}")
        rules.append(BoilerplateRule(rule_id, scope, re.compile(pattern), why))
    return tuple(rules)


BOILERPLATE_RULES = _load_rules()
_HEADS = [r for r in BOILERPLATE_RULES if r.scope == "head"]
_LINES = [r for r in BOILERPLATE_RULES if r.scope == "line"]
_ITEMS = [r for r in BOILERPLATE_RULES if r.scope == "item"]
_SHOP_FIELD = "bp.shop.field"


def _first(rules, line: str) -> str | None:
    for rule in rules:
        if rule.pattern.search(line):
            return rule.id
    return None


def _ends_sentence(line: str) -> bool:
    return line.rstrip("」』)）】").endswith(tuple(_SENTENCE_END))


def boilerplate_lines(text: str, lines: Sequence[tuple[int, int]]) -> dict[int, str]:
    """{index into ``lines``: rule id} for the boilerplate among ``lines`` (trimmed,
    non-blank [start, end) line spans of one body, in order)."""
    contents = [text[s:e] for s, e in lines]
    heads = [_first(_HEADS, c) for c in contents]
    singles = [_first(_LINES, c) if len(c) <= _LINE_RULE_MAX else None for c in contents]
    items = [_first(_ITEMS, c) for c in contents]
    found: dict[int, str] = {}

    # Blocks opened by a head: furniture-like lines follow until a prose line.
    index = 0
    while index < len(contents):
        if heads[index] is None:
            index += 1
            continue
        rule = heads[index]
        found[index] = rule
        index += 1
        while index < len(contents):
            content = contents[index]
            if heads[index] is not None:
                break
            furniture = (items[index] is not None or singles[index] is not None
                         or (len(content) <= _SHORT_LINE and not (_ends_sentence(content) and len(content) > _LONG_PROSE)))
            if not furniture:
                break
            found[index] = singles[index] or items[index] or rule
            index += 1

    # Single lines: bylines, copyright, credits, fields, URLs, share buttons.
    for index, rule in enumerate(singles):
        if rule is not None and index not in found:
            found[index] = rule

    # A run of two or more shop fields is a block: the short name line before it joins.
    index = 0
    while index < len(contents):
        if singles[index] != _SHOP_FIELD:
            index += 1
            continue
        run_end = index
        while run_end < len(contents) and (singles[run_end] == _SHOP_FIELD or (run_end in found and run_end > index)):
            run_end += 1
        if sum(1 for i in range(index, run_end) if singles[i] == _SHOP_FIELD) >= 2 and index > 0:
            name = contents[index - 1]
            if index - 1 not in found and len(name) <= _NAME_LINE and not _ends_sentence(name):
                found[index - 1] = _SHOP_FIELD
        index = run_end

    # Headline lists at the end: runs of 2+ unpunctuated items with only boilerplate after them.
    index = len(contents) - 1
    while index >= 0:
        if index in found:
            index -= 1
            continue
        run_start = index
        while run_start >= 0 and items[run_start] is not None and not _ends_sentence(contents[run_start]) \
                and run_start not in found:
            run_start -= 1
        run_start += 1
        if index - run_start + 1 >= 2:
            for i in range(run_start, index + 1):
                found[i] = items[i]
            index = run_start - 1
            continue
        break
    return found


def find_boilerplate(text: str) -> list[BoilerplateMatch]:
    """The boilerplate lines of a plain news text (the first line, the title, never is)."""

    lines = [(s, e) for s, e in line_spans(text) if s < e][1:]
    return [BoilerplateMatch(*lines[i], rule) for i, rule in sorted(boilerplate_lines(text, lines).items())]


def boilerplate_spans(article) -> list[tuple[int, int]]:
    """[start, end) spans of the boilerplate in a parsed ``Article`` (runs of adjacent
    boilerplate body sentences merged): what entity and keyword stages should skip."""
    spans: list[tuple[int, int]] = []
    text = article.text
    for section in article.sections:
        for sentence in section.body:
            if sentence.kind != BOILERPLATE_KIND:
                continue
            start, end = sentence.span.start, sentence.span.end
            if spans and not text[spans[-1][1]:start].strip():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans
