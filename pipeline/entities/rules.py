"""Entity mentions from gazetteers, context rules and the statistical tagger, merged.

``recognize(doc, tagger)`` returns character-level mentions; each candidate carries the
id of the rule that produced it (``gazetteer``, ``compound``, ``state_noun``, ``role``,
``number.money`` …) and a priority. Overlaps are resolved by priority, then length;
canonical names are then unified within the document. Everything is recomputed per call:
the recognizer keeps no state between documents.

``recognize`` runs named steps in a declared order (``STEPS``) over one call's state, then
resolves overlaps. The gazetteer, compound, state-noun and tagger steps are here; the other
rules live in ``numbers.py`` (MONEY / PERCENT / QUANTITY), ``people.py`` (names
through their role) and ``context_rules.py`` (LAW / ORG / FAC / place parts, titles,
datelines, UniDic proper-noun runs), which share ``mention.py``.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from dataclasses import dataclass, field, replace

from ..nlp.sentences import URL_PATTERN
from .canonicals import MAX_NAME_CHARS, unify_canonicals
from .context_rules import (dateline_mentions, daytime, fac_suffix_mentions, org_names, place_suffix_mentions, proper_noun_runs, scanners,
                            suffix_rules, titled_and_events)
from .gazetteer import Entry, load_context, load_gazetteer
from .mention import P_COMPOUND, P_GAZETTEER, P_GAZETTEER_CTX, P_MODEL, P_NORP, P_STATE, Mention, nfkc
from .numbers import char_table, code_points, counted_quantities, number_mentions, numbers_at, with_ranges
from .people import house_mentions, is_role, leading_role, role_after, role_people, trailing_role

__all__ = ["Mention", "STEPS", "gazetteer_spans", "recognize", "number_mentions", "token_arrays"]


_NUMERIC = {"MONEY", "PERCENT", "QUANTITY"}


def _loc_or_gpe(surface: str) -> str:
    for suffix in load_context()["loc_suffixes"]:
        if surface.endswith(suffix) and len(surface) > len(suffix):
            return "LOC"
    return "GPE"


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



@dataclass
class _Scan:
    """One call's state, shared by the steps: the text, its tokens and what is found so far."""
    doc: object
    text: str
    tagger: object
    skip_tags: tuple[str, ...]
    arrays: tuple
    tokens: Tokens
    token_at: dict[int, int]
    ends: set[int]
    codes: np.ndarray
    gazetteer: object
    context: dict
    scan: dict
    candidates: list[Mention] = field(default_factory=list)
    pending: list[Mention] = field(default_factory=list)  # gazetteer hits that need context
    not_names: list[tuple[int, int]] = field(default_factory=list)  # spans a name must not recur in (日本語)

    @property
    def short(self):
        return self.gazetteer.short


def _gazetteer_step(state: _Scan) -> None:
    """Gazetteer names. Besides token edges, a name may start where Latin text (a URL) meets
    Japanese, and 東京都 may end inside 都内."""
    text, codes = state.text, state.codes
    is_ascii = codes < 0x80
    soft = np.flatnonzero(is_ascii[1:] != is_ascii[:-1]) + 1
    token_starts, token_ends = state.arrays[0], state.arrays[1]
    inside = token_starts < len(text)
    starts_in = token_starts[inside]
    firsts = codes[starts_in]
    long = (token_ends[inside] - starts_in) > 1
    soft_ends = starts_in[long & char_table("都道府県")[firsts]] + 1
    begins = state.gazetteer.may_start(codes, np.concatenate([starts_in, soft])).tolist()
    gazetteer_ends = state.ends.union(soft.tolist(), soft_ends.tolist())
    for start, end, entry, needs_context in state.gazetteer.find(text, begins, gazetteer_ends):
        mention = Mention(start, end, entry.label, entry.canonical, rule="gazetteer", kb_id=entry.id,
                          priority=P_GAZETTEER)
        (state.pending if needs_context else state.candidates).append(mention)


