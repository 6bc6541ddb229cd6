"""PERSON rules: names found through the role or honorific after them (山田太郎氏,
ヘグセス米国防長官), and the role that follows a name found by any other rule."""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import load_gazetteer, load_roles
from .mention import ADMIN_SUFFIXES, HONORIFICS, P_ROLE_PERSON, Mention, is_katakana_name, char_class_name, nfkc

# private to pipeline.entities: rules.recognize imports role_people, role_after, trailing_role,
# leading_role, is_role and house_mentions
__all__: list[str] = []


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


def is_role(surface: str) -> bool:
    """The whole surface is a role (大統領, 国防長官): a title, never a name by itself."""
    role = _role_at(surface, 0)
    return role is not None and len(role) == len(surface)


def role_after(text: str, end: int, short) -> str | None:
    """The role right after a name; a one-kanji country between them (ヘグセス米国防長官)
    is not part of the role."""
    if end < len(text) and text[end] in short:
        role = _role_at(text, end + 1)
        if role:
            return role
    return _role_at(text, end)


def trailing_role(text, tokens, token_at, s, e):
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
            and not is_katakana_name(tokens[i][2]):
        return None  # 選挙管理委員長: no name before the role
    return best


# After one of these (首相, 大統領, 国防長官, 外務大臣, 防衛相) even a dictionary word is a name
# (カーニー首相): no common word comes before them, as サッカー before 選手 does.
_GOVERNMENT_ROLES = ("相", "大統領", "長官", "大臣")
def leading_role(text, token_ends, s, e):
    """(name_start, role) when a person's span starts with a title (大統領ハサン・ロウハーニー,
    子爵クィンティン…): the title ends on a token edge and a name of two or more characters
    follows it."""
    role = _role_at(text, s)
    if role is None or s + len(role) not in token_ends or e - (s + len(role)) < 2:
        return None
    return s + len(role), role


_FAMILIAR = HONORIFICS - {"氏", "殿"}  # a name before one of these is a person, whatever its tag
_NAME_BREAK = set("のとはがをにでもへや、。・「」『』（）()　 ")


def _may_end_name(tag: str, surface: str) -> bool:
    """The first step of the walk back in ``role_people``, with any role."""
    return "人名" in tag or (is_katakana_name(surface) and "固有名詞-地名" not in tag) or (
        "固有名詞" in tag and "地名-国" not in tag)


def role_people(text, tokens, indexes, short, taken, dictionary_word=lambda k: False) -> list[Mention]:
    """PERSON mentions found through the role after them: 山田太郎氏, ルッテ事務総長.
    ``indexes``: the tokens a role may start at (near a role word); ``dictionary_word(k)``:
    whether token ``k`` is a word of UniDic's (not one it made up for an unknown string).
    One common noun of the dictionary is no name (サッカー選手, スタッフさん, デザイナーさん)
    but before a government title: UniDic tags an unknown katakana name 普通名詞 too, but
    gives it no reading. A place before its office (茨城県知事) is no name either."""
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
            _, _, tsurface, ttag = tokens[j]
            if "人名" in ttag or (is_katakana_name(tsurface) and "固有名詞-地名" not in ttag) or (
                    "固有名詞" in ttag and "地名-国" not in ttag and role not in _FAMILIAR) or (
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
        if first == i - 1 and "普通名詞" in tokens[first][3] and not role.endswith(_GOVERNMENT_ROLES) \
                and dictionary_word(first):
            continue
        if "地名" in tokens[i - 1][3] and role[0] in ADMIN_SUFFIXES:
            continue  # 茨城県知事, 奈良市長: the place's governor or mayor, not a person named 茨城
        if role in ("さん", "君", "ちゃん", "様", "さま") and not ("人名" in tokens[i - 1][3] or is_katakana_name(name)):
            continue
        found.append(Mention(start, end, "PERSON", nfkc(name), role=role, rule="role", priority=P_ROLE_PERSON))
    return found


_HOUSE_NAME_TOKENS = 4  # tokens of a name read back from 家 (bounded: linear on a run of names)


def house_mentions(text, tokens, token_at) -> list[Mention]:
    """A family or dynasty: personal-name tokens + the suffix 家 (重富家, ハプスブルク家, 安倍家) is
    one ORG, as GSD annotates houses, not a PERSON with 家 after it. 政治家, 小説家 (家 after a
    common noun) are no house."""
    found = []
    at = text.find("家")
    while at != -1:
        i = token_at.get(at)
        if i is not None and i > 0 and tokens.ends[i] == at + 1 and tokens.tag(i).startswith("接尾辞"):
            first = i
            while first > 0 and i - first < _HOUSE_NAME_TOKENS and "人名" in tokens.tag(first - 1):
                first -= 1
            if first < i:
                start = tokens.starts[first]
                found.append(Mention(start, at + 1, "ORG", nfkc(text[start:at + 1]), rule="house",
                                     priority=P_ROLE_PERSON + 1))
        at = text.find("家", at + 1)
    return found
