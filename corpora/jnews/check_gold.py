#!/usr/bin/env python3
"""Verify the hand-checked gold corpus in corpora/jnews/.

Usage:  python corpora/jnews/check_gold.py [-v] [ID ...]

For every gold/<id>.json it decodes articles/<id>.txt with the declared encoding and checks:
- the JSON shape (keys, types, formatting as json.dumps(ensure_ascii=False, indent=1)) and that
  every article has a gold file and vice versa; an article whose id is also in the repository's
  seeds/ must be byte-identical to it;
- the encoding (BOM present iff utf-8-sig; exact round trip for CP932 / EUC-JP);
- every span: 0 <= start < end <= len(text), text == decoded[start:end], no surrounding
  whitespace, no line break inside;
- the layout: title == first non-empty line; each section heading is a whole line, in order,
  question/answer are the next lines; section/article `published` match the 公開日 lines;
  key points sit on marker lines and are duplicated consistently at top level; source name/
  url/domain match the source line; takeaways sit on 💡 lines;
- body completeness: every non-space character of a section is covered by exactly one of
  heading / question / answer / 公開日 line / point line / source prefix+URL / body sentence /
  takeaway line (the lead, a plain article's dateline line and a leading 【...】 credit are
  the only text allowed to stay uncovered), and sentences are split by the corpus rule;
- entities: allowed labels, no overlaps, nothing inside a source prefix or URL, role text
  found right after the name, numeric labels look numeric;
- dates: allowed types, well-formed TIMEX3 values and mods, no overlaps, the anchor rule,
  explicit years and era years resolved correctly, 公開日 dates present.
Exit status 0 when everything passes, 1 otherwise.
"""
import json
import os
import re
import sys
import unicodedata
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ENCODINGS = {"utf-8", "utf-8-sig", "cp932", "euc-jp"}
LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "NORP",
          "WORK_OF_ART", "MONEY", "PERCENT", "QUANTITY"}
DATE_TYPES = {"DATE", "TIME", "DURATION", "SET"}
MODS = {"APPROX", "START", "MID", "END", "FY", "BEFORE", "AFTER"}
KINDS = {"fact", "commentary", "reader_voice"}
MARKERS = {"✅", "✔", "☑", "✓", "・"}
ENDERS = "。！？!?"
OPEN, CLOSE = "「（(『", "」）)』"

TOP_KEYS = ["id", "encoding", "title", "published", "sections", "key_points", "takeaways",
            "entities", "dates"]
SECTION_KEYS = ["heading", "published", "question", "answer", "key_points", "source", "body"]

RE_DATE = re.compile(r"^(?:(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?|-(?:SP|SU|FA|WI)|-W(?:\d{2}|XX)(?:-WE)?)?|\d{3}|\d{2}"
                     r"|PAST_REF|PRESENT_REF|FUTURE_REF)$")
RE_TIME = re.compile(r"^(?:(?:\d{4}|XXXX)-(?:\d{2}|XX)-(?:\d{2}|XX))?T(?:\d{2}:\d{2}|MO|AF|EV|NI|DT)$")
RE_DUR = re.compile(r"^P(?=.)(?:(?:\d+(?:\.\d+)?|X)Y)?(?:(?:\d+(?:\.\d+)?|X)M)?(?:(?:\d+(?:\.\d+)?|X)W)?"
                    r"(?:(?:\d+(?:\.\d+)?|X)D)?(?:T(?=.)(?:(?:\d+(?:\.\d+)?|X)H)?(?:(?:\d+(?:\.\d+)?|X)M)?"
                    r"(?:(?:\d+(?:\.\d+)?|X)S)?)?$")
RE_SET_DATE = re.compile(r"^(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?|-W(?:\d{2}|XX)(?:-\d|-WE)?)?(?:T(?:\d{2}:\d{2}|MO|AF|EV|NI))?$")
RE_FREQ = re.compile(r"^\d+X$")
RE_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RE_PUBLISHED_LINE = re.compile(r"^公開日[:：]\s*(.*?)\s*$")
RE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}


