"""Entity mentions from gazetteers, context rules and the statistical tagger, merged.

``recognize(doc, tagger)`` returns character-level mentions; each candidate carries the
id of the rule that produced it (``gazetteer``, ``compound``, ``state_noun``, ``role``,
``number.money`` …) and a priority. Overlaps are resolved by priority, then length;
canonical names are then unified within the document. Everything is recomputed per call:
the recognizer keeps no state between documents.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

import numpy as np
from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteer import Entry, load_context, load_gazetteer, load_roles

__all__ = ["Mention", "recognize", "number_mentions", "token_arrays", "URL_RE"]

URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")

P_NUMBER, P_GAZETTEER_CTX, P_GAZETTEER, P_NORP, P_ROLE_PERSON, P_COMPOUND, P_STATE, P_RULE, P_MODEL = (
    40, 31, 30, 32, 37, 25, 24, 20, 10)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    canonical: str
    role: str | None = None
    rule: str = ""
    kb_id: str = ""
    priority: int = 0


_NUMERIC = {"MONEY", "PERCENT", "QUANTITY"}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------- numbers
@lru_cache(maxsize=None)
def _char_table(chars: str) -> np.ndarray:
    """A lookup table over code points: ``table[codes]`` tells which characters are in ``chars``."""
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


_D = "[0-9０-９]"
_K = "[〇一二三四五六七八九十百千]"
_N1 = rf"(?:{_D}+(?:[,，]{_D}{{3}})*(?:[.．・]{_D}+)?|{_K}+|数)"
_NUM = rf"(?:{_N1}(?:[万億兆]{_N1}?)*(?:[万億兆])?)"
# not part of a code or an ordinal: AKB48, F1, A300B, 第18軍
_NOT_AFTER = r"(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９第.．\-])"


@lru_cache(maxsize=1)
def _number_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    context = load_context()

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    approx = _NOT_AFTER + r"(?:約|およそ)?"
    symbols = "$＄￥¥€"
    # after the pattern: whether a match can start with a number (where _NUM_RE matches) and
    # the other characters it can start with (see number_mentions)
    return (
        ("number.money", "MONEY",
         re.compile(rf"{approx}{_NUM}(?:余り|あまり|超|強|弱)?(?:{alt(context['currencies'])})"), True, ""),
        ("number.money_symbol", "MONEY",
         re.compile(rf"[{symbols}]{_D}+(?:[,，]{_D}{{3}})*(?:[.．]{_D}+)?(?:[万億兆]|million|billion)?"), False, symbols),
        ("number.percent", "PERCENT", re.compile(
            rf"(?:{alt(context['percent_prefixes'])})?{approx}{_NUM}(?:{alt(context['percent_units'])})(?:{_K}分)?"),
         True, "".join(sorted({p[0] for p in context["percent_prefixes"]}))),
        ("number.quantity", "QUANTITY", re.compile(rf"{approx}{_NUM}(?:{alt(context['counters'])})"), True, ""),
    )


def _finditer_at(pattern: re.Pattern, text: str, positions, lo: int = 0, hi: int | None = None):
    """The matches of ``pattern.finditer(text, lo, hi)`` for a pattern that never matches the
    empty string, trying only ``positions`` (sorted; a superset of where a match can start).
    The number patterns begin with a lookbehind, so the regex engine cannot skip ahead by
    itself and would try every character."""
    hi = len(text) if hi is None else hi
    after = lo
    for position in positions:
        if position < after:
            continue
        if position >= hi:
            break
        m = pattern.match(text, position, hi)
        if m is not None:
            yield m
            after = m.end()


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _positions(text: str, chars: str, codes: np.ndarray | None = None) -> list[int]:
    """Where the characters of ``chars`` occur in ``text``, in order."""
    codes = _code_points(text) if codes is None else codes
    return np.flatnonzero(_char_table(chars)[codes]).tolist()


def numbers_at(text: str, codes: np.ndarray | None = None) -> dict[int, re.Match]:
    """``_NUM_RE``'s match at every position where it matches, in order. The number rules
    try only these positions (and a few characters of their own): each of their matches
    begins with such a number."""
    codes = _code_points(text) if codes is None else codes
    may = _char_table(_NUM_INITIALS)[codes]
    may[1:] &= ~_char_table(_NOT_AFTER_CHARS)[codes[:-1]]
    found = {}
    for position in np.flatnonzero(may).tolist():
        m = _NUM_RE.match(text, position)
        if m is not None:
            found[position] = m
    return found


def _ordinal_after(text: str, end: int) -> bool:
    """Not a count: 3回目の / 2人目 (ordinals; 目標 is a word), 5回に / 5回、 (an inning, a
    point in a series), 1株当たり / 1人あたり (the unit of a rate)."""
    if text.startswith("目", end) and not (end + 1 < len(text) and "\u4e00" <= text[end + 1] <= "\u9fff"):
        return True
    if text.startswith("回", end - 1) and text.startswith(("に", "、", "表", "裏"), end):
        return True
    start = end - 1
    while start > 0 and not text[start - 1].isdigit():
        start -= 1
    return text.startswith(_PER, end) and start > 0 and text[start - 1] in "1１" and (
        start < 2 or not text[start - 2].isdigit())


_PER = ("当たり", "あたり", "当り")
_HAS_COUNT = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万億兆]")
_HAS_AMOUNT = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万億兆半数]")
_KANJI_NUMBER = re.compile(_K + "+")
_NUM_RE = re.compile(rf"{_NOT_AFTER}(?:約|およそ)?{_NUM}")
# what a number (_NUM, after an optional 約 / およそ) can start with; what _NOT_AFTER excludes
_NUM_INITIALS = "約お0123456789０１２３４５６７８９〇一二三四五六七八九十百千数"
_NOT_AFTER_CHARS = "".join(chr(c) for a, b in ("AZ", "az", "ＡＺ", "ａｚ", "09", "０９")
                           for c in range(ord(a), ord(b) + 1)) + "第.．-"


def counted_quantities(text: str, tokens, token_at,
                       numbers: dict[int, re.Match] | None = None) -> list[Mention]:
    """A number followed by a noun that counts something (5回, 42議案, 3安打): QUANTITY,
    unless the noun is a unit of time, age, rank or money (left to dates and MONEY).
    ``numbers``: ``numbers_at(text)`` when the caller has it."""
    time_units = set(load_context()["time_units"])
    found = []
    after = 0
    for position, m in (numbers_at(text) if numbers is None else numbers).items():
        if position < after:
            continue  # as _NUM_RE.finditer: no match inside the previous one
        after = end = m.end()
        if m.start() not in token_at or end not in token_at:
            continue
        if not _HAS_COUNT.search(m.group()):
            continue
        k = token_at[end]
        s, e, surface, tag = tokens[k]
        if surface in time_units or not tag.startswith(("名詞-普通名詞", "接尾辞")) or tag.startswith("名詞-数詞"):
            continue
        while k + 1 < len(tokens) and tokens[k + 1][3].startswith("接尾辞") and tokens[k + 1][2] not in time_units \
                and not tokens[k + 1][2].startswith(_PER) and tokens[k + 1][2] != "目":
            k += 1  # 8 + 選挙 + 区
            e = tokens[k][1]
        if _KANJI_NUMBER.fullmatch(nfkc(m.group())) and len(m.group()) == 1:
            continue  # 一部, 三振 …: kanji numerals glued to words
        if _ordinal_after(text, e):
            continue  # 3回目 (an ordinal)
        found.append(Mention(m.start(), e, "QUANTITY", nfkc(text[m.start():e]), rule="number.counted",
                             priority=P_NUMBER - 1))
    return found


def number_mentions(text: str, lo: int = 0, hi: int | None = None,
                    numbers: dict[int, re.Match] | None = None, codes: np.ndarray | None = None) -> list[Mention]:
    """``numbers`` and ``codes``: ``numbers_at(text)`` and the code points, when the caller has them."""
    hi = len(text) if hi is None else hi
    codes = _code_points(text) if codes is None else codes
    numbers = numbers_at(text, codes) if numbers is None else numbers
    found = []
    for rule, label, pattern, after_number, initials in _number_patterns():
        positions = list(numbers) if after_number else []
        if initials:
            positions = sorted({*positions, *_positions(text, initials, codes)})
        for m in _finditer_at(pattern, text, positions, lo, hi):
            value = m.group()
            if not _HAS_AMOUNT.search(value):
                continue
            if label == "QUANTITY" and _ordinal_after(text, m.end()):
                continue
            if label == "QUANTITY" and _KANJI_NUMBER.fullmatch(nfkc(value)[:-1] or "x") and len(value) <= 2:
                continue  # 一人, 二台 …: too often words, not counts
            found.append(Mention(m.start(), m.end(), label, nfkc(value), rule=rule, priority=P_NUMBER))
    return found


# -------------------------------------------------------------------------- helpers
_KATAKANA_NAME = re.compile(r"(?![ー・＝=])[\u30a1-\u30faー・＝=]{2,}")


def _is_katakana_name(text: str) -> bool:
    return _KATAKANA_NAME.fullmatch(text) is not None


@lru_cache(maxsize=1)
def _any_role() -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in load_roles()))


def _role_at(text: str, position: int) -> str | None:
    if _any_role().match(text, position) is None:
        return None
    best = None
    for _, pattern in load_roles():
        m = pattern.match(text, position)
        if m and m.end() > position and (best is None or m.end() - position > len(best)):
            best = m.group()
    return best


def _loc_or_gpe(surface: str) -> str:
    for suffix in load_context()["loc_suffixes"]:
        if surface.endswith(suffix) and len(surface) > len(suffix):
            return "LOC"
    return "GPE"


# ----------------------------------------------------------------------- recognizer
def token_arrays(doc):
    """(starts, ends, tag ids) of the tokens as numpy arrays: one read of the Doc that the
    recognizer and the component share."""
    from spacy.attrs import IDX, LENGTH, TAG

    if len(doc) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.uint64)
    array = doc.to_array([IDX, LENGTH, TAG])
    starts = array[:, 0].astype(np.int64)
    return starts, starts + array[:, 1].astype(np.int64), array[:, 2]


class Tokens:
    """(start, end, text, tag) per token, made when a rule asks for it: the rules look at a
    few tokens around their hits, and a tuple per token cost more than all of them."""

    __slots__ = ("text", "starts", "ends", "tag_ids", "tag_array", "tags")

    def __init__(self, text: str, arrays, strings) -> None:
        starts, ends, tag_ids = arrays
        self.text = text
        self.starts: list[int] = starts.tolist()
        self.ends: list[int] = ends.tolist()
        self.tag_array = tag_ids
        self.tag_ids: list[int] = tag_ids.tolist()
        self.tags = {tag: strings[tag] if tag else "" for tag in set(self.tag_ids)}  # id -> name

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self.starts)))]
        s, e = self.starts[k], self.ends[k]
        return s, e, self.text[s:e], self.tags[self.tag_ids[k]]

    def tag(self, k: int) -> str:
        return self.tags[self.tag_ids[k]]


@lru_cache(maxsize=1)
def _scanners() -> dict:
    """Regexes that find where a rule could fire, so rules look only at those tokens."""
    context = load_context()
    short = "".join(sorted(load_gazetteer().short))
    prefixes = "".join(context["compound_prefixes"])

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    role_heads = ["氏", "さん", "様", "さま", "君", "ちゃん", "殿", "相", "大臣", "長官", "首相", "大統領", "総裁", "総書記",
                  "総統", "主席", "議長", "委員長", "代表", "幹事長", "会長", "社長", "理事長", "頭取", "総長", "局長",
                  "次官", "知事", "市長", "町長", "村長", "区長", "監督", "所長", "院長", "学長", "校長", "部長", "課長",
                  "議員", "大使", "官", "顧問", "検事", "判事", "CEO", "ＣＥＯ", "COO", "CFO", "取締役", "責任者", "創業者",
                  "国王", "女王", "王子", "王女", "皇太子", "陛下", "殿下", "妃", "容疑者", "被告", "被告人", "教授",
                  "弁護士", "記者", "選手", "投手", "捕手", "候補", "氏ら", "両氏", "研究員", "医師"]
    bare = [k for k, v in context["place_suffixes"].items() if v != "LOC" and len(k) >= 2]
    return {
        "compound": re.compile(f"[{re.escape(prefixes + short)}]"),
        "state": re.compile(f"[{re.escape(short)}](?=(?:{alt(context['state_nouns'])}))"),
        "role_end": re.compile(f"(?:{alt(role_heads)})"),
        "suffix": re.compile(f"(?:{alt(context['law_heads'] + context['org_suffixes'])})"),
        "fac": re.compile(f"(?:{alt(context['fac_suffixes'])})"),
        "bare": re.compile(f"[{''.join(context['bare_place_prefixes'])}](?:{alt(bare)})"),
        "place_suffix": re.compile(f"(?:{alt(context['place_suffixes'])})"),
        "org_head": re.compile(f"(?:{alt(context['org_name_heads'])})(?![一-龥ァ-ヶー])"),
    }


def recognize(doc, tagger=None, text: str | None = None, skip_tags: tuple[str, ...] = (),
              arrays=None) -> list[Mention]:
    """Mentions in ``doc`` (character offsets into ``doc.text``), sorted by offset.
    ``skip_tags``: UniDic tag prefixes of tokens the tagger need not score (taken as O);
    ``arrays``: ``token_arrays(doc)`` when the caller has them."""
    text = doc.text if text is None else text
    if not text:
        return []
    gazetteer = load_gazetteer()
    context = load_context()
    arrays = token_arrays(doc) if arrays is None else arrays
    tokens = Tokens(text, arrays, doc.vocab.strings)
    token_at = dict(zip(tokens.starts, range(len(tokens))))
    starts = token_at.keys()
    ends = set(tokens.ends)
    codes = _code_points(text)
    urls = [(m.start(), m.end()) for m in URL_RE.finditer(text)]

    candidates: list[Mention] = []
    pending: list[Mention] = []      # gazetteer hits that need context

    # 1. gazetteer; besides token edges, a name may start where Latin text (a URL) meets
    # Japanese, and 東京都 may end inside 都内
    scan = _scanners()
    is_ascii = codes < 0x80
    soft = np.flatnonzero(is_ascii[1:] != is_ascii[:-1]) + 1
    token_starts, token_ends = arrays[0], arrays[1]
    inside = token_starts < len(text)
    starts_in = token_starts[inside]
    firsts = codes[starts_in]
    long = (token_ends[inside] - starts_in) > 1
    soft_ends = starts_in[long & _char_table("都道府県")[firsts]] + 1
    begins = gazetteer.may_start(codes, np.concatenate([starts_in, soft])).tolist()
    gazetteer_ends = ends.union(soft.tolist(), soft_ends.tolist())
    for start, end, entry, needs_context in gazetteer.find(text, begins, gazetteer_ends):
        mention = Mention(start, end, entry.label, entry.canonical, rule="gazetteer", kb_id=entry.id,
                          priority=P_GAZETTEER)
        (pending if needs_context else candidates).append(mention)
    # NORP: a country followed by 人 (日本人, 中国人)
    for mention in list(candidates):
        if mention.label == "GPE" and mention.end in token_at and tokens[token_at[mention.end]][2] == "人":
            end = tokens[token_at[mention.end]][1]
            candidates.append(Mention(mention.start, end, "NORP", nfkc(text[mention.start:end]), rule="norp",
                                      priority=P_NORP))

    # 2. compounds of one-kanji country forms: 日米, 米中, 対日, 訪米, 在日 …
    prefixes = set(context["compound_prefixes"])
    short = gazetteer.short
    for hit in scan["compound"].finditer(text):
        i = token_at.get(hit.start())
        if i is None:
            continue
        s, e, surface, tag = tokens[i]
        body_start = 1 if surface[0] in prefixes and len(surface) >= 2 and surface[0] not in short else 0
        body = surface[body_start:]
        if not body or not all(ch in short for ch in body):
            continue
        if len(body) == 1 and body_start == 0:
            continue  # a lone 米 / 中: see the state-noun rule
        if surface in context["compound_stop"] or any(text.startswith(b, e) for b in context["compound_blockers"]):
            continue
        if body_start == 0 and surface == "日中":
            following = tokens[i + 1][2] if i + 1 < len(tokens) else ""
            window = text[e:e + 8]
            if following not in context["compound_heads_for_nicchu"] and any(
                    w in window for w in context["weather_words"]):
                continue
        for k, ch in enumerate(body):
            entry: Entry = short[ch]
            at = s + body_start + k
            candidates.append(Mention(at, at + 1, entry.label, entry.canonical, rule="compound", kb_id=entry.id,
                                      priority=P_COMPOUND))
        # 日中 + 韓: a lone short form glued after a compound
        if i + 1 < len(tokens) and tokens[i + 1][2] in short and len(tokens[i + 1][2]) == 1:
            ns, ne, nsurface, _ = tokens[i + 1]
            entry = short[nsurface]
            candidates.append(Mention(ns, ne, entry.label, entry.canonical, rule="compound", kb_id=entry.id,
                                      priority=P_COMPOUND))

    # 3. a lone one-kanji form before a state noun: 米政府, 米国防長官, 中外相
    for hit in scan["state"].finditer(text):
        i = token_at.get(hit.start())
        if i is None:
            continue
        s, e, surface, tag = tokens[i]
        if len(surface) == 1:
            if True:
                entry = short[surface]
                candidates.append(Mention(s, e, entry.label, entry.canonical, rule="state_noun", kb_id=entry.id,
                                          priority=P_STATE))

    # 4. people: names followed by a role or honorific (with an optional 米/中 … between)
    taken = bytearray(len(text) + 1)
    for m in candidates:
        if m.priority >= P_GAZETTEER:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    near = bytearray(len(text) + 1)
    for hit in scan["role_end"].finditer(text):
        lo = max(0, hit.start() - 12)
        near[lo:hit.end()] = b"\x01" * (hit.end() - lo)
    near_tokens = np.flatnonzero(np.frombuffer(near, dtype=np.uint8)[token_starts]).tolist()
    role_people = _role_people(text, tokens, near_tokens, short, taken)
    candidates.extend(role_people)
    # gazetteer hits that need context: a role right after, or the full form elsewhere
    full_ids = {m.kb_id for m in candidates if m.rule == "gazetteer"}
    for mention in pending:
        role = _role_after(text, mention.end, short)
        if role or mention.kb_id in full_ids:
            candidates.append(replace(mention, priority=P_GAZETTEER_CTX))

    # 5. context rules: …法 / …条約 / …協定 (LAW), katakana/Latin …社 (ORG)
    candidates.extend(_suffix_rules(tokens, context, [token_at[m.start()] for m in scan["suffix"].finditer(text)
                                                     if m.start() in token_at]))

    # 6. numbers
    numbers = numbers_at(text, codes)
    candidates.extend(number_mentions(text, numbers=numbers, codes=codes))
    candidates.extend(counted_quantities(text, tokens, token_at, numbers))
    candidates.extend(_dateline(text, gazetteer, context))
    candidates.extend(_titled_and_events(text, context))

    # 7. without the statistical tagger: UniDic's own proper-noun tags (人名, 地名, 組織)
    if tagger is None:
        candidates.extend(_proper_noun_runs(text, tokens))
    candidates.extend(_org_names(text, tokens, token_at, ends, context))

    # 7. the statistical tagger
    if tagger is not None:
        gazetteer_hits = sorted((m for m in candidates if m.rule == "gazetteer" and m.label != "PERSON"),
                                key=lambda m: m.start)
        hit_starts = [m.start for m in gazetteer_hits]
        generic = set(context["generic_heads"])
        stoplist = set(context["model_stoplist"])
        rows = None
        if skip_tags:
            rows = np.array([i for i, t in enumerate(tokens) if not t[3].startswith(skip_tags)], dtype=np.int64)
        for first, last, kind in tagger.predict_doc(doc, rows=rows):
            for s, e in _clean_model_span(tokens, first, last):
                surface = text[s:e]
                if surface in stoplist or surface in generic:
                    continue
                label = _loc_or_gpe(surface) if kind == "GPE" else kind
                role_split = _trailing_role(text, tokens, token_at, s, e)
                if role_split:
                    name_end, role = role_split
                    candidates.append(Mention(s, name_end, "PERSON", nfkc(text[s:name_end]), role=role,
                                              rule="model.role", priority=P_MODEL + 5))
                    continue
                first_token = tokens[token_at[s]] if s in token_at else None
                if first_token and first_token[1] < e and first_token[2] in short and len(first_token[2]) == 1:
                    entry = short[first_token[2]]   # 米オープンAI -> 米 + オープンAI
                    candidates.append(Mention(s, first_token[1], entry.label, entry.canonical, rule="model.country",
                                              kb_id=entry.id, priority=P_STATE))
                    s = first_token[1]
                    surface = text[s:e]
                    if surface in stoplist or surface in generic:
                        continue
                if label in ("GPE", "LOC"):
                    parts = _ADMIN_SPLIT.fullmatch(surface)
                    if parts:
                        cut = s + len(parts.group(1))
                        candidates.append(Mention(s, cut, "GPE", nfkc(parts.group(1)), rule="model.admin", priority=P_MODEL))
                        candidates.append(Mention(cut, e, "GPE", nfkc(parts.group(2)), rule="model.admin", priority=P_MODEL))
                        continue
                priority = P_MODEL
                if label in ("ORG", "FAC", "EVENT", "PRODUCT", "GPE", "LOC"):
                    # a name that contains a place (東京倶楽部, ツール・ド・フランス) is kept whole,
                    # unless the rest is a generic head (日本政府 -> 日本)
                    lo, hi = bisect_left(hit_starts, s), bisect_left(hit_starts, e)
                    inner = [m for m in gazetteer_hits[lo:hi] if m.end <= e and (m.start, m.end) != (s, e)]
                    if inner and all(text[m.end:e] not in generic and text[s:m.start] not in generic for m in inner):
                        priority = P_GAZETTEER + 2
                candidates.append(Mention(s, e, label, nfkc(surface), rule="model", priority=priority))

    # 8. a place and what belongs to it: 東京地裁 (ORG), 東京都知事選 (EVENT), 九州南部 (LOC)
    candidates.extend(_place_suffixes(text, candidates, token_at, ends, context))
    candidates.extend(_fac_suffixes(text, tokens, context, [token_at[m.start()] for m in scan["fac"].finditer(text)
                                                           if m.start() in token_at]))

    # resolve overlaps, drop URLs, attach roles
    chosen: list[Mention] = []
    used = bytearray(len(text) + 1)
    for a, b in urls:
        used[a:b] = b"\x01" * (b - a)
    for m in sorted(candidates, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        if m.end <= m.start or any(used[m.start:m.end]):
            continue
        chosen.append(m)
        used[m.start:m.end] = b"\x01" * (m.end - m.start)
    # one sense per document: a name found once is found again where it recurs verbatim
    # (スターゲート, みちびき …), on token boundaries and where nothing else was chosen
    repeated = {}
    for m in chosen:
        surface = text[m.start:m.end]
        if m.label not in _NUMERIC and len(surface) >= 2 and m.rule not in ("compound", "state_noun"):
            repeated.setdefault(surface, m)
    for surface, m in sorted(repeated.items(), key=lambda kv: -len(kv[0])):
        at = text.find(surface)
        while at >= 0:
            end = at + len(surface)
            if at in starts and end in ends and not any(used[at:end]):
                chosen.append(replace(m, start=at, end=end, rule=m.rule + ".again", priority=P_MODEL))
                used[at:end] = b"\x01" * (end - at)
            at = text.find(surface, end)
    chosen.sort(key=lambda m: m.start)
    out = []
    for m in chosen:
        if m.label == "PERSON" and m.role is None:
            role = _role_after(text, m.end, short)
            if role:
                m = replace(m, role=role)
        out.append(m)
    return _unify_canonicals(out, text)


def _org_names(text, tokens, token_at, token_ends, context) -> list[Mention]:
    """A run of nouns ending in an organization word: ミナト電機工業, 住宅金融支援機構,
    日本自動車工業会, 万博協会 (ORG). Kept whole over a place inside it."""
    stop_first = set(context["org_name_stop_first"])
    strong = set(context["org_name_strong_heads"])
    pattern = _scanners()["org_head"]
    found = []
    for hit in pattern.finditer(text):
        end = hit.end()
        i = token_at.get(hit.start())
        if i is None or end not in token_ends:
            continue
        j = i - 1
        while j >= 0 and i - j <= 8 and tokens[j][3].startswith(("名詞", "接頭辞", "接尾辞")) \
                and "数詞" not in tokens[j][3] and any(ch.isalnum() for ch in tokens[j][2]) \
                and not tokens[j][2].isspace() \
                and not (tokens[j][2] in ("都", "道", "府", "県") and j > 0 and "地名" in tokens[j - 1][3]):
            j -= 1
        first = j + 1
        while first < i and tokens[first][3].startswith("接尾辞"):
            first += 1
        while first < i and tokens[first][2] in stop_first:
            first += 1
        if first >= i:
            continue
        named = any("固有名詞" in t[3] or _is_katakana_name(t[2]) or (t[2].isascii() and t[2].isalnum())
                    for t in tokens[first:i])
        if not named and hit.group() not in strong:
            continue  # 学校建設, 事業グループ: a weak head needs a name before it
        start = tokens[first][0]
        found.append(Mention(start, end, "ORG", nfkc(text[start:end]), rule="org_name", priority=P_GAZETTEER + 2))
    return found


_ADMIN_SUFFIXES = {"都", "道", "府", "県", "市", "区", "町", "村", "郡", "州"}
_POS_LABEL = (("固有名詞-人名", "PERSON"), ("固有名詞-地名-国", "GPE"), ("固有名詞-地名", "GPE"),
              ("固有名詞-組織", "ORG"))


@lru_cache(maxsize=None)
def _proper_label(tag: str) -> str | None:
    if "固有名詞" in tag:
        for prefix, label in _POS_LABEL:
            if prefix in tag:
                return label
    return None


def _proper_noun_runs(text, tokens) -> list[Mention]:
    """Runs of tokens UniDic tags as one kind of proper noun: 岸田 文雄 (人名) -> PERSON,
    鹿児島 (地名) -> GPE, トヨタ (組織) -> ORG. Cheap and low priority."""
    labels = {tag: _proper_label(name) for tag, name in tokens.tags.items()}
    proper = [tag for tag, label in labels.items() if label is not None]
    if not proper:
        return []
    starts, ends, tag_ids = tokens.starts, tokens.ends, tokens.tag_ids
    found = []
    resume = 0
    for i in np.flatnonzero(np.isin(tokens.tag_array, proper)).tolist():
        if i < resume:
            continue  # inside the previous run
        run_start, run_end, run_label = starts[i], ends[i], labels[tag_ids[i]]
        k = i + 1
        while k < len(starts) and starts[k] == run_end and (  # 鹿児島 + 県, 薩摩川内 + 市
                labels[tag_ids[k]] == run_label
                or run_label == "GPE" and text[starts[k]:ends[k]] in _ADMIN_SUFFIXES):
            run_end = ends[k]
            k += 1
        # the token after the run (or the end of the text)
        s, surface = (starts[k], text[starts[k]:ends[k]]) if k < len(starts) else (len(text), "")
        surface_run = text[run_start:run_end]
        # 東京シリーズ, 種子島 + 宇宙センター: the place names something else
        names_other = run_label == "GPE" and s == run_end and (
            _is_katakana_name(surface) or surface.isascii() and surface.isalnum())
        if not names_other and (len(surface_run) >= 2 or run_label != "PERSON"):
            found.append(Mention(run_start, run_end, run_label, nfkc(surface_run), rule="unidic",
                                 priority=P_MODEL - 1))
        resume = k
    return found


def _role_after(text: str, end: int, short) -> str | None:
    """The role right after a name; a one-kanji country between them (ヘグセス米国防長官)
    is not part of the role."""
    if end < len(text) and text[end] in short:
        role = _role_at(text, end + 1)
        if role:
            return role
    return _role_at(text, end)


_ADMIN_SPLIT = re.compile(r"(.+?[都道府県])(.+?[市町村区郡])")
_EDGE_JUNK = re.compile(r"^[^\w]+|[^\w]+$")


_SPAN_BREAKS = set("（）()「」『』【】［］[]")


def _clean_model_span(tokens, first, last):
    """Cut a model span at whitespace and strip symbol tokens (✅, 💡, 「) at its edges."""
    pieces, current = [], []
    for i in range(first, last):
        surface = tokens[i][2]
        if surface.isspace() or "\n" in surface or surface in _SPAN_BREAKS:
            if current:
                pieces.append(current)
            current = []
        else:
            current.append(i)
    if current:
        pieces.append(current)
    out = []
    for piece in pieces:
        while piece and not any(ch.isalnum() for ch in tokens[piece[0]][2]):
            piece = piece[1:]
        while piece and not any(ch.isalnum() for ch in tokens[piece[-1]][2]):
            piece = piece[:-1]
        if piece:
            out.append((tokens[piece[0]][0], tokens[piece[-1]][1]))
    return out


def _trailing_role(text, tokens, token_at, s, e):
    """(name_end, role) when a span ends with a role (福岡資麿厚生労働相)."""
    i = token_at.get(s)
    if i is None:
        return None
    best = None
    j = i + 1
    while j < len(tokens) and tokens[j][0] < e:  # the longest role that ends the span
        start = tokens[j][0]
        role = _role_at(text, start)
        if role and start + len(role) == e and start - s >= 2 and all(char_class_name(ch) for ch in text[s:start]):
            if best is None or len(role) > len(best[1]):
                best = (start, role)
        j += 1
    if best is not None and "人名" not in tokens[i][3] and "固有名詞" not in tokens[i][3] \
            and not _is_katakana_name(tokens[i][2]):
        return None  # 選挙管理委員長: no name before the role
    return best


def char_class_name(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u30a1" <= ch <= "\u30fa" or ch in "ー・々"


def _place_suffixes(text, candidates, token_at, token_ends, context) -> list[Mention]:
    suffixes = sorted(context["place_suffixes"].items(), key=lambda kv: -len(kv[0]))
    found = []
    places = [m for m in candidates if m.label in ("GPE", "LOC") and m.rule in ("gazetteer", "model", "model.admin",
                                                                                  "unidic")]
    table = dict(suffixes)
    pattern = _scanners()["place_suffix"]
    for m in places:
        hit = pattern.match(text, m.end)
        for suffix, label in ([(hit.group(), table[hit.group()])] if hit else []):
            if (m.end + len(suffix)) in token_ends:
                end = m.end + len(suffix)
                if label == "LOC":
                    found.append(Mention(m.start, end, "LOC", nfkc(text[m.start:end]), rule="place.part",
                                         priority=P_GAZETTEER + 3))
                else:
                    found.append(Mention(m.start, end, label, nfkc(text[m.start:end]), rule="place.body",
                                         priority=P_GAZETTEER + 3))
                break
    for hit in _scanners()["bare"].finditer(text):
        s, end = hit.start(), hit.end()
        if s in token_at and end in token_ends and not (s > 0 and char_class_name(text[s - 1])):
            found.append(Mention(s, end, table[hit.group()[1:]], nfkc(hit.group()), rule="place.bare",
                                 priority=P_RULE))
    return found


def _fac_suffixes(text, tokens, context, indexes) -> list[Mention]:
    """Proper nouns + 原発 / 空港 / 駅 / 新幹線 …: FAC."""
    heads = set(context["fac_suffixes"])
    found = []
    for i in indexes:
        s, e, surface, tag = tokens[i]
        if surface not in heads or i == 0:
            continue
        j = i - 1
        while j >= 0 and ("固有名詞" in tokens[j][3] or _is_katakana_name(tokens[j][2])
                          or (tokens[j][2].isascii() and tokens[j][2].isalnum()) or "数詞" in tokens[j][3]
                          and j < i - 1):
            j -= 1
        if j + 1 < i and "数詞" not in tokens[j + 1][3] and not (
                tokens[j + 1][0] > 0 and char_class_name(text[tokens[j + 1][0] - 1])):
            found.append(Mention(tokens[j + 1][0], e, "FAC", nfkc(text[tokens[j + 1][0]:e]), rule="fac_suffix",
                                 priority=P_RULE + 6))
    return found


@lru_cache(maxsize=1)
def _titled_patterns():
    context = load_context()

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return (
        ("work_title", "WORK_OF_ART", re.compile(rf"(?:{alt(context['work_kinds'])})[「『]([^」』\n]{{1,40}})[」』]")),
        ("product_title", "PRODUCT", re.compile(rf"(?:{alt(context['product_kinds'])})[「『]([^」』\n]{{1,40}})[」』]")),
    ), tuple((rule_id, re.compile(pattern)) for rule_id, pattern in context["event_patterns"])


def _titled_and_events(text, context) -> list[Mention]:
    """漫画「…」 -> WORK_OF_ART, 新サービス「…」 -> PRODUCT (the title inside the brackets);
    台風10号 -> EVENT."""
    titled, events = _titled_patterns()
    found = []
    for rule_id, label, pattern in titled:
        for m in pattern.finditer(text):
            found.append(Mention(m.start(1), m.end(1), label, nfkc(m.group(1)), rule=rule_id, priority=P_GAZETTEER + 4))
    for rule_id, pattern in events:
        for m in pattern.finditer(text):
            found.append(Mention(m.start(), m.end(), "EVENT", nfkc(m.group()), rule=rule_id, priority=P_NUMBER + 1))
    return found


_DATELINE = re.compile(r"【([^】\s]{1,12}?)(共同|時事|ロイター|AFP|AP|新華社|聯合)】")


def _dateline(text, gazetteer, context) -> list[Mention]:
    """【ワシントン共同】: the place (GPE) and the agency (ORG)."""
    media = context["dateline_media"]
    found = []
    for m in _DATELINE.finditer(text):
        place, agency = m.group(1), m.group(2)
        hit = gazetteer.surfaces.get(place)
        label, canonical = (hit[0].label, hit[0].canonical) if hit else ("GPE", nfkc(place))
        found.append(Mention(m.start(1), m.end(1), label, canonical, rule="dateline", priority=P_NUMBER))
        found.append(Mention(m.start(2), m.end(2), "ORG", media.get(agency, agency), rule="dateline",
                             priority=P_NUMBER))
    return found


_HONORIFICS = {"さん", "君", "ちゃん", "様", "さま"}
_NAME_BREAK = set("のとはがをにでもへや、。・「」『』（）()　 ")


def _may_end_name(tag: str, surface: str) -> bool:
    """The first step of the walk back in ``_role_people``, with any role."""
    return "人名" in tag or (_is_katakana_name(surface) and "固有名詞-地名" not in tag) or (
        "固有名詞" in tag and "地名-国" not in tag)


def _role_people(text, tokens, indexes, short, taken) -> list[Mention]:
    """PERSON mentions found through the role after them: 山田太郎氏, ルッテ事務総長.
    ``indexes``: the tokens a role may start at (near a role word)."""
    found = []
    for i in indexes:
        if i == 0 or not _may_end_name(tokens.tag(i - 1), text[tokens.starts[i - 1]:tokens.ends[i - 1]]):
            continue  # nothing before the role would count as a name: spare the role regexes
        s, e, surface, tag = tokens[i]
        role_start = s
        if surface in short and len(surface) == 1 and i > 0:
            role_start = e  # ヘグセス米国防長官: 米 sits between the name and the role
        role = _role_at(text, role_start)
        if not role or i == 0:
            continue
        # walk back over name-like tokens
        j = i - 1
        first = None
        while j >= 0 and i - j <= 6:
            ts, te, tsurface, ttag = tokens[j]
            if "人名" in ttag or (_is_katakana_name(tsurface) and "固有名詞-地名" not in ttag) or (
                    "固有名詞" in ttag and "地名-国" not in ttag and role not in _HONORIFICS) or (
                    tsurface in ("・", "＝", "=") and first is not None):
                first = j
                j -= 1
                continue
            break
        if first is None or tokens[first][2] in ("・", "＝", "="):
            continue
        start, end = tokens[first][0], tokens[i - 1][1]
        name = text[start:end]
        if any(taken[start:end]) or any(ch in _NAME_BREAK for ch in name[-1:]):
            continue
        if name in load_gazetteer().surfaces:
            continue  # a known name: the gazetteer hit (with its canonical) takes it
        if len(name) == 1 and "人名" not in tokens[first][3]:
            continue
        if role in ("さん", "君", "ちゃん", "様", "さま") and not ("人名" in tokens[i - 1][3] or _is_katakana_name(name)):
            continue
        found.append(Mention(start, end, "PERSON", nfkc(name), role=role, rule="role", priority=P_ROLE_PERSON))
    return found


def _suffix_rules(tokens, context, indexes) -> list[Mention]:
    found = []
    law_heads = set(context["law_heads"])
    needs_name = set(context["law_needs_name"])
    short = load_gazetteer().short
    stop_first = set(context["law_stop_first"])
    org_suffixes = set(context["org_suffixes"])
    for i in indexes:
        s, e, surface, tag = tokens[i]
        if surface in law_heads and i > 0:
            j = i - 1
            while j >= 0 and tokens[j][3].startswith(("名詞", "接頭辞")) and "数詞" not in tokens[j][3] \
                    and tokens[j][2] not in stop_first and not tokens[j][2].isspace():
                j -= 1
            first = j + 1
            if first < i and not (first == i - 1 and len(tokens[first][2]) == 1):
                run = tokens[first:i]
                named = any("固有名詞" in t[3] or _is_katakana_name(t[2]) or all(c in short for c in t[2])
                            for t in run)
                start = tokens[first][0]
                found.append(Mention(start, e, "LAW", nfkc("".join(t[2] for t in tokens[first:i + 1])),
                                     rule="law_suffix" if named or surface not in needs_name else "law_suffix.generic",
                                     priority=P_COMPOUND + 2))
        if surface in ("庁", "省") and i > 0:
            j = i - 1  # 文化 + 庁, 外務 + 省: a government body
            while j >= 0 and i - j <= 3 and tokens[j][3].startswith("名詞") and "数詞" not in tokens[j][3] \
                    and all(char_class_name(c) for c in tokens[j][2]) and tokens[j][2] not in stop_first:
                j -= 1
            if j + 1 < i and not (tokens[j + 1][0] > 0 and char_class_name(tokens[j][2][-1:] or "a")
                                  and j >= 0 and tokens[j][3].startswith("名詞")):
                start = tokens[j + 1][0]
                found.append(Mention(start, e, "ORG", nfkc("".join(t[2] for t in tokens[j + 1:i + 1])),
                                     rule="org_suffix.government", priority=P_RULE))
            continue
        if surface in org_suffixes and i > 0 and tag.startswith("接尾辞"):
            j = i - 1
            while j >= 0 and (_is_katakana_name(tokens[j][2]) or tokens[j][2].isascii() and tokens[j][2].isalnum()
                              or "固有名詞" in tokens[j][3]):
                j -= 1
            if j + 1 < i:
                start = tokens[j + 1][0]
                found.append(Mention(start, e, "ORG", nfkc("".join(t[2] for t in tokens[j + 1:i + 1])),
                                     rule="org_suffix", priority=P_RULE))
    return found


def _unify_canonicals(mentions: list[Mention], text: str) -> list[Mention]:
    """One canonical per entity within the document: a surname or a last name after ・
    takes the full name of a longer PERSON mention; a shorter LAW takes the canonical of
    the LAW whose name ends with it (安全保障条約 -> 日米安全保障条約)."""
    people = {m.canonical for m in mentions if m.label == "PERSON"}
    laws = {m.canonical for m in mentions if m.label == "LAW"}
    # the longer names that start with / end in (after ・) a given one, indexed once rather
    # than compared pairwise for every mention
    extends: dict[str, set[str]] = {}
    for c in people:
        for k in range(len(c)):
            extends.setdefault(c[:k], set()).add(c)
        last = c.split("・")[-1]
        if len(last) < len(c):
            extends.setdefault(last, set()).add(c)
    out = []
    for m in mentions:
        if m.label == "PERSON" and m.rule != "gazetteer":
            longer = sorted(extends.get(m.canonical, ()))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
        elif m.label == "LAW":
            longer = sorted(c for c in laws if len(c) > len(m.canonical) and c.endswith(m.canonical))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
            elif m.rule == "law_suffix.generic":
                continue  # 自由貿易協定: a kind of treaty, not a named one
        out.append(m)
    return out
