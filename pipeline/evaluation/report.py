"""An eval ``Report`` as a terminal table, Markdown (for CI comments) or JSON."""

from __future__ import annotations

import json
from collections import defaultdict

from .metrics import Report

__all__ = ["render_table", "render_markdown", "render_json", "render_errors", "rows"]

_COLUMNS = ("field", "P", "R", "F1", "relaxed F1", "accuracy", "gold", "pred")


def _fmt(value) -> str:
    return "" if value is None else f"{value:.3f}"


def rows(report: Report) -> list[tuple[str, ...]]:
    """One row per figure that has data: field, P, R, F1, relaxed F1, accuracy, gold n, pred n."""
    out = []
    for name, m in report.figures.items():
        if "accuracy" in m:
            if not m["n"]:
                continue
            out.append((name, "", "", "", "", _fmt(m["accuracy"]), str(m["n"]), ""))
        else:
            if m["f1"] is None:
                continue
            out.append((name, _fmt(m["p"]), _fmt(m["r"]), _fmt(m["f1"]), _fmt(m.get("relaxed_f1")), "",
                        str(m["tp"] + m["fn"]), str(m["tp"] + m["fp"])))
    return out


def _header(report: Report) -> str:
    parts = [f"corpus {report.corpus}", f"{report.gold_kind} gold", f"{report.articles} articles",
             f"{report.scored} scored"]
    if report.label_map != "identity":
        parts.append(f"label map {report.label_map}")
    if report.missing:
        parts.append(f"{len(report.missing)} without prediction")
    if report.pred_errors:
        parts.append(f"{len(report.pred_errors)} prediction errors")
    if report.extra:
        parts.append(f"{report.extra} predictions without gold (ignored)")
    return ", ".join(parts)


def render_table(report: Report) -> str:
    table = [_COLUMNS, *rows(report)]
    widths = [max(_width(row[i]) for row in table) for i in range(len(_COLUMNS))]
    lines = [_header(report), ""]
    for number, row in enumerate(table):
        cells = [_pad(row[0], widths[0], left=True)] + [_pad(cell, widths[i]) for i, cell in enumerate(row[1:], 1)]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def render_markdown(report: Report) -> str:
    lines = [f"**jnews eval**: {_header(report)}", "", "| " + " | ".join(_COLUMNS) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(_COLUMNS) - 1)) + "|"]
    for row in rows(report):
        lines.append("| " + " | ".join([f"`{row[0]}`", *row[1:]]) + " |")
    return "\n".join(lines)


def render_json(report: Report, with_errors: bool = False) -> str:
    return json.dumps(report.to_dict(with_errors), ensure_ascii=False, indent=1, sort_keys=False)


_KIND_RANK = {"fn": 0, "fp": 1}


def _group(report: Report, only: str | None) -> dict:
    groups: dict = defaultdict(list)
    for error in report.errors:
        if only and only not in ("all", error["field"]) and not error["field"].startswith(only):
            continue
        groups[(error["field"], error["label"])].append(error)
    return groups


def render_errors(report: Report, only: str | None = None, limit: int = 50, markdown: bool = False) -> str:
    """False positives and negatives (and value mismatches on matched spans), grouped by field
    and label, each with ~20 characters of context around the span, marked [[like this]]."""
    groups = _group(report, only)
    if not groups:
        return "No errors." if not markdown else "_No errors._"
    lines = []
    for (field_name, label), errors in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
        counts = defaultdict(int)
        for error in errors:
            counts[error["kind"]] += 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (_KIND_RANK.get(kv[0], 9), kv[0])))
        lines.append(f"### {field_name} {label}: {summary}" if markdown else f"== {field_name} {label}: {summary}")
        if markdown:
            lines.append("")
        for error in sorted(errors, key=lambda e: (_KIND_RANK.get(e["kind"], 9), e["kind"]))[:limit]:
            where = f"{error['id']}@{error['start']}" if error["start"] is not None else error["id"]
            shown = error["context"] or repr(error["text"])
            note = f"  ({error['note']})" if error.get("note") else ""
            if markdown:
                lines.append(f"- **{error['kind']}** `{where}` {_md_escape(shown)}{_md_escape(note)}")
            else:
                lines.append(f"  {error['kind']:<3} {where:<28} {shown}{note}")
        if len(errors) > limit:
            lines.append(f"  … {len(errors) - limit} more (raise --errors-limit)")
        lines.append("")
    return "\n".join(lines).rstrip()


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
