"""Run vs run: what appeared, disappeared or changed, article by article (identity by id).

Compared per article (normalized forms, as eval does):
- structure: title, published, each section's heading / published / question / answer /
  source URL (keyed by section position, so a moved heading shows as a change), error status;
- entities keyed by span [start, end): label, canonical, role;
- dates keyed by span: type, value, mod, freq;
- key points and takeaways keyed by span: text;
- body sentences keyed by span: kind.
Not compared: pipeline version, stats, warnings, meta, source_path, keywords' scores.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .metrics import norm
from ..records import is_error

__all__ = ["Change", "DiffResult", "diff_runs", "render_diff", "CATEGORIES"]

CATEGORIES = ("structure", "entities", "dates", "key_points", "takeaways", "body", "keywords")


@dataclass
class Change:
    category: str
    kind: str          # "appeared" | "disappeared" | "changed"
    key: str           # where: "title", "sections[1].heading", "12-16 トランプ"
    before: str | None
    after: str | None


@dataclass
class DiffResult:
    articles: dict = field(default_factory=dict)     # id -> [Change]
    only_a: list = field(default_factory=list)
    only_b: list = field(default_factory=list)
    same: int = 0
    name_a: str = "A"
    name_b: str = "B"

    @property
    def identical(self) -> bool:
        return not self.articles and not self.only_a and not self.only_b

    def totals(self) -> dict:
        out = {c: Counter() for c in CATEGORIES}
        for changes in self.articles.values():
            for change in changes:
                out[change.category][change.kind] += 1
        return {c: {k: counts.get(k, 0) for k in ("appeared", "disappeared", "changed")} for c, counts in out.items()}

    def to_dict(self) -> dict:
        return {"run_a": self.name_a, "run_b": self.name_b, "identical": self.identical,
                "articles_compared": self.same + len(self.articles), "articles_changed": len(self.articles),
                "only_in_a": self.only_a, "only_in_b": self.only_b, "totals": self.totals(),
                "changes": {k: [vars(c) for c in v] for k, v in self.articles.items()}}


def _span_key(obj: dict) -> tuple | None:
    s, e = obj.get("start"), obj.get("end")
    return (s, e) if isinstance(s, int) and isinstance(e, int) else None


def _structure(summary: dict) -> dict:
    out = {}
    if is_error(summary):
        error = summary.get("error") or {}
        return {"error": f"{error.get('kind')}: {error.get('message')}"}
    out["title"] = norm(summary.get("title"))
    out["published"] = summary.get("published")
    for i, section in enumerate(summary.get("sections") or []):
        if not isinstance(section, dict):
            continue
        out[f"sections[{i}]"] = "section"
        for key in ("heading", "published", "question", "answer"):
            if section.get(key) is not None:
                out[f"sections[{i}].{key}"] = norm(section.get(key))
        source = section.get("source")
        if isinstance(source, dict) and source.get("url"):
            out[f"sections[{i}].source"] = source.get("url")
    return out


def _short(text, limit: int = 24) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _keyed(items, describe, with_text: bool = True) -> dict:
    """span key ("start-end text") -> description; items without offsets are keyed by text."""
    out: dict = {}
    for obj in items or []:
        if not isinstance(obj, dict):
            continue
        span = _span_key(obj)
        if span is None:
            key = f"- {obj.get('text', '')}"
        else:
            key = f"{span[0]}-{span[1]} {_short(obj.get('text'))}" if with_text else f"{span[0]}-{span[1]}"
        while key in out:  # duplicates stay distinct
            key += "'"
        out[key] = describe(obj)
    return out


def _entity(e: dict) -> str:
    parts = [str(e.get("label"))]
    if e.get("canonical") is not None and norm(e.get("canonical")) != norm(e.get("text")):
        parts.append(f"canonical={norm(e.get('canonical'))}")
    if e.get("role"):
        parts.append(f"role={e.get('role')}")
    return " ".join(parts)


def _date(d: dict) -> str:
    parts = [str(d.get("type")), str(d.get("value"))]
    for key in ("mod", "freq"):
        if d.get(key):
            parts.append(f"{key}={d[key]}")
    return " ".join(parts)


def _views(summary: dict) -> dict:
    body = [b for s in summary.get("sections") or [] if isinstance(s, dict) for b in s.get("body") or []]
    return {
        "structure": _structure(summary),
        "entities": _keyed(summary.get("entities"), _entity),
        "dates": _keyed(summary.get("dates"), _date),
        "key_points": _keyed(summary.get("key_points"), lambda p: norm(p.get("text")), with_text=False),
        "takeaways": _keyed(summary.get("takeaways"), lambda p: norm(p.get("text")), with_text=False),
        "body": _keyed(body, lambda b: str(b.get("kind"))),
        "keywords": {norm(k.get("text")): "keyword" for k in summary.get("keywords") or [] if isinstance(k, dict)},
    }


def diff_summaries(a: dict, b: dict) -> list[Change]:
    va, vb = _views(a), _views(b)
    changes = []
    for category in CATEGORIES:
        xa, xb = va[category], vb[category]
        for key in list(xa) + [k for k in xb if k not in xa]:
            if key not in xb:
                changes.append(Change(category, "disappeared", key, xa[key], None))
            elif key not in xa:
                changes.append(Change(category, "appeared", key, None, xb[key]))
            elif xa[key] != xb[key]:
                changes.append(Change(category, "changed", key, xa[key], xb[key]))
    return changes


def diff_runs(run_a: dict[str, dict], run_b: dict[str, dict], name_a: str = "A", name_b: str = "B") -> DiffResult:
    result = DiffResult(name_a=name_a, name_b=name_b)
    result.only_a = [k for k in run_a if k not in run_b]
    result.only_b = [k for k in run_b if k not in run_a]
    for key, a in run_a.items():
        if key not in run_b:
            continue
        changes = diff_summaries(a, run_b[key])
        if changes:
            result.articles[key] = changes
        else:
            result.same += 1
    return result


_SIGN = {"appeared": "+", "disappeared": "-", "changed": "~"}


def _line(change: Change) -> str:
    if change.kind == "changed":
        return f"{_SIGN[change.kind]} {change.category} {change.key}: {change.before} -> {change.after}"
    value = change.after if change.kind == "appeared" else change.before
    return f"{_SIGN[change.kind]} {change.category} {change.key}: {value}"


def _totals_line(result: DiffResult) -> list[tuple[str, int, int, int]]:
    return [(c, t["appeared"], t["disappeared"], t["changed"]) for c, t in result.totals().items()
            if any(t.values())]


def render_diff(result: DiffResult, markdown: bool = False, as_json: bool = False) -> str:
    if as_json:
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    compared = result.same + len(result.articles)
    head = (f"{compared} articles compared: {len(result.articles)} changed, {result.same} identical; "
            f"{len(result.only_a)} only in {result.name_a}, {len(result.only_b)} only in {result.name_b}")
    totals = _totals_line(result)
    lines = []
    if markdown:
        lines += [f"**jnews diff** `{result.name_a}` → `{result.name_b}`: {head}", ""]
        if totals:
            lines += ["| field | appeared | disappeared | changed |", "|:---|---:|---:|---:|"]
            lines += [f"| {c} | {a} | {d} | {ch} |" for c, a, d, ch in totals]
            lines.append("")
        for key, changes in result.articles.items():
            lines += [f"<details><summary><code>{key}</code>: {len(changes)} changes</summary>", "", "```diff"]
            lines += [_line(c) for c in changes]
            lines += ["```", "</details>", ""]
        for title, ids in ((f"Only in `{result.name_a}`", result.only_a), (f"Only in `{result.name_b}`", result.only_b)):
            if ids:
                lines += [f"{title}: " + ", ".join(f"`{i}`" for i in ids), ""]
        if result.identical:
            lines.append("The runs are identical.")
        return "\n".join(lines).rstrip()
    lines.append(head)
    for key, changes in result.articles.items():
        lines += ["", f"== {key} ({len(changes)} changes)"]
        lines += ["  " + _line(c) for c in changes]
    for name, ids in ((result.name_a, result.only_a), (result.name_b, result.only_b)):
        if ids:
            lines += ["", f"only in {name}: " + ", ".join(ids)]
    if totals:
        lines += ["", "totals        appeared  disappeared  changed"]
        lines += [f"  {c:<12}{a:>8}{d:>13}{ch:>9}" for c, a, d, ch in totals]
    if result.identical:
        lines += ["", "identical"]
    return "\n".join(lines)
