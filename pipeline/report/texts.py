"""A run's summaries and the article texts behind them: read from the source files where they
still match the summary, else rebuilt from the summary's own spans (gaps shown as …)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..io.output import iter_run

__all__ = ["ArticleText", "read_run", "find_text", "rebuild_text"]

_GAP = "\n…\n"


def read_run(path: str | os.PathLike) -> list[dict]:
    """The summaries of a run, in order: JSONL or JSONL.gz (``jnews summarize`` output)."""
    return list(iter_run(path))




@dataclass
class ArticleText:
    text: str | None              # what is shown
    how: str                      # "source" | "rebuilt" | "none"
    origin: str | None = None     # the file it came from
    offsets: dict = field(default_factory=dict)  # rebuilt text: original offset -> shown offset (starts of runs)


def _spans_of(summary: dict) -> Iterator[dict]:
    for section in summary.get("sections") or []:
        yield from section.get("key_points") or []
        yield from section.get("body") or []
    for key in ("key_points", "takeaways", "entities", "dates"):
        yield from summary.get(key) or []


def good_span(span) -> bool:
    return (isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
            and isinstance(span.get("text"), str) and 0 <= span["start"] <= span["end"])


def _matches(text: str, summary: dict) -> bool:
    chars = (summary.get("stats") or {}).get("chars")
    if isinstance(chars, int) and chars != len(text):
        return False
    return all(text[s["start"]:s["end"]] == s["text"] for s in _spans_of(summary) if good_span(s))


def _candidates(source_path: str, run_dir: Path | None, roots: Iterable[Path]) -> Iterator[Path]:
    raw = Path(source_path)
    yield raw
    if not raw.is_absolute():
        if run_dir is not None:
            yield run_dir / raw
        for root in roots:
            yield root / raw
    for root in roots:  # a tree moved elsewhere: try the file name, then its last two parts
        yield root / raw.name
        if len(raw.parts) > 1:
            yield root / Path(*raw.parts[-2:])


class TextFinder:
    """Reads source files once; a .jsonl is indexed by id."""

    def __init__(self, run_dir: Path | None, roots: Iterable[str | os.PathLike] = ()):
        self.run_dir = run_dir
        self.roots = [Path(r) for r in roots]
        self.cache: dict[Path, dict[str, str]] = {}

    def _records(self, path: Path) -> dict[str, str]:
        key = path.resolve()
        if key not in self.cache:
            from ..io.reading import iter_records

            texts: dict[str, str] = {}
            try:
                for record in iter_records([str(path)]):
                    if record.text is not None:
                        texts.setdefault(record.id, record.text)
            except Exception:  # unreadable: the text is rebuilt from the spans instead
                texts = {}
            self.cache[key] = texts
        return self.cache[key]

    def find(self, summary: dict) -> tuple[str, str] | None:
        source = summary.get("source_path")
        if not source or source == "-":
            return None
        for path in _candidates(source, self.run_dir, self.roots):
            if not path.is_file():
                continue
            texts = self._records(path)
            if len(texts) == 1 and not str(path).endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
                candidates = list(texts.values())
            else:
                record_id = str(summary.get("id"))
                candidates = [texts[record_id]] if record_id in texts else []
            for text in candidates:
                if _matches(text, summary):
                    return text, str(path)
        return None


def rebuild_text(summary: dict) -> ArticleText:
    """The article's text as far as the summary's spans tell it; ``…`` marks what is unknown."""
    chars = (summary.get("stats") or {}).get("chars")
    known: dict[int, str] = {}
    for span in _spans_of(summary):
        if good_span(span) and len(span["text"]) == span["end"] - span["start"]:
            for n, c in enumerate(span["text"]):
                known.setdefault(span["start"] + n, c)
    if not known:
        return ArticleText(None, "none")
    parts, offsets, shown = [], {}, 0
    previous = None
    for position in sorted(known):
        if previous is None or position != previous + 1:
            if previous is not None or position > 0:
                parts.append(_GAP)
                shown += len(_GAP)
            offsets[position] = shown
        parts.append(known[position])
        shown += 1
        previous = position
    if not isinstance(chars, int) or previous + 1 < chars:
        parts.append(_GAP)
    return ArticleText("".join(parts), "rebuilt", None, offsets)


def find_text(summary: dict, *, run_path: str | os.PathLike | None = None,
              roots: Iterable[str | os.PathLike] = (), _finder: TextFinder | None = None) -> ArticleText:
    """The text a summary's offsets point into: re-read from its source, else rebuilt."""
    finder = _finder or TextFinder(Path(run_path).parent if run_path else None, roots)
    found = finder.find(summary)
    if found is not None:
        return ArticleText(found[0], "source", found[1])
    return rebuild_text(summary)


def shown_span(article: ArticleText, start: int, end: int) -> tuple[int, int] | None:
    """Map an original [start, end) to the shown text; None when it is not all shown."""
    if article.how == "source":
        return start, end
    if article.how != "rebuilt":
        return None
    run_start = max((s for s in article.offsets if s <= start), default=None)
    if run_start is None:
        return None
    run_starts = sorted(article.offsets)
    following = [s for s in run_starts if s > run_start]
    shift = article.offsets[run_start] - run_start
    shown_start, shown_end = start + shift, end + shift
    if following and end > following[0]:
        return None
    if shown_end > len(article.text or ""):
        return None
    return shown_start, shown_end
