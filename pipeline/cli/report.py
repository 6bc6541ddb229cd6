"""``jnews report RUN.jsonl -o report.html``: one static HTML page for a run."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UserError
from ..report.html import write_report
from .parsing import positive_arg

__all__ = ["register", "cmd_report"]

def register(subparsers) -> None:
    """Add ``report`` to the ``jnews`` subcommands."""
    report = subparsers.add_parser(
        "report", help="one static HTML page for a run: highlighted texts, summaries, entity tables",
        description="Write one self-contained HTML page (no server, no external assets) showing every "
                    "article of a run with its entities and dates highlighted, its key points and tables.")
    report.add_argument("run", metavar="RUN.jsonl", help="output of `jnews summarize` (.jsonl or .jsonl.gz)")
    report.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the page to write")
    report.add_argument("--root", action="append", default=[], metavar="DIR",
                        help="where to look for the articles' source files when their source_path does not "
                             "resolve from here or from the run's folder (repeatable)")
    report.add_argument("--title", help="page title (default: 'jnews report: RUN name')")
    report.add_argument("--limit", type=positive_arg, metavar="N",
                        help="show only the first N articles (the counts at the top still cover the whole run)")
    report.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    report.set_defaults(handler=cmd_report)


def cmd_report(args) -> int:
    run = Path(args.run)
    if not run.is_file():
        raise UserError(f"no such file: {args.run}")
    for root in args.root:
        if not Path(root).is_dir():
            raise UserError(f"--root {root}: not a directory")
    try:
        out = write_report(run, args.output, roots=args.root, title=args.title, limit=args.limit)
    except ValueError as error:
        raise UserError(str(error)) from None
    except UnicodeDecodeError as error:
        raise UserError(f"{args.run}: not UTF-8 JSONL ({error.reason})") from None
    except OSError as error:
        raise UserError(f"{error.filename or args.output}: {error.strerror}") from None
    if not args.quiet:
        print(f"report -> {out}", file=sys.stderr)
    return 0
