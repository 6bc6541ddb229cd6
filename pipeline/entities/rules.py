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
from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteer import Entry, load_context, load_gazetteer, load_roles

__all__ = ["Mention", "recognize", "number_mentions", "URL_RE"]

URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")

P_NUMBER, P_GAZETTEER_CTX, P_GAZETTEER, P_NORP, P_ROLE_PERSON, P_COMPOUND, P_STATE, P_RULE, P_MODEL = (
    40, 31, 30, 32, 29, 25, 24, 20, 10)


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


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------- numbers
_D = "[0-9０-９]"
_K = "[〇一二三四五六七八九十百千]"
_N1 = rf"(?:{_D}+(?:[,，]{_D}{{3}})*(?:[.．・]{_D}+)?|{_K}+|数)"
_NUM = rf"(?:{_N1}(?:[万億兆]{_N1}?)*(?:[万億兆])?)"


@lru_cache(maxsize=1)
def _number_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    context = load_context()

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    approx = r"(?:約|およそ|最大|最低|少なくとも|計|総額|年間)?"
    return (
        ("number.money", "MONEY", re.compile(rf"{approx}{_NUM}(?:余り|あまり|超|強|弱)?(?:{alt(context['currencies'])})")),
        ("number.money_symbol", "MONEY", re.compile(rf"[$＄￥¥€]{_D}+(?:[,，]{_D}{{3}})*(?:[.．]{_D}+)?(?:[万億兆]|million|billion)?")),
        ("number.percent", "PERCENT", re.compile(
            rf"(?:{alt(context['percent_prefixes'])})?{approx}{_NUM}(?:{alt(context['percent_units'])})(?:{_K}分)?")),
        ("number.quantity", "QUANTITY", re.compile(rf"{approx}{_NUM}(?:余り|超|以上)?(?:{alt(context['counters'])})(?![一-龥])")),
    )


def number_mentions(text: str, lo: int = 0, hi: int | None = None) -> list[Mention]:
    hi = len(text) if hi is None else hi
    found = []
    for rule, label, pattern in _number_patterns():
        for m in pattern.finditer(text, lo, hi):
            value = m.group()
            if not re.search(r"[0-9０-９〇一二三四五六七八九十百千万億兆半数]", value):
                continue
            if label == "QUANTITY" and re.fullmatch(_K + "+", nfkc(value)[:-1] or "x") and len(value) <= 2:
                continue  # 一人, 二台 …: too often words, not counts
            found.append(Mention(m.start(), m.end(), label, nfkc(value), rule=rule, priority=P_NUMBER))
    return found


# -------------------------------------------------------------------------- helpers
def _is_katakana_name(text: str) -> bool:
    return len(text) >= 2 and all(0x30A1 <= ord(c) <= 0x30FA or c in "ー・＝=" for c in text) and text[0] not in "ー・＝="


