"""Dates against gold nobody here annotated: UD Japanese GSD's DATE and TIME spans
(``python -m pipeline.evaluation.dates_gsd [--split dev] [--errors N]``, also printed by
``bench/dates_bench.py``).

OntoNotes' DATE covers dates and periods of a day or longer, TIME what is shorter than a day,
so our types map by their value: TIME, and a DURATION or SET of hours, minutes or seconds
(``PT2H``, ``TMO``), are TIME; every other item is DATE. Scores are exact spans; ``overlap``
counts a gold span as found when an item of its label overlaps it (the conventions differ at
the edges: we keep 約 and 昨年の in the span, GSD does not; GSD splits 2008年4月6日午前11時 in
two, we give one TIME). GSD does not annotate vague words (現在, 今後, かつて), which we give as
PRESENT_REF / FUTURE_REF / PAST_REF: they count as false alarms here. Its test split is
withheld; only train and dev are read.
"""

from __future__ import annotations

import argparse
from collections import Counter

from ..dates import extract_dates
from ..entities.gsd import load_gsd
from .entities import prf

__all__ = ["gsd_label", "evaluate_gsd_dates", "main"]

LABELS = ("DATE", "TIME")


def gsd_label(item: dict) -> str:
    """The OntoNotes label of one of our date items."""
    value = item["value"]
    if item["type"] == "TIME" or value.startswith(("PT", "T")):
        return "TIME"
    return "DATE"


def evaluate_gsd_dates(split: str = "dev", folder=None) -> dict:
    """{"labels": {DATE|TIME: prf}, "micro": prf, "overlap_recall": {label: float},
    "documents": int, "misses": [(label, span, context)], "false": [(label, span, context)]}."""
    tp, fp, fn, near = Counter(), Counter(), Counter(), Counter()
    misses, false = [], []
    records = load_gsd(split, folder)
    for record in records:
        text = record["text"]
        gold = {(e["start"], e["end"], e["label"]) for e in record["entities"] if e["label"] in LABELS}
        pred = {(d["start"], d["end"], gsd_label(d)) for d in extract_dates(text, None)}
        for start, end, label in sorted(gold):
            if (start, end, label) in pred:
                tp[label] += 1
            else:
                fn[label] += 1
                misses.append((label, text[start:end], text[max(0, start - 10):end + 10]))
            near[label] += any(s < end and start < e and lab == label for s, e, lab in pred)
        for start, end, label in sorted(pred - gold):
            fp[label] += 1
            false.append((label, text[start:end], text[max(0, start - 10):end + 10]))
    labels = {label: prf(tp[label], fp[label], fn[label]) for label in LABELS}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    overlap = {label: near[label] / max(1, tp[label] + fn[label]) for label in LABELS}
    return {"labels": labels, "micro": micro, "overlap_recall": overlap, "documents": len(records),
            "misses": misses, "false": false}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="dates against UD Japanese GSD DATE / TIME spans")
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list N misses and N false alarms")
    args = parser.parse_args(argv)
    result = evaluate_gsd_dates(args.split)
    print(f"UD Japanese GSD {args.split} split, DATE / TIME ({result['documents']} documents), exact spans")
    print(f"  {'label':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}{'overlap R':>11}")
    for label, m in [*result["labels"].items(), ("micro", result["micro"])]:
        overlap = f"{result['overlap_recall'][label]:>11.3f}" if label in LABELS else ""
        print(f"  {label:<8}{m['p']:>8.3f}{m['r']:>8.3f}{m['f1']:>8.3f}{m['tp'] + m['fn']:>7}{m['tp'] + m['fp']:>7}{overlap}")
    for title, rows in (("misses", result["misses"]), ("false alarms", result["false"])):
        if args.errors:
            print(f"{title}:")
            for label, span, context in rows[:args.errors]:
                print(f"  {label:<5} {span!r:<24} …{context}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
