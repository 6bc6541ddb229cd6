"""Gold vs predicted summaries -> figures per field, plus the errors behind them.

Counting rules (all micro-averaged: counts are summed over articles, then divided):

- P/R/F1 fields count items as multisets: tp = items in both, fp = predicted only,
  fn = gold only. Texts compare after NFKC and trimming; spans compare by [start, end).
  With nothing predicted P = 0 (and R = 0 with nothing in gold); a field with neither
  gold nor predicted items has no figures (None), so it never counts for or against.
- relaxed P/R/F1 (entities, dates): a predicted span is right when it overlaps a gold span
  of the same class; a gold span is found when a predicted one of its class overlaps it.
- character-overlap P/R/F1 (key points, takeaways): characters of the text covered by gold
  and predicted spans (by offsets; by NFKC characters when a span has no offsets).
- key points chosen by the summarizer (``extracted: true``) are scored only against gold that
  has extracted points itself; gold that marks only the article's own points ignores them.
- accuracies are taken on exactly matched spans only (canonical names, roles, date types and
  values, body kinds), so they do not double-count the span errors.

A field a gold record does not annotate (its key is absent) is not scored for that record.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .loading import GoldSet, Item, LabelMap
from ..records import is_error

__all__ = ["norm", "prf", "Report", "evaluate", "flatten", "CONTEXT_CHARS"]

CONTEXT_CHARS = 20


def norm(value) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip()


def prf(tp: int, fp: int, fn: int) -> dict:
    """P/R/F1 with their counts; None figures when there is nothing on either side."""
    if tp + fp + fn == 0:
        p = r = f1 = None
    else:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


class _PRF:
    __slots__ = ("tp", "fp", "fn", "rp_hit", "rp_all", "rg_hit", "rg_all", "relaxed")

    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.rp_hit = self.rp_all = self.rg_hit = self.rg_all = 0
        self.relaxed = False

    def as_dict(self) -> dict:
        out = prf(self.tp, self.fp, self.fn)
        if self.relaxed:
            if self.rp_all + self.rg_all == 0:
                rp = rr = rf = None
            else:
                rp = self.rp_hit / self.rp_all if self.rp_all else 0.0
                rr = self.rg_hit / self.rg_all if self.rg_all else 0.0
                rf = 2 * rp * rr / (rp + rr) if rp + rr else 0.0
            out.update(relaxed_p=rp, relaxed_r=rr, relaxed_f1=rf)
        return out


class _Acc:
    __slots__ = ("correct", "n")

    def __init__(self):
        self.correct = self.n = 0

    def as_dict(self) -> dict:
        return {"accuracy": self.correct / self.n if self.n else None, "correct": self.correct, "n": self.n}


@dataclass
class Report:
    corpus: str
    gold_kind: str
    label_map: str
    figures: dict = field(default_factory=dict)        # name -> metrics dict, in a stable order
    articles: int = 0
    scored: int = 0
    missing: list = field(default_factory=list)        # gold ids with no prediction
    pred_errors: list = field(default_factory=list)    # gold ids whose prediction is an error record
    pred_error_examples: list = field(default_factory=list)  # "id: kind: message" for the first few
    extra: int = 0                                     # predictions with no gold
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)         # fp / fn / mismatch items, see _Collector.error

    def to_dict(self, with_errors: bool = False) -> dict:
        out = {"corpus": self.corpus, "gold_format": self.gold_kind, "label_map": self.label_map,
               "articles": self.articles, "scored": self.scored, "missing_predictions": self.missing,
               "prediction_errors": self.pred_errors, "prediction_error_examples": self.pred_error_examples,
               "extra_predictions": self.extra,
               "figures": self.figures, "flat": flatten(self.figures), "warnings": self.warnings}
        if with_errors:
            out["errors"] = self.errors
        return out


_FLAT_KEYS = ("p", "r", "f1", "relaxed_p", "relaxed_r", "relaxed_f1", "accuracy")


def flatten(figures: dict) -> dict:
    """``{"entities.PERSON": {"f1": 0.5, ...}}`` -> ``{"entities.PERSON.f1": 0.5, ...}``
    (ratios only, rounded to 4 places; None figures left out)."""
    flat = {}
    for name, metrics in figures.items():
        for key in _FLAT_KEYS:
            value = metrics.get(key)
            if value is not None:
                flat[f"{name}.{key}"] = round(value, 4)
    return flat


def _context(text: str | None, start, end, chars: int = CONTEXT_CHARS) -> str | None:
    if text is None or not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return None

    def flat(s: str) -> str:
        return s.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")

    before = text[max(0, start - chars):start]
    after = text[end:end + chars]
    return f"{'…' if start > chars else ''}{flat(before)}[[{flat(text[start:end])}]]{flat(after)}{'…' if end + chars < len(text) else ''}"


def _span(obj: dict):
    start, end = obj.get("start"), obj.get("end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) else None


class _Collector:
    def __init__(self, report: Report, label_map: LabelMap):
        self.report = report
        self.label_map = label_map
        self.prfs: dict[str, _PRF] = defaultdict(_PRF)
        self.accs: dict[str, _Acc] = defaultdict(_Acc)
        self.order: list[str] = []

    def _touch(self, name: str):
        if name not in self.order:
            self.order.append(name)

    def prf(self, name: str) -> _PRF:
        self._touch(name)
        return self.prfs[name]

    def acc(self, name: str) -> _Acc:
        self._touch(name)
        return self.accs[name]

    def error(self, item: Item, field_name: str, label: str, kind: str, obj: dict | None = None, *,
              text: str | None = None, note: str | None = None):
        obj = obj or {}
        span = _span(obj)
        self.report.errors.append({
            "id": item.id, "field": field_name, "label": label, "kind": kind,
            "text": obj.get("text", text) if text is None else text,
            "start": span[0] if span else None, "end": span[1] if span else None,
            "context": _context(item.text, *(span or (None, None))), "note": note,
        })

    # ------------------------------------------------------------------ generic counters

    def multiset(self, item: Item, name: str, gold: list, pred: list, key, *, label: str = "",
                 show=lambda o: o if isinstance(o, str) else None):
        """Exact multiset matching of ``key(obj)``; objects whose key is None are skipped."""
        g = Counter(k for k in map(key, gold) if k is not None)
        p = Counter(k for k in map(key, pred) if k is not None)
        both = g & p
        counter = self.prf(name)
        counter.tp += sum(both.values())
        counter.fp += sum((p - g).values())
        counter.fn += sum((g - p).values())
        for side, objs, extra in (("fn", gold, g - p), ("fp", pred, p - g)):
            for obj in objs:
                k = key(obj)
                if k is not None and extra[k] > 0:
                    extra[k] -= 1
                    self.error(item, name.split(".")[0], label, side, obj if isinstance(obj, dict) else None,
                               text=show(obj))

    def overlap_chars(self, name: str, gold: list[dict], pred: list[dict]):
        counter = self.prf(name)
        if all(_span(o) for o in gold + pred):
            g = set().union(*(range(*_span(o)) for o in gold)) if gold else set()
            p = set().union(*(range(*_span(o)) for o in pred)) if pred else set()
            counter.tp += len(g & p)
            counter.fp += len(p - g)
            counter.fn += len(g - p)
        else:
            g = Counter("".join(norm(o.get("text")) or "" for o in gold).replace(" ", ""))
            p = Counter("".join(norm(o.get("text")) or "" for o in pred).replace(" ", ""))
            counter.tp += sum((g & p).values())
            counter.fp += sum((p - g).values())
            counter.fn += sum((g - p).values())

    def spans(self, item: Item, name: str, field_name: str, gold: list[dict], pred: list[dict], label: str,
              *, relaxed: bool = True, other_gold: dict | None = None, other_pred: dict | None = None):
        """Exact span matching of already-filtered span objects of one class, plus relaxed
        overlap; fp/fn errors note when the other side has the same span under another class."""
        counter = self.prf(name)
        counter.relaxed = relaxed
        g = Counter(_span(o) for o in gold if _span(o))
        p = Counter(_span(o) for o in pred if _span(o))
        counter.tp += sum((g & p).values())
        counter.fp += sum((p - g).values())
        counter.fn += sum((g - p).values())
        if relaxed:
            counter.rp_all += len(pred)
            counter.rg_all += len(gold)
            counter.rp_hit += sum(1 for o in pred if _overlaps(o, gold))
            counter.rg_hit += sum(1 for o in gold if _overlaps(o, pred))
        for side, objs, extra, other in (("fn", gold, g - p, other_pred), ("fp", pred, p - g, other_gold)):
            for obj in objs:
                span = _span(obj)
                if span is not None and extra[span] > 0:
                    extra[span] -= 1
                    note = None
                    if other and span in other:
                        note = f"{'predicted' if side == 'fn' else 'gold'} as {other[span]}"
                    elif side == "fn" and _overlaps(obj, pred):
                        note = "overlapping prediction: " + ", ".join(
                            repr(o.get("text")) for o in pred if _overlaps(o, [obj]))
                    elif side == "fp" and _overlaps(obj, gold):
                        note = "overlapping gold: " + ", ".join(repr(o.get("text")) for o in gold if _overlaps(o, [obj]))
                    self.error(item, field_name, label, side, obj, note=note)

    def figures(self) -> dict:
        out = {}
        for name in sorted(self.order, key=_row_order):
            out[name] = self.prfs[name].as_dict() if name in self.prfs else self.accs[name].as_dict()
        return out


_GROUPS = ("title", "published", "sections", "sources", "body", "key_points", "takeaways", "entities", "dates")
_FIRST = {"sections.all": 0, "body.spans": 0, "body.kind": 1, "entities.micro": 0, "entities.unlabeled": 1,
          "entities.canonical": 2, "entities.role": 3, "dates.spans": 0, "dates.type": 1, "dates.value": 2,
          "dates.value.DATE": 3, "dates.value.TIME": 4, "dates.value.DURATION": 5, "dates.value.SET": 6,
          "dates.mod": 7}


def _row_order(name: str):
    """Fields in the contract's order; within a field its summary rows first, then labels A-Z
    (sections keep heading, published, question, answer order)."""
    group = name.split(".")[0]
    rank = _GROUPS.index(group) if group in _GROUPS else len(_GROUPS)
    if group == "sections":
        sub = ("sections.all", "sections.heading", "sections.published", "sections.question", "sections.answer")
        return (rank, sub.index(name) if name in sub else 9, name)
    return (rank, _FIRST.get(name, 9), name)


def _overlaps(obj: dict, others: list[dict]) -> bool:
    span = _span(obj)
    if span is None:
        return False
    return any((o_span := _span(o)) is not None and o_span[0] < span[1] and span[0] < o_span[1] for o in others)


def _flat_points(summary: dict) -> list[dict]:
    if isinstance(summary.get("key_points"), list):
        return [p for p in summary["key_points"] if isinstance(p, dict)]
    return [p for s in summary.get("sections") or [] if isinstance(s, dict)
            for p in s.get("key_points") or [] if isinstance(p, dict)]


def _text_key(obj):
    return norm(obj.get("text")) if isinstance(obj, dict) else None


def _score_item(c: _Collector, item: Item, pred: dict):
    gold, fields = item.gold, item.fields
    for name in ("title", "published"):
        if name in fields:
            acc = c.acc(name)
            acc.n += 1
            if norm(gold.get(name)) == norm(pred.get(name)):
                acc.correct += 1
            else:
                c.error(item, name, name, "mismatch", text=gold.get(name), note=f"predicted {pred.get(name)!r}")
    if "sections" in fields:
        _score_sections(c, item, gold.get("sections") or [], pred.get("sections") or [])
    if "key_points" in fields or "sections" in fields:
        gold_points = _flat_points(gold)
        pred_points = _flat_points(pred)
        if not any(point.get("extracted") is True for point in gold_points):
            # the gold marks only the article's own (✅) points: the summarizer's picks
            # (extracted=true, for articles without markers) are not judged against it
            pred_points = [point for point in pred_points if point.get("extracted") is not True]
        c.multiset(item, "key_points.exact", gold_points, pred_points, _text_key, label="key_point")
        c.overlap_chars("key_points.overlap", gold_points, pred_points)
    if "takeaways" in fields:
        g, p = gold.get("takeaways") or [], pred.get("takeaways") or []
        c.multiset(item, "takeaways.exact", g, p, _text_key, label="takeaway")
        c.overlap_chars("takeaways.overlap", g, p)
    if "entities" in fields:
        _score_entities(c, item, gold.get("entities") or [], pred.get("entities") or [])
    if "dates" in fields:
        _score_dates(c, item, gold.get("dates") or [], pred.get("dates") or [])


def _section_value(section, key):
    return norm(section.get(key)) if isinstance(section, dict) else None


def _score_sections(c: _Collector, item: Item, gold: list, pred: list):
    gold = [s for s in gold if isinstance(s, dict)]
    pred = [s for s in pred if isinstance(s, dict)]

    def whole(s):
        return tuple(_section_value(s, k) for k in ("heading", "published", "question", "answer"))

    c.multiset(item, "sections.all", gold, pred, whole, label="section",
               show=lambda s: " | ".join(str(v) for v in whole(s)))
    for key in ("heading", "published", "question", "answer"):
        if any(key in s for s in gold):
            c.multiset(item, f"sections.{key}", gold, pred, lambda s, k=key: _section_value(s, k), label=key,
                       show=lambda s, k=key: s.get(k))

    def url(s):
        source = s.get("source")
        return norm(source.get("url")) if isinstance(source, dict) and source.get("url") else None

    if any("source" in s for s in gold):
        c.multiset(item, "sources.url", gold, pred, url, label="url", show=lambda s: (s.get("source") or {}).get("url"))
    if any("body" in s for s in gold):
        gold_body = [b for s in gold for b in s.get("body") or [] if isinstance(b, dict)]
        pred_body = [b for s in pred for b in s.get("body") or [] if isinstance(b, dict)]
        c.spans(item, "body.spans", "body", gold_body, pred_body, "sentence", relaxed=False)
        pred_kind = {_span(b): b.get("kind") for b in pred_body if _span(b)}
        acc = c.acc("body.kind")
        for b in gold_body:
            span = _span(b)
            if span in pred_kind:
                acc.n += 1
                if b.get("kind") == pred_kind[span]:
                    acc.correct += 1
                else:
                    c.error(item, "body", str(b.get("kind")), "mismatch", b, note=f"predicted kind {pred_kind[span]}")
        kinds = sorted({str(b.get("kind")) for b in gold_body} | {str(b.get("kind")) for b in pred_body})
        for kind in kinds:
            counter = c.prf(f"body.{kind}")
            g = Counter(_span(b) for b in gold_body if str(b.get("kind")) == kind and _span(b))
            p = Counter(_span(b) for b in pred_body if str(b.get("kind")) == kind and _span(b))
            counter.tp += sum((g & p).values())
            counter.fp += sum((p - g).values())
            counter.fn += sum((g - p).values())


def _mapped(entities: list, mapper) -> list[dict]:
    out = []
    for e in entities:
        if not isinstance(e, dict):
            continue
        label = mapper(str(e.get("label")))
        if label is not None:
            out.append({**e, "label": label})
    return out


def _score_entities(c: _Collector, item: Item, gold: list, pred: list):
    lmap = c.label_map
    gold = _mapped(gold, lmap.gold_label)
    pred = _mapped(pred, lmap.pred_label)
    gold_by_span = {_span(e): e["label"] for e in gold if _span(e)}
    pred_by_span = {_span(e): e["label"] for e in pred if _span(e)}
    labels = sorted({e["label"] for e in gold} | {e["label"] for e in pred})
    micro = c.prf("entities.micro")
    micro.relaxed = True
    g = Counter((_span(e), e["label"]) for e in gold if _span(e))
    p = Counter((_span(e), e["label"]) for e in pred if _span(e))
    micro.tp += sum((g & p).values())
    micro.fp += sum((p - g).values())
    micro.fn += sum((g - p).values())
    micro.rp_all += len(pred)
    micro.rg_all += len(gold)
    micro.rp_hit += sum(1 for e in pred if _overlaps(e, [o for o in gold if o["label"] == e["label"]]))
    micro.rg_hit += sum(1 for e in gold if _overlaps(e, [o for o in pred if o["label"] == e["label"]]))
    for label in labels:
        c.spans(item, f"entities.{label}", "entities", [e for e in gold if e["label"] == label],
                [e for e in pred if e["label"] == label], label, other_gold=gold_by_span, other_pred=pred_by_span)
    unlabeled = c.prf("entities.unlabeled")
    g = Counter(_span(e) for e in gold if _span(e))
    p = Counter(_span(e) for e in pred if _span(e))
    unlabeled.tp += sum((g & p).values())
    unlabeled.fp += sum((p - g).values())
    unlabeled.fn += sum((g - p).values())
    pred_at = {_span(e): e for e in pred if _span(e)}
    for key, name in (("canonical", "entities.canonical"), ("role", "entities.role")):
        if not any(key in e for e in gold):
            continue
        acc = c.acc(name)
        for e in gold:
            other = pred_at.get(_span(e))
            if other is None or key not in e or (key == "canonical" and e[key] is None):
                continue
            acc.n += 1
            if norm(e[key]) == norm(other.get(key)):
                acc.correct += 1
            else:
                c.error(item, "entities", e["label"], f"{key}_mismatch", e,
                        note=f"gold {key} {e[key]!r}, predicted {other.get(key)!r}")


def _score_dates(c: _Collector, item: Item, gold: list, pred: list):
    gold = [d for d in gold if isinstance(d, dict)]
    pred = [d for d in pred if isinstance(d, dict)]
    first_error = len(c.report.errors)
    c.spans(item, "dates.spans", "dates", gold, pred, "date")
    for error in c.report.errors[first_error:]:  # span errors are grouped by date type
        obj = next((d for d in (gold if error["kind"] == "fn" else pred)
                    if _span(d) == (error["start"], error["end"])), {})
        error["label"] = str(obj.get("type"))
        if obj.get("value") is not None:
            error["note"] = f"value {obj.get('value')}" + (f"; {error['note']}" if error["note"] else "")
    pred_at = {_span(d): d for d in pred if _span(d)}
    type_acc = c.acc("dates.type")
    value_acc = c.acc("dates.value")
    for t in ("DATE", "TIME", "DURATION", "SET"):
        c.acc(f"dates.value.{t}")  # a stable row order
    for d in gold:
        other = pred_at.get(_span(d))
        if other is None:
            continue
        type_acc.n += 1
        type_acc.correct += other.get("type") == d.get("type")
        by_type = c.acc(f"dates.value.{d.get('type')}")
        value_acc.n += 1
        by_type.n += 1
        if d.get("mod") or other.get("mod"):  # APPROX, FY, START, ...: only where either side has one
            mod_acc = c.acc("dates.mod")
            mod_acc.n += 1
            mod_acc.correct += d.get("mod") == other.get("mod")
        if norm(other.get("value")) == norm(d.get("value")):
            value_acc.correct += 1
            by_type.correct += 1
        else:
            c.error(item, "dates", str(d.get("type")), "value_mismatch", d,
                    note=f"gold {d.get('type')} {d.get('value')!r}, predicted {other.get('type')} {other.get('value')!r}")


def evaluate(gold: GoldSet, predictions: dict[str, dict]) -> Report:
    """Score every gold item against the prediction with the same id."""
    report = Report(corpus=gold.name, gold_kind=gold.kind, label_map=gold.label_map.name)
    collector = _Collector(report, gold.label_map)
    gold_ids = set()
    # `jnews summarize corpora/x` names records "articles/<id>": match them by their last part
    by_tail: dict = {}
    for key in predictions:
        by_tail.setdefault(key.rsplit("/", 1)[-1], []).append(key)
    for item in gold.items:
        report.articles += 1
        report.warnings.extend(item.warnings)
        key = item.id
        if key not in predictions and len(by_tail.get(key, ())) == 1:
            key = by_tail[key][0]
        gold_ids.add(key)
        pred = predictions.get(key)
        if pred is None:
            report.missing.append(item.id)
            pred = {}
        elif is_error(pred):
            report.pred_errors.append(item.id)
            if len(report.pred_error_examples) < 3:
                error = pred.get("error") or {}
                report.pred_error_examples.append(f"{item.id}: {error.get('kind')}: {error.get('message')}")
            pred = {}
        else:
            report.scored += 1
        _score_item(collector, item, pred)
    report.extra = sum(1 for k in predictions if k not in gold_ids)
    report.figures = collector.figures()
    return report
