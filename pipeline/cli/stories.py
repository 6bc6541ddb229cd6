"""``jnews stories RUN.jsonl [-o OUT.jsonl]``: the articles of a run that tell the same story,
one JSON line per story (``pipeline.across.stories``)."""

from __future__ import annotations

import json
import os
import sys

from ..errors import UserError

__all__ = ["register", "story_table_rows"]


def story_table_rows(stories) -> list[dict]:
    """One row per article of the ``stories`` table of ``jnews tables --stories``."""
    return [{"row": a["row"], "id": a["id"], "story": s["story"], "n_articles": len(s["articles"]),
             "story_title": s["title"]} for s in stories for a in s["articles"]]


def read_stories(run: str) -> list[dict]:
    from ..across.stories import story_records
    from ..io.output import RunFileError

    if not os.path.isfile(run):
        raise UserError(f"no such file: {run}")
    try:
        return list(story_records(run))
    except RunFileError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{error.filename or run}: {error.strerror}") from None


def _cmd_stories(args) -> int:
    stories = read_stories(args.run)
    lines = "".join(json.dumps(s, ensure_ascii=False, sort_keys=False) + "\n" for s in stories)
    if args.output:
        partial = args.output + ".partial"
        try:
            with open(partial, "w", encoding="utf-8") as out:
                out.write(lines)
            os.replace(partial, args.output)
        except OSError as error:
            raise UserError(f"cannot write {args.output}: {error.strerror}") from None
    else:
        sys.stdout.write(lines)
    if not args.quiet:
        articles = sum(len(s["articles"]) for s in stories)
        shared = sum(1 for s in stories if len(s["articles"]) > 1)
        print(f"{articles} articles, {len(stories)} stories ({shared} of two or more articles)", file=sys.stderr)
    return 0


def register(commands) -> None:
    stories = commands.add_parser("stories", help="group the articles of a run that tell the same story")
    stories.add_argument("run", metavar="RUN.jsonl", help="output of `jnews summarize` (.jsonl or .jsonl.gz)")
    stories.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of stdout")
    stories.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    stories.set_defaults(handler=_cmd_stories)
