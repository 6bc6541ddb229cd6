"""Keywords: content-word n-grams scored by BM25-style tf x idf against a document-frequency table."""

from .score import DEFAULT_KEYWORDS, DocumentFrequency, background_frequency, extract_keywords

__all__ = ["DEFAULT_KEYWORDS", "DocumentFrequency", "background_frequency", "extract_keywords"]