def _role_at(text: str, position: int) -> str | None:
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
def recognize(doc, tagger=None) -> list[Mention]:
    """Mentions in ``doc`` (character offsets into ``doc.text``), sorted by offset."""
    text = doc.text
    if not text:
        return []
    gazetteer = load_gazetteer()
    context = load_context()
    tokens = [(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc]
    starts = {s for s, _, _, _ in tokens}
    ends = {e for _, e, _, _ in tokens}
    token_at = {s: i for i, (s, _, _, _) in enumerate(tokens)}
    urls = [(m.start(), m.end()) for m in URL_RE.finditer(text)]

    candidates: list[Mention] = []
    pending: list[Mention] = []      # gazetteer hits that need context

    # 1. gazetteer
    for start, end, entry, needs_context in gazetteer.find(text, starts, ends):
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
    for i, (s, e, surface, tag) in enumerate(tokens):
        if not surface or (surface[0] not in short and surface[0] not in prefixes):
            continue
        body_start = 1 if surface[0] in prefixes and len(surface) >= 2 and surface[0] not in short else 0
        body = surface[body_start:]
        if not body or not all(ch in short for ch in body):
            continue
        if len(body) == 1 and body_start == 0:
            continue  # a lone 米 / 中: see the state-noun rule
        if body_start == 0 and surface == "日中":
            following = tokens[i + 1][2] if i + 1 < len(tokens) else ""
            if following not in context["compound_heads_for_nicchu"]:
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
    state_nouns = sorted(context["state_nouns"], key=len, reverse=True)
    for i, (s, e, surface, tag) in enumerate(tokens):
        if len(surface) == 1 and surface in short and e < len(text):
            if any(text.startswith(noun, e) for noun in state_nouns):
                entry = short[surface]
                candidates.append(Mention(s, e, entry.label, entry.canonical, rule="state_noun", kb_id=entry.id,
                                          priority=P_STATE))

    # 4. people: names followed by a role or honorific (with an optional 米/中 … between)
    taken = [(m.start, m.end) for m in candidates if m.priority >= P_GAZETTEER]
    role_people = _role_people(text, tokens, token_at, short, taken)
    candidates.extend(role_people)
    # gazetteer hits that need context: a role right after, or the full form elsewhere
    full_ids = {m.kb_id for m in candidates if m.rule == "gazetteer"}
    for mention in pending:
        role = _role_after(text, mention.end, short)
        if role or mention.kb_id in full_ids:
            candidates.append(replace(mention, priority=P_GAZETTEER_CTX))

    # 5. context rules: …法 / …条約 / …協定 (LAW), katakana/Latin …社 (ORG)
    candidates.extend(_suffix_rules(tokens, context))

    # 6. numbers
    candidates.extend(number_mentions(text))

    # 7. the statistical tagger
    if tagger is not None:
        gazetteer_hits = [m for m in candidates if m.rule == "gazetteer" and m.label in ("GPE", "LOC")]
        generic = set(context["generic_heads"])
        for first, last, kind in tagger.predict_doc(doc):
            s, e = tokens[first][0], tokens[last - 1][1]
            surface = text[s:e]
            label = _loc_or_gpe(surface) if kind == "GPE" else kind
            priority = P_MODEL
            if label in ("ORG", "FAC", "EVENT", "PRODUCT"):
                inner = [m for m in gazetteer_hits if s <= m.start and m.end <= e and (m.start, m.end) != (s, e)]
                if inner and all(text[m.end:e] not in generic and text[s:m.start] not in generic for m in inner):
                    priority = P_GAZETTEER + 5
            candidates.append(Mention(s, e, label, nfkc(surface), rule="model", priority=priority))

    # resolve overlaps, drop URLs, attach roles
    chosen: list[Mention] = []
    occupied: list[tuple[int, int]] = list(urls)
    for m in sorted(candidates, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        if m.end <= m.start or any(m.start < b and a < m.end for a, b in occupied):
            continue
        chosen.append(m)
        occupied.append((m.start, m.end))
    chosen.sort(key=lambda m: m.start)
    out = []
    for m in chosen:
        if m.label == "PERSON" and m.role is None:
            role = _role_after(text, m.end, short)
            if role:
                m = replace(m, role=role)
        out.append(m)
    return _unify_canonicals(out, text)


def _role_after(text: str, end: int, short) -> str | None:
    """The role right after a name; a one-kanji country between them (ヘグセス米国防長官)
    is not part of the role."""
    if end < len(text) and text[end] in short:
        role = _role_at(text, end + 1)
        if role:
            return role
    return _role_at(text, end)


_NAME_BREAK = set("のとはがをにでもへや、。・「」『』（）()　 ")


def _role_people(text, tokens, token_at, short, taken) -> list[Mention]:
    """PERSON mentions found through the role after them: 山田太郎氏, ルッテ事務総長."""
    found = []
    for i, (s, e, surface, tag) in enumerate(tokens):
        role_start = s
        if surface in short and len(surface) == 1 and i > 0:
            role_start = e  # ヘグセス米国防長官: 米 sits between the name and the role
        role = _role_at(text, role_start)
        if not role or i == 0:
            continue
        # walk back over name-like tokens
        j = i - 1
        first = None
        while j >= 0 and i - j <= 4:
            ts, te, tsurface, ttag = tokens[j]
            if "人名" in ttag or (_is_katakana_name(tsurface) and "固有名詞-地名" not in ttag) or (
                    tsurface in ("・", "＝", "=") and first is not None):
                first = j
                j -= 1
                continue
            break
        if first is None or tokens[first][2] in ("・", "＝", "="):
            continue
        start, end = tokens[first][0], tokens[i - 1][1]
        name = text[start:end]
        if any(start < b and a < end for a, b in taken) or any(ch in _NAME_BREAK for ch in name[-1:]):
            continue
        if role in ("さん", "君", "ちゃん", "様", "さま") and not ("人名" in tokens[i - 1][3] or _is_katakana_name(name)):
            continue
        found.append(Mention(start, end, "PERSON", nfkc(name), role=role, rule="role", priority=P_ROLE_PERSON))
    return found


def _suffix_rules(tokens, context) -> list[Mention]:
    found = []
    law_heads = set(context["law_heads"])
    stop_first = set(context["law_stop_first"])
    org_suffixes = set(context["org_suffixes"])
    for i, (s, e, surface, tag) in enumerate(tokens):
        if surface in law_heads and i > 0:
            j = i - 1
            while j >= 0 and tokens[j][3].startswith(("名詞", "接頭辞")) and "数詞" not in tokens[j][3] \
                    and tokens[j][2] not in stop_first and not tokens[j][2].isspace():
                j -= 1
            first = j + 1
            if first < i and not (first == i - 1 and len(tokens[first][2]) == 1):
                start = tokens[first][0]
                found.append(Mention(start, e, "LAW", nfkc("".join(t[2] for t in tokens[first:i + 1])),
                                     rule="law_suffix", priority=P_RULE))
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
    out = []
    for m in mentions:
        if m.label == "PERSON" and m.rule != "gazetteer":
            longer = sorted(c for c in people if len(c) > len(m.canonical) and (
                c.startswith(m.canonical) or c.split("・")[-1] == m.canonical))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
        elif m.label == "LAW":
            longer = sorted(c for c in laws if len(c) > len(m.canonical) and c.endswith(m.canonical))
            if len(longer) == 1:
                m = replace(m, canonical=longer[0])
        out.append(m)
    return out
