"""Context rules: mentions found by the words around a name rather than by the name itself.

…法 / …条約 (LAW), …社 / …庁 / …機構 (ORG), place + 地裁 / 知事選, proper noun + 空港 / 原発
(FAC), 漫画「…」 / 台風10号, 【ワシントン共同】 datelines, and UniDic's own proper-noun runs.
``scanners`` holds the regexes that say where each rule, these and ``recognize``'s own, could fire."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .gazetteer import load_context, load_gazetteer
from .mention import (ADMIN_SUFFIXES, HONORIFICS, P_COMPOUND, P_GAZETTEER, P_MODEL, P_NUMBER, P_RULE, Mention, is_katakana_name,
                      char_class_name, nfkc)

# private to pipeline.entities: rules.recognize imports the rules and scanners
__all__: list[str] = []


@lru_cache(maxsize=1)
def scanners() -> dict:
    """Regexes that find where a rule could fire, so rules look only at those tokens."""
    context = load_context()
    short = "".join(sorted(load_gazetteer().short))
    prefixes = "".join(context["compound_prefixes"])

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    role_heads = [*sorted(HONORIFICS), "相", "大臣", "長官", "首相", "大統領", "総裁", "総書記",
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


def org_names(text, tokens, token_at, token_ends, context) -> list[Mention]:
    """A run of nouns ending in an organization word: ミナト電機工業, 住宅金融支援機構,
    日本自動車工業会, 万博協会 (ORG). Kept whole over a place inside it."""
    stop_first = set(context["org_name_stop_first"])
    strong = set(context["org_name_strong_heads"])
    legal_forms = context["org_legal_forms_before"]
    known = load_gazetteer().surfaces  # a name the gazetteer knows names the body too (万博協会)
    pattern = scanners()["org_head"]
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
        while j >= 0 and i - j <= 8 and is_katakana_name(tokens[j][2]) and "\u30a1" <= tokens[j + 1][2][:1] <= "\u30fa":
            j -= 1  # a name starts where its katakana does, whatever UniDic made of a piece (イー|バンク銀行)
        first = j + 1
        while first < i and tokens[first][3].startswith("接尾辞"):
            first += 1
        while first < i and tokens[first][2] in stop_first:
            first += 1
        if first >= i:
            continue
        named = any("固有名詞" in t[3] or is_katakana_name(t[2]) or (t[2].isascii() and t[2].isalnum())
                    or t[2] in known for t in tokens[first:i])
        if not named and (hit.group() not in strong or i - first < 2):
            continue  # 学校建設, 事業グループ: a weak head needs a name before it; 警察機構, 年金基金: one
            # common noun before a strong head is a word (a mechanism, a fund), 住宅金融支援機構 a name
        start = tokens[first][0]
        legal = next((form for form in legal_forms if text.startswith(form, start) and start + len(form) < hit.start()), None)
        if legal:
            start += len(legal)  # 社団法人|日本レコード協会: the legal form is no part of the name (GSD, Stockmark)
        found.append(Mention(start, end, "ORG", nfkc(text[start:end]), rule="org_name", priority=P_GAZETTEER + 2))
    return found


def daytime(text, tokens, i, context) -> bool:
    """Token ``i``, 日中, is the daytime, not Japan and China: no relations word follows it
    (関係, 首脳 …), and a weather word comes within 8 characters after it (日中は晴れ) or a
    day of the month before it with no noun after it (30日、日中は, 4日の日中に)."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is not None and following[2] in context["compound_heads_for_nicchu"]:
        return False
    end = tokens[i][1]
    if any(word in text[end:end + 8] for word in context["weather_words"]):
        return True
    j = i - 1 if i and tokens[i - 1][2] not in ("、", "の", "，") else i - 2
    after_a_day = j >= 1 and tokens[j][2] == "日" and tokens[j][3].startswith("接尾辞") and tokens[j - 1][2][-1:].isdigit()
    return after_a_day and not (following is not None and following[3].startswith("名詞"))


_POS_LABEL = (("固有名詞-人名", "PERSON"), ("固有名詞-地名-国", "GPE"), ("固有名詞-地名", "GPE"),
              ("固有名詞-組織", "ORG"))


@lru_cache(maxsize=None)
def _proper_label(tag: str) -> str | None:
    if "固有名詞" in tag:
        for prefix, label in _POS_LABEL:
            if prefix in tag:
                return label
    return None


def proper_noun_runs(text, tokens) -> list[Mention]:
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
                or run_label == "GPE" and text[starts[k]:ends[k]] in ADMIN_SUFFIXES):
            run_end = ends[k]
            k += 1
        # the token after the run (or the end of the text)
        s, surface = (starts[k], text[starts[k]:ends[k]]) if k < len(starts) else (len(text), "")
        surface_run = text[run_start:run_end]
        # 東京シリーズ, 種子島 + 宇宙センター: the place names something else
        names_other = run_label == "GPE" and s == run_end and (
            is_katakana_name(surface) or surface.isascii() and surface.isalnum())
        if not names_other and (len(surface_run) >= 2 or run_label != "PERSON"):
            found.append(Mention(run_start, run_end, run_label, nfkc(surface_run), rule="unidic",
                                 priority=P_MODEL - 1))
        resume = k
    return found


_GLUED_AFTER = set("区社")  # 東京都港|区, 北海道新聞|社: the name goes on (an empty string is no member)


