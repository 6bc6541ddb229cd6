"""Inputs named by URL (``s3://bucket/dump.jsonl.zst``, ``gs://…/part-0.parquet``,
``memory://…``), read through fsspec when it and the backend for the scheme are installed
(``pip install fsspec s3fs``). A URL names one file: JSONL (also compressed), Parquet or a text
file, read as the same local file would be, streamed, never downloaded whole first (a text
file is read whole, as a local one is)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .record import InputError

__all__ = ["is_url", "open_url", "check_url"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(shown: str) -> bool:
    return bool(_SCHEME.match(shown))


def _filesystem(url: str):
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{url}: reading URLs needs fsspec and the backend for its scheme "
                         "(pip install fsspec s3fs / gcsfs / adlfs)") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise InputError(f"{url}: {error}") from None


def check_url(url: str) -> None:
    """InputError unless the URL names a readable file."""
    fs, path = _filesystem(url)
    try:
        exists, folder = fs.exists(path), fs.isdir(path)
    except Exception as error:  # a backend's own error (credentials, network): one line, no traceback
        raise InputError(f"{url}: {type(error).__name__}: {error}") from None
    if not exists:
        raise InputError(f"no such file: {url}")
    if folder:
        raise InputError(f"{url}: a URL must name a file (a dump, a table or an article), not a folder")


def open_url(url: str):
    """(open binary file, its name, its size in bytes) of a URL checked by ``check_url``."""
    fs, path = _filesystem(url)
    return fs.open(path, "rb"), PurePosixPath(path).name, fs.size(path)
