"""Read the rule and gazetteer tables shipped under ``pipeline/resources`` (TSV: one row per
line, tab-separated, ``#`` starts a comment line)."""

from __future__ import annotations

from importlib import resources

__all__ = ["read_rows"]


def read_rows(relative_path: str) -> list[list[str]]:
    """The rows of ``pipeline/resources/<relative_path>``, blank and comment lines left out."""
    text = resources.files("pipeline").joinpath("resources", relative_path).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