class Checker:
    def __init__(self, verbose=False):
        self.errors = []
        self.verbose = verbose
        self.spans = 0

    def err(self, aid, msg):
        self.errors.append(f"{aid}: {msg}")


def parse_kouhai_date(s):
    """公開日 value -> YYYY-MM-DD (full-width, era, 年月日 and slash/hyphen forms)."""
    t = unicodedata.normalize("NFKC", s).strip()
    m = re.fullmatch(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})", t)
    if not m:
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(令和|平成|昭和)(\d{1,2}|元)年(\d{1,2})月(\d{1,2})日", t)
        if not m:
            return None
        n = 1 if m.group(2) == "元" else int(m.group(2))
        y, mo, d = ERAS[m.group(1)] + n, int(m.group(3)), int(m.group(4))
    return f"{y:04d}-{mo:02d}-{d:02d}"


def lines_with_offsets(text):
    """[(start, end_without_newline)] for every line; a line ends at \n, \r\n or \r."""
    out = []
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", text):
        if m.start() == len(text) and m.end() == len(text) and out:
            break
        raw = m.group()
        body = raw.rstrip("\r\n")
        out.append((m.start(), m.start() + len(body)))
        if m.end() == len(text):
            break
    return out


def check_span(ck, aid, where, sp, text, keys):
    ck.spans += 1
    for k in keys:
        if k not in sp:
            ck.err(aid, f"{where}: missing key {k!r} in {sp}")
            return False
    s, e, t = sp["start"], sp["end"], sp["text"]
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
        ck.err(aid, f"{where}: bad offsets {s}-{e} for {t!r}")
        return False
    if text[s:e] != t:
        ck.err(aid, f"{where}: text {t!r} != decoded[{s}:{e}] {text[s:e]!r}")
        return False
    if t != t.strip():
        ck.err(aid, f"{where}: surrounding whitespace in {t!r}")
    if "\n" in t or "\r" in t:
        ck.err(aid, f"{where}: line break inside {t!r}")
    return True


def sentence_ok(t):
    """No sentence boundary inside t (outside brackets), per the corpus rule."""
    depth = 0
    for i, ch in enumerate(t):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in ENDERS and depth == 0:
            rest = t[i + 1:]
            if rest and rest[0] not in ENDERS and rest.strip(ENDERS):
                return False
    return True


