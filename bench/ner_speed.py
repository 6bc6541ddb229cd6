"""Speed of the entity pipeline against raw fugashi tokenization, in one process.

    python bench/ner_speed.py [--repeat 3]

Texts: the corpora/jnews articles (news, the pipeline's job) and, separately, the first
2000 Stockmark sentences when ../shared/data is present. For each mode it prints the time
of raw fugashi (Tagger() over the same texts), of tokenize-only (the pipeline's tokenizer),
of the tokenizer + the entity component of each mode, and the ratio to raw fugashi. (The
whole pipeline's figures are bench/throughput.py's.) "accurate" adds the CRF.
"""
import argparse
import json
import time

from pipeline import make_nlp
from pipeline.nlp.dictionary import new_tagger
from pipeline.evaluation.entities import corpus_articles
from pipeline.entities.stockmark import stockmark_path


def run(name, texts, repeat):
    tagger = new_tagger()
    tokenizer = make_nlp(entities=None).tokenizer
    pipelines = {"raw fugashi": tagger, "tokenize only": tokenizer}
    for mode in ("fast", "accurate"):
        recognizer = make_nlp(entities=mode).get_pipe("jnews_entities")
        pipelines[mode] = lambda text, recognizer=recognizer: recognizer(tokenizer(text))
    for function in pipelines.values():  # warm up: model load, caches
        for text in texts[:20]:
            function(text)
    best = {label: float("inf") for label in pipelines}
    for _ in range(repeat):  # interleaved, so a busy machine slows every variant alike
        for label, function in pipelines.items():
            started = time.perf_counter()
            for text in texts:
                function(text)
            best[label] = min(best[label], time.perf_counter() - started)
    raw = best["raw fugashi"]
    chars = sum(map(len, texts))
    print(f"{name}: {len(texts)} texts, {chars} chars; raw fugashi {raw * 1000:.1f} ms ({chars / raw / 1e6:.2f}M chars/s)")
    for label, seconds in best.items():
        if label != "raw fugashi":
            print(f"  {label:<16}{seconds * 1000:>9.1f} ms  {seconds / raw:>6.2f}x raw fugashi")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = [text for _, text, _ in corpus_articles()]
    run("corpora/jnews articles (x5)", articles * 5, args.repeat)
    if stockmark_path().exists():
        sentences = [r["text"] for r in json.loads(stockmark_path().read_text("utf-8"))[:2000]]
        run("Stockmark sentences (short texts)", sentences, args.repeat)


if __name__ == "__main__":
    main()
