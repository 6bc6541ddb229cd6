"""``jnews report RUN.jsonl -o report.html``: one static HTML page for a run, to look at
without Jupyter. Also the HTML pieces the notebooks show (``article_html``).

The page is self-contained and works offline: inline CSS, no scripts, no fonts, images or
style sheets from anywhere; the only external addresses are each article's own source links
(``<a href>``, which load nothing until clicked). For every article it shows the text with
entities and dates highlighted (spaCy displaCy in manual mode, from the summary's own
offsets), the structure (sections, 公開日, Q&A, ✅ points, sources, 💡 takeaways), and tables
of entities, dates and keywords. The same run file always gives the same bytes.

A summary carries offsets but not the article text, so the text is read again from the
summary's ``source_path`` (a .txt file, or the record with the same id in a .jsonl[.gz]),
looked up as given, next to the run file, and under each ``--root``. It is used only when
every span's ``text`` matches its slice. Otherwise the text is rebuilt from the spans the
summary has (key points, body sentences, takeaways, entities, dates), with ``…`` for the gaps.
"""

from __future__ import annotations

import html
import os
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..io.output import iter_run
from ..entities.colors import LABEL_COLORS
from .texts import ArticleText, good_span, shown_span, TextFinder, find_text, read_run, rebuild_text
from ..records import is_error

__all__ = [
    "LABEL_COLORS", "ArticleText", "read_run", "iter_run", "find_text", "rebuild_text", "highlight_spans",
    "highlighted_html", "article_html", "render_report", "write_report",
]



def _color(label: str) -> str:
    if label in LABEL_COLORS:
        return LABEL_COLORS[label]
    hue = zlib.crc32(label.encode("utf-8")) % 360  # stable across runs and machines
    return f"hsl({hue}, 70%, 82%)"


def _e(value) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


# ----------------------------------------------------------------------------- highlighting

def highlight_spans(summary: dict, article: ArticleText | None = None, *, dates: bool = True) -> list[dict]:
    """displaCy ``ents`` for a summary: entities, then dates that overlap no entity, each checked
    against the text (a span whose text differs from the slice is left out); sorted by start."""
    text = article.text if article else None
    candidates = []
    for entity in summary.get("entities") or []:
        if good_span(entity):
            candidates.append((entity, str(entity.get("label") or "ENTITY"), entity.get("canonical")))
    if dates:
        for date in summary.get("dates") or []:
            if good_span(date):
                candidates.append((date, str(date.get("type") or "DATE"), date.get("value")))
    kept: list[dict] = []
    taken: list[tuple[int, int]] = []
    for obj, label, detail in candidates:
        span = (obj["start"], obj["end"])
        if article is not None:
            span = shown_span(article, *span)
            if span is None or text is None or text[span[0]:span[1]] != obj["text"]:
                continue
        if span[0] == span[1] or any(a < span[1] and span[0] < b for a, b in taken):
            continue
        taken.append(span)
        ent = {"start": span[0], "end": span[1], "label": _e(label)}
        if detail and detail != obj["text"]:
            ent["kb_id"] = _e(detail)
        kept.append(ent)
    kept.sort(key=lambda e: (e["start"], e["end"]))
    return kept


_KB_LINK = re.compile(r'<a style="text-decoration: none; color: inherit; font-weight: normal" href="#">(.*?)</a>',
                      re.S)


def highlighted_html(text: str, ents: list[dict]) -> str:
    """displaCy's entity markup for ``text`` with the given spans (manual mode)."""
    from spacy import displacy

    labels = sorted({e["label"] for e in ents})
    colors = {label: _color(html.unescape(label)) for label in labels}
    markup = displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True, page=False,
                             minify=True, jupyter=False, options={"colors": colors})
    # the canonical name / date value is shown after the label, not as a link
    return _KB_LINK.sub(r'<span class="jn-kb">\1</span>', markup)


CSS = """
.jn-article{display:grid;grid-template-columns:minmax(0,3fr) minmax(16rem,2fr);gap:1.5rem;align-items:start}
.jn-text{font-size:15px;border:1px solid #ddd;border-radius:6px;padding:1rem;background:#fff;overflow-wrap:anywhere;
word-break:break-all;overflow:hidden}
.jn-text .entities{line-height:2.6!important}
.jn-kb{font-weight:normal;margin-left:.25em}
.jn-side{font-size:14px}
.jn-side h4{margin:.9rem 0 .3rem;font-size:14px}
.jn-side ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
.jn-side li{margin:.15rem 0}
.jn-point{list-style:none;margin-left:-1.2rem}
.jn-meta{color:#555;font-size:12px}
.jn-q{font-weight:bold}
.jn-note{color:#8a5a00;background:#fff7e0;border:1px solid #f0d890;border-radius:4px;padding:.3rem .6rem;font-size:13px}
.jn-table{border-collapse:collapse;font-size:13px;margin:.4rem 0 1rem}
.jn-table th,.jn-table td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.jn-table th{background:#f4f4f4}
.jn-table td.num{text-align:right;font-variant-numeric:tabular-nums}
.jn-chip{display:inline-block;border-radius:.3em;padding:0 .4em;font-size:12px;font-weight:bold}
"""


