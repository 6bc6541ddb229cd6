"""jnews-pipeline: Japanese news articles -> normalized JSON summaries."""

from ._version import __version__
from .layout.article import Article, parse_article
from .summary.language import make_nlp
from .io.reading import Record, decode_bytes, iter_records
from .nlp.sentences import split_sentences
from .nlp.stage import make_doc
from .summary.summarize import SCHEMA_VERSION, summarize_record, summarize_text
from .io.tables import load_tables
from .batch.table import summarize_table
from .nlp.tokenizer import FugashiTokenizer

__all__ = [
    "__version__",
    "Article",
    "FugashiTokenizer",
    "Record",
    "SCHEMA_VERSION",
    "decode_bytes",
    "iter_records",
    "load_tables",
    "make_doc",
    "make_nlp",
    "parse_article",
    "split_sentences",
    "summarize",
    "summarize_record",
    "summarize_table",
    "summarize_text",
]


def summarize(text: str, *, id: str = "text", published: str | None = None, reference_date: str | None = None,
              key_points: int | None = None, keywords: int | None = None) -> dict:
    """Summarize one article's text with the default pipeline (built on first use, kept by
    this module: one Tagger for the process); ``key_points`` and ``keywords``: how many of
    each (default 3 and 10)."""
    global _DEFAULT_NLP
    if _DEFAULT_NLP is None:
        _DEFAULT_NLP = make_nlp()
    return summarize_text(text, _DEFAULT_NLP, id=id, published=published, reference_date=reference_date,
                          key_points=key_points, keywords=keywords)


_DEFAULT_NLP = None
