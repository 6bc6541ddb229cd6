"""Entity quality: ``python -m pipeline.evaluation.entities`` (also ``bench/ner_quality.py``).

Exact-span micro and per-label precision / recall / F1 on
- the UD Japanese GSD dev split (OntoNotes labels: our 13 entity labels; its DATE / TIME are
  our ``dates`` and TITLE_AFFIX our ``role``, scored elsewhere), the set models are chosen on;
- the Stockmark dev split (i % 10 == 8) and test split (i % 10 == 9), labels mapped as its
  README says (GPE and LOC one class; LAW and WORK_OF_ART count as PRODUCT; NORP and numbers
  left out), and
- the hand-checked gold corpus ``corpora/jnews`` (all our labels, exact label match).
``--write-baseline`` records the figures in ``resources/entities/baseline.json``, which
``tests/test_entities_quality.py`` holds the code to. A corpus whose data is not beside the
checkout is skipped with a line that says so.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from . import metrics
from ..entities.component import DEFAULT_MODE as DEFAULT_ENTITIES, MODES as ENTITY_MODES
from ..entities.gsd import GSD_TO_LABEL, gsd_path, load_gsd
from ..entities.stockmark import REPO_ROOT, STOCKMARK_TO_LABEL, load_split, score_label, stockmark_path
from ..rule_tables import RESOURCES_DIR

__all__ = ["prf", "score", "evaluate_gsd", "evaluate_gsd_roles", "evaluate_stockmark", "evaluate_corpus", "corpus_articles", "BASELINE_PATH",
           "IREX_LABEL", "main"]

BASELINE_PATH = RESOURCES_DIR / "entities" / "baseline.json"
ROLE_NOTE = {"dev": "held out", "train": "roles.tsv's ranks, nobility and rulers were added from its misses"}
CORPUS_DIR = REPO_ROOT / "corpora" / "jnews"
# Our label -> IREX class (None: IREX has no such class).
IREX_LABEL = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
              "PRODUCT": "ARTIFACT", "LAW": "ARTIFACT", "WORK_OF_ART": "ARTIFACT", "EVENT": None, "NORP": None,
              "MONEY": "MONEY", "PERCENT": "PERCENT", "QUANTITY": None}


def prf(tp: int, fp: int, fn: int) -> dict:
    """``metrics.prf`` (the one scorer of ``jnews eval``), rounded to the 4 places of the
    baseline file."""
    figures = metrics.prf(tp, fp, fn)
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in figures.items()}


def score(pairs) -> dict:
    """pairs: iterable of (gold set, predicted set) of (start, end, label) per document."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        for item in pred & gold:
            tp[item[2]] += 1
        for item in pred - gold:
            fp[item[2]] += 1
        for item in gold - pred:
            fn[item[2]] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    return {"micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
            "labels": {label: prf(tp[label], fp[label], fn[label]) for label in labels}}


def _pred_set(entities, mapper=lambda label: label) -> set:
    out = set()
    for e in entities:
        label = mapper(e["label"])
        if label is not None:
            out.add((e["start"], e["end"], label))
    return out


def evaluate_gsd(nlp, split: str = "dev", folder: Path | None = None) -> dict:
    """GSD ``split`` (train or dev; its test split is withheld), gold restricted to the labels
    that map to ours."""
    from ..entities.extract import summary_entities

    records = load_gsd(split, folder)
    pairs = []
    for record in records:
        text = record["text"]
        gold = {(e["start"], e["end"], GSD_TO_LABEL[e["label"]]) for e in record["entities"] if e["label"] in GSD_TO_LABEL}
        pairs.append((gold, _pred_set(summary_entities(text, nlp(text)))))
    result = score(pairs)
    result["documents"] = len(records)
    return result


def evaluate_gsd_roles(nlp, split: str = "dev", folder: Path | None = None) -> dict:
    """Roles against GSD's TITLE_AFFIX (our ``role``): every gold PERSON followed right away
    by a TITLE_AFFIX is a pair; ``right`` counts the pairs whose PERSON we found with that
    role, ``wrong`` those found with another role or none, ``missed`` those whose PERSON we
    did not find; ``spurious`` counts roles we gave to a found gold PERSON that has no
    TITLE_AFFIX after it, ``honorifics`` those of them that are an honorific (氏, さん: ours
    is a role, GSD marks none)."""
    from ..entities.mention import HONORIFICS
    from ..entities.extract import summary_entities

    counts = Counter()
    for record in load_gsd(split, folder):
        text = record["text"]
        titles = {e["start"]: e["text"] for e in record["entities"] if e["label"] == "TITLE_AFFIX"}
        people = {(e["start"], e["end"]) for e in record["entities"] if e["label"] == "PERSON"}
        found = {(e["start"], e["end"]): e["role"] for e in summary_entities(text, nlp(text)) if e["label"] == "PERSON"}
        for span in people:
            title = titles.get(span[1])
            if title is not None:
                counts["pairs"] += 1
                counts["missed" if span not in found else "right" if found[span] == title else "wrong"] += 1
            elif found.get(span):
                counts["spurious"] += 1
                counts["honorifics"] += found[span] in HONORIFICS
    pairs = counts["pairs"]
    return {"split": split, **{key: counts[key] for key in ("pairs", "right", "wrong", "missed", "spurious", "honorifics")},
            "accuracy": round(counts["right"] / pairs, 4) if pairs else 0.0,
            "accuracy_found": round(counts["right"] / max(1, counts["right"] + counts["wrong"]), 4)}


