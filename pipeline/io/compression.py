"""Compressed dumps, streamed: gzip, zstd (Common Crawl-style dumps, several frames as one
stream, a cut frame an error), xz and bz2; what a truncated stream raises while it is read."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from pathlib import Path
from typing import IO

import zstandard

__all__ = ["OPENERS", "READ_ERRORS", "open_zstd"]

# what a truncated or corrupt compressed stream raises while it is read
READ_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class _ZstdStream(io.RawIOBase):
    """A .zst file, decompressed as it is read, frame after frame (a dump concatenated from
    several .zst files is one stream). zstandard's own stream reader ends quietly at a cut
    frame; this one raises EOFError there, so a truncated dump is an error line, not a
    silent loss. Input goes to the decompressor 256 bytes at a time, because zstd can expand
    a few bytes into megabytes. That bounds one step's output to about 11 MB even on a
    decompression bomb."""

    _CHUNK = 1 << 16
    _FEED = 256

    def __init__(self, path: Path | IO[bytes]) -> None:
        self._file = open(path, "rb") if isinstance(path, (str, Path)) else path
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._fed = False  # the current frame has had input
        self._input = b""
        self._input_at = 0
        self._output = b""
        self._output_at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._output_at >= len(self._output):
            if self._frame.eof:  # the next frame starts with what followed the last one
                self._input, self._input_at = self._frame.unused_data + self._input[self._input_at:], 0
                self._frame, self._fed = zstandard.ZstdDecompressor().decompressobj(), False
            if self._input_at >= len(self._input):
                self._input, self._input_at = self._file.read(self._CHUNK), 0
                if not self._input:
                    if self._fed and not self._frame.eof:
                        raise EOFError("the zstd stream ends inside a frame (truncated file)")
                    return 0
            piece = self._input[self._input_at:self._input_at + self._FEED]
            self._input_at += len(piece)
            self._fed = True
            self._output, self._output_at = self._frame.decompress(piece), 0
        size = min(len(buffer), len(self._output) - self._output_at)
        buffer[:size] = memoryview(self._output)[self._output_at:self._output_at + size]
        self._output_at += size
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


def open_zstd(path: Path | IO[bytes]) -> IO[bytes]:
    return io.BufferedReader(_ZstdStream(path), buffer_size=1 << 16)


# by suffix: what opens such a file as a stream of its decompressed bytes
OPENERS = {".gz": lambda path: gzip.open(path, "rb"), ".zst": open_zstd, ".xz": lambda path: lzma.open(path, "rb"),
            ".bz2": lambda path: bz2.open(path, "rb")}
