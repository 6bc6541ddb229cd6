"""The core every stage stands on: fugashi + unidic-lite as a spaCy tokenizer, the dictionary,
sentence segmentation and the numpy token view. Imports nothing above it."""

from .sentences import split_sentences
from .tokenizer import FugashiTokenizer

__all__ = ["FugashiTokenizer", "split_sentences"]
