"""The CRF's document columns (``features.DOC_ATTRS``) as value ids, with numpy.

The same values as ``features.doc_attrs`` gives training (tests hold the two together):
the bracket a token sits in, its place in its run of nouns with the run's length, first
word, head word and head suffix, and the gazetteer's BIO label. Each is one pass over the few bracket tokens,
the run edges or the gazetteer's names, not a Python step per token.
"""

from __future__ import annotations

import numpy as np

from .features import CLOSING_BRACKETS, NO_VALUE, OPENING_BRACKETS, run_length

__all__ = ["bracket_column", "run_columns", "gazetteer_column"]

UNKNOWN = 0


def bracket_column(ids: dict, orths: np.ndarray, brackets: list[int], strings) -> np.ndarray:
    """``q`` ids per token; ``brackets``: the indices of bracket and line-break tokens."""
    out = np.full(len(orths), ids.get(NO_VALUE, UNKNOWN), dtype=np.int64)
    stack: list[str] = []
    previous, current = 0, NO_VALUE
    for i in brackets:  # a token's bracket is the state after the last bracket token before it
        out[previous:i] = ids.get(current, UNKNOWN)
        surface = strings[int(orths[i])]
        if surface in OPENING_BRACKETS:
            stack.append(OPENING_BRACKETS[surface])
        elif surface in CLOSING_BRACKETS:
            kind = CLOSING_BRACKETS[surface]
            if kind in stack:
                while stack and stack.pop() != kind:
                    pass
        else:  # a line break
            stack.clear()
        current = stack[-1] if stack else NO_VALUE
        previous = i + 1
    out[previous:] = ids.get(current, UNKNOWN)
    return out


def run_columns(ids: dict, in_run: np.ndarray, as_first: np.ndarray, as_head: np.ndarray,
                as_suffix: np.ndarray) -> tuple[np.ndarray, ...]:
    """(rp, rl, rf, rw, rx) ids per token. ``ids``: value -> id per attribute; ``in_run``:
    whether each token belongs to a run of nouns; ``as_first`` / ``as_head`` /
    ``as_suffix``: each token's ``rf`` / ``rw`` / ``rx`` id were it its run's first word /
    last word."""
    n = len(in_run)
    before = np.concatenate(([False], in_run[:-1]))
    after = np.concatenate((in_run[1:], [False]))
    first = in_run & ~before
    last = in_run & ~after
    place = np.full(n, ids["rp"].get(NO_VALUE, UNKNOWN), dtype=np.int64)
    for name, where in (("I", in_run), ("B", first), ("E", last), ("S", first & last)):
        place[where] = ids["rp"].get(name, UNKNOWN)
    columns = [np.full(n, ids[attr].get(NO_VALUE, UNKNOWN), dtype=np.int64) for attr in ("rl", "rf", "rw", "rx")]
    members = np.flatnonzero(in_run)
    if members.size:
        starts, heads = np.flatnonzero(first), np.flatnonzero(last)
        run_of = (np.cumsum(first) - 1)[members]  # the run number of every token in a run
        lengths = heads - starts + 1
        length_ids = np.array([ids["rl"].get(run_length(k), UNKNOWN) for k in range(1, 5)], dtype=np.int64)
        columns[0][members] = length_ids[np.minimum(lengths, 4) - 1][run_of]
        columns[1][members] = as_first[starts[run_of]]
        columns[2][members] = as_head[heads[run_of]]
        columns[3][members] = as_suffix[heads[run_of]]
    return (place, *columns)


def gazetteer_column(ids: dict, n: int, spans) -> np.ndarray:
    """``g`` ids per token from (first token, end token, label), the longest first where
    they overlap (as ``features.gazetteer_tags``)."""
    out = np.full(n, ids.get(NO_VALUE, UNKNOWN), dtype=np.int64)
    taken = np.zeros(n, dtype=bool)
    for first, end, label in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if not taken[first:end].any():
            out[first] = ids.get(f"B-{label}", UNKNOWN)
            out[first + 1:end] = ids.get(f"I-{label}", UNKNOWN)
            taken[first:end] = True
    return out