def check_article(ck, aid, gold, raw):
    # ---- shape
    if list(gold.keys()) != TOP_KEYS:
        ck.err(aid, f"top-level keys {list(gold.keys())} != {TOP_KEYS}")
        return
    if gold["id"] != aid:
        ck.err(aid, f"id {gold['id']!r} != file name")
    enc = gold["encoding"]
    if enc not in ENCODINGS:
        ck.err(aid, f"encoding {enc!r} not allowed")
        return
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        ck.err(aid, f"cannot decode as {enc}: {exc}")
        return
    has_bom = raw.startswith(b"\xef\xbb\xbf")
    if enc == "utf-8-sig" and not has_bom:
        ck.err(aid, "utf-8-sig declared but no BOM")
    if enc == "utf-8" and has_bom:
        ck.err(aid, "BOM present: declare utf-8-sig")
    if enc in ("cp932", "euc-jp"):
        if text.encode(enc) != raw:
            ck.err(aid, f"{enc} round trip differs")
        try:
            raw.decode("utf-8")
            ck.err(aid, f"{enc} article is also valid UTF-8 (not a real test of the encoding)")
        except UnicodeDecodeError:
            pass

    lines = lines_with_offsets(text)
    line_text = [text[a:b] for a, b in lines]

    def line_of(off):
        for i, (a, b) in enumerate(lines):
            if a <= off <= b:
                return i
        return None

    # ---- title
    first = next((i for i, l in enumerate(line_text) if l.strip()), None)
    exp_title = line_text[first] if first is not None else None
    if gold["title"] != exp_title:
        ck.err(aid, f"title {gold['title']!r} != first non-empty line {exp_title!r}")

    secs = gold["sections"]
    if not isinstance(secs, list) or not secs:
        ck.err(aid, "no sections")
        return
    plain = all(s.get("heading") is None for s in secs)
    if plain and len(secs) != 1:
        ck.err(aid, "plain article must have exactly one section")

    # ---- section regions
    regions = []  # (start_off, end_off, heading_line_idx or None)
    if plain:
        start_line = first + 1
        regions.append((lines[start_line][0] if start_line < len(lines) else len(text), len(text), None))
    else:
        li = first + 2  # title + lead
        starts = []
        for k, s in enumerate(secs):
            if list(s.keys()) != SECTION_KEYS:
                ck.err(aid, f"section {k} keys {list(s.keys())} != {SECTION_KEYS}")
                return
            h = s["heading"]
            while li < len(lines) and line_text[li] != h:
                li += 1
            if li >= len(lines):
                ck.err(aid, f"section {k} heading {h!r} not found as a whole line (in order)")
                return
            starts.append(li)
            li += 1
        for k, li in enumerate(starts):
            end = lines[starts[k + 1]][0] if k + 1 < len(starts) else len(text)
            regions.append((lines[li][0], end, li))

    covered = [None] * len(text)

    def cover(a, b, what):
        for i in range(a, b):
            if covered[i] is not None and not text[i].isspace():
                ck.err(aid, f"offset {i} ({text[i]!r}) covered twice: {covered[i]} and {what}")
                return
            covered[i] = what

    exp_kps = []
    excluded = []  # source prefix + URL ranges
    url_ranges = []
    published_dates = []  # (start, end, iso)
    for k, s in enumerate(secs):
        ra, rb, hli = regions[k]
        if plain:
            for f in ("heading", "question", "answer", "source"):
                if s[f] is not None:
                    ck.err(aid, f"plain article: section.{f} must be null")
            if s["key_points"]:
                ck.err(aid, "plain article: key_points must be empty")
        reg_lines = [i for i, (a, b) in enumerate(lines) if ra <= a < rb or (a == b == ra)]
        used = set()
        if hli is not None:
            cover(*lines[hli], "heading")
            used.add(hli)
            q, a_ = s["question"], s["answer"]
            if q is not None:
                if hli + 1 >= len(lines) or line_text[hli + 1] != q:
                    ck.err(aid, f"section {k}: question {q!r} is not the line after the heading")
                elif not q.rstrip().endswith(("？", "?")):
                    ck.err(aid, f"section {k}: question does not end with ？/?")
                else:
                    cover(*lines[hli + 1], "question")
                    used.add(hli + 1)
                if a_ is None or hli + 2 >= len(lines) or line_text[hli + 2] != a_:
                    ck.err(aid, f"section {k}: answer {a_!r} is not the line after the question")
                else:
                    cover(*lines[hli + 2], "answer")
                    used.add(hli + 2)
            else:
                if a_ is not None:
                    ck.err(aid, f"section {k}: answer without question")
                if hli + 1 < len(lines) and line_text[hli + 1].rstrip().endswith(("？", "?")):
                    ck.err(aid, f"section {k}: line after heading ends with ? but question is null")
        # 公開日
        pub_lines = [i for i in reg_lines if RE_PUBLISHED_LINE.match(line_text[i])]
        if len(pub_lines) > 1:
            ck.err(aid, f"section {k}: more than one 公開日 line")
        if pub_lines:
            i = pub_lines[0]
            m = RE_PUBLISHED_LINE.match(line_text[i])
            iso = parse_kouhai_date(m.group(1))
            if iso is None:
                ck.err(aid, f"section {k}: cannot parse 公開日 {m.group(1)!r}")
            if s["published"] != iso:
                ck.err(aid, f"section {k}: published {s['published']!r} != 公開日 {iso!r}")
            cover(*lines[i], "公開日")
            used.add(i)
            published_dates.append((lines[i][0] + m.start(1), lines[i][0] + m.end(1), iso))
        elif s["published"] is not None and not plain:
            ck.err(aid, f"section {k}: published set but no 公開日 line")
        # key points
        for j, kp in enumerate(s["key_points"]):
            if list(kp.keys()) != ["text", "start", "end"]:
                ck.err(aid, f"section {k} key_point {j}: keys {list(kp.keys())}")
            if not check_span(ck, aid, f"section {k} key_point {j}", kp, text, ["text", "start", "end"]):
                continue
            i = line_of(kp["start"])
            la, lb = lines[i]
            mk = text[la]
            if mk not in MARKERS:
                ck.err(aid, f"section {k} key_point {j}: line does not start with a marker")
            pre = text[la + 1:kp["start"]]
            if pre not in ("", " ", "\u3000"):
                ck.err(aid, f"section {k} key_point {j}: unexpected text between marker and span: {pre!r}")
            if text[kp["end"]:lb].strip():
                ck.err(aid, f"section {k} key_point {j}: span does not reach the line end")
            if not (ra <= kp["start"] < rb):
                ck.err(aid, f"section {k} key_point {j}: outside the section")
            cover(la, lb, "point")
            used.add(i)
            exp_kps.append(dict(kp, section=k, marker=mk, extracted=False))
        # marker lines not annotated
        for i in reg_lines:
            lt = line_text[i]
            if lt[:1] in MARKERS and i not in used and not plain:
                ck.err(aid, f"section {k}: marker line {lt[:20]!r}… is not a key point")
        # source
        src_lines = [i for i in reg_lines if re.match(r"^(さらに読む|出典[:：/])", line_text[i])]
        if s["source"] is None:
            if src_lines:
                ck.err(aid, f"section {k}: source line present but source is null")
        else:
            src = s["source"]
            if list(src.keys()) != ["name", "url", "domain"]:
                ck.err(aid, f"section {k}: source keys {list(src.keys())}")
            if len(src_lines) != 1:
                ck.err(aid, f"section {k}: expected exactly one source line, found {len(src_lines)}")
            else:
                i = src_lines[0]
                la, lb = lines[i]
                lt = line_text[i]
                if "出典/画像元" in lt:
                    mm = re.match(r"^(?:さらに読む\s*)?⇒(.*?)出典/画像元[:：]?", lt)
                    name = mm.group(1).strip() if mm else None
                    pend = la + mm.end() if mm else la
                else:
                    mm = re.match(r"^出典[:：]\s*(.*?)(?=https?://|$)", lt)
                    name = mm.group(1).strip() if mm else None
                    pend = la + (mm.end() if mm else 0)
                if (name or None) != src["name"]:
                    ck.err(aid, f"section {k}: source name {src['name']!r} != {name!r}")
                um = RE_URL.search(lt)
                if src["url"] is None:
                    if um:
                        ck.err(aid, f"section {k}: URL on source line but url is null")
                    if src["domain"] is not None:
                        ck.err(aid, f"section {k}: domain without url")
                    end = pend
                else:
                    if not um or um.group() != src["url"]:
                        ck.err(aid, f"section {k}: url {src['url']!r} != {um.group() if um else None!r}")
                        end = lb
                    else:
                        end = la + um.end()
                        url_ranges.append((la + um.start(), end))
                    if src["domain"] != urlparse(src["url"]).hostname:
                        ck.err(aid, f"section {k}: domain {src['domain']!r} != host of url")
                excluded.append((la, end))
                cover(la, end, "source")
                used.add(i)
        # body
        prev_end = -1
        for j, b in enumerate(s["body"]):
            if list(b.keys()) != ["text", "start", "end", "kind"]:
                ck.err(aid, f"section {k} body {j}: keys {list(b.keys())}")
            if not check_span(ck, aid, f"section {k} body {j}", b, text, ["text", "start", "end", "kind"]):
                continue
            if b["kind"] not in KINDS:
                ck.err(aid, f"section {k} body {j}: kind {b['kind']!r}")
            if b["start"] < prev_end:
                ck.err(aid, f"section {k} body {j}: overlaps or out of order")
            prev_end = b["end"]
            if not (ra <= b["start"] and b["end"] <= rb):
                ck.err(aid, f"section {k} body {j}: outside the section")
            if not sentence_ok(b["text"]):
                ck.err(aid, f"section {k} body {j}: contains a sentence boundary: {b['text']!r}")
            i = line_of(b["start"])
            la, lb = lines[i]
            if not (b["text"][-1] in ENDERS or not text[b["end"]:lb].strip()):
                ck.err(aid, f"section {k} body {j}: sentence neither ends with 。！？!? nor at line end: {b['text']!r}")
            cover(b["start"], b["end"], "body")
    # top-level key points
    if gold["key_points"] != exp_kps:
        ck.err(aid, "top-level key_points do not mirror the section key_points (text/start/end/section/marker/extracted=false)")
    # takeaways
    for j, t in enumerate(gold["takeaways"]):
        if list(t.keys()) != ["text", "start", "end"]:
            ck.err(aid, f"takeaway {j}: keys {list(t.keys())}")
        if not check_span(ck, aid, f"takeaway {j}", t, text, ["text", "start", "end"]):
            continue
        i = line_of(t["start"])
        la, lb = lines[i]
        if not text[la:t["start"]] in ("💡 ", "💡"):
            ck.err(aid, f"takeaway {j}: not on a '💡 ' line")
        if text[t["end"]:lb].strip():
            ck.err(aid, f"takeaway {j}: does not reach the line end")
        cover(la, lb, "takeaway")
    for i, lt in enumerate(line_text):
        if lt.startswith("💡") and covered[lines[i][0]] != "takeaway":
            ck.err(aid, f"💡 line {i} not in takeaways")
    # coverage: nothing in the sections left out
    body_start = regions[0][0]
    allowed = [False] * len(text)
    if plain and first + 1 < len(lines):
        # dateline line (the line right after the title, when it is not a body line)
        la, lb = lines[first + 1]
        if not any(covered[la:lb]):
            for x in range(la, lb):
                allowed[x] = True
    for m in re.finditer(r"(?m)^[\u3000 ]*【[^】\n]*】", text):
        for x in range(m.start(), m.end()):
            allowed[x] = True
    for x in range(body_start, len(text)):
        if covered[x] is None and not text[x].isspace() and not allowed[x]:
            i = line_of(x)
            ck.err(aid, f"uncovered text at {x}: {text[x:lines[i][1]][:40]!r}")
            break
    # plain article dateline/published
    if plain and gold["published"] is not None and not RE_ISO_DAY.match(gold["published"]):
        ck.err(aid, "published not YYYY-MM-DD")
    if not plain:
        if gold["published"] != secs[0]["published"]:
            ck.err(aid, f"published {gold['published']!r} != first section's {secs[0]['published']!r}")

    # ---- entities
    ents = gold["entities"]
    prev = None
    for j, e in enumerate(sorted(ents, key=lambda x: (x["start"], x["end"]))):
        if list(e.keys()) != ["text", "label", "start", "end", "canonical", "role"]:
            ck.err(aid, f"entity {j}: keys {list(e.keys())}")
            continue
        if not check_span(ck, aid, f"entity {e['text']!r}@{e['start']}", e, text, ["text", "start", "end"]):
            continue
        if e["label"] not in LABELS:
            ck.err(aid, f"entity {e['text']!r}: label {e['label']!r}")
        if not isinstance(e["canonical"], str) or not e["canonical"]:
            ck.err(aid, f"entity {e['text']!r}: canonical missing")
        elif e["canonical"] != unicodedata.normalize("NFKC", e["canonical"]):
            ck.err(aid, f"entity {e['text']!r}: canonical not NFKC")
        if e["role"] is not None:
            if not isinstance(e["role"], str) or not e["role"]:
                ck.err(aid, f"entity {e['text']!r}: bad role")
            elif e["role"] not in text[e["end"]:e["end"] + 3 + len(e["role"])]:
                ck.err(aid, f"entity {e['text']!r}@{e['start']}: role {e['role']!r} not found right after the name")
            if e["label"] != "PERSON":
                ck.err(aid, f"entity {e['text']!r}: role on a non-PERSON")
        if prev and e["start"] < prev["end"]:
            ck.err(aid, f"entities overlap: {prev['text']!r}@{prev['start']} and {e['text']!r}@{e['start']}")
        prev = e
        for a, b in excluded:
            if e["start"] < b and a < e["end"]:
                ck.err(aid, f"entity {e['text']!r}@{e['start']} inside a source prefix/URL")
        nt = unicodedata.normalize("NFKC", e["text"])
        if e["label"] == "MONEY" and not re.search(r"円|ドル|ユーロ|ウォン|元|ポンド", nt):
            ck.err(aid, f"MONEY {e['text']!r} has no currency")
        if e["label"] == "PERCENT" and not re.search(r"%|割|パーセント|ポイント", nt):
            ck.err(aid, f"PERCENT {e['text']!r} has no percent unit")
        if e["label"] in ("MONEY", "PERCENT", "QUANTITY") and not re.search(r"[0-9一二三四五六七八九十百千万億兆半数]", nt):
            ck.err(aid, f"{e['label']} {e['text']!r} has no number")
    if ents != sorted(ents, key=lambda x: (x["start"], x["end"])):
        ck.err(aid, "entities not sorted by offset")

    # ---- dates
    dates = gold["dates"]
    sec_bounds = [(ra, rb, s["published"]) for (ra, rb, _), s in zip(regions, secs)]

    def expected_anchor(off):
        if not plain:
            for ra, rb, p in sec_bounds:
                if ra <= off < rb:
                    return p or gold["published"]
        return gold["published"]

    prev = None
    for j, d in enumerate(dates):
        keys = list(d.keys())
        if keys[:6] != ["text", "type", "value", "start", "end", "anchor"] or not set(keys[6:]) <= {"mod", "freq"}:
            ck.err(aid, f"date {j}: keys {keys}")
            continue
        if not check_span(ck, aid, f"date {d['text']!r}@{d['start']}", d, text, ["text", "start", "end"]):
            continue
        ty, v = d["type"], d["value"]
        if ty not in DATE_TYPES:
            ck.err(aid, f"date {d['text']!r}: type {ty!r}")
        ok = {"DATE": RE_DATE, "TIME": RE_TIME, "DURATION": RE_DUR}.get(ty)
        if ty == "SET":
            good = bool(RE_DUR.match(v) or RE_SET_DATE.match(v))
        else:
            good = bool(ok and ok.match(v))
        if not good:
            ck.err(aid, f"date {d['text']!r}: value {v!r} is not a well-formed {ty}")
        if "mod" in d and d["mod"] not in MODS:
            ck.err(aid, f"date {d['text']!r}: mod {d['mod']!r}")
        if "freq" in d and not RE_FREQ.match(d["freq"]):
            ck.err(aid, f"date {d['text']!r}: freq {d['freq']!r}")
        exp = expected_anchor(d["start"])
        if d["anchor"] != exp:
            ck.err(aid, f"date {d['text']!r}@{d['start']}: anchor {d['anchor']!r} != {exp!r}")
        if d["anchor"] is None and re.match(r"^\d{4}", v) and not re.search(r"\d{4}|令和|平成|昭和", unicodedata.normalize("NFKC", d["text"])):
            ck.err(aid, f"date {d['text']!r}: year {v[:4]} guessed without an anchor")
        nt = unicodedata.normalize("NFKC", d["text"])
        m = re.search(r"(\d{4})年(代)?", nt)
        if m and m.group(2):
            if v != m.group(1)[:3]:
                ck.err(aid, f"date {d['text']!r}: decade value should be {m.group(1)[:3]!r}")
        elif m and ty in ("DATE", "TIME") and not v.startswith(m.group(1)):
            ck.err(aid, f"date {d['text']!r}: value {v!r} does not carry the explicit year")
        m = re.search(r"(令和|平成|昭和)(\d+|元)年", nt)
        if m and ty in ("DATE", "TIME"):
            y = ERAS[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
            if not v.startswith(str(y)):
                ck.err(aid, f"date {d['text']!r}: era year should be {y}")
        if prev and d["start"] < prev["end"]:
            ck.err(aid, f"dates overlap: {prev['text']!r} and {d['text']!r}")
        prev = d
        for a, b in url_ranges:
            if d["start"] < b and a < d["end"]:
                ck.err(aid, f"date {d['text']!r} inside a URL")
    if dates != sorted(dates, key=lambda x: (x["start"], x["end"])):
        ck.err(aid, "dates not sorted by offset")
    have = {(d["start"], d["end"], d["value"], d["type"]) for d in dates}
    for a, b, iso in published_dates:
        if (a, b, iso, "DATE") not in have:
            ck.err(aid, f"公開日 date {text[a:b]!r} missing from dates (value {iso})")
    if ck.verbose:
        kinds = {}
        for s in secs:
            for b in s["body"]:
                kinds[b["kind"]] = kinds.get(b["kind"], 0) + 1
        print(f"  {aid}: {enc}, {len(text)} chars, {len(secs)} sections, {len(gold['key_points'])} points, "
              f"{sum(kinds.values())} sentences {kinds}, {len(gold['takeaways'])} takeaways, "
              f"{len(ents)} entities, {len(dates)} dates")


def main(argv):
    verbose = "-v" in argv
    only = [a for a in argv if not a.startswith("-")]
    ck = Checker(verbose)
    art_dir, gold_dir = os.path.join(HERE, "articles"), os.path.join(HERE, "gold")
    arts = {f[:-4] for f in os.listdir(art_dir) if f.endswith(".txt")}
    golds = {f[:-5] for f in os.listdir(gold_dir) if f.endswith(".json")}
    for a in sorted(arts - golds):
        ck.err(a, "article without gold file")
    for g in sorted(golds - arts):
        ck.err(g, "gold file without article")
    n = 0
    for aid in sorted(arts & golds):
        if only and aid not in only and not any(aid.startswith(o) for o in only):
            continue
        with open(os.path.join(gold_dir, aid + ".json"), encoding="utf-8") as f:
            src = f.read()
        gold = json.loads(src)
        if src != json.dumps(gold, ensure_ascii=False, indent=1) + "\n":
            ck.err(aid, "gold file is not formatted as json.dumps(ensure_ascii=False, indent=1) + newline")
        with open(os.path.join(art_dir, aid + ".txt"), "rb") as f:
            raw = f.read()
        seed = os.path.join(REPO, "seeds", aid + ".txt")
        if os.path.exists(seed):
            with open(seed, "rb") as f:
                if f.read() != raw:
                    ck.err(aid, f"article differs from its seed copy {seed}")
        check_article(ck, aid, gold, raw)
        n += 1
    for e in ck.errors:
        print("ERROR", e)
    status = "OK" if not ck.errors else "FAILED"
    print(f"{status}: {n} articles, {ck.spans} spans checked, {len(ck.errors)} errors")
    return 0 if not ck.errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
