"""Retrain the statistical entity tagger: ``python -m pipeline.entities.train``.

Reads two train splits from ``../shared/data``: UD Japanese GSD r2.8-NE (``train.jsonl``,
OntoNotes labels) and Stockmark Wikipedia NER (``ner.json``, i % 10 not in {8, 9}), maps
both to our labels (``TRAIN_LABELS``; the maps are ``gsd.GSD_TO_LABEL`` and
``stockmark_training_label``), tokenizes them with our fugashi tokenizer, trains a
linear-chain CRF with python-crfsuite (L-BFGS, L1 + L2) over ``features.TEMPLATES`` and
exports it to ``pipeline/resources/entities/ner_crf.npz`` for the numpy tagger. The
features read the shipped word classes (``clusters.py``): rebuild those first when they change. It prints
the model's own span P/R/F1 on both dev splits (never a test split). python-crfsuite is
only needed here (``pip install python-crfsuite``), not at run time.

The numeric labels (MONEY, PERCENT, QUANTITY) are not learned: the number rules find and
normalize them.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from .crf import CrfTagger
from .features import TEMPLATES, doc_attrs, template_values, token_attrs
from .gazetteer import load_context
from .gsd import GSD_TO_LABEL, load_gsd
from .rules import gazetteer_spans
from .stockmark import STOCKMARK_TO_LABEL, load_split, score_label, to_bio
from ..rule_tables import RESOURCES_DIR

__all__ = ["MODEL_PATH", "TRAIN_LABELS", "TRAINING_INPUTS", "main", "prepare", "crf_features", "gsd_examples",
           "stockmark_examples", "stockmark_training_label", "training_inputs_digest"]

# The labels the CRF learns: our name labels. Numbers are the number rules' (they normalize).
TRAIN_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "NORP", "WORK_OF_ART"})

MODEL_PATH = RESOURCES_DIR / "entities" / "ner_crf.npz"
# The shipped tables the features read besides the templates: the gazetteers (the g column)
# and the word classes (c, cf). A model trained on other versions of them reads columns it
# did not learn from, and is no longer what this command gives: a test holds the two together.
TRAINING_INPUTS = ("entities/countries.tsv", "entities/people.tsv", "entities/names.tsv", "entities/word_clusters.npz")
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 220, "feature.possible_transitions": True}


def training_inputs_digest() -> str:
    """sha256 over ``TRAINING_INPUTS`` as shipped, in order."""
    digest = hashlib.sha256()
    for relative in TRAINING_INPUTS:
        data = (RESOURCES_DIR / relative).read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def crf_features(attrs, index: dict) -> list[list[str]]:
    """crfsuite attribute strings per token; ``index`` collects string -> (template, values)."""
    items = []
    for i in range(len(attrs)):
        feats = ["bias"]
        for k, values in enumerate(template_values(attrs, i)):
            name = f"{k}=" + "\x1f".join(values)
            if name not in index:
                index[name] = (k, values)
            feats.append(name)
        items.append(feats)
    return items


def stockmark_training_label(kind: str, text: str, start: int, end: int) -> str:
    """Stockmark type -> the label learned. Stockmark has one 地名 and one 製品名 class where
    GSD (and we) tell GPE from LOC and PRODUCT from WORK_OF_ART: a place that ends in a
    geographic suffix (山, 川, 湾 … of ``context.json``) is LOC, and a product right after 『 or
    「 is a title (WORK_OF_ART), as 256 of GSD's 344 WORK_OF_ART spans are."""
    label = STOCKMARK_TO_LABEL[kind]
    surface = text[start:end]
    if label == "GPE" and any(surface.endswith(s) and len(surface) > len(s) for s in load_context()["loc_suffixes"]):
        return "LOC"
    if label == "PRODUCT" and start and text[start - 1] in "『「":
        return "WORK_OF_ART"
    return label


def stockmark_examples(split: str, path: Path | None = None) -> list[tuple[str, set]]:
    """(text, {(start, end, label)}) of a Stockmark split, labels as learned."""
    out = []
    for record in load_split(split, path):
        text = record["text"]
        out.append((text, {(e["span"][0], e["span"][1], stockmark_training_label(e["type"], text, *e["span"]))
                           for e in record["entities"]}))
    return out


def gsd_examples(split: str, folder: Path | None = None) -> list[tuple[str, set]]:
    """(text, {(start, end, label)}) of a GSD split, only the labels the CRF learns."""
    return [(r["text"], {(e["start"], e["end"], GSD_TO_LABEL[e["label"]]) for e in r["entities"]
                         if GSD_TO_LABEL.get(e["label"]) in TRAIN_LABELS})
            for r in load_gsd(split, folder)]


def prepare(nlp, examples) -> list[tuple[list, list[str], object, set]]:
    out = []
    for text, gold in examples:
        doc = nlp(text)
        surfaces, tags = [t.text for t in doc], [t.tag_ for t in doc]
        attrs = [(*token_attrs(surface, tag), *extra)
                 for surface, tag, extra in zip(surfaces, tags, doc_attrs(surfaces, tags, gazetteer_spans(doc)))]
        out.append((attrs, to_bio(doc, sorted(gold)), doc, gold))
    return out


def span_f1(model: CrfTagger, data, classes=lambda label: label) -> tuple[float, float, float]:
    """Micro span P/R/F1 of the model alone; ``classes`` maps a label to its scoring class."""
    tp = fp = fn = 0
    for _, _, doc, gold_spans in data:
        pred = {(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), classes(k))
                for a, b, k in model.predict_doc(doc, gazetteer=gazetteer_spans(doc))}
        gold = {(a, b, classes(k)) for a, b, k in gold_spans}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return round(p, 4), round(r, 4), round(2 * p * r / max(1e-9, p + r), 4)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="Stockmark ner.json (default: ../shared/data/...)")
    parser.add_argument("--gsd", type=Path, default=None, help="GSD folder with train/dev.jsonl (default: ../shared/data/...)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    args = parser.parse_args(argv)
    try:
        import pycrfsuite
    except ImportError:
        parser.error("training needs python-crfsuite: pip install python-crfsuite")
    from ..nlp.tokenizer import tokenizer_nlp

    nlp = tokenizer_nlp()
    started = time.perf_counter()
    train = prepare(nlp, gsd_examples("train", args.gsd)) + prepare(nlp, stockmark_examples("train", args.data))
    dev_gsd = prepare(nlp, gsd_examples("dev", args.gsd))
    dev_stockmark = prepare(nlp, stockmark_examples("dev", args.data))
    print(f"train {len(train)} records, dev {len(dev_gsd)} GSD + {len(dev_stockmark)} Stockmark; "
          f"tokenized in {time.perf_counter() - started:.1f}s")
    index: dict = {}
    trainer = pycrfsuite.Trainer(verbose=False)
    for attrs, labels, _, _ in train:
        trainer.append(crf_features(attrs, index), labels)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        started = time.perf_counter()
        trainer.train(path)
        print(f"trained in {time.perf_counter() - started:.1f}s ({len(TEMPLATES)} templates)")
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        model = CrfTagger.from_crfsuite(tagger.info(), index)
    model.trained_on = training_inputs_digest()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    shipped = CrfTagger.load(args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"model alone, span P/R/F1: GSD dev {span_f1(shipped, dev_gsd)}; "
          f"Stockmark dev (its classes) {span_f1(shipped, dev_stockmark, score_label)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
