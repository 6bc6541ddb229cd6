"""Benchmark texts: the seed, corpora/*/articles, and Stockmark sentences grouped into
articles (when ../shared/data is beside the checkout). Printed figures say what was used."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCKMARK = ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"


def benchmark_texts(sentences_per_article: int = 20, limit_sentences: int = 3000) -> tuple[list[str], str]:
    from pipeline.reading import decode_bytes

    texts = [(ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt").read_text(encoding="utf-8")]
    for path in sorted(ROOT.glob("corpora/*/articles/*.txt")):
        texts.append(decode_bytes(path.read_bytes())[0])
    described = f"seed + {len(texts) - 1} corpus articles"
    if STOCKMARK.exists():
        sentences = [item["text"] for item in json.loads(STOCKMARK.read_text(encoding="utf-8"))[:limit_sentences]]
        for i in range(0, len(sentences), sentences_per_article):
            group = sentences[i:i + sentences_per_article]
            texts.append(group[0][:30] + "\n" + "\n".join(group))
        described += f" + {len(sentences)} Stockmark sentences in articles of {sentences_per_article}"
    return texts, described
