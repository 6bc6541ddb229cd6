"""``jnews keywords-df DUMP -o DF.tsv``: count a dump's keyword document frequencies into a table
for ``jnews summarize --keywords-df DF.tsv`` (see ``pipeline.batch.frequency``)."""

from __future__ import annotations

import sys
from dataclasses import replace

from ..batch.frequency import TABLE_COMMENTS, collect_document_frequency
from ..batch.partition import RunOptions
from ..entities.component import DEFAULT_MODE as DEFAULT_ENTITIES, MODES as ENTITY_MODES
from ..errors import UserError
from .parsing import add_column_arguments

__all__ = ["register"]


def _cmd_keywords_df(args) -> int:
    from ..keywords.score import background_frequency
    from .inputs import engine_of, inputs_of

    if args.scheduler and args.engine != "dask":
        raise UserError("--scheduler is for --engine dask")
    options = RunOptions(max_chars=args.max_chars, entities=args.entities)
    engine = engine_of(args)
    inputs = inputs_of(args, engine)
    try:
        with engine:
            engine.start(replace(options, task="document_keys"))
            table, failed = collect_document_frequency(inputs, options, engine)
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
    from ..batch.partition import DEFAULT_MAX_CHARS
    from ..io.partitions import DEFAULT_PARTITION_BYTES
    from ..io.reading import MAX_ARTICLE_BYTES, MAX_DECOMPRESSED_BYTES
    from .parsing import positive_arg, size_arg

    parser = commands.add_parser(
        "keywords-df", help="count a dump's keyword document frequencies into a table for --keywords-df")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".txt file, directory, .jsonl records (also .gz/.zst/.xz/.bz2), or - for stdin (as for summarize)")
    parser.add_argument("-o", "--output", required=True, metavar="DF.tsv", help="the table to write")
    add_column_arguments(parser)
    parser.add_argument("--entities", choices=ENTITY_MODES, default=DEFAULT_ENTITIES,
                        help="entity recognizer (entities are keywords under their canonical name); "
                             "use the same as for the summarize runs")
    parser.add_argument("--workers", type=positive_arg, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    parser.add_argument("--partition-size", type=size_arg, default=DEFAULT_PARTITION_BYTES, metavar="N",
                        help="with --engine dask, bytes of input per partition the workers read (default 1M)")
    parser.add_argument("--max-chars", type=size_arg, default=DEFAULT_MAX_CHARS, metavar="N")
    parser.add_argument("--max-bytes", type=size_arg, default=MAX_ARTICLE_BYTES, metavar="N")
    parser.add_argument("--max-decompressed", type=size_arg, default=MAX_DECOMPRESSED_BYTES, metavar="N")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    parser.set_defaults(handler=_cmd_keywords_df)