def _norp_step(state: _Scan) -> None:
    """NORP: a country followed by 人 (日本人, 中国人) or 系 (イタリア系). A country followed by 語 is a language
    (日本語, フランス語), which no label of ours names: no mention may take its span (the
    gazetteer hit stays a candidate, so the tagger reads the column training read)."""
    text, tokens, token_at, candidates = state.text, state.tokens, state.token_at, state.candidates
    descents = []
    for mention in list(candidates):
        if mention.label in ("GPE", "LOC") and mention.end in token_at:  # LOC: アジア人, アフリカ系
            following = tokens[token_at[mention.end]][2]
            if following == "人":
                end = tokens[token_at[mention.end]][1]
                candidates.append(Mention(mention.start, end, "NORP", nfkc(text[mention.start:end]), rule="norp",
                                          priority=P_NORP))
            elif following == "系":
                descents.append((mention.start, tokens[token_at[mention.end]][1]))
            elif following == "語":
                state.not_names.append((mention.start, mention.end))
    # a country + 系 is a descent or an affiliation (イタリア系, 中国系: GSD's NORP), one NORP
    # with the nationality after it (アフリカ系アメリカ人)
    nationality_end = {m.start: m.end for m in candidates if m.rule == "norp"} if descents else {}
    for start, end in descents:
        end = nationality_end.get(end, end)
        candidates.append(Mention(start, end, "NORP", nfkc(text[start:end]), rule="norp", priority=P_NORP))


def _compound_step(state: _Scan) -> None:
    """Compounds of one-kanji country forms: 日米, 米中, 対日, 訪米, 在日 …"""
    text, tokens, token_at, context, short = state.text, state.tokens, state.token_at, state.context, state.short
    candidates = state.candidates
    prefixes = set(context["compound_prefixes"])
    for hit in state.scan["compound"].finditer(text):
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
        if body_start == 0 and surface == "日中" and daytime(text, tokens, i, context):
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


def _state_noun_step(state: _Scan) -> None:
    """A lone one-kanji form before a state noun: 米政府, 米国防長官, 中外相."""
    for hit in state.scan["state"].finditer(state.text):
        i = state.token_at.get(hit.start())
        if i is None:
            continue
        s, e, surface, tag = state.tokens[i]
        if len(surface) == 1:
            entry = state.short[surface]
            state.candidates.append(Mention(s, e, entry.label, entry.canonical, rule="state_noun", kb_id=entry.id,
                                            priority=P_STATE))


def _people_step(state: _Scan) -> None:
    """People: names followed by a role or honorific (with an optional 米/中 … between); then
    the gazetteer hits that need context: a role right after, or the full form elsewhere."""
    text, candidates = state.text, state.candidates
    taken = bytearray(len(text) + 1)
    for m in candidates:
        if m.priority >= P_GAZETTEER:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    near = bytearray(len(text) + 1)
    for hit in state.scan["role_end"].finditer(text):
        lo = max(0, hit.start() - 12)
        near[lo:hit.end()] = b"\x01" * (hit.end() - lo)
    near_tokens = np.flatnonzero(np.frombuffer(near, dtype=np.uint8)[state.arrays[0]]).tolist()
    doc = state.doc
    candidates.extend(role_people(text, state.tokens, near_tokens, state.short, taken,
                                  lambda k: "Reading=" in str(doc[k].morph)))
    full_ids = {m.kb_id for m in candidates if m.rule == "gazetteer"}
    for mention in state.pending:
        role = role_after(text, mention.end, state.short)
        if role or mention.kb_id in full_ids:
            candidates.append(replace(mention, priority=P_GAZETTEER_CTX))


def _house_step(state: _Scan) -> None:
    """Houses: a personal name + 家 (重富家, ハプスブルク家) is one ORG."""
    state.candidates.extend(house_mentions(state.text, state.tokens, state.token_at))


