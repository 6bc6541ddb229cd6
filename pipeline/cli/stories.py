"""``jnews stories RUN.jsonl [-o OUT.jsonl]``: the articles of a run that tell the same story,
one JSON line per story (``pipeline.across.stories``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Iterable, Iterator

from ..errors import UserError

__all__ = ["register", "story_table_rows"]


def story_table_rows(stories: Iterable[dict]) -> list[dict]:
    """One row per article of the ``stories`` table of ``jnews tables --stories``, in row order
    as the other tables are."""
    rows = [{"row": a["row"], "id": a["id"], "story": s["story"], "n_articles": len(s["articles"]),
             "story_title": s["title"]} for s in stories for a in s["articles"]]
    rows.sort(key=lambda row: row["row"])
    return rows


def read_stories(run: str) -> Iterator[dict]:
    """The story lines of a run, as they are made; a run that cannot be read is a UserError."""
    from ..across.stories import story_records
    from ..io.output import RunFileError

    if not os.path.isfile(run):
        raise UserError(f"no such file: {run}")
    try:
        yield from story_records(run)
    except RunFileError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{error.filename or run}: {error.strerror}") from None


def _cmd_stories(args) -> int:
    out = open(args.output + ".partial", "w", encoding="utf-8") if args.output else sys.stdout
    articles = stories = shared = 0
    try:
        for story in read_stories(args.run):  # written as they come: a run's stories are never all held
            out.write(json.dumps(story, ensure_ascii=False) + "\n")
            articles += len(story["articles"])
            stories += 1
            shared += len(story["articles"]) > 1
    except BaseException as error:
        if args.output:  # nothing of a failed run is left behind
            out.close()
            os.unlink(args.output + ".partial")
        if isinstance(error, OSError):
            raise UserError(f"cannot write {args.output}: {error.strerror}") from None
        raise
    if args.output:
        out.close()
        os.replace(args.output + ".partial", args.output)  # whole or not at all
    if not args.quiet:
        print(f"{articles} articles, {stories} stories ({shared} of two or more articles)", file=sys.stderr)
    return 0


def register(commands) -> None:
    stories = commands.add_parser("stories", help="group the articles of a run that tell the same story")
    stories.add_argument("run", metavar="RUN.jsonl", help="output of `jnews summarize` (.jsonl or .jsonl.gz)")
    stories.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of stdout")
    stories.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    stories.set_defaults(handler=_cmd_stories)
