"""The ``jnews eval`` and ``jnews diff`` subcommands.

``pipeline/cli/main.py`` calls ``register(subparsers)``; each handler takes the parsed args and
returns the exit status. User mistakes raise ``pipeline.errors.UserError`` (one line, status 2).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

__all__ = ["register", "cmd_eval", "cmd_diff", "parse_threshold", "main"]


ERROR_FIELDS = ("all", "title", "published", "sections", "sources", "body", "key_points", "takeaways",
                "entities", "dates")


def _user_error(message: str):
    from ..errors import UserError

    return UserError(message)


def parse_threshold(value: str) -> tuple[str, float]:
    """``entities.micro.f1=0.8`` -> (name, 0.8)."""
    name, sep, number = value.rpartition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected FIELD=VALUE such as entities.micro.f1=0.8, got {value!r}")
    try:
        threshold = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number in {value!r}") from None
    return name.strip(), threshold


_ALIASES = {"sections.date": "sections.published", "sections.url": "sources.url", "entities.all": "entities.micro"}


def _resolve(name: str, flat: dict, figures: dict) -> str | None:
    """A flat figure name; ``entities.micro`` means its F1 (or accuracy)."""
    for alias, real in _ALIASES.items():  # the names people say for a field
        if name == alias or name.startswith(alias + "."):
            name = real + name[len(alias):]
    if name in flat:
        return name
    for key in ("f1", "accuracy"):
        if f"{name}.{key}" in flat:
            return f"{name}.{key}"
    if name in figures or name.rpartition(".")[0] in figures:
        return name  # a known field whose figure has no data: it fails, it is not a typo
    return None


def register(subparsers) -> None:
    """Add ``eval`` and ``diff`` to the ``jnews`` subcommands."""
    ev = subparsers.add_parser(
        "eval", help="score predicted summaries against gold: per-field P/R/F1",
        description="Score a run (or the current pipeline, with --run) against gold summaries or a "
                    "Stockmark-style NER file. Exit status 1 when a --fail-under or --check-baseline "
                    "gate fails, 2 for a usage mistake.")
    ev.add_argument("gold", metavar="GOLD",
                    help="corpus dir (gold/*.json + articles/*.txt), dir or .json/.jsonl of gold summaries, "
                         "or a Stockmark NER file (JSON array or JSONL)")
    ev.add_argument("pred", nargs="?", metavar="PRED", help="a run's JSONL (from jnews summarize); or use --run")
    ev.add_argument("--run", action="store_true", help="summarize GOLD's texts now with the current pipeline")
    ev.add_argument("--save-run", metavar="OUT.jsonl", help="with --run: also write the predictions as JSONL")
    ev.add_argument("--reference-date", metavar="YYYY-MM-DD", help="with --run: anchor for relative dates")
    ev.add_argument("--entities", metavar="MODE",
                    help="with --run: the entity recognizer's mode (as make_nlp(entities=MODE): fast, accurate, "
                         "or none; default: the pipeline's default)")
    ev.add_argument("--format", dest="gold_format", choices=("auto", "summary", "stockmark"), default="auto",
                    help="GOLD format (default: detected from the first record)")
    ev.add_argument("--label-map", metavar="MAP",
                    help="'stockmark' (default for Stockmark gold), 'identity' (default otherwise), or a JSON "
                         "file {\"gold\": {LABEL: CLASS|null}, \"pred\": {LABEL: CLASS|null}}")
    ev.add_argument("--split", choices=("test", "dev", "train"),
                    help="Stockmark gold only: the fixed split by index i (i%%10==9 test, ==8 dev, else train)")
    out = ev.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="figures (and --errors) as JSON")
    out.add_argument("--markdown", action="store_true", help="a Markdown table, for CI comments")
    ev.add_argument("--errors", nargs="?", const="all", metavar="FIELD",
                    help="list false positives/negatives with context, grouped by label "
                         "(optionally only FIELD: entities, dates, key_points, ...)")
    ev.add_argument("--errors-limit", type=int, default=50, metavar="N", help="errors shown per group (default 50)")
    ev.add_argument("--fail-under", action="append", type=parse_threshold, default=[], metavar="FIELD=VALUE",
                    help="exit 1 when the figure is below VALUE, e.g. entities.micro.f1=0.8 (repeatable)")
    ev.add_argument("--baseline", metavar="PATH",
                    help="baseline file (default: corpora/baseline.json of the corpora dir GOLD is in)")
    ev.add_argument("--corpus", metavar="NAME", help="name in the baseline (default: GOLD's directory name)")
    ev.add_argument("--update-baseline", action="store_true", help="write this corpus's figures to the baseline")
    ev.add_argument("--check-baseline", action="store_true",
                    help="exit 1 when a figure falls more than the tolerance below the baseline")
    ev.add_argument("--tolerance", type=float, metavar="T", help="for --check-baseline (default: the file's, 0.02)")
    ev.add_argument("-q", "--quiet", action="store_true", help="no progress or notes on stderr")
    ev.set_defaults(handler=cmd_eval)

    df = subparsers.add_parser(
        "diff", help="what changed between two runs, article by article",
        description="Compare two runs (JSONL from jnews summarize) by record id. Exit status 0 when "
                    "identical, 1 when they differ, 2 for a usage mistake.")
    df.add_argument("run_a", metavar="RUN_A")
    df.add_argument("run_b", metavar="RUN_B")
    fmt = df.add_mutually_exclusive_group()
    fmt.add_argument("--markdown", action="store_true", help="Markdown, for CI comments")
    fmt.add_argument("--json", action="store_true", help="machine-readable")
    df.set_defaults(handler=cmd_diff)


def _note(args, message: str):
    if not getattr(args, "quiet", False):
        print(f"jnews eval: {message}", file=sys.stderr)


def _command_line(args) -> str:
    parts = ["jnews", "eval", args.gold]
    if args.pred:
        parts.append(args.pred)
    if args.run:
        parts.append("--run")
    for flag in ("gold_format", "label_map", "split", "corpus", "reference_date", "entities"):
        value = getattr(args, flag)
        if value and not (flag == "gold_format" and value == "auto"):
            parts += [f"--{flag.replace('_', '-')}", value]
    if args.baseline:
        parts += ["--baseline", args.baseline]
    parts.append("--update-baseline")
    return " ".join(shlex.quote(p) for p in parts)


def cmd_eval(args) -> int:
    from pathlib import Path

    from ..evaluation.baseline import compare_baseline, default_baseline_path, read_baseline, update_baseline
    from ..evaluation.loading import EvalInputError, load_gold, load_run
    from ..evaluation.metrics import evaluate, flatten
    from ..evaluation.report import render_errors, render_json, render_markdown, render_table

    if args.errors is not None and args.errors not in ERROR_FIELDS:
        if args.pred is None and Path(args.errors).exists():  # `eval GOLD --errors PRED`
            args.pred, args.errors = args.errors, "all"
        else:
            raise _user_error(f"--errors takes one of {', '.join(ERROR_FIELDS)}, not {args.errors!r}")
    if args.run and args.pred:
        raise _user_error("give either PRED or --run, not both")
    if not args.run and not args.pred:
        raise _user_error("eval needs PRED (a run's JSONL) or --run to summarize GOLD's texts now")
    if args.save_run and not args.run:
        raise _user_error("--save-run needs --run")
    if args.entities and not args.run:
        raise _user_error("--entities needs --run")
    try:
        gold = load_gold(args.gold, label_map=args.label_map, split=args.split, gold_format=args.gold_format)
        if args.corpus:
            gold.name = args.corpus
        if args.run:
            from ..evaluation.run import run_pipeline

            _note(args, f"summarizing {len(gold.items)} texts with the current pipeline")
            try:
                predictions = run_pipeline(gold.items, reference_date=args.reference_date, entities=args.entities)
            except (ValueError, KeyError) as error:
                if not args.entities:
                    raise
                raise _user_error(f"--entities {args.entities}: {error}") from None
            if args.save_run:
                from ..io.output import dumps_summary

                with open(args.save_run, "w", encoding="utf-8", newline="\n") as stream:
                    for summary in predictions.values():
                        stream.write(dumps_summary(summary) + "\n")
        else:
            predictions = load_run(args.pred)
        report = evaluate(gold, predictions)
        flat = flatten(report.figures)
        baseline_path = Path(args.baseline) if args.baseline else default_baseline_path(args.gold)
        regressions = None
        if args.check_baseline:
            regressions = compare_baseline(read_baseline(baseline_path), gold.name, flat, args.tolerance)
    except EvalInputError as error:
        raise _user_error(str(error)) from None
    except OSError as error:
        raise _user_error(f"cannot read or write: {error}") from None

    thresholds = []
    for name, threshold in args.fail_under:
        resolved = _resolve(name, flat, report.figures)
        if resolved is None:
            known = sorted(flat)
            close = [k for k in known if k.startswith(name.split(".")[0])][:8] or known[:8]
            raise _user_error(f"--fail-under: no figure {name!r} for this gold (e.g. {', '.join(close)})")
        thresholds.append((resolved, threshold))

    with_errors = args.errors is not None
    if args.json:
        print(render_json(report, with_errors))
    elif args.markdown:
        print(render_markdown(report))
        if with_errors:
            print("\n" + render_errors(report, args.errors, args.errors_limit, markdown=True))
    else:
        print(render_table(report))
        if with_errors:
            print("\n" + render_errors(report, args.errors, args.errors_limit))

    for warning in dict.fromkeys(report.warnings):
        _note(args, f"warning: {warning}")
    if report.missing:
        _note(args, f"{len(report.missing)} gold records have no prediction (scored as empty), e.g. {report.missing[0]!r}")
    if report.pred_errors:
        _note(args, f"{len(report.pred_errors)} predictions are error records (scored as empty), "
                    f"e.g. {report.pred_error_examples[0]}")

    status = 0
    for name, threshold in thresholds:
        value = flat.get(name)
        if value is None or value < threshold:
            shown = "no data" if value is None else f"{value:.4f}"
            print(f"jnews eval: FAIL {name} = {shown} is under {threshold}", file=sys.stderr)
            status = 1
    if regressions is not None:
        for regression in regressions:
            print(f"jnews eval: REGRESSION {regression}", file=sys.stderr)
        if regressions:
            status = 1
        else:
            _note(args, f"no figure fell below the baseline for {gold.name} ({baseline_path})")
    if args.update_baseline:
        try:
            label_map = args.label_map
            if label_map and Path(label_map).is_file():  # stored relative to the baseline file, like the gold
                label_map = Path(os.path.relpath(Path(label_map).resolve(), baseline_path.resolve().parent)).as_posix()
            options = {"split": args.split, "label_map": label_map, "reference_date": args.reference_date,
                       "entities": args.entities,
                       "format": None if args.gold_format == "auto" else args.gold_format}
            update_baseline(baseline_path, gold.name, flat, articles=report.articles, command=_command_line(args),
                            gold=args.gold, options=options, run=args.run)
        except OSError as error:
            raise _user_error(f"cannot write {baseline_path}: {error.strerror}") from None
        _note(args, f"baseline for {gold.name} written to {baseline_path} ({len(flat)} figures)")
    return status


def cmd_diff(args) -> int:
    from ..evaluation.diff import diff_runs, render_diff
    from ..evaluation.loading import EvalInputError, load_run

    try:
        run_a, run_b = load_run(args.run_a), load_run(args.run_b)
    except EvalInputError as error:
        raise _user_error(str(error)) from None
    result = diff_runs(run_a, run_b, args.run_a, args.run_b)
    print(render_diff(result, markdown=args.markdown, as_json=args.json))
    return 0 if result.identical else 1


def main(argv=None) -> int:
    """``eval`` and ``diff`` alone: the same commands without the rest of
    ``jnews`` (also what the tests call), with the same error handling as ``jnews``."""
    from .parsing import Parser, run_parser

    parser = Parser(prog="jnews", description="jnews eval / diff")
    register(parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser))
    return run_parser(parser, argv)
