"""Classify body sentences as fact, commentary (the editor's voice) or reader_voice.

The cue patterns are data (``resources/layout/body_kinds.tsv``), each with a stable id.
Position matters as much as wording in aggregator articles: the sentence glued after the
source URL is the editor's comment, the last comment-like line of a section is the reader's
voice, and what follows the reader's voice in the last section is the closing commentary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Mapping

from ..rule_tables import read_rows

__all__ = ["BodyRule", "BODY_RULES", "cue_of", "classify_section_body"]


@dataclass(frozen=True)
class BodyRule:
    id: str
    kind: str
    pattern: re.Pattern


def _load_rules() -> tuple[BodyRule, ...]:
    return tuple(BodyRule(rule_id, kind, re.compile(pattern))
                 for rule_id, kind, pattern, _why in read_rows("layout/body_kinds.tsv"))


BODY_RULES = _load_rules()


def cue_of(sentence: str) -> BodyRule | None:
    """The first rule whose cue the sentence carries (reader-voice rules come first)."""
    for rule in BODY_RULES:
        if rule.pattern.search(sentence):
            return rule
    return None


Spans = list[tuple[int, int]]


def classify_section_body(text: str, paragraphs: list[Spans], *, aggregator: bool, last: bool = True,
                          glued: range = range(0), reader_from: int = 0,
                          boilerplate: Collection[int] = (),
                          line_kinds: Mapping[int, str] | None = None) -> list[tuple[tuple[int, int], str]]:
    """Kinds for the sentences of one section, given as paragraphs (lines) of sentence spans.
    ``glued`` are the paragraphs glued after the source URL; the reader's voice is looked for
    only from paragraph ``reader_from`` on; ``boilerplate`` paragraphs (publisher furniture,
    see ``boilerplate.py``) get the kind ``boilerplate``; ``line_kinds`` gives the paragraphs
    that are not prose their kind (``caption``, ``list_item`` ..., see ``plain.py``)."""
    line_kinds = line_kinds or {}
    cues = [[cue_of(text[s:e]) for s, e in paragraph] for paragraph in paragraphs]
    reader_paragraph = None
    after_source = [i for i in range(max(reader_from, 0), len(paragraphs)) if i not in glued]
    if aggregator and after_source:
        if last:
            # The last section may end with the editor's closing lines: the reader's line is
            # the last one that sounds like a reader.
            cued = [i for i in after_source if any(c is not None and c.kind == "reader_voice" for c in cues[i])]
            reader_paragraph = cued[-1] if cued else None
        else:
            reader_paragraph = after_source[-1]  # the seed's format: each section ends with it
    kinds = []
    for index, paragraph in enumerate(paragraphs):
        for span, cue in zip(paragraph, cues[index]):
            if index in boilerplate:
                kind = "boilerplate"
            elif index in line_kinds:
                kind = line_kinds[index]
            elif index == reader_paragraph:
                kind = "reader_voice"
            elif index in glued or (last and reader_paragraph is not None and index > reader_paragraph):
                kind = "commentary"
            elif cue is not None and cue.kind == "commentary":
                kind = "commentary"
            else:
                kind = "fact"
            kinds.append((span, kind))
    return kinds