def _chip(label: str) -> str:
    return f'<span class="jn-chip" style="background:{_color(label)}">{_e(label)}</span>'


def _key_points_html(summary: dict) -> str:
    sections = summary.get("sections") or []
    out = []
    for number, section in enumerate(sections):
        heading = section.get("heading")
        points = section.get("key_points") or []
        if heading is None and not points and not section.get("question"):
            continue
        out.append(f"<h4>{_e(heading) if heading else f'セクション {number + 1}'}</h4>")
        meta = []
        if section.get("published"):
            meta.append(f"公開日 {_e(section['published'])}")
        source = section.get("source") or {}
        if source.get("name") or source.get("url"):
            meta.append(f"出典 {_e(source.get('name') or source.get('domain') or '')}")
        if meta:
            out.append(f'<div class="jn-meta">{" · ".join(meta)}</div>')
        if section.get("question"):
            out.append(f'<div><span class="jn-q">Q.</span> {_e(section["question"])}</div>')
        if section.get("answer"):
            out.append(f'<div><span class="jn-q">A.</span> {_e(section["answer"])}</div>')
        if points:
            out.append("<ul>" + "".join(f'<li class="jn-point">✅ {_e(p.get("text"))}</li>' for p in points) + "</ul>")
    extracted = [p for p in summary.get("key_points") or [] if p.get("extracted")]
    if extracted:
        out.append("<h4>要点 (自動抽出)</h4><ul>"
                   + "".join(f'<li>{_e(p.get("text"))}</li>' for p in extracted) + "</ul>")
    takeaways = summary.get("takeaways") or []
    if takeaways:
        out.append("<h4>💡 まとめ</h4><ul>"
                   + "".join(f'<li class="jn-point">💡 {_e(t.get("text"))}</li>' for t in takeaways) + "</ul>")
    if not out:
        out.append('<div class="jn-meta">要点なし (no key points)</div>')
    return "".join(out)


def article_html(summary: dict, article: ArticleText | None = None, *, with_css: bool = True,
                 run_path: str | os.PathLike | None = None, roots: Iterable[str | os.PathLike] = ()) -> str:
    """The article's highlighted text with its ✅ points, 💡 takeaways and Q&A beside it:
    an HTML fragment (with its own ``<style>`` unless ``with_css=False``), for Jupyter's
    ``IPython.display.HTML`` or the report page."""
    if article is None:
        article = find_text(summary, run_path=run_path, roots=roots)
    parts = [f"<style>{CSS}</style>"] if with_css else []
    if is_error(summary):
        error = summary.get("error") or {}
        parts.append(f'<div class="jn-note">error {_e(error.get("kind"))}: {_e(error.get("message"))}</div>')
        return "".join(parts)
    if article.text is None:
        body = '<div class="jn-note">The article text is not available (no source file and no spans).</div>'
    else:
        note = ""
        if article.how == "rebuilt":
            note = ('<div class="jn-note">The source file was not found: the text is rebuilt from the summary\'s '
                    'spans (… marks what the summary does not contain). Give its folder with --root.</div>')
        body = note + highlighted_html(article.text, highlight_spans(summary, article))
    parts.append(f'<div class="jn-article"><div class="jn-text">{body}</div>'
                 f'<div class="jn-side">{_key_points_html(summary)}</div></div>')
    return "".join(parts)


# ----------------------------------------------------------------------------- the page

