"""Regression testing of extraction quality: gold vs predicted (``jnews eval``), run vs run
(``jnews diff``), baselines and the CI gate.

    from pipeline.evaluation import load_gold, load_run, evaluate, flatten
    report = evaluate(load_gold("corpora/jnews"), load_run("run.jsonl"))
    flatten(report.figures)["entities.micro.f1"]
"""

from .baseline import compare_baseline, default_baseline_path, read_baseline, update_baseline
from .diff import diff_runs, render_diff
from .loading import EvalInputError, GoldSet, Item, LabelMap, load_gold, load_label_map, load_run, split_of
from .metrics import Report, evaluate, flatten, prf
from .report import render_errors, render_json, render_markdown, render_table

__all__ = [
    "EvalInputError", "GoldSet", "Item", "LabelMap", "Report",
    "compare_baseline", "default_baseline_path", "diff_runs", "evaluate", "flatten", "load_gold",
    "load_label_map", "load_run", "prf", "read_baseline", "render_diff", "render_errors", "render_json",
    "render_markdown", "render_table", "split_of", "update_baseline",
]