def place_suffix_mentions(text, candidates, token_at, token_ends, context) -> list[Mention]:
    suffixes = sorted(context["place_suffixes"].items(), key=lambda kv: -len(kv[0]))
    found = []
    places = [m for m in candidates if m.label in ("GPE", "LOC") and m.rule in ("gazetteer", "model", "model.admin",
                                                                                  "unidic")]
    table = dict(suffixes)
    pattern = scanners()["place_suffix"]
    for m in places:
        if m.start > 0 and char_class_name(text[m.start - 1]):
            continue  # inside a longer name: 全|日本大学, 太陽|神戸銀行, 新|大阪駅, 南|ドイツ新聞
        hit = pattern.match(text, m.end)
        for suffix, label in ([(hit.group(), table[hit.group()])] if hit else []):
            if (m.end + len(suffix)) in token_ends and text[m.end + len(suffix):m.end + len(suffix) + 1] not in _GLUED_AFTER:
                end = m.end + len(suffix)
                found.append(Mention(m.start, end, label, nfkc(text[m.start:end]), rule="place.body",
                                     priority=P_GAZETTEER + 3))
                break
    for hit in scanners()["bare"].finditer(text):
        s, end = hit.start(), hit.end()
        if s in token_at and end in token_ends and not (s > 0 and char_class_name(text[s - 1])):
            found.append(Mention(s, end, table[hit.group()[1:]], nfkc(hit.group()), rule="place.bare",
                                 priority=P_RULE))
    return found


_MAX_FAC_NAME_TOKENS = 8


def fac_suffix_mentions(text, tokens, context, indexes) -> list[Mention]:
    """Proper nouns + 原発 / 空港 / 駅 / 新幹線 …: FAC. The name is the run of name-like tokens
    (proper nouns, katakana names, Latin words, numerals but not right before the head) before
    the head. Where each run starts is remembered, so a text that is one long run of names and
    heads (東京ドーム東京ドーム…) is read once, not once per head."""
    heads = set(context["fac_suffixes"])

    def name_like(j: int) -> bool:
        surface, tag = tokens[j][2], tokens[j][3]
        return "固有名詞" in tag or is_katakana_name(surface) or (surface.isascii() and surface.isalnum())

    run_start: dict[int, int] = {}  # j -> first token of the name-like run that ends at j

    def start_of_run(k: int) -> int:
        visited = []
        j = k
        while j not in run_start:
            visited.append(j)
            if j == 0 or not (name_like(j - 1) or "数詞" in tokens[j - 1][3]):
                run_start[j] = j
                break
            j -= 1
        first = run_start[j]
        for j in visited:
            run_start[j] = first
        return first

    found = []
    for i in indexes:
        s, e, surface, tag = tokens[i]
        if surface not in heads or i == 0 or not name_like(i - 1):
            continue
        first = start_of_run(i - 1)
        if i - first > _MAX_FAC_NAME_TOKENS:
            continue  # no facility has such a name; the span would be as long as the run
        if "数詞" not in tokens[first][3] and not (tokens[first][0] > 0 and char_class_name(text[tokens[first][0] - 1])):
            found.append(Mention(tokens[first][0], e, "FAC", nfkc(text[tokens[first][0]:e]), rule="fac_suffix",
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


def titled_and_events(text, context) -> list[Mention]:
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


def dateline_mentions(text, gazetteer, context) -> list[Mention]:
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


# The longest run of tokens a name before its head may have (…条約, …社): far above real
# names (東日本大震災復興特別区域法 is 7 tokens). A longer run is no name, and not scanning past
# the bound keeps a text that is one long run of nouns and heads linear.
_MAX_LAW_NAME_TOKENS = 16
_MAX_ORG_NAME_TOKENS = 12


def _name_start(tokens, i: int, part_of_name, limit: int) -> int | None:
    """The first of the tokens before ``i`` that all satisfy ``part_of_name``; None when
    there are more than ``limit`` of them."""
    j = i - 1
    while j >= 0 and part_of_name(tokens[j]):
        if i - j > limit:
            return None
        j -= 1
    return j + 1


def suffix_rules(tokens, context, indexes) -> list[Mention]:
    found = []
    law_heads = set(context["law_heads"])
    needs_name = set(context["law_needs_name"])
    short = load_gazetteer().short
    stop_first = set(context["law_stop_first"])
    org_suffixes = set(context["org_suffixes"])
    for i in indexes:
        s, e, surface, tag = tokens[i]
        if surface in law_heads and i > 0:
            first = _name_start(tokens, i, lambda t: t[3].startswith(("名詞", "接頭辞")) and "数詞" not in t[3]
                                and t[2] not in stop_first and not t[2].isspace(), _MAX_LAW_NAME_TOKENS)
            if first == i - 1 and surface == "法" and "サ変可能" in tokens[first][3]:
                continue  # 調理法, 治療法, 計算法: a way of doing something, not a law
            if first is not None and first < i and not (first == i - 1 and len(tokens[first][2]) == 1):
                run = tokens[first:i]
                named = any("固有名詞" in t[3] or is_katakana_name(t[2]) or all(c in short for c in t[2])
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
            first = _name_start(tokens, i, lambda t: is_katakana_name(t[2]) or t[2].isascii() and t[2].isalnum()
                                or "固有名詞" in t[3], _MAX_ORG_NAME_TOKENS)
            if first is not None and first < i:
                start = tokens[first][0]
                found.append(Mention(start, e, "ORG", nfkc("".join(t[2] for t in tokens[first:i + 1])),
                                     rule="org_suffix", priority=P_RULE))
    return found
