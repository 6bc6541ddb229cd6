"""The pattern tables: loaded from ``pipeline/resources/dates`` and compiled once, at import.

Every table (``<kind>.tsv``) has rows ``id, handler, pattern, params``. Patterns use the macros
of ``macros.tsv`` (``{MON}``, ``{DAY:d2}``) and the word lists of ``lexicons.json`` (``{@rel_year:ry}``).

Matching is driven by cheap triggers. From each parsed pattern we compute the characters a match
can start with and, for each, the characters that can come second; for patterns that start with
a digit, the characters that can follow the leading run of digits (年, 月, 時, /, : ...). One
compiled regex per kind (``gate_digits``, ``gate_words``) finds the candidates at C speed: a run
of digits followed by such a character (2025年, 15:30; not 2000億, 2人, 3.5倍), or a trigger
character followed by a possible second one (今後, 今年; not 今回; 日曜, not 日本). At a candidate only the rules that can start
there are tried, in priority order (``tables.txt``, then row order); the first that matches wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping
from ..rule_tables import read_json, read_lines, read_rows

try:  # Python >= 3.11
    from re import _constants as _sc
    from re import _parser as _sp
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sc  # type: ignore[no-redef]
    import sre_parse as _sp  # type: ignore[no-redef]

__all__ = ["RESOURCES", "Rule", "RuleSet", "load_ruleset", "RULESET"]

RESOURCES = "dates"  # under pipeline/resources (rule_tables)

_REF = re.compile(r"\{(@?)([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_][A-Za-z0-9_]*))?\}")


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    handler: str
    pattern: str                     # after macro/lexicon expansion
    params: Mapping = field(default_factory=dict)
    first: frozenset = frozenset()   # the characters a match can start with
    after_digits: frozenset | None = None  # characters that can follow a leading digit run
    regex: re.Pattern | None = None  # compiled once, at import
    second: Mapping = field(default_factory=dict)  # first char -> possible second chars (None: any)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    gate_digits: re.Pattern          # candidates: a digit run followed by a possible character
    gate_words: re.Pattern           # candidates: a trigger character + a possible second one
    # start character (not a digit) -> {second character: rules to try, in order}; the "" key
    # holds the rules that accept any second character.
    by_char: Mapping[str, Mapping[str, tuple[Rule, ...]]]
    # first digit of a run -> {character after the run: rules to try}; the "" key holds the rules
    # that accept any character after the run.
    by_digit: Mapping[str, Mapping[str, tuple[Rule, ...]]]
    lexicons: Mapping[str, Mapping]


def _load_macros(path: str) -> dict[str, tuple[str, str]]:
    return {name: (group, pattern) for name, group, pattern in read_rows(path, header=True)}


def _load_lexicons(path: str) -> dict[str, Mapping]:
    return {k: v for k, v in read_json(path).items() if not k.startswith("_")}


def _expand(pattern: str, macros: Mapping, lexicons: Mapping, where: str, depth: int = 0) -> str:
    if depth > 8:
        raise ValueError(f"{where}: macro recursion too deep")

    def sub(m: re.Match) -> str:
        is_lex, name, group = m.groups()
        if is_lex:
            if name not in lexicons:
                raise ValueError(f"{where}: unknown lexicon {{@{name}}}")
            words = sorted(lexicons[name], key=lambda w: (-len(w), w))
            alt = "|".join(re.escape(w) for w in words)
            return f"(?P<{group}>{alt})" if group and group != "_" else f"(?:{alt})"
        if name not in macros:
            raise ValueError(f"{where}: unknown macro {{{name}}}")
        default, body = macros[name]
        body = _expand(body, macros, lexicons, where, depth + 1)
        g = group or default
        if "(?P<%>" in body:
            body = body.replace("(?P<%>", "(?:" if g in ("_", "-") else f"(?P<{g}>")
        elif group and group != "_":
            raise ValueError(f"{where}: macro {name} has no renamable group")
        return body

    return _REF.sub(sub, pattern)


# -- first-character analysis (for the gate) ------------------------------------------------

_REPEATS = tuple(getattr(_sc, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sc, n))
_ZERO_WIDTH = (_sc.ASSERT, _sc.ASSERT_NOT, _sc.AT)


def _first_seq(items) -> tuple[set | None, bool]:
    acc: set = set()
    for op, av in items:
        f, nullable = _first_op(op, av)
        if f is None:
            return None, False
        acc |= f
        if not nullable:
            return acc, False
    return acc, True


def _first_op(op, av) -> tuple[set | None, bool]:
    if op is _sc.LITERAL:
        return {(av, av)}, False
    if op is _sc.IN:
        s = set()
        for iop, iav in av:
            if iop is _sc.LITERAL:
                s.add((iav, iav))
            elif iop is _sc.RANGE:
                s.add(tuple(iav))
            else:  # NEGATE, CATEGORY (\d, \s ...): give up rather than guess
                return None, False
        return s, False
    if op is _sc.BRANCH:
        acc, nullable = set(), False
        for alt in av[1]:
            f, n = _first_seq(alt.data)
            if f is None:
                return None, False
            acc |= f
            nullable = nullable or n
        return acc, nullable
    if op is _sc.SUBPATTERN:
        return _first_seq(av[-1].data)
    if op in _REPEATS:
        lo, _hi, p = av
        f, n = _first_seq(p.data)
        return f, (f is not None and (lo == 0 or n))
    if op in _ZERO_WIDTH:
        return set(), True
    if hasattr(_sc, "ATOMIC_GROUP") and op is _sc.ATOMIC_GROUP:
        return _first_seq(av.data)
    return None, False


def _char_class(ranges: set) -> str:
    merged: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    parts = []
    for lo, hi in merged:
        a = re.escape(chr(lo))
        parts.append(a if lo == hi else f"{a}-{re.escape(chr(hi))}")
    return "[" + "".join(parts) + "]"


# -- digit runs ---------------------------------------------------------------------------------
# A match can start with a digit only after a boundary (?<![0-9...]), so the engine tries each
# run of digits once, at its start; and the character after the run must be one a rule can
# continue with. Both facts are derived from the parsed patterns (and checked) here.

_DIGITS = frozenset("0123456789")


def _set_of(op, av) -> set | None:
    if op is _sc.LITERAL:
        return {chr(av)}
    if op is _sc.IN:
        s = set()
        for iop, iav in av:
            if iop is _sc.LITERAL:
                s.add(chr(iav))
            elif iop is _sc.RANGE:
                lo, hi = iav
                if hi - lo > 4096:
                    return None
                s.update(map(chr, range(lo, hi + 1)))
            else:
                return None
        return s
    return None


def _last_chars(items) -> set | None:
    if not items:
        return None
    op, av = items[-1]
    if op is _sc.BRANCH:
        acc: set = set()
        for alt in av[1]:
            s = _last_chars(list(alt.data))
            if s is None:
                return None
            acc |= s
        return acc
    if op is _sc.SUBPATTERN:
        return _last_chars(list(av[-1].data))
    return _set_of(op, av)


def _digit_boundary(op, av) -> bool:
    """A lookbehind that rules out a digit just before: (?<![0-9...]) or (?<=〜|から)."""
    if av[0] != -1:
        return False
    if op is _sc.ASSERT_NOT:
        if len(av[1].data) != 1:
            return False
        iop, iav = av[1].data[0]
        if iop is not _sc.IN:
            return False
        covered = set()
        for kind, v in iav:
            if kind is _sc.LITERAL:
                covered.add(v)
            elif kind is _sc.RANGE:
                covered.update(range(max(v[0], 48), min(v[1], 57) + 1))
            elif kind is _sc.NEGATE:
                return False
        return set(range(48, 58)) <= covered
    if op is _sc.ASSERT:
        chars = _last_chars(list(av[1].data))
        return chars is not None and not chars & _DIGITS
    return False


def _digit_start(items: list, guarded: bool = False, consumed: bool = False) -> tuple[bool, set | None]:
    """For the matches of `items` that start with a digit: (is every such start behind a
    digit boundary, the set of characters that can follow the leading digit run or None).
    `consumed`: a digit of the run has been matched on this path already."""
    for i, (op, av) in enumerate(items):
        rest = items[i + 1:]
        if op in _ZERO_WIDTH:
            guarded = guarded or _digit_boundary(op, av)
            continue
        if op is _sc.SUBPATTERN:
            return _digit_start(list(av[-1].data) + rest, guarded, consumed)
        if hasattr(_sc, "ATOMIC_GROUP") and op is _sc.ATOMIC_GROUP:
            return _digit_start(list(av.data) + rest, guarded, consumed)
        if op is _sc.BRANCH:
            ok, follow = True, set()
            for alt in av[1]:
                g, f = _digit_start(list(alt.data) + rest, guarded, consumed)
                ok = ok and g
                follow = None if (follow is None or f is None) else follow | f
            return ok, follow
        if op in _REPEATS:
            lo, hi, sub = av
            sub_items = list(sub.data)
            chars = _set_of(*sub_items[0]) if len(sub_items) == 1 else None
            if chars is not None and chars <= _DIGITS:  # [0-9]+, [0-9]{3}: more of the run
                if not guarded:
                    return False, None
                consumed = consumed or lo > 0
                if lo == 0:  # the run may also skip this item: both continue with `rest`
                    g1, f1 = _digit_start(rest, guarded, consumed)
                    g2, f2 = _digit_start(rest, guarded, True)
                    return g1 and g2, (None if f1 is None or f2 is None else f1 | f2)
                continue
            g1, f1 = _digit_start(sub_items + rest, guarded, consumed)
            if lo == 0:
                g2, f2 = _digit_start(rest, guarded, consumed)
                g1, f1 = g1 and g2, (None if f1 is None or f2 is None else f1 | f2)
            return g1, f1
        chars = _set_of(op, av)
        if chars is None:
            return guarded, None
        digits, others = chars & _DIGITS, chars - _DIGITS
        if digits and not guarded:
            return False, None
        # A non-digit here follows the run if a digit came before; otherwise this path does
        # not start with a digit at all and adds nothing.
        follow = set(others) if consumed else set()
        if not digits:
            return True, follow
        g, f = _digit_start(rest, guarded, True)
        return g, (None if f is None else f | follow)
    return guarded, (None if consumed else set())  # can end inside the run: no constraint


# -- the second character (for the gate) ---------------------------------------------------------

def _steps(items: list, depth: int = 0) -> list[tuple[set | None, list]]:
    """The ways a match of `items` can consume its first character: [(chars, continuation)]."""
    if depth > 24:
        return [(None, [])]
    for i, (op, av) in enumerate(items):
        rest = items[i + 1:]
        if op in _ZERO_WIDTH:
            continue
        if op is _sc.SUBPATTERN:
            return _steps(list(av[-1].data) + rest, depth + 1)
        if hasattr(_sc, "ATOMIC_GROUP") and op is _sc.ATOMIC_GROUP:
            return _steps(list(av.data) + rest, depth + 1)
        if op is _sc.BRANCH:
            return [st for alt in av[1] for st in _steps(list(alt.data) + rest, depth + 1)]
        if op in _REPEATS:
            lo, hi, sub = av
            out = _steps(rest, depth + 1) if lo == 0 else []
            more_hi = hi if hi == _sc.MAXREPEAT else hi - 1
            more = [(op, (max(lo - 1, 0), more_hi, sub))] if more_hi != 0 else []
            return out + _steps(list(sub.data) + more + rest, depth + 1)
        return [(_set_of(op, av), rest)]
    return [(None, [])]


def _second_chars(tree) -> dict[str, frozenset | None]:
    """First character -> the characters that can come second (None: any)."""
    out: dict[str, set | None] = {}
    for chars, rest in _steps(list(tree.data)):
        if chars is None:
            continue  # _first_chars has already refused patterns with an unknown first character
        f, nullable = _first_seq(rest)
        second = None if (f is None or nullable) else {chr(c) for lo, hi in f for c in range(lo, hi + 1)}
        for c in chars:
            if c in out and out[c] is None:
                continue
            out[c] = None if second is None else (out.get(c) or set()) | second
    return {c: (frozenset(v) if v is not None else None) for c, v in out.items()}


def _gate_regexes(rules: list[Rule]) -> tuple[re.Pattern, re.Pattern]:
    """Candidates: a run of digits followed by a character some rule continues a run with
    (2025年, 3月, 15:30 but not 2000億, 2人), or a trigger character followed by a character some
    rule can continue with (今後/今年 but not 今回; 日曜 but not 日本). Every branch starts with
    a literal, so the regex engine skips everything else with its own character-set scan; a
    digit branch is tried only at the first digit of a run.)"""
    seconds: dict[str, set | None] = {}
    for rule in rules:
        for c, sec in rule.second.items():
            if c in _DIGITS:
                continue
            if sec is None or seconds.get(c, set()) is None:
                seconds[c] = None
            else:
                seconds[c] = seconds.get(c, set()) | sec
    branches = []
    for d in "0123456789":  # a run of digits followed by a character some rule continues with
        after: set | None = set()
        for rule in rules:
            if d in rule.first:
                after = None if (after is None or rule.after_digits is None) else after | rule.after_digits
        # d(?<![0-9].): only the first digit of a run (the literal first keeps the fast scan)
        if after is None:
            branches.append(f"{d}(?<![0-9].)[0-9]*")
        elif after:
            branches.append(f"{d}(?<![0-9].)[0-9]*(?={_char_class({(ord(x), ord(x)) for x in after})})")
    words = []
    for c in sorted(seconds):
        sec = seconds[c]
        if sec is None or len(sec) > 2000:
            words.append(re.escape(c))
        else:
            words.append(f"{re.escape(c)}(?={_char_class({(ord(x), ord(x)) for x in sec})})")
    # Two regexes: the regex engine tries a branch list in order, so a digit that fails its own
    # branch would otherwise pay for every word branch too (and a word character for the digits).
    return re.compile("|".join(branches) or "(?!)"), re.compile("|".join(words) or "(?!)")


def _first_chars(tree, where: str) -> frozenset[str]:
    f, nullable = _first_seq(tree.data)
    if f is None or nullable:
        raise ValueError(f"{where}: cannot tell which characters the pattern starts with "
                         "(start it with a literal, a character class or a lexicon)")
    chars = set()
    for lo, hi in f:
        if hi - lo > 4096:
            raise ValueError(f"{where}: pattern starts with too wide a character class")
        chars.update(map(chr, range(lo, hi + 1)))
    return frozenset(chars)


def load_ruleset(root: str = RESOURCES) -> RuleSet:
    """Read, check and compile all tables under ``pipeline/resources/<root>``."""
    macros = _load_macros(f"{root}/macros.tsv")
    lexicons = _load_lexicons(f"{root}/lexicons.json")
    tables = read_lines(f"{root}/tables.txt")
    rules: list[Rule] = []
    seen: set[str] = set()
    for table in tables:
        for row in read_rows(f"{root}/{table}.tsv", header=True):
            if len(row) < 3:
                raise ValueError(f"{table}.tsv: short row {row!r}")
            rid, handler, pat = row[0], row[1], row[2]
            where = f"{table}.tsv:{rid}"
            params = json.loads(row[3]) if len(row) > 3 and row[3].strip() else {}
            if rid in seen:
                raise ValueError(f"duplicate rule id {rid}")
            seen.add(rid)
            expanded = _expand(pat, macros, lexicons, where)
            try:
                tree = _sp.parse(expanded)
            except re.error as e:
                raise ValueError(f"{where}: bad pattern: {e}") from None
            first = _first_chars(tree, where)
            after = None
            if first & _DIGITS:
                guarded, after = _digit_start(list(tree.data))
                if not guarded:
                    raise ValueError(f"{where}: a pattern that can start with a digit must start it "
                                     "behind a digit boundary such as (?<![0-9])")
                after = frozenset(after) if after is not None else None
            try:
                regex = re.compile(expanded)
            except re.error as e:
                raise ValueError(f"{where}: bad pattern: {e}") from None
            rules.append(Rule(rid, table, handler, expanded, MappingProxyType(params), first, after, regex,
                              MappingProxyType(_second_chars(tree))))

    # Characters that can start a match -> the rules that can start there, in priority order.
    by_char: dict[str, list[Rule]] = {}
    for rule in rules:
        for c in rule.first:
            by_char.setdefault(c, []).append(rule)
    shared: dict[tuple[str, ...], tuple[Rule, ...]] = {}

    def group(rs: list[Rule]) -> tuple[Rule, ...]:
        return shared.setdefault(tuple(r.id for r in rs), tuple(rs))

    chars, digits = {}, {}
    for c, rs in by_char.items():
        if c not in _DIGITS:
            # only the rules that can continue with the second character (今後: not 今年 ...)
            seconds = set().union(*(r.second[c] for r in rs if r.second.get(c) is not None))
            table = {v: group([r for r in rs if r.second.get(c) is None or v in r.second[c]]) for v in seconds}
            table[""] = group([r for r in rs if r.second.get(c) is None])
            chars[c] = MappingProxyType(table)
            continue
        # A digit run: only the rules that can continue with the character after the run.
        follows = set().union(*(r.after_digits for r in rs if r.after_digits is not None))
        table = {u: group([r for r in rs if r.after_digits is None or u in r.after_digits]) for u in follows}
        table[""] = group([r for r in rs if r.after_digits is None])
        digits[c] = MappingProxyType(table)
    gate_digits, gate_words = _gate_regexes(rules)
    frozen_lex = MappingProxyType({k: (MappingProxyType(v) if isinstance(v, dict) else tuple(v))
                                   for k, v in lexicons.items()})
    return RuleSet(tuple(rules), gate_digits, gate_words, MappingProxyType(chars), MappingProxyType(digits),
                   frozen_lex)


RULESET = load_ruleset()
