"""A progress bar on stderr for long runs (tqdm): articles/s, chars/s, errors so far and,
when the number of records is known, an ETA. Silent unless stderr is a terminal."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable, IO

__all__ = ["Progress"]


def _terminal_size(stream) -> tuple[int, int]:
    """(columns, rows) of the terminal behind ``stream``; 0 when unknown. A pseudo-terminal
    with no size set reports 0 x 0, and tqdm then draws nothing at all."""
    try:
        size = os.get_terminal_size(stream.fileno())
        return size.columns, size.lines
    except (AttributeError, OSError, ValueError):
        return 0, 0


class Progress:
    """``update(articles, chars, errors)`` after each batch; ``close()`` at the end.

    ``count`` (optional) is called in a background thread to learn the total, so the bar
    starts at once and gets its ETA as soon as the records are counted."""

    def __init__(self, *, enabled: bool | None = None, stream: IO[str] | None = None, initial: int = 0,
                 initial_errors: int = 0, count: Callable[[], int | None] | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.errors = initial_errors
        self.chars = 0
        self._started = time.monotonic()
        self._bar = None
        if not enabled:
            return
        from tqdm import tqdm

        width, rows = _terminal_size(self.stream)
        self._bar = tqdm(file=self.stream, initial=initial, unit=" articles", unit_scale=False, smoothing=0.1,
                         mininterval=0.5, leave=True, ncols=width or 100, nrows=rows or 24,
                         dynamic_ncols=bool(width))
        self._show()
        if count is not None:
            threading.Thread(target=self._count, args=(count,), daemon=True, name="jnews-count").start()

    def _count(self, count: Callable[[], int | None]) -> None:
        try:
            total = count()
        except Exception:  # the bar is a nicety: never let it break a run
            return
        if total is not None and self._bar is not None:
            self._bar.total = total

    def _show(self) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        self._bar.set_postfix_str(f"{self.chars / elapsed:,.0f} chars/s, {self.errors} errors", refresh=False)

    def update(self, articles: int, chars: int = 0, errors: int = 0) -> None:
        self.chars += chars
        self.errors += errors
        if self._bar is not None:
            self._show()
            self._bar.update(articles)

    def close(self) -> None:
        if self._bar is not None:
            self._show()
            self._bar.close()
            self._bar = None
