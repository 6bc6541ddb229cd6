"""Locate unidic-lite and build fugashi Taggers, with errors a person can act on."""

from __future__ import annotations

import functools
import os
from importlib import metadata

__all__ = ["DictionaryError", "new_tagger", "dictionary_label", "dictionary_dir"]


class DictionaryError(RuntimeError):
    """The tokenizer's dictionary or MeCab binding is missing or broken."""


_HELP = """\
jnews needs fugashi with the unidic-lite dictionary, and could not start it.
  {detail}
What to try:
  pip install --force-reinstall "fugashi>=1.4" "unidic-lite>=1.0.8"
  jnews doctor        (prints versions and the dictionary path it found)
No download step is needed: unidic-lite ships its dictionary inside the wheel.
If this keeps failing, open an issue with the output of `jnews doctor`
(Japanese or English is fine)."""


def dictionary_dir() -> str:
    try:
        import unidic_lite
    except ImportError as error:
        raise DictionaryError(_HELP.format(detail=f"unidic-lite is not installed ({error}).")) from None
    return unidic_lite.DICDIR


def new_tagger():
    """A fresh fugashi Tagger on unidic-lite (never pickled: build one per process)."""
    try:
        import fugashi
    except ImportError as error:
        raise DictionaryError(_HELP.format(detail=f"fugashi is not importable ({error}).")) from None
    dicdir = dictionary_dir()
    try:
        # Pin unidic-lite even when the full `unidic` is also installed, and quote the
        # paths: MeCab splits its argument string on spaces (fugashi #92).
        mecabrc = os.path.join(dicdir, "mecabrc")
        return fugashi.Tagger(f'-d "{dicdir}" -r "{mecabrc}"')
    except RuntimeError as error:
        raise DictionaryError(_HELP.format(detail=f"MeCab failed on {dicdir}: {error}")) from None


@functools.lru_cache(maxsize=1)  # read once: it goes into every summary
def dictionary_label() -> str:
    """``unidic-lite <version>``, as written in every summary's ``pipeline`` block."""
    try:
        return f"unidic-lite {metadata.version('unidic-lite')}"
    except metadata.PackageNotFoundError:
        return "unidic-lite unknown"