def _suffix_step(state: _Scan) -> None:
    """Context rules: …法 / …条約 / …協定 (LAW), katakana/Latin …社 (ORG)."""
    state.candidates.extend(suffix_rules(state.tokens, state.context,
                                          [state.token_at[m.start()] for m in state.scan["suffix"].finditer(state.text)
                                           if m.start() in state.token_at]))


def _number_step(state: _Scan) -> None:
    """Numbers (MONEY, PERCENT, QUANTITY), datelines, titles and events."""
    text, codes = state.text, state.codes
    numbers = numbers_at(text, codes)
    state.candidates.extend(with_ranges(text, number_mentions(text, numbers=numbers, codes=codes)
                                        + counted_quantities(text, state.tokens, state.token_at, numbers)))
    state.candidates.extend(dateline_mentions(text, state.gazetteer, state.context))
    state.candidates.extend(titled_and_events(text, state.context))


def _proper_noun_step(state: _Scan) -> None:
    """Without the statistical tagger, UniDic's own proper-noun tags (人名, 地名, 組織); then
    organisation names."""
    if state.tagger is None:
        state.candidates.extend(proper_noun_runs(state.text, state.tokens))
    state.candidates.extend(org_names(state.text, state.tokens, state.token_at, state.ends, state.context))


def _model_step(state: _Scan) -> None:
    """The statistical tagger's spans (``accurate`` mode), cleaned and split."""
    if state.tagger is None:
        return
    text, tokens, token_at, context, short = state.text, state.tokens, state.token_at, state.context, state.short
    candidates = state.candidates
    gazetteer_hits = sorted((m for m in candidates if m.rule == "gazetteer" and m.label != "PERSON"),
                            key=lambda m: m.start)
    hit_starts = [m.start for m in gazetteer_hits]
    generic = set(context["generic_heads"])
    stoplist = set(context["model_stoplist"])
    rows = None
    if state.skip_tags:
        rows = np.array([i for i, t in enumerate(tokens) if not t[3].startswith(state.skip_tags)], dtype=np.int64)
    for first, last, kind in state.tagger.predict_doc(state.doc, rows=rows, gazetteer=_token_spans(state)):
        for s, e in _clean_model_span(tokens, first, last):
            if e - s > MAX_NAME_CHARS:
                continue  # no name is that long (a run of hundreds of 蘭); its checks would read it many times
            surface = text[s:e]
            if not any(ch.isalpha() for ch in surface):
                continue  # 2025/04/14, 3.5: figures and signs alone name nothing (dates and numbers have their rules)
            if surface in stoplist or surface in generic or (kind == "PERSON" and is_role(surface)):
                continue  # a title alone (大統領) is no one's name, and would be spread to its every mention
            label = _loc_or_gpe(surface) if kind == "GPE" else kind
            role_split = trailing_role(text, tokens, token_at, s, e)
            if role_split:
                name_end, role = role_split
                candidates.append(Mention(s, name_end, "PERSON", nfkc(text[s:name_end]), role=role,
                                          rule="model.role", priority=P_MODEL + 5))
                continue
            title_split = leading_role(text, state.ends, s, e) if kind == "PERSON" else None
            if title_split:
                name_start, role = title_split  # 大統領|ハサン・ロウハーニー: the name is after the title
                candidates.append(Mention(name_start, e, "PERSON", nfkc(text[name_start:e]), role=role,
                                          rule="model.title", priority=P_MODEL + 5))
                continue
            first_token = tokens[token_at[s]] if s in token_at else None
            if first_token and first_token[1] < e and _country_prefix(first_token[2], tokens[token_at[s] + 1][2],
                                                                      kind, short):
                entry = short[first_token[2]]   # 米オープンAI -> 米 + オープンAI (not 独ソ戦, 仏独, 日紡)
                candidates.append(Mention(s, first_token[1], entry.label, entry.canonical, rule="model.country",
                                          kb_id=entry.id, priority=P_STATE))
                s = first_token[1]
                surface = text[s:e]
                if surface in stoplist or surface in generic:
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


