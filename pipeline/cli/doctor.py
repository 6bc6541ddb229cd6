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
    """Lines to print, and whether the tokenizer and the default entity model work."""
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
    lines.append(_entity_model_line())
    healthy = healthy and lines[-1].startswith("entity model ok")
    return lines, healthy


def _entity_model_line() -> str:
    """The shipped CRF and word classes that the default entity mode ("accurate") needs,
    loaded as a run would."""
    from ..entities.component import DEFAULT_MODE, MODEL_FILE, load_tagger

    try:
        tagger = load_tagger()
    except (OSError, ValueError, KeyError) as error:
        return (f"entity model {MODEL_FILE} or its word classes unusable ({error}): reinstall jnews-pipeline, or retrain it with "
                f"`python -m pipeline.entities.train`; `--entities fast` runs without it")
    from ..entities.train import training_inputs_digest

    line = (f"entity model ok: {MODEL_FILE} ({len(tagger.labels)} labels, "
            f"{sum(len(v) for v in tagger.vocabs.values()):,} feature values; default mode {DEFAULT_MODE})")
    if tagger.trained_on != training_inputs_digest():
        line += ("; it was trained on other gazetteers or word classes than these (edited since?): retrain it "
                 "with `python -m pipeline.entities.train` for the figures the README gives")
    return line
