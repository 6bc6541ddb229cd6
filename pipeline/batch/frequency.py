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
import sys
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from .partition import RunOptions
from ..io.reading import Record

if TYPE_CHECKING:  # keywords pulls in numpy and spaCy: not at `jnews --help` time
    from ..keywords.score import DocumentFrequency

__all__ = ["collect_document_frequency", "register", "TABLE_COMMENTS"]

TABLE_COMMENTS = ("Document frequencies of keyword keys: the package's background table plus one batch.",
                  "Written by `jnews keywords-df`; use it with `jnews summarize --keywords-df FILE`.")


def collect_document_frequency(records: Iterable[Record], options: RunOptions, engine,
                               background: "DocumentFrequency | None" = None) -> "tuple[DocumentFrequency, int]":
    """(background + the batch's document frequencies, records that could not be read).
    Every readable article is one document; error records are not counted."""
    from ..keywords.score import DocumentFrequency, background_frequency
    from .runner import run_lines

    background = background or background_frequency()
    counts: Counter[str] = Counter(background.counts)
    documents = failed = 0
    for lines in run_lines(records, replace(options, task="document_keys", keywords_df=None), engine):
        for line in lines:
            if line.error is not None:
                failed += 1
                continue
            documents += 1
            counts.update(json.loads(line.text))
    label = f"{background.label} + {documents} batch documents"
    return DocumentFrequency(background.documents + documents, dict(counts), label), failed


def _cmd_keywords_df(args) -> int:
    from ..cli.main import UserError
    from ..keywords.score import background_frequency
    from ..io.reading import InputError, iter_records
    from .runner import make_engine

    if args.scheduler and args.engine != "dask":
        raise UserError("--scheduler is for --engine dask")
    options = RunOptions(max_chars=args.max_chars, entities=args.entities)
    engine = make_engine(args.engine, args.workers, args.scheduler)
    try:
        records = iter_records(args.paths, max_bytes=args.max_bytes, max_decompressed=args.max_decompressed)
        with engine:
            engine.start(replace(options, task="document_keys"))
            table, failed = collect_document_frequency(records, options, engine)
    except InputError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot read input: {error}") from None
    batch = table.documents - background_frequency().documents
    if batch == 0:
        raise UserError("no readable articles in the input: nothing to count")
    try:
        table.write(args.output, TABLE_COMMENTS)
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror}") from None
    if not args.quiet:
        print(f"{batch} document{'s' * (batch != 1)} counted, {failed} unreadable -> {args.output}", file=sys.stderr)
    return 0


def register(commands) -> None:
    """Add ``keywords-df`` to the ``jnews`` subcommands."""
    from .partition import DEFAULT_MAX_CHARS
    from ..cli.main import _positive, _size
    from ..io.reading import MAX_ARTICLE_BYTES, MAX_DECOMPRESSED_BYTES

    parser = commands.add_parser(
        "keywords-df", help="count a dump's keyword document frequencies into a table for --keywords-df")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".txt file, directory, .jsonl/.jsonl.gz records, or - for stdin (as for summarize)")
    parser.add_argument("-o", "--output", required=True, metavar="DF.tsv", help="the table to write")
    parser.add_argument("--entities", choices=("fast", "accurate"), default="fast",
                        help="entity recognizer (entities are keywords under their canonical name); "
                             "use the same as for the summarize runs")
    parser.add_argument("--workers", type=_positive, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    parser.add_argument("--max-chars", type=_size, default=DEFAULT_MAX_CHARS, metavar="N")
    parser.add_argument("--max-bytes", type=_size, default=MAX_ARTICLE_BYTES, metavar="N")
    parser.add_argument("--max-decompressed", type=_size, default=MAX_DECOMPRESSED_BYTES, metavar="N")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    parser.set_defaults(handler=_cmd_keywords_df)
