"""The one reader of the data shipped under ``pipeline/resources``: rule and gazetteer
tables, word lists, JSON and model files. Every stage reads its data through it.

Conventions: a TSV table has one row per line, tab-separated; blank lines and lines that
start with ``#`` are left out; a table whose first row names its columns is read with
``header=True``. Paths are relative to ``pipeline/resources``.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

__all__ = ["resource_text", "read_rows", "read_lines", "read_json", "resource_file", "RESOURCES_DIR"]

# where a build step writes a resource (python -m pipeline.keywords build-background,
# python -m pipeline.entities.train): the package's own folder in the checkout
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"


def resource_text(relative_path: str) -> str:
    return resources.files("pipeline").joinpath("resources", relative_path).read_text("utf-8")


def read_lines(relative_path: str) -> list[str]:
    """The stripped lines of a word list, blank and comment lines left out."""
    return [line.strip() for line in resource_text(relative_path).splitlines()
            if line.strip() and not line.startswith("#")]


def read_rows(relative_path: str, *, header: bool = False) -> list[list[str]]:
    """The rows of a TSV table, blank and comment lines left out; with ``header``, without
    its first row (ValueError when the table has none)."""
    rows = [line.split("\t") for line in resource_text(relative_path).splitlines()
            if line.strip() and not line.startswith("#")]
    if header:
        if not rows:
            raise ValueError(f"{relative_path}: empty table")
        return rows[1:]
    return rows


def read_json(relative_path: str):
    return json.loads(resource_text(relative_path))


@contextmanager
def resource_file(relative_path: str) -> Iterator[Path]:
    """A real file path for a binary resource (a model), for as long as the block runs."""
    with resources.as_file(resources.files("pipeline").joinpath("resources", relative_path)) as path:
        yield path
