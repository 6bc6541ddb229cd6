"""The `jnews` command: wires reading, summarizing and writing; no logic of its own."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import Sequence

from .._version import __version__
from ..errors import UserError, UserInterrupt
from .parsing import Parser, add_column_arguments, count_arg, iso_date_arg, positive_arg, seconds_arg, size_arg, run_parser
from ..entities.component import DEFAULT_MODE as DEFAULT_ENTITIES, MODES as ENTITY_MODES
from ..batch.partition import DEFAULT_MAX_CHARS, DEFAULT_RECORD_TIMEOUT, DEFAULT_RECYCLE_AFTER
from ..io.partitions import DEFAULT_PARTITION_BYTES
from ..io.reading import MAX_ARTICLE_BYTES, MAX_DECOMPRESSED_BYTES

__all__ = ["main", "build_parser", "run_parser"]


def run_fingerprint(args) -> dict:
    """The run's fingerprint (``batch.fingerprint``) from the parsed arguments."""
    from ..batch.fingerprint import FINGERPRINT_SETTINGS, run_fingerprint as fingerprint

    return fingerprint(args.paths, **{name: getattr(args, name) for name in FINGERPRINT_SETTINGS})


def _keywords_table(args) -> str | None:
    """The --keywords-df table file, checked now rather than in every worker."""
    from ..keywords.score import DocumentFrequency

    if args.keywords_df is None or args.keywords_df == "batch":
        if args.keywords_df and "-" in args.paths:
            raise UserError("--keywords-df batch reads the input twice: give files, not stdin "
                            "(or count a table first with `jnews keywords-df`)")
        if args.keywords_df and args.scheduler:
            raise UserError("--keywords-df batch writes its table on this machine, which the workers of a remote "
                            "scheduler may not see: write it with `jnews keywords-df` to a shared filesystem and "
                            "pass --keywords-df FILE")
        return args.keywords_df
    try:
        DocumentFrequency.read(args.keywords_df)
    except OSError as error:
        raise UserError(f"cannot read --keywords-df {args.keywords_df}: {error.strerror}") from None
    except ValueError as error:
        raise UserError(f"--keywords-df: {error}") from None
    return os.path.abspath(args.keywords_df)  # workers may run elsewhere (Dask LocalCluster)


def _cmd_summarize(args) -> int:
    from ..batch.partition import RunOptions
    from ..io.output import LineSink, ResumeError
    from ..batch.progress import Progress
    from ..batch.runner import RunStats, write_lines
    from .inputs import engine_of, inputs_of, reading_errors

    if args.resume and not args.output:
        raise UserError("--resume needs the output file of the interrupted run (-o OUT.jsonl)")
    if args.resume and args.pretty:
        raise UserError("--resume works on JSONL output, not --pretty")
    if args.scheduler and args.engine != "dask":
        raise UserError("--scheduler is for --engine dask")
    keywords_df = _keywords_table(args)
    options = RunOptions(reference_date=args.reference_date, pretty=args.pretty, max_chars=args.max_chars,
                         entities=args.entities, keywords_df=keywords_df, key_points=args.key_points,
                         keywords=args.keywords)
    engine = engine_of(args)
    inputs = inputs_of(args, engine)
    try:
        sink = LineSink(args.output, resume=args.resume, fingerprint=run_fingerprint(args))
    except ResumeError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror}") from None
    stats = RunStats(summarized=sink.done - sum(sink.kept_errors.values()), errors=dict(sink.kept_errors),
                     kept=sink.done)
    progress = table = None
    try:
        with engine:
            if keywords_df == "batch":  # pass 1, on the same workers, before any thread of ours
                table = _count_batch(args, options, engine)
                options = replace(options, keywords_df=table)
            engine.start(options)  # worker processes first, before any thread of ours
            progress = Progress(enabled=False if args.quiet else None, initial=sink.done,
                                initial_errors=stats.error_count, count=inputs.counter())
            write_lines(reading_errors(inputs.lines(options, skip=sink.done)), sink.write, stats=stats,
                        progress=progress)
        sink.commit()
    except KeyboardInterrupt:
        where = f"; continue with --resume ({args.output}.partial is kept)" if args.output else ""
        raise UserInterrupt(f"interrupted{where}") from None
    finally:
        sink.close()
        if progress is not None:
            progress.close()
        if table is not None:
            os.unlink(table)
    if not args.quiet:
        print(stats.closing_line(), file=sys.stderr)
    return 1 if stats.error_count else 0


def _count_batch(args, options, engine) -> str:
    """Pass 1 of --keywords-df batch: the dump's document frequencies, in a temporary table."""
    import tempfile

    from ..batch.frequency import collect_document_frequency
    from .inputs import inputs_of

    if not args.quiet:
        print("jnews: pass 1 of 2: counting keyword document frequencies", file=sys.stderr)
    table, _ = collect_document_frequency(inputs_of(args, engine), options, engine)
    handle, path = tempfile.mkstemp(prefix="jnews-keywords-df-", suffix=".tsv")
    os.close(handle)
    table.write(path)
    return path


def _cmd_tables(args) -> int:
    from ..io.tables import TablesError, write_table, write_tables
    from .stories import read_stories, story_table_rows

    try:
        counts = write_tables(args.run, args.out)
        if args.stories:
            counts["stories"] = write_table(args.out, "stories", story_table_rows(read_stories(args.run)))
    except TablesError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{error.filename or args.run}: {error.strerror}") from None
    if not args.quiet:
        print(", ".join(f"{name} {n} rows" for name, n in counts.items()) + f" -> {args.out}", file=sys.stderr)
    return 0


