"""Document frequencies of a batch, so that keyword scores are comparable across one run.

A keyword's score is a saturating tf times an idf. By default the idf comes from the
background table shipped with the package. A run over a dump can count its own document
frequencies first (pass 1: every article's keyword keys, on the same engine and workers as
the run), add them to the background table, and score every article against that one table
(pass 2): ``jnews summarize DUMP --keywords-df batch``. The table is fixed before pass 2
starts, so the output is the same for any worker count; ``jnews keywords-df DUMP -o DF.tsv``
writes it to a file, so that several runs (today's and last week's) can be scored alike with
``--keywords-df DF.tsv``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from .inputs import Inputs
from .partition import RunOptions
from ..io.reading import Record

if TYPE_CHECKING:  # keywords pulls in numpy and spaCy: not at `jnews --help` time
    from ..keywords.score import DocumentFrequency

__all__ = ["collect_document_frequency", "TABLE_COMMENTS"]

TABLE_COMMENTS = ("Document frequencies of keyword keys: the package's background table plus one batch.",
                  "Written by `jnews keywords-df`; use it with `jnews summarize --keywords-df FILE`.")


def collect_document_frequency(records: "Iterable[Record] | Inputs", options: RunOptions, engine,
                               background: "DocumentFrequency | None" = None) -> "tuple[DocumentFrequency, int]":
    """(background + the batch's document frequencies, records that could not be read).
    Every readable article is one document; error records are not counted. ``records``: the
    records, or the ``Inputs`` of a command (read where the engine reads them)."""
    from ..keywords.score import DocumentFrequency, background_frequency
    from .runner import run_lines

    background = background or background_frequency()
    counts: Counter[str] = Counter(background.counts)
    documents = failed = 0
    counting = replace(options, task="document_keys", keywords_df=None)
    lines_of = records.lines(counting) if isinstance(records, Inputs) else run_lines(records, counting, engine)
    for lines in lines_of:
        for line in lines:
            if line.error is not None:
                failed += 1
                continue
            documents += 1
            counts.update(json.loads(line.text))
    label = f"{background.label} + {documents} batch documents"
    return DocumentFrequency(background.documents + documents, dict(counts), label), failed