def evaluate_stockmark(nlp, path: Path | None = None, split: str = "test") -> dict:
    from ..entities.extract import summary_entities

    records = load_split(split, path)
    pairs = []
    started = time.perf_counter()
    for record in records:
        text = record["text"]
        doc = nlp(text)
        gold = {(e["span"][0], e["span"][1], score_label(STOCKMARK_TO_LABEL[e["type"]])) for e in record["entities"]}
        pairs.append((gold, _pred_set(summary_entities(text, doc), score_label)))
    result = score(pairs)
    result["documents"] = len(records)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def corpus_articles(directory: Path = CORPUS_DIR):
    """(id, text, gold) for every gold file that has its article."""
    for gold_path in sorted((directory / "gold").glob("*.json")):
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # being written right now
        article = directory / "articles" / (gold_path.stem + ".txt")
        if not article.exists() or "entities" not in gold:
            continue
        encoding = gold.get("encoding", "utf-8")
        yield gold_path.stem, article.read_bytes().decode(encoding), gold


def evaluate_corpus(nlp, directory: Path = CORPUS_DIR, mapper=lambda label: label) -> dict:
    from ..layout.article import parse_article
    from ..entities.extract import summary_entities

    pairs, ids = [], []
    for article_id, text, gold in corpus_articles(directory):
        doc = nlp(text)
        predicted = summary_entities(text, doc, parse_article(text))
        pairs.append((_pred_set(gold["entities"], mapper), _pred_set(predicted, mapper)))
        ids.append(article_id)
    result = score(pairs)
    result["documents"] = len(ids)
    return result


def _table(title: str, result: dict) -> str:
    lines = [f"{title} ({result.get('documents', '?')} documents)",
             f"  {'label':<12}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
    rows = [*result["labels"].items(), ("micro", result["micro"])]
    for label, m in rows:
        lines.append(f"  {label:<12}{m['p']:>8.3f}{m['r']:>8.3f}{m['f1']:>8.3f}{m['tp'] + m['fn']:>7}{m['tp'] + m['fp']:>7}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Entity quality (exact spans): GSD dev, Stockmark dev and test, corpora gold")
    parser.add_argument("--mode", default=DEFAULT_ENTITIES, choices=ENTITY_MODES,
                        help=f"entities mode of make_nlp (default {DEFAULT_ENTITIES})")
    parser.add_argument("--write-baseline", action="store_true", help="record the figures in baseline.json")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    from ..summary.language import make_nlp

    nlp = make_nlp(entities=args.mode)
    results: dict = {"mode": args.mode}
    roles: dict = {}
    if (gsd_path() / "dev.jsonl").exists():
        results["gsd_dev"] = evaluate_gsd(nlp)
        roles = {split: evaluate_gsd_roles(nlp, split) for split in ("dev", "train")}
    else:
        print(f"UD Japanese GSD data not found at {gsd_path()}: skipped")
    if stockmark_path().exists():
        results["stockmark_dev"] = evaluate_stockmark(nlp, split="dev")
        results["stockmark_test"] = evaluate_stockmark(nlp)
    else:
        print(f"Stockmark data not found at {stockmark_path()}: skipped")
    results["corpus"] = evaluate_corpus(nlp)
    results["corpus_irex"] = evaluate_corpus(nlp, mapper=IREX_LABEL.get)
    if args.json:
        print(json.dumps({**results, "gsd_roles": roles} if roles else results, ensure_ascii=False, indent=1))
    else:
        for key, title in (("gsd_dev", "UD Japanese GSD dev split (our 13 entity labels)"),
                           ("stockmark_dev", "Stockmark dev split (mapped labels)"),
                           ("stockmark_test", "Stockmark test split (mapped labels)"),
                           ("corpus", "corpora/jnews gold (our labels)"),
                           ("corpus_irex", "corpora/jnews gold (IREX classes)")):
            if key in results:
                print(_table(title, results[key]))
        for split, figures in roles.items():
            print(f"roles against GSD {split} TITLE_AFFIX after a PERSON ({ROLE_NOTE[split]}): "
                  f"{figures['right']} of {figures['pairs']} right = {figures['accuracy']:.3f} "
                  f"({figures['accuracy_found']:.3f} of the people found), {figures['wrong']} wrong, "
                  f"{figures['missed']} people missed, {figures['spurious']} roles where GSD has none "
                  f"({figures['honorifics']} of them honorifics)")
    if args.write_baseline:
        baseline = json.loads(BASELINE_PATH.read_text("utf-8")) if BASELINE_PATH.exists() else {}
        baseline[args.mode] = {key: {"micro_f1": value["micro"]["f1"],
                                     "labels_f1": {k: v["f1"] for k, v in value["labels"].items()},
                                     "documents": value["documents"]}
                               for key, value in results.items() if isinstance(value, dict)}
        if roles:
            baseline[args.mode]["gsd_roles"] = {split: {key: figures[key] for key in ("pairs", "right", "accuracy")}
                                                for split, figures in roles.items()}
        BASELINE_PATH.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
