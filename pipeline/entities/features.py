"""Token attributes the statistical taggers read (shared by training and tagging).

Every attribute depends on one token only (its surface and UniDic tag), so it is computed
once per distinct (surface, tag) and cached; window features are built from these by the
taggers. Nothing here depends on the article, so the cache never leaks between documents
other than as a speed-up.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ATTRS", "LEXEME_ATTRS", "bracket_states", "TEMPLATES", "PAD_VALUE", "WINDOW", "token_attrs", "char_class", "shape", "template_values"]

# The attribute columns, in order: normalized surface, UniDic tag, shape, first and last
# char, first and last two chars, last three chars (all from the token alone), and the
# bracket the token sits in (from the document: 「 『 ( or nothing).
LEXEME_ATTRS = ("w", "t", "s", "p", "x", "p2", "x2", "x3")
ATTRS = LEXEME_ATTRS + ("q",)
PAD_VALUE = "<PAD>"
# Feature templates of the statistical tagger: ((attribute, offset), ...) of one or two
# parts; a pair fires the conjunction of its parts.
TEMPLATES: tuple[tuple[tuple[str, int], ...], ...] = (
    (("w", -2),), (("w", -1),), (("w", 0),), (("w", 1),), (("w", 2),),
    (("t", -2),), (("t", -1),), (("t", 0),), (("t", 1),), (("t", 2),),
    (("s", -1),), (("s", 0),), (("s", 1),),
    (("x", -1),), (("x", 0),), (("x", 1),),
    (("p", 0),), (("p2", 0),), (("x2", 0),),
    (("t", -1), ("t", 0)), (("t", 0), ("t", 1)), (("w", -1), ("w", 0)), (("w", 0), ("w", 1)),
    (("t", 0), ("s", 0)), (("s", -1), ("s", 0)), (("s", 0), ("s", 1)),
    (("x3", 0),), (("q", 0),), (("q", 0), ("s", 0)), (("q", 0), ("t", 0)),
)
WINDOW = 2


def char_class(ch: str) -> str:
    code = ord(ch)
    if 0x3041 <= code <= 0x309F:
        return "h"
    if 0x30A1 <= code <= 0x30FA or ch in "ー・ヽヾ" or 0xFF66 <= code <= 0xFF9F:
        return "k"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or ch in "々〆ヶ":
        return "C"
    if ch.isdigit():
        return "d"
    if ch.isalpha():
        return "L" if ch.isupper() else "l"
    if ch.isspace():
        return "_"
    return "."


def shape(surface: str) -> str:
    """Collapsed character classes plus a length bucket: ``ヘグセス`` -> ``k:4``."""
    classes = []
    for ch in surface:
        c = char_class(ch)
        if not classes or classes[-1] != c:
            classes.append(c)
    n = len(surface)
    return "".join(classes[:4]) + ":" + (str(n) if n < 4 else "4+")


def token_attrs(surface: str, tag: str) -> tuple[str, ...]:
    norm = unicodedata.normalize("NFKC", surface)
    if norm.isdigit():
        norm = "0" * min(len(norm), 4)
    return (norm, tag, shape(surface), norm[:1], norm[-1:], norm[:2], norm[-2:], norm[-3:])


OPENING_BRACKETS = {"「": "「", "『": "『", "（": "(", "(": "(", "【": "【", "“": "「", "《": "『", "〈": "『"}
CLOSING_BRACKETS = {"」": "「", "』": "『", "）": "(", ")": "(", "】": "【", "”": "「", "》": "『", "〉": "『"}


def bracket_states(surfaces) -> list[str]:
    """Per token, the innermost bracket it is inside (``「``, ``『``, ``(``, ``【``) or ``-``.
    Bracket tokens themselves get ``-``; an unclosed bracket ends at a line break."""
    stack: list[str] = []
    out = []
    for surface in surfaces:
        if surface in OPENING_BRACKETS:
            out.append("-")
            stack.append(OPENING_BRACKETS[surface])
        elif surface in CLOSING_BRACKETS:
            out.append("-")
            kind = CLOSING_BRACKETS[surface]
            if kind in stack:
                while stack and stack.pop() != kind:
                    pass
        else:
            if "\n" in surface:
                stack.clear()
            out.append(stack[-1] if stack else "-")
    return out


_COLUMN = {a: i for i, a in enumerate(ATTRS)}


def template_values(attrs: list[tuple[str, ...]], i: int) -> list[tuple[str, ...]]:
    """The value tuple of every template at token ``i`` (``<PAD>`` beyond the edges)."""
    n = len(attrs)
    out = []
    for template in TEMPLATES:
        values = []
        for attr, offset in template:
            j = i + offset
            values.append(attrs[j][_COLUMN[attr]] if 0 <= j < n else PAD_VALUE)
        out.append(tuple(values))
    return out
