"""Entity quality figures (exact spans): GSD dev, Stockmark dev and test, corpora/jnews gold.

    python bench/ner_quality.py [--mode fast|accurate] [--json] [--write-baseline]

Same as ``python -m pipeline.evaluation.entities``.
"""
import sys

from pipeline.evaluation.entities import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
