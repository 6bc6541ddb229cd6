"""The extraction engine: a C-speed scan for candidates (the gate), the precompiled rules that can
start at each, dispatch to the handler each rule names, and a per-call context that resolves
relative expressions."""

from __future__ import annotations

import datetime as _dt
import operator
import re
from typing import Callable, Iterator

from . import handlers_time
from .context import Ctx, Hit, anchor_function
from .handlers import HANDLERS
from .numerals import to_ascii
from .rules import RULESET

__all__ = ["extract_dates", "explain"]

_GATE_DIGITS, _GATE_WORDS = RULESET.gate_digits, RULESET.gate_words
_START = operator.methodcaller("start")


def _gate(work: str) -> list:
    """Candidate matches in text order (usually few: sorting them is cheap)."""
    found = list(_GATE_DIGITS.finditer(work))
    words = list(_GATE_WORDS.finditer(work))
    if not found:
        return words
    if words:
        found += words
        found.sort(key=_START)
    return found


_DIGITS = frozenset("0123456789")


_REGISTERING_MODULES = (handlers_time,)  # imported for its @handler registrations


def _bind(rules):
    """Rules -> ((regex.match, rule, handler), ...). A rule that names an unknown handler fails
    here, at import, not in the middle of a batch."""
    out = []
    for rule in rules:
        if rule.handler not in HANDLERS:
            raise ImportError(f"date rule {rule.id} names unknown handler {rule.handler!r}")
        out.append((rule.regex.match, rule, HANDLERS[rule.handler]))
    return tuple(out)


_BY_CHAR = {c: {v: _bind(rs) for v, rs in table.items()} for c, table in RULESET.by_char.items()}
_BY_DIGIT = {c: {u: _bind(rs) for u, rs in table.items()} for c, table in RULESET.by_digit.items()}


def _candidates(work: str, pos: int, end: int, n: int):
    """The rules to try at a gate match: by its first character and the next one (for a digit
    run, the one after the run)."""
    c = work[pos]
    if c in _DIGITS:
        table = _BY_DIGIT[c]
    else:
        table = _BY_CHAR[c]
        end = pos + 1
    return table.get(work[end] if end < n else "") or table[""]


def extract_dates(text: str,
                  anchor: _dt.date | Callable[[int], _dt.date | None] | None = None) -> list[dict]:
    """Temporal expressions in `text`, normalized to TIMEX3 values.

    `anchor` is the reference date for relative and partial expressions: one date for the whole
    text, or a function from a character offset to the date that applies there (the section's
    公開日, the article date, ...), or None, in which case unknown parts stay ``X``
    (``XXXX-02-08``). The wall clock is never read.

    Returns dicts sorted by ``start``: ``text, type (DATE|TIME|DURATION|SET), value, start, end,
    anchor ("YYYY-MM-DD" | None), [mod], [freq], rule`` where ``text == text[start:end]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    anchor_fn = anchor_function(anchor)
    work = to_ascii(text)
    candidates = _gate(work)
    if not candidates:  # fast path: nothing can start an expression here
        return []
    ctx = Ctx(work, anchor_fn)
    push = ctx.push
    for m, rule, fn in _scan(work, candidates):
        hit = Hit(m.groupdict())
        hit.m, hit.rule = m, rule
        hit.start, hit.end = m.span()
        try:
            out = fn(ctx, hit, rule.params)
        except OverflowError:  # 99999999日後, 明日 of 9999-12-31: beyond the dates a calendar can name
            out = None
        if out:
            for item in out:
                push(item)
    return [item.public(text) for item in ctx.items]


def _scan(work: str, candidates) -> Iterator[tuple[re.Match, object, Callable]]:
    """(match, rule, handler) for each expression, leftmost first: a candidate position
    inside an earlier match is skipped; at one position the first rule that matches wins."""
    done, n = 0, len(work)
    for g in candidates:
        pos, end = g.span()
        if pos < done:
            continue
        for match, rule, fn in _candidates(work, pos, end, n):
            m = match(work, pos)
            if m is not None:
                done = m.end()
                yield m, rule, fn
                break


def explain(text: str) -> list[tuple[str, int, int]]:
    """Which rule consumed which span, guards included: [(rule id, start, end)]. For debugging
    and for regression messages; the same scan as :func:`extract_dates`, without handlers."""
    work = to_ascii(text)
    return [(rule.id, *m.span()) for m, rule, _fn in _scan(work, _gate(work))]
