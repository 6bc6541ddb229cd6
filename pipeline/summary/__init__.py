"""Summaries: the spaCy Language of stage components, and Doc -> the contract's dict."""

from .language import make_nlp
from .summarize import SCHEMA_VERSION, summarize_batch, summarize_record, summarize_text

__all__ = ["SCHEMA_VERSION", "make_nlp", "summarize_batch", "summarize_record", "summarize_text"]
