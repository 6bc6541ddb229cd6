"""The `jnews` command: wires reading, summarizing and writing; no logic of its own."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Sequence

from ._version import __version__

__all__ = ["main", "build_parser"]


class UserError(Exception):
    """A mistake the user can fix; printed as one line, no traceback."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of usage + message
        raise UserError(f"{message} (see `{self.prog} --help`)")


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _cmd_summarize(args) -> int:
    from .output import dumps_summary
    from .reading import InputError, iter_records
    from .runner import summarize_records

    try:
        records = iter_records(args.paths)
        first = next(records, None)
    except InputError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot read input: {error}") from None
    if first is None:
        raise UserError("no input records found (directories are searched for *.txt and *.jsonl[.gz])")
    try:
        out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror}") from None
    summarized = errors = 0
    with out if args.output else _Nothing():
        for summary in summarize_records(_chain(first, records), reference_date=args.reference_date):
            out.write(dumps_summary(summary, pretty=args.pretty) + "\n")
            if "error" in summary:
                errors += 1
            else:
                summarized += 1
    if not args.quiet:
        print(f"{summarized} summarized, {errors} errors", file=sys.stderr)
    return 1 if errors else 0


def _chain(first, rest):
    yield first
    yield from rest


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        return False


def _cmd_doctor(args) -> int:
    from .doctor import doctor_report

    lines, healthy = doctor_report()
    print("\n".join(lines))
    return 0 if healthy else 1


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jnews", description="Japanese news articles -> normalized JSON summaries.")
    parser.add_argument("--version", action="version", version=f"jnews-pipeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    summarize = commands.add_parser("summarize", help="summarize articles into JSONL")
    summarize.add_argument("paths", nargs="+", metavar="PATH",
                           help=".txt file, directory (recursive *.txt), .jsonl/.jsonl.gz records, or - for stdin")
    summarize.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of stdout")
    summarize.add_argument("--pretty", action="store_true", help="indented JSON, one object after another")
    summarize.add_argument("--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
                           help="anchor for relative dates when neither the text nor the record has a date")
    summarize.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    summarize.set_defaults(handler=_cmd_summarize)

    doctor = commands.add_parser("doctor", help="print versions and the dictionary path; check the tokenizer")
    doctor.set_defaults(handler=_cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return args.handler(args)
    except UserError as error:
        print(f"jnews: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("jnews: interrupted", file=sys.stderr)
        return 130
