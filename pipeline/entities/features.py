"""Token attributes the statistical taggers read (shared by training and tagging).

Every attribute depends on one token only (its surface and UniDic tag), so it is computed
once per distinct (surface, tag) and cached; window features are built from these by the
taggers. Nothing here depends on the article, so the cache never leaks between documents
other than as a speed-up.
"""

from __future__ import annotations

import unicodedata

from .clusters import load_word_clusters

__all__ = ["ATTRS", "DOC_ATTRS", "LEXEME_ATTRS", "NO_VALUE", "bracket_states", "doc_attrs", "gazetteer_tags", "in_run",
           "run_attrs", "run_length", "TEMPLATES", "PAD_VALUE", "WINDOW", "token_attrs", "char_class", "shape", "template_values"]

# The attribute columns, in order: normalized surface, UniDic tag, shape, first and last
# char, first and last two chars, last three chars, the word's classes from pretrained
# vectors (coarse, fine: ``clusters.py``) (all from the token alone); then what the
# document decides: the bracket the token sits in (「 『 ( or -); its place in its run
# of nouns (S alone, B first, I inside, E last, - not in one), the run's length (1, 2, 3,
# 4+), its first word, its last word and that word's last two characters (the head:
# 委員会, 取引所, 家, 銀行 …), and the gazetteer's label for it (B-ORG / I-ORG … or -).
LEXEME_ATTRS = ("w", "t", "s", "p", "x", "p2", "x2", "x3", "c", "cf")
DOC_ATTRS = ("q", "rp", "rl", "rf", "rw", "rx", "g")
ATTRS = LEXEME_ATTRS + DOC_ATTRS
NO_VALUE = "-"
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
    (("rp", 0),), (("rp", 0), ("t", 0)), (("rl", 0),), (("rf", 0),), (("rw", 0),), (("rw", 0), ("rp", 0)),
    (("rx", 0),), (("g", 0),), (("g", -1),), (("g", 1),), (("g", 0), ("rp", 0)),
    (("c", -1),), (("c", 0),), (("c", 1),), (("cf", -1),), (("cf", 0),), (("cf", 1),), (("cf", 0), ("t", 0)),
    (("c", -1), ("c", 0)), (("c", 0), ("c", 1)), (("cf", 0), ("rp", 0)),
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
    return (norm, tag, shape(surface), norm[:1], norm[-1:], norm[:2], norm[-2:], norm[-3:],
            *load_word_clusters().classes(norm))


OPENING_BRACKETS = {"「": "「", "『": "『", "（": "(", "(": "(", "【": "【", "“": "「", "《": "『", "〈": "『"}
CLOSING_BRACKETS = {"」": "「", "』": "『", "）": "(", ")": "(", "】": "【", "”": "「", "》": "『", "〉": "『"}


# Tokens a run of nouns is made of: nouns, prefixes and suffixes (第, 様, 家 are 接尾辞), and
# ・ between katakana names (ランボルギーニ・ミウラ).
_RUN_TAGS = ("名詞", "接頭辞", "接尾辞")


def in_run(surface: str, tag: str) -> bool:
    return tag.startswith(_RUN_TAGS) or surface in ("・", "･")


def run_length(length: int) -> str:
    return str(length) if length < 4 else "4+"


def run_attrs(surfaces, tags) -> list[tuple[str, ...]]:
    """Per token (rp, rl, rf, rw, rx): its place in its run of nouns, the run's length, its
    first and last words (normalized as ``w``) and the last two characters of the last;
    ``-`` outside a run."""
    n = len(surfaces)
    out = [(NO_VALUE,) * 5] * n
    i = 0
    while i < n:
        if not in_run(surfaces[i], tags[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and in_run(surfaces[j + 1], tags[j + 1]):
            j += 1
        head = token_attrs(surfaces[j], tags[j])
        opening = token_attrs(surfaces[i], tags[i])[0]
        for k in range(i, j + 1):
            place = "S" if i == j else "B" if k == i else "E" if k == j else "I"
            out[k] = (place, run_length(j - i + 1), opening, head[0], head[6])
        i = j + 1
    return out


def gazetteer_tags(n: int, spans) -> list[str]:
    """BIO labels of the gazetteer's names over ``n`` tokens; ``spans``: (first token, end
    token, label), the longest first where they overlap."""
    out = [NO_VALUE] * n
    for first, end, label in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if all(tag == NO_VALUE for tag in out[first:end]):
            out[first:end] = [f"B-{label}"] + [f"I-{label}"] * (end - first - 1)
    return out


def doc_attrs(surfaces, tags, gazetteer_spans=()) -> list[tuple[str, ...]]:
    """Every token's ``DOC_ATTRS`` (what training sees; the numpy tagger computes the same)."""
    return [(q, *run, g) for q, run, g in zip(bracket_states(surfaces), run_attrs(surfaces, tags),
                                              gazetteer_tags(len(surfaces), gazetteer_spans))]


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
