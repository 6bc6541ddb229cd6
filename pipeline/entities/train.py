"""Retrain the statistical entity tagger: ``python -m pipeline.entities.train``.

Reads the Stockmark train split (``../shared/data/stockmark-ner-wikipedia/ner.json``,
i % 10 not in {8, 9}), tokenizes it with our fugashi tokenizer, trains a linear-chain CRF
with python-crfsuite (L-BFGS, L1 + L2) over ``features.TEMPLATES`` and exports it to
``pipeline/resources/entities/ner_crf.npz`` for the numpy tagger. python-crfsuite is only
needed here (``pip install python-crfsuite``), not at run time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from .crf import CrfTagger
from .features import TEMPLATES, bracket_states, template_values, token_attrs
from .stockmark import STOCKMARK_TO_LABEL, load_split, to_bio
from ..rule_tables import RESOURCES_DIR

__all__ = ["MODEL_PATH", "main", "prepare", "crf_features"]

MODEL_PATH = RESOURCES_DIR / "entities" / "ner_crf.npz"
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


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


def prepare(nlp, records) -> list[tuple[list, list[str], object, set]]:
    out = []
    for record in records:
        doc = nlp(record["text"])
        gold = {(e["span"][0], e["span"][1], STOCKMARK_TO_LABEL[e["type"]]) for e in record["entities"]}
        surfaces = [t.text for t in doc]
        attrs = [(*token_attrs(t.text, t.tag_), q) for t, q in zip(doc, bracket_states(surfaces))]
        out.append((attrs, to_bio(doc, gold), doc, gold))
    return out


def span_f1(model: CrfTagger, data) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for _, _, doc, gold in data:
        pred = {(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), k) for a, b, k in model.predict_doc(doc)}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return round(p, 4), round(r, 4), round(2 * p * r / max(1e-9, p + r), 4)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="ner.json (default: ../shared/data/...)")
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
    train = prepare(nlp, load_split("train", args.data))
    dev = prepare(nlp, load_split("dev", args.data))
    print(f"train {len(train)} sentences, dev {len(dev)}; tokenized in {time.perf_counter() - started:.1f}s")
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
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.2f} MB); dev P/R/F1 {span_f1(CrfTagger.load(args.out), dev)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