def _table(headers: list[str], rows: list[list], numeric: Iterable[int] = ()) -> str:
    if not rows:
        return '<div class="jn-meta">(none)</div>'
    numeric = set(numeric)
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for n, value in enumerate(row):
            cls = ' class="num"' if n in numeric else ""
            cells.append(f"<td{cls}>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="jn-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _source_link(url) -> str:
    if isinstance(url, str) and re.match(r"https?://[^\s\"'<>]+$", url):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>'
    return _e(url)


def _article_section(row: int, summary: dict, article: ArticleText) -> str:
    anchor = f"article-{row}"
    title = summary.get("title") or summary.get("id")
    meta = [f"id <code>{_e(summary.get('id'))}</code>"]
    if summary.get("source_path"):
        meta.append(f"file <code>{_e(summary.get('source_path'))}</code>")
    if summary.get("published"):
        meta.append(f"公開日 {_e(summary.get('published'))}")
    stats = summary.get("stats") or {}
    if stats:
        meta.append(f"{_e(stats.get('chars'))} chars · {_e(stats.get('tokens'))} tokens · "
                    f"{_e(stats.get('sentences'))} sentences")
    if article.how == "source":  # no resolved path: the page must not depend on where it was made
        meta.append("text read from the source file and checked against every span")
    out = [f'<section class="jn-section" id="{anchor}"><h2>{row + 1}. {_e(title)}</h2>',
           f'<div class="jn-meta">{" · ".join(meta)}</div>']
    for warning in summary.get("warnings") or []:
        out.append(f'<div class="jn-note">warning: {_e(warning)}</div>')
    out.append(article_html(summary, article, with_css=False))
    if is_error(summary):
        out.append("</section>")
        return "".join(out)
    sources = [(n, s.get("source") or {}) for n, s in enumerate(summary.get("sections") or []) if s.get("source")]
    if sources:
        out.append("<h3>出典 (sources)</h3>")
        out.append(_table(["section", "name", "url"],
                          [[str(n + 1), _e(src.get("name")), _source_link(src.get("url"))] for n, src in sources]))
    entities = [e for e in summary.get("entities") or [] if isinstance(e, dict)]
    out.append(f"<h3>固有表現 (entities: {len(entities)})</h3>")
    out.append(_table(["text", "label", "canonical", "role", "id", "start", "end"],
                      [[_e(e.get("text")), _chip(str(e.get("label"))), _e(e.get("canonical")), _e(e.get("role")),
                        f"<code>{_e(e.get('id'))}</code>" if e.get("id") else "",
                        _e(e.get("start")), _e(e.get("end"))] for e in entities], numeric=(5, 6)))
    dates = [d for d in summary.get("dates") or [] if isinstance(d, dict)]
    out.append(f"<h3>日付 (dates: {len(dates)})</h3>")
    out.append(_table(["text", "type", "value", "mod", "anchor", "start", "end"],
                      [[_e(d.get("text")), _chip(str(d.get("type"))), _e(d.get("value")), _e(d.get("mod")),
                        _e(d.get("anchor")), _e(d.get("start")), _e(d.get("end"))] for d in dates], numeric=(5, 6)))
    keywords = [k for k in summary.get("keywords") or [] if isinstance(k, dict)]
    if keywords:
        out.append(f"<h3>キーワード (keywords: {len(keywords)})</h3>")
        out.append(_table(["keyword", "score"], [[_e(k.get("text")), _e(k.get("score"))] for k in keywords],
                          numeric=(1,)))
    out.append('<p class="jn-meta"><a href="#top">↑ top</a></p></section>')
    return "".join(out)


# Nothing may load: a style sheet, image, font, script or frame from anywhere is blocked by the
# browser (and reported on its console), so the page is offline by construction.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

PAGE_CSS = """
body{font-family:"Hiragino Sans","Noto Sans CJK JP","Noto Sans JP","IPAexGothic","Yu Gothic",Meiryo,sans-serif;
margin:0;padding:1.5rem 2rem 4rem;color:#222;background:#fafafa;max-width:92rem}
h1{font-size:22px;margin:.2rem 0 .6rem} h2{font-size:19px;margin:0 0 .3rem} h3{font-size:15px;margin:1rem 0 .2rem}
.jn-section{border-top:3px solid #ccc;margin-top:2rem;padding-top:1rem}
.jn-toc{columns:2;font-size:14px} .jn-legend .jn-chip{margin:.1rem .2rem}
code{font-size:12px;background:#eee;padding:0 .2em;border-radius:3px}
a{color:#1a55a0}
@media (max-width:800px){.jn-article{grid-template-columns:1fr}.jn-toc{columns:1}}
"""


def _stories_html(run_path: Path, shown: int) -> str:
    """The stories of two or more articles (``jnews stories``), linked to the articles shown."""
    from ..across.stories import find_stories

    shared = [s for s in find_stories(lambda: iter_run(run_path)) if len(s.articles) > 1]
    if not shared:
        return ""
    rows = []
    for story in shared:
        links = ", ".join(f'<a href="#article-{a["row"]}">{a["row"] + 1}</a>' if a["row"] < shown else str(a["row"] + 1)
                          for a in story.articles)
        rows.append([_e(story.title), links, _e(" · ".join(story.entities)), _e(" – ".join(d or "?" for d in story.published))])
    return (f"<h3>Stories told by more than one article ({len(shared)})</h3>"
            + _table(["title", "articles", "entities", "published"], rows))


def render_report(run_path: str | os.PathLike, *, roots: Iterable[str | os.PathLike] = (),
                  title: str | None = None, limit: int | None = None) -> str:
    """The whole page for a run, as a string (deterministic for the same run and sources).
    ``limit``: show only the first N articles (the counts at the top cover the whole run)."""
    run_path = Path(run_path)
    summaries, total, errors, warned = [], 0, 0, 0
    labels, types, canonicals, versions = Counter(), Counter(), Counter(), set()
    for summary in iter_run(run_path):  # one pass; only the articles shown are kept
        total += 1
        errors += is_error(summary)
        warned += bool(summary.get("warnings"))
        entities = [e for e in summary.get("entities") or [] if isinstance(e, dict)]
        labels.update(str(e.get("label")) for e in entities)
        canonicals.update((str(e.get("label")), str(e.get("canonical") or e.get("text"))) for e in entities)
        types.update(str(d.get("type")) for d in summary.get("dates") or [] if isinstance(d, dict))
        if summary.get("pipeline"):
            versions.add(str(summary["pipeline"].get("version")))
        if limit is None or len(summaries) < limit:
            summaries.append(summary)
    finder = TextFinder(run_path.parent, roots)
    articles = [ArticleText(None, "none") if is_error(s) else find_text(s, _finder=finder) for s in summaries]
    versions = sorted(versions)
    name = title or f"jnews report: {run_path.name}"
    head = (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="jnews-pipeline">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{_e(name)}</title><style>{PAGE_CSS}{CSS}</style></head><body>")
    out = [head, f'<h1 id="top">{_e(name)}</h1>']
    rebuilt = sum(1 for a in articles if a.how == "rebuilt")
    out.append(f'<div class="jn-meta">{total} articles · {errors} error records · '
               f'{sum(labels.values())} entities · {sum(types.values())} dates · {warned} with warnings · '
               f'pipeline {_e(", ".join(versions) or "?")}'
               + (f" · {rebuilt} texts rebuilt from spans" if rebuilt else "")
               + (f" · the first {len(summaries)} shown (--limit)" if len(summaries) < total else "") + "</div>")
    legend = [label for label in LABEL_COLORS if label in labels or label in types]
    legend += sorted(set(labels) - set(LABEL_COLORS))
    if legend:
        out.append('<p class="jn-legend">' + "".join(_chip(label) for label in legend) + "</p>")
    out.append('<div style="display:flex;gap:2rem;flex-wrap:wrap">')
    out.append("<div><h3>Entities by label</h3>" + _table(
        ["label", "count"], [[_chip(label), str(n)] for label, n in sorted(labels.items(), key=lambda x: (-x[1], x[0]))],
        numeric=(1,)) + "</div>")
    top = sorted(canonicals.items(), key=lambda x: (-x[1], x[0]))[:15]
    out.append("<div><h3>Top entities</h3>" + _table(
        ["canonical", "label", "count"], [[_e(c), _chip(label), str(n)] for (label, c), n in top], numeric=(2,))
        + "</div>")
    if types:
        out.append("<div><h3>Dates by type</h3>" + _table(
            ["type", "count"], [[_chip(t), str(n)] for t, n in sorted(types.items(), key=lambda x: (-x[1], x[0]))],
            numeric=(1,)) + "</div>")
    out.append("</div>")
    out.append(_stories_html(run_path, len(summaries)))
    out.append('<h3>Articles</h3><ol class="jn-toc">')
    for row, summary in enumerate(summaries):
        label = summary.get("title") or summary.get("id")
        flag = " (error)" if is_error(summary) else ""
        out.append(f'<li><a href="#article-{row}">{_e(label)}</a>{flag}</li>')
    out.append("</ol>")
    for row, (summary, article) in enumerate(zip(summaries, articles)):
        out.append(_article_section(row, summary, article))
    out.append("</body></html>\n")
    return "".join(out)


def write_report(run_path: str | os.PathLike, out: str | os.PathLike, *,
                 roots: Iterable[str | os.PathLike] = (), title: str | None = None, limit: int | None = None) -> Path:
    """Write the page through ``OUT.partial``, renamed when complete."""
    page = render_report(run_path, roots=roots, title=title, limit=limit)
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(page, encoding="utf-8", newline="\n")
    os.replace(partial, out)
    return out
