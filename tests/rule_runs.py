"""Long runs made from the pipeline's own rules, for the scaling test and the property tests.

Every compiled regex the package holds is found by walking its modules (module globals, the
objects they hold, and what their cached loaders return), so a new rule table is covered
without being listed here. Each pattern is parsed (``re._parser``) into what it consumes:
the characters of its classes (both ends and the middle of each range) and its literal
words. The gazetteers add their names. Runs are built from those units alone, in pairs and
in triples, with and without separators; units are sampled with a fixed seed, so the inputs
are the same on every run.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import random
import re
import unicodedata
from functools import lru_cache

try:  # Python 3.11+
    from re import _constants as _sc
    from re import _parser as _sp
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sc
    import sre_parse as _sp

import pipeline

__all__ = ["pipeline_patterns", "rule_units", "run_inputs", "repeat"]

SEPARATORS = ("", " ", "、", "\n", "。")
# modules that are not text scanners (or run code when imported)
_SKIP_MODULES = ("pipeline.entities.train", "pipeline.report.html", "pipeline.report.plotting")


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _walk(value, found: dict, where: str, seen: set, depth: int = 0) -> None:
    if depth > 5 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        found.setdefault(value.pattern, (where, value))
    elif isinstance(value, dict):
        for item in list(value.values())[:5000]:
            _walk(item, found, where, seen, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value)[:5000]:
            _walk(item, found, where, seen, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name, None), found, where, seen, depth + 1)
    elif type(value).__module__.startswith("pipeline.") and hasattr(value, "__dict__"):
        for item in vars(value).values():
            _walk(item, found, where, seen, depth + 1)


@lru_cache(maxsize=1)
def pipeline_patterns() -> dict[str, tuple[str, re.Pattern]]:
    """pattern source -> (module where it was found, compiled pattern), for every regex the
    package holds once it has summarized an article in both entity modes."""
    from pipeline.batch.partition import RunOptions, Worker
    from pipeline.io.reading import Record

    sample = "【東京共同】石破首相は7日、2025年2月8日午後3時に1兆2000億円の予算を発表した。\n✅ 要点\n公開日：2025/02/08"
    for mode in ("fast", "accurate"):
        Worker(RunOptions(entities=mode)).summarize(Record(id="warm", text=sample))
    found: dict = {}
    seen: set = set()
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name in _SKIP_MODULES or info.name.endswith(".__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for name, value in vars(module).items():
            if hasattr(value, "cache_info") and callable(value):
                try:  # a loader with no arguments returns its cached tables
                    value = value() if value.cache_info().currsize else None
                except TypeError:
                    continue
            _walk(value, found, info.name, seen)
    return found


def _class_chars(items) -> list[str]:
    chars = []
    for op, av in items:
        if op is _sc.LITERAL:
            chars.append(chr(av))
        elif op is _sc.RANGE:
            low, high = av
            chars += [chr(low), chr(high), chr((low + high) // 2)]
        elif op is _sc.CATEGORY:
            chars += {"CATEGORY_DIGIT": ["7", "７"], "CATEGORY_SPACE": [" ", "\u3000"],
                      "CATEGORY_WORD": ["w", "字"]}.get(str(av), [])
    return chars


def _consumed(items, chars: set, words: set) -> None:
    literal: list[str] = []
    for op, av in items:
        if op is _sc.LITERAL:
            literal.append(chr(av))
            continue
        if len(literal) > 1:
            words.add("".join(literal))
        elif literal:
            chars.add(literal[0])
        literal = []
        if op is _sc.IN:
            if not any(o is _sc.NEGATE for o, _ in av):
                chars.update(_class_chars(av))
        elif op is _sc.BRANCH:
            for branch in av[1]:
                _consumed(branch, chars, words)
        elif op is _sc.SUBPATTERN:
            _consumed(av[-1], chars, words)
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) or getattr(_sc, "POSSESSIVE_REPEAT", None) is op:
            _consumed(av[2], chars, words)
        elif op in (_sc.ASSERT, _sc.ASSERT_NOT):
            _consumed(av[1], chars, words)
    if len(literal) > 1:
        words.add("".join(literal))
    elif literal:
        chars.add(literal[0])


def _printable(char: str) -> bool:
    return unicodedata.category(char) not in ("Cn", "Cs", "Co")


@lru_cache(maxsize=1)
def rule_units() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, int]]:
    """(characters, words) the rules consume, and how many patterns each module gave."""
    chars: set[str] = set()
    words: set[str] = set()
    per_module: dict[str, int] = {}
    for source, (where, pattern) in pipeline_patterns().items():
        per_module[where] = per_module.get(where, 0) + 1
        try:
            tree = _sp.parse(source, pattern.flags)
        except Exception:
            continue
        _consumed(list(tree), chars, words)
    from pipeline.entities.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    names = [name for name in getattr(gazetteer, "surfaces", ()) or ()]
    words.update(str(name).lstrip("?") for name in names[:2000] if str(name).strip("?"))
    chars = {c for c in chars if _printable(c)}
    words = {w for w in words if all(_printable(c) for c in w) and w.strip()}
    return tuple(sorted(chars)), tuple(sorted(words)), per_module


def run_inputs(*, singles: int = 70, words: int = 30, pairs: int = 45, triples: int = 30,
               separated: int = 35, lines: int = 30, seed: int = 14) -> dict[str, str]:
    """name -> unit of a run: single characters, words, pairs and triples of them, some of
    each with a separator, and lines that start with a word, sampled from ``rule_units`` with
    a fixed seed."""
    chars, vocabulary, _ = rule_units()
    rng = random.Random(seed)
    pick = lambda items, k: sorted(rng.sample(items, min(k, len(items))))  # noqa: E731
    units = {f"char {c!r}": c for c in pick(list(chars), singles)}
    units.update({f"word {w!r}": w for w in pick(list(vocabulary), words)})
    pool = list(chars) + list(vocabulary)
    for _ in range(pairs):
        a, b = rng.choice(pool), rng.choice(pool)
        units[f"pair {a + b!r}"] = a + b
    for _ in range(triples):
        a, b, c = rng.choice(pool), rng.choice(pool), rng.choice(pool)
        units[f"triple {a + b + c!r}"] = a + b + c
    for _ in range(separated):
        unit, separator = rng.choice(pool), rng.choice(SEPARATORS[1:])
        units[f"separated {unit + separator!r}"] = unit + separator
    # the layout reads lines: a rule's word at the start of each line, with what such lines
    # carry after it (a date, a URL, a sentence), e.g. thousands of 公開日 lines
    for word in pick(list(layout_words()), lines):
        tail = rng.choice(_LINE_TAILS)
        units[f"lines {word + tail!r}"] = word + tail
    return units


_LAYOUT_MODULES = ("pipeline.layout.markers", "pipeline.layout.boilerplate", "pipeline.layout.body_kinds", "pipeline.layout.article",
                   "pipeline.layout.publication_date")


@lru_cache(maxsize=1)
def layout_words() -> tuple[str, ...]:
    """The characters and words of the rules that read whole lines (markers, boilerplate,
    body kinds, datelines)."""
    chars: set[str] = set()
    words: set[str] = set()
    for source, (where, pattern) in pipeline_patterns().items():
        if where in _LAYOUT_MODULES:
            try:
                _consumed(list(_sp.parse(source, pattern.flags)), chars, words)
            except Exception:
                continue
    return tuple(sorted(w for w in chars | words if w.strip() and all(_printable(c) for c in w)))


_LINE_TAILS = (":2025/03/19\n", "：令和7年2月8日\n", " 石破首相が会見した。\n", " https://example.com/a\n", "\n", "？\n")