def _place_step(state: _Scan) -> None:
    """A place and what belongs to it: 東京地裁 (ORG), 東京都知事選 (EVENT); facilities.
    A part of a place (奈良市西部) is the place alone (奈良市), as GSD and mostly Stockmark mark it."""
    state.candidates.extend(place_suffix_mentions(state.text, state.candidates, state.token_at, state.ends, state.context))
    state.candidates.extend(fac_suffix_mentions(state.text, state.tokens, state.context,
                                          [state.token_at[m.start()] for m in state.scan["fac"].finditer(state.text)
                                           if m.start() in state.token_at]))


# The steps, in the order they run: a later step reads what the earlier ones found (the
# people step what the gazetteer took, the model step the gazetteer's hits, the place step
# every candidate), and candidates of equal priority and length keep this order.
STEPS = (
    ("gazetteer", _gazetteer_step),
    ("norp", _norp_step),
    ("compound", _compound_step),
    ("state_noun", _state_noun_step),
    ("people", _people_step),
    ("houses", _house_step),
    ("suffix", _suffix_step),
    ("numbers", _number_step),
    ("proper_nouns", _proper_noun_step),
    ("model", _model_step),
    ("places", _place_step),
)


def recognize(doc, tagger=None, text: str | None = None, skip_tags: tuple[str, ...] = (),
              arrays=None) -> list[Mention]:
    """Mentions in ``doc`` (character offsets into ``doc.text``), sorted by offset: the
    candidates of every step of ``STEPS``, then overlaps resolved (``_resolve``).
    ``skip_tags``: UniDic tag prefixes of tokens the tagger need not score (taken as O);
    ``arrays``: ``token_arrays(doc)`` when the caller has them."""
    text = doc.text if text is None else text
    if not text:
        return []
    state = _new_scan(doc, tagger, text, skip_tags, token_arrays(doc) if arrays is None else arrays)
    for _, step in STEPS:
        step(state)
    return _resolve(state)


def _new_scan(doc, tagger, text: str, skip_tags, arrays) -> _Scan:
    tokens = Tokens(text, arrays, doc.vocab.strings)
    return _Scan(doc, text, tagger, skip_tags, arrays, tokens, dict(zip(tokens.starts, range(len(tokens)))),
                 set(tokens.ends), code_points(text), load_gazetteer(), load_context(), scanners())


def gazetteer_spans(doc) -> list[tuple[int, int, str]]:
    """The gazetteer's names in ``doc`` as (first token, end token, label): the CRF's ``g``
    column, as the model step gives it (training reads it here)."""
    if len(doc) == 0:
        return []
    state = _new_scan(doc, None, doc.text, (), token_arrays(doc))
    _gazetteer_step(state)
    return _token_spans(state)


def _token_spans(state: _Scan) -> list[tuple[int, int, str]]:
    """The gazetteer hits found so far that fall on token edges, in tokens (looked up per
    hit: an index of every token's end would cost a Python step per token)."""
    ends = state.tokens.ends
    return [(state.token_at[m.start], bisect_left(ends, m.end) + 1, m.label) for m in state.candidates
            if m.rule == "gazetteer" and m.start in state.token_at and m.end in state.ends]


