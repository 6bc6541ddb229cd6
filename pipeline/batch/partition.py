"""The per-partition function every engine runs: records in, serialized output lines out.

The local engine (worker processes) and the Dask engine call the same ``process_batch``;
each process (or thread) keeps one pipeline of its own, built on first use and kept for the
life of the process, with one fugashi Tagger that is never replaced: measured, every new
Tagger costs about 73 MB of memory that fugashi/MeCab never gives back (so replacing the
Tagger or rebuilding the pipeline makes memory grow by steps), while one Tagger's own cache
grows by about 0.5 KB per article even on adversarial text. What keeps a long run flat is
replacing whole worker processes (``LocalEngine(recycle_after=...)``). Lines are serialized
in the worker, so what crosses the process boundary is small plain data and the bytes do not
depend on which worker ran a record.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

from ..entities.component import DEFAULT_MODE as DEFAULT_ENTITIES
from ..io.output import dumps_summary
from ..io.reading import Record

__all__ = ["RunOptions", "Line", "Worker", "process_batch", "thread_worker", "admit", "batches", "one_blas_thread", "keep_one_blas_thread",
           "DEFAULT_MAX_CHARS", "DEFAULT_RECYCLE_AFTER", "DEFAULT_RECORD_TIMEOUT"]

# spaCy's own default max_length: about 3 MB of Japanese UTF-8, far above any real news
# article. Memory for one article grows with its length (a spaCy Doc plus the stages'
# spans: measured 0.3 to 0.8 KB per character), so the limit is what keeps a worker's memory
# bounded; a longer article is a `too_large` line unless --max-chars is raised for it. Up to
# the limit, the tokenizer tags a long text in pieces of 20,000 characters.
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_RECYCLE_AFTER = 20_000  # articles per worker process before it is replaced
# --record-timeout, seconds (see ``deadline``): a news article takes well under one, and the
# records that stall (runs of text a scanner is slow on) take minutes to hours.
DEFAULT_RECORD_TIMEOUT = 120.0
# Python's cyclic GC rescans every long-lived container (spaCy's Vocab, gazetteers, caches)
# over and over: measured ~5% of a run. A batch worker takes what survives a collection out
# of those scans (gc.freeze) after its first batch and then every this many articles.
GC_FREEZE_EVERY = 500


@dataclass(frozen=True)
class RunOptions:
    """Everything that decides the output bytes of a record (plus pipeline housekeeping)."""

    reference_date: str | None = None
    pretty: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    entities: str = DEFAULT_ENTITIES
    keywords_df: str | None = None  # a document-frequency table file for keyword scores (default: the background)
    key_points: int | None = None  # extracted key points per article (default: keypoints.DEFAULT_KEY_POINTS)
    keywords: int | None = None  # keywords per article (default: keywords.DEFAULT_KEYWORDS)
    task: str = "summarize"  # or "document_keys": each line is the JSON list of an article's keyword keys


class Line(NamedTuple):
    """One output record: its serialized JSON (no newline), its error kind or None, and the
    number of characters summarized (for progress)."""

    text: str
    error: str | None
    chars: int


def admit(record: Record, options: RunOptions) -> Record:
    """Turn an article over ``max_chars`` into a ``too_large`` error before it is shipped
    to a worker."""
    if record.error is None and record.text is not None and len(record.text) > options.max_chars:
        record.error = ("too_large", f"{len(record.text)} characters is over the limit of {options.max_chars} "
                                     "(--max-chars)")
        record.text = None
    return record


_WARM_UP = ("日米首脳が会談\n公開日:2025/02/08\n✅ 石破首相は7日、ワシントンでトランプ大統領と会談した。\n"
            "✅ 両首脳は日米同盟の強化を確認した。\n政府は来年度の防衛費を増やす方針だ。専門家は「効果は限定的だ」と話している。\n")


class Worker:
    """One pipeline (the spaCy Language of all stages) with one Tagger, for the worker's life."""

    def __init__(self, options: RunOptions, *, freeze_gc: bool = False) -> None:
        """``freeze_gc``: only for a process the engine owns (frozen objects are never
        scanned again, so a cycle among them would never be freed; ours have none)."""
        self.options = options
        self.freeze_gc = freeze_gc
        self._nlp = None
        self.docs = 0
        self._frozen_at: int | None = None

    def _pipeline(self):
        if self._nlp is None:
            from ..summary.language import make_nlp

            self._nlp = make_nlp(entities=self.options.entities, key_points=self.options.key_points,
                                 keywords=self.options.keywords, document_frequency=self.options.keywords_df)
            # The tokenizer tags long texts piece by piece; our own limit is max_chars.
            self._nlp.max_length = max(self._nlp.max_length, self.options.max_chars + 1)
        return self._nlp

    def warm_up(self) -> None:
        """Build the pipeline and summarize a short sample article. A fresh worker process
        pays for lazy loading, caches and copy-on-write page faults on its first article
        (measured 0.2-0.7 s on a loaded 2-core machine, against 10 ms for the next): paid
        here, before the worker is given a deadline (``deadline``)."""
        self.process([Record(id="warm-up", text=_WARM_UP)])

    def summarize(self, record: Record) -> dict:
        return self.summarize_many([record])[0]

    def line(self, record: Record) -> Line:
        return self.process([record])[0]

    def _line(self, summary: dict) -> Line:
        error = summary.get("error")
        return Line(dumps_summary(summary, pretty=self.options.pretty),
                    error["kind"] if error else None, 0 if error else summary["stats"]["chars"])

    def keys_line(self, record: Record) -> Line:
        """Pass 1 of a run with batch document frequencies: the article's keyword keys."""
        return self.keys_lines([record])[0]

    def keys_lines(self, records: list[Record]) -> list[Line]:
        """``keys_line`` of each record: the layout and entity stages only (what the keys
        depend on), through ``nlp.pipe`` as the summaries are."""
        import json

        from ..keywords.component import KEYWORDS_COMPONENT
        from ..keywords.score import document_keys
        from ..nlp.stage import internal_error
        from ..nlp.tokenizer import doc_text
        from ..summary.language import STAGES
        from ..summary.summarize import record_doc

        if all(record.error is not None for record in records):
            return [self._error_line(record.id, *record.error, record.source_path) for record in records]
        nlp = self._pipeline()
        lines = []
        cache = nlp.get_pipe(KEYWORDS_COMPONENT).cache  # the keywords stage owns it
        docs = nlp.pipe((record_doc(nlp, record) for record in records), disable=list(STAGES))
        for record, doc in zip(records, docs, strict=True):
            error = doc._.error
            if error is None:
                try:
                    keys = sorted(document_keys(doc_text(doc), doc._.article, doc, cache))
                except Exception as failure:  # as a stage does: one bad article never stops a batch
                    error = internal_error(failure)
            if error is None:
                lines.append(Line(json.dumps(keys, ensure_ascii=False), None, len(record.text)))
            else:
                lines.append(self._error_line(record.id, error["kind"], error["message"], record.source_path))
        return lines

    def _error_line(self, record_id: str, kind: str, message: str, source_path: str | None) -> Line:
        from ..records import error_record

        return Line(dumps_summary(error_record(record_id, kind, message, source_path=source_path)), kind, 0)

    def summarize_many(self, records: Iterable[Record]) -> list[dict]:
        """``[self.summarize(record) for record in records]``: through ``nlp.pipe``, whose
        stages run one group of articles at a time."""
        from ..records import error_record
        from ..summary.summarize import summarize_batch

        records = list(records)
        if all(record.error is not None for record in records):  # no pipeline to build
            return [error_record(record.id, *record.error, source_path=record.source_path) for record in records]
        self.docs += sum(record.error is None for record in records)
        return summarize_batch(records, self._pipeline(), reference_date=self.options.reference_date)

    def process(self, records: Iterable[Record]) -> list[Line]:
        records = [admit(record, self.options) for record in records]
        if self.options.task == "document_keys":
            return self.keys_lines(records)
        summaries = self.summarize_many(records)
        if self.freeze_gc and (self._frozen_at is None or self.docs - self._frozen_at >= GC_FREEZE_EVERY):
            gc.collect()
            gc.freeze()
            self._frozen_at = self.docs
        return [self._line(summary) for summary in summaries]


