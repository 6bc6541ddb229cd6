"""GiNZA (ja_ginza) on the same GSD dev split, Stockmark dev and test splits and corpora gold, for comparison.

Run it with a Python that has GiNZA (kept out of this project's dependencies: it pulls
SudachiPy and its dictionary), e.g.

    python -m venv /tmp/ginza && /tmp/ginza/bin/pip install ginza ja-ginza
    /tmp/ginza/bin/python bench/ner_ginza.py

GiNZA's ENE labels are mapped to OntoNotes with its own ``ENE_ONTONOTES_MAPPING``, then
scored exactly like ``pipeline.evaluation.entities`` (same split, same label classes, exact
spans); it also prints the time per character against our pipeline's bench.
"""
import json
import time
from collections import Counter
from pathlib import Path

import spacy
from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"
GSD_DEV = ROOT.parent / "shared" / "data" / "ud-japanese-gsd-ne" / "dev.jsonl"
STOCKMARK = {"人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG", "地名": "GPE",
             "施設名": "FAC", "製品名": "PRODUCT", "イベント名": "EVENT"}
SCORE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "FAC", "PRODUCT": "PRODUCT",
         "WORK_OF_ART": "PRODUCT", "LAW": "PRODUCT", "EVENT": "EVENT"}
OURS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "NORP", "WORK_OF_ART", "MONEY",
        "PERCENT", "QUANTITY"}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(title, pairs):
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        for x in pred & gold:
            tp[x[2]] += 1
        for x in pred - gold:
            fp[x[2]] += 1
        for x in gold - pred:
            fn[x[2]] += 1
    print(title)
    for label in sorted(set(tp) | set(fp) | set(fn)):
        p, r, f = prf(tp[label], fp[label], fn[label])
        print(f"  {label:<12}{p:8.3f}{r:8.3f}{f:8.3f}")
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"  {'micro':<12}{p:8.3f}{r:8.3f}{f:8.3f}")


def onto(ent):
    return ENE_ONTONOTES_MAPPING.get(ent.label_, ent.label_)


def main():
    nlp = spacy.load("ja_ginza")
    if GSD_DEV.exists():  # our 13 labels, as pipeline.evaluation.entities.evaluate_gsd scores them
        records = [json.loads(line) for line in GSD_DEV.read_text("utf-8").splitlines() if line.strip()]
        pairs = []
        for r in records:
            doc = nlp(r["text"])
            pred = {(e.start_char, e.end_char, onto(e)) for e in doc.ents if onto(e) in OURS}
            pairs.append(({(e["start"], e["end"], e["label"]) for e in r["entities"] if e["label"] in OURS}, pred))
        report(f"GiNZA on the UD Japanese GSD dev split ({len(records)} records, our 13 labels)", pairs)
    for split, remainder in (("dev", 8), ("test", 9)) if DATA.exists() else ():
        records = [r for i, r in enumerate(json.loads(DATA.read_text("utf-8"))) if i % 10 == remainder]
        pairs = []
        started = time.perf_counter()
        for r in records:
            doc = nlp(r["text"])
            pred = {(e.start_char, e.end_char, SCORE[onto(e)]) for e in doc.ents if onto(e) in SCORE}
            gold = {(e["span"][0], e["span"][1], SCORE[STOCKMARK[e["type"]]]) for e in r["entities"]}
            pairs.append((gold, pred))
        seconds = time.perf_counter() - started
        chars = sum(len(r["text"]) for r in records)
        report(f"GiNZA on the Stockmark {split} split ({len(records)} sentences, {chars / seconds:.0f} chars/s)", pairs)
    pairs = []
    for gold_path in sorted((ROOT / "corpora" / "jnews" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        text = (ROOT / "corpora" / "jnews" / "articles" / (gold_path.stem + ".txt")).read_bytes().decode(
            gold.get("encoding", "utf-8"))
        doc = nlp(text)
        pred = {(e.start_char, e.end_char, onto(e)) for e in doc.ents if onto(e) in OURS}
        pairs.append(({(e["start"], e["end"], e["label"]) for e in gold["entities"]}, pred))
    report(f"GiNZA on corpora/jnews gold ({len(pairs)} articles, our labels)", pairs)


if __name__ == "__main__":
    main()