def _resolve(state: _Scan) -> list[Mention]:
    """Overlaps resolved by priority, then length; nothing inside a URL; one sense per
    document (a name found once is found again where it recurs); roles attached."""
    text, codes, ends, short = state.text, state.codes, state.ends, state.short
    chosen: list[Mention] = []
    used = bytearray(len(text) + 1)
    for m in URL_PATTERN.finditer(text):
        a, b = m.start(), m.end()
        used[a:b] = b"\x01" * (b - a)
    not_names = set(state.not_names)
    for m in sorted(state.candidates, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        if m.end <= m.start or any(used[m.start:m.end]) or (m.start, m.end) in not_names:
            continue
        chosen.append(m)
        used[m.start:m.end] = b"\x01" * (m.end - m.start)
    for a, b in state.not_names:
        used[a:b] = b"\x01" * (b - a)
    # one sense per document: a name found once is found again where it recurs verbatim
    # (スターゲート, みちびき …), on token boundaries and where nothing else was chosen
    repeated = {}
    for m in chosen:
        surface = text[m.start:m.end]
        if m.label not in _NUMERIC and len(surface) >= 2 and m.rule not in ("compound", "state_noun") \
                and not (m.rule == "model" and _one_common_noun(state, m)):
            repeated.setdefault(surface, m)
    surfaces = [surface for surface, _ in sorted(repeated.items(), key=lambda kv: -len(kv[0]))]
    for rank, at, end in _recurrences(text, codes, state.arrays[0], ends, surfaces):
        if not any(used[at:end]):
            m = repeated[surfaces[rank]]
            chosen.append(replace(m, start=at, end=end, rule=m.rule + ".again", priority=P_MODEL))
            used[at:end] = b"\x01" * (end - at)
    chosen.sort(key=lambda m: m.start)
    out = []
    for m in chosen:
        if m.label == "PERSON" and m.role is None:
            role = role_after(text, m.end, short)
            if role:
                m = replace(m, role=role)
        out.append(m)
    return unify_canonicals(out, text)


def _one_common_noun(state: _Scan, m: Mention) -> bool:
    """The mention is one token that UniDic knows as a common noun (ロケット, メジャー): the
    tagger's reading of it in one place is not spread to its every occurrence, where one
    mistake would become many."""
    i = state.token_at.get(m.start)
    return i is not None and state.tokens.ends[i] == m.end and "普通名詞" in state.tokens.tag(i)


def _recurrences(text: str, codes: np.ndarray, token_starts: np.ndarray, ends: set[int],
                 surfaces: list[str]) -> list[tuple[int, int, int]]:
    """(rank, start, end) of every occurrence of the ``surfaces`` (two characters or more)
    that starts and ends on token edges, in the order of ``surfaces`` and then of the text.
    The token starts whose first two characters begin some surface are picked out with
    numpy, so the text is read once, not once per name (which made a long article of many
    names quadratic)."""
    if not surfaces:
        return []
    rank = {surface: i for i, surface in enumerate(surfaces)}
    lengths: dict[str, set[int]] = {}
    for surface in surfaces:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    keys = np.array(sorted({ord(surface[0]) << 21 | ord(surface[1]) for surface in surfaces}), dtype=np.uint64)
    starts = token_starts[token_starts < len(text) - 1]
    pairs = codes[starts].astype(np.uint64) << np.uint64(21) | codes[starts + 1].astype(np.uint64)
    found_at = np.minimum(np.searchsorted(keys, pairs), len(keys) - 1)
    found = []
    for at in starts[keys[found_at] == pairs].tolist():
        for length in lengths[text[at:at + 2]]:
            end = at + length
            if end in ends:
                position = rank.get(text[at:end])
                if position is not None:
                    found.append((position, at, end))
    found.sort()
    return found


def _country_prefix(first: str, following: str, kind: str, short) -> bool:
    """Whether a model's name of ``kind`` starts with a one-character country (its first
    token) that is a mention of its own: the token after it starts a name (米|オープンAI,
    米|連邦準備制度理事会), not one character (独ソ戦, 日紡) and no country itself (仏独, 英豪).
    A person's name (伊藤, 英斂之) has no prefix, nor has a name that starts with 中 (中公園駅,
    中九州): news writes 中国 before a name, and 中 is the first character of too many words."""
    return (len(first) == 1 and first in short and first != "中" and kind != "PERSON"
            and len(following) >= 2 and following not in short)


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
        low, high = 0, len(piece)  # trimmed by index: a long piece of symbols stays linear
        while low < high and not any(ch.isalnum() for ch in tokens[piece[low]][2]):
            low += 1
        while low < high and not any(ch.isalnum() for ch in tokens[piece[high - 1]][2]):
            high -= 1
        if low < high:
            out.append((tokens[piece[low]][0], tokens[piece[high - 1]][1]))
    return out
