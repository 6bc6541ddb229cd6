"""What every ``jnews`` subcommand shares: the parser whose mistakes are one line, the argument
types, and running a parsed command with the exit statuses of the error catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Sequence

from ..errors import UserError, UserInterrupt

__all__ = ["run_parser"]


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of usage + message
        raise UserError(f"{message} (see `{self.prog} --help`)")


def iso_date_arg(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def size_arg(value: str) -> int:
    """A positive count, with an optional K/M/G suffix (powers of 1024): 64M, 500000."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    try:
        number = int(text[:-1]) * units[text[-1]] if text and text[-1] in units else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 500000, 64M)") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {value!r}")
        return number
    return parse


positive_arg, count_arg = _whole_number(1), _whole_number(0)


def seconds_arg(value: str) -> float:
    """A number of seconds, 0 or more (a float: 0.5)."""
    import math

    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 or more: {value!r}")
    return seconds


def run_parser(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse and run one command: user mistakes become one line on stderr and exit 2."""
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
    except UserInterrupt as interrupt:
        print(f"jnews: {interrupt}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("jnews: interrupted", file=sys.stderr)
        return 130


def input_columns(args):
    """--text-column / --id-column as the reader's Columns."""
    from ..io.reading import Columns

    return Columns(text=args.text_column or "text", id=args.id_column or "id")


def add_column_arguments(parser) -> None:
    parser.add_argument("--text-column", metavar="NAME",
                        help='the field (JSONL) or column (Parquet) that holds the text (default "text")')
    parser.add_argument("--id-column", metavar="NAME",
                        help='the field or column that holds the id (default "id"); the others go to "meta"')