def one_blas_thread():
    """Limit BLAS/OpenMP thread pools to one thread: what every batch worker runs under.

    A batch run has one worker process per core. Left alone, OpenBLAS starts a thread per core
    inside the numpy calls on key-point ranking's matrices: measured on long plain-news
    articles, one worker took 1.6 cores (about 50% more CPU than the work needs) and 2 workers
    on 2 cores were only 1.06x faster than one, fighting over the cores with their BLAS threads.
    Returns threadpoolctl's limiter: use it as a context manager to restore the limits
    afterwards, or keep it (a worker process, for its life). ``pipeline.summarize`` and
    notebooks keep the default.
    """
    import numpy  # noqa: F401  -- loads OpenBLAS: threadpoolctl limits only libraries already loaded
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


_BLAS_KEPT = False


def keep_one_blas_thread() -> None:
    """``one_blas_thread`` for the rest of this process, set once. For code that runs many
    tasks in threads of one process (a Dask worker, an engine calling ``summarize_table``): a
    limit held by a context manager per task would be undone by another task thread finishing
    first."""
    global _BLAS_KEPT
    if not _BLAS_KEPT:
        one_blas_thread()
        _BLAS_KEPT = True


_LOCAL = threading.local()


def thread_worker(options: RunOptions) -> Worker:
    """This thread's Worker for ``options`` (its pipeline is built on first use)."""
    worker = getattr(_LOCAL, "worker", None)
    if worker is None or worker.options != options:
        worker = _LOCAL.worker = Worker(options)
    return worker


def process_batch(records: list[Record], options: RunOptions) -> list[Line]:
    """Summarize a batch with this thread's pipeline (built on first use). Safe to call from
    any process or thread: a pipeline is never shared between threads."""
    return thread_worker(options).process(records)


def batches(records: Iterable[Record], options: RunOptions, *, max_records: int = 16,
            max_chars: int = 200_000) -> Iterator[list[Record]]:
    """Group records into small batches (to amortize inter-process traffic) of at most
    ``max_records`` records or about ``max_chars`` characters; a long article travels alone."""
    from ..nlp.stage import groups

    return groups((admit(record, options) for record in records), lambda record: len(record.text or ""),
                  max_items=max_records, max_size=max_chars, look_ahead=True)