def _cmd_doctor(args) -> int:
    from .doctor import doctor_report

    lines, healthy = doctor_report()
    print("\n".join(lines))
    return 0 if healthy else 1


def _register_summarize(commands) -> None:
    summarize = commands.add_parser("summarize", help="summarize articles into JSONL")
    summarize.add_argument("paths", nargs="+", metavar="PATH",
                           help=".txt file, directory (recursive *.txt), .jsonl records (also .jsonl.gz/.zst/.xz/.bz2), "
                                "a .parquet table, or - for stdin")
    summarize.add_argument("-o", "--output", metavar="OUT.jsonl",
                           help="write here instead of stdout (through OUT.jsonl.partial, renamed when complete)")
    summarize.add_argument("--pretty", action="store_true", help="indented JSON, one object after another")
    add_column_arguments(summarize)
    summarize.add_argument("--reference-date", type=iso_date_arg, metavar="YYYY-MM-DD",
                           help="anchor for relative dates when neither the text nor the record has a date")
    summarize.add_argument("--entities", choices=ENTITY_MODES, default=DEFAULT_ENTITIES,
                           help="entity recognizer: accurate (gazetteers, rules and the shipped CRF; default) or "
                                "fast (UniDic proper nouns instead of the CRF: about 1.4x faster, finds far fewer "
                                "names in text unlike the news its rules were written on)")
    summarize.add_argument("--keywords-df", metavar="FILE|batch",
                           help="document frequencies for keyword scores: a table written by `jnews keywords-df`, "
                                "or `batch` to count this input first (two passes); default: the background table "
                                "shipped with the package")
    summarize.add_argument("--key-points", type=count_arg, metavar="N",
                           help="key points to extract from an article without marked (✅) points (default 3; 0: none)")
    summarize.add_argument("--keywords", type=count_arg, metavar="N", help="keywords per article (default 10; 0: none)")
    summarize.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line on stderr")
    batch = summarize.add_argument_group("batch runs")
    batch.add_argument("--workers", type=positive_arg, metavar="N",
                       help="worker processes (default: all cores); the output is the same for any N")
    batch.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local worker processes (default) or a Dask distributed cluster")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786); default: a LocalCluster of --workers processes")
    batch.add_argument("--partition-size", type=size_arg, default=DEFAULT_PARTITION_BYTES, metavar="N",
                       help="with --engine dask, the workers read the input themselves in partitions of about "
                            "this many bytes (default 1M; the output does not depend on it)")
    batch.add_argument("--resume", action="store_true",
                       help="continue an interrupted run of the same command from OUT.jsonl.partial")
    batch.add_argument("--max-chars", type=size_arg, default=DEFAULT_MAX_CHARS, metavar="N",
                       help=f"articles longer than this are a too_large error line (default {DEFAULT_MAX_CHARS:,})")
    batch.add_argument("--max-bytes", type=size_arg, default=MAX_ARTICLE_BYTES, metavar="N",
                       help="files or JSONL lines bigger than this are a too_large error line, never read whole "
                            "(default 64M)")
    batch.add_argument("--max-decompressed", type=size_arg, default=MAX_DECOMPRESSED_BYTES, metavar="N",
                       help="stop reading a .gz after N decompressed bytes (decompression-bomb guard): the rest is "
                            "one too_large error line (default 16G)")
    batch.add_argument("--record-timeout", type=seconds_arg, default=DEFAULT_RECORD_TIMEOUT, metavar="SECONDS",
                       help=f"a record still running after this many seconds (alone in its worker) is a timeout "
                            f"error line and its worker is replaced (default {DEFAULT_RECORD_TIMEOUT:g}; 0: no "
                            f"deadline; with --workers 1 a deadline needs one worker process)")
    batch.add_argument("--recycle-after", type=positive_arg, default=DEFAULT_RECYCLE_AFTER, metavar="N",
                       help=f"replace the worker processes after about N articles each, to keep memory flat "
                            f"(default {DEFAULT_RECYCLE_AFTER:,}; with --workers 2 or more)")
    summarize.set_defaults(handler=_cmd_summarize)


def _register_tables(commands) -> None:
    tables = commands.add_parser("tables", help="turn a run's JSONL into Parquet tables for pandas")
    tables.add_argument("run", metavar="RUN.jsonl", help="output of `jnews summarize` (.jsonl or .jsonl.gz)")
    tables.add_argument("--out", required=True, metavar="DIR",
                        help="directory for articles/entities/dates/key_points/sections .parquet")
    tables.add_argument("--stories", action="store_true",
                        help="also stories.parquet: the story of each article (as `jnews stories`)")
    tables.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    tables.set_defaults(handler=_cmd_tables)


def _register_evaluation(commands) -> None:
    from . import evaluation, keywords_df, report, stories

    evaluation.register(commands)  # `jnews eval` and `jnews diff`
    report.register(commands)  # `jnews report`
    keywords_df.register(commands)  # `jnews keywords-df`
    stories.register(commands)  # `jnews stories`


def _register_doctor(commands) -> None:
    doctor = commands.add_parser("doctor", help="print versions and the dictionary path; check the tokenizer and the entity model")
    doctor.set_defaults(handler=_cmd_doctor)


# Subcommands, in the order `jnews --help` lists them. To add one, write a
# `_register_NAME(commands)` that calls `commands.add_parser(...)` and sets `handler`
# (a function args -> exit status), and append it here.
_COMMANDS = [_register_summarize, _register_evaluation, _register_tables, _register_doctor]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="jnews", description="Japanese news articles -> normalized JSON summaries.")
    parser.add_argument("--version", action="version", version=f"jnews-pipeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    for register in _COMMANDS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_parser(build_parser(), argv)
