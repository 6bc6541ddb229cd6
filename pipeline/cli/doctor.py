"""`jnews doctor`: what is installed and where the dictionary is."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

from .._version import __version__
from ..nlp.dictionary import DictionaryError, dictionary_dir, new_tagger

__all__ = ["doctor_report"]

_PACKAGES = ("fugashi", "unidic-lite", "spacy", "pandas", "charset-normalizer", "jsonschema", "pyarrow", "dask", "distributed")


def doctor_report() -> tuple[list[str], bool]:
    """Lines to print, and whether the tokenizer works."""
    lines = [f"jnews-pipeline {__version__}", f"python {platform.python_version()} ({sys.executable})"]
    for name in _PACKAGES:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} not installed")
    healthy = True
    try:
        lines.append(f"dictionary {dictionary_dir()}")
        tagger = new_tagger()
        words = [node.surface for node in tagger("石破首相が東京で会見した。")]
        lines.append(f"tokenizer ok: {' | '.join(words)}")
    except DictionaryError as error:
        lines.append(str(error))
        healthy = False
    return lines, healthy
