"""Entity quality figures (exact spans): Stockmark test split and corpora/jnews gold.

    python bench/ner_quality.py [--mode fast|rules] [--write-baseline]

Same as ``python -m pipeline.evaluation.entities``.
"""
import sys

from pipeline.evaluation.entities import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
