"""What a run's output depends on, so that ``--resume`` refuses to mix two different runs."""

from __future__ import annotations

import hashlib
import os

from .._version import __version__

__all__ = ["FINGERPRINT_SETTINGS", "run_fingerprint"]

# every setting that decides which records there are and what their lines say (not the
# worker count or the engine: the bytes do not depend on them)
FINGERPRINT_SETTINGS = ("reference_date", "max_chars", "max_bytes", "max_decompressed", "entities", "keywords_df",
                        "key_points", "keywords", "text_column", "id_column")


def run_fingerprint(paths: list[str], **settings) -> dict:
    """The fingerprint of a run over ``paths`` with ``settings`` (FINGERPRINT_SETTINGS, as
    ``jnews summarize`` spells them; ``keywords_df``: None, ``batch`` or a table file)."""
    unknown = set(settings) - set(FINGERPRINT_SETTINGS)
    if unknown:
        raise TypeError(f"not a setting of the fingerprint: {', '.join(sorted(unknown))}")
    values = {name: settings.get(name) for name in FINGERPRINT_SETTINGS}
    values["keywords_df"] = _table_digest(values["keywords_df"])
    # the same files however they are spelled (dump/, ./dump, an absolute path); stdin is "-"
    return {"paths": [path if path == "-" else os.path.realpath(path) for path in paths], **values,
            "version": __version__}


def _table_digest(keywords_df: str | None) -> str | None:
    """``batch`` (counted again on resume, with the same result), or the table file's hash."""
    if keywords_df in (None, "batch"):
        return keywords_df
    with open(keywords_df, "rb") as handle:
        return "sha256:" + hashlib.sha256(handle.read()).hexdigest()
