"""The quality gate: the current pipeline, run on every gold corpus in corpora/baseline.json,
must not fall more than the baseline's tolerance below any recorded figure.

When a change is meant to move figures (or gold articles were added), re-record them:

    jnews eval corpora/jnews --run --update-baseline

(each corpus's exact command is stored in the baseline under "command").
"""

from pathlib import Path

import pytest

from pipeline.evaluation import compare_baseline, flatten, read_baseline
from pipeline.evaluation.baseline import rerun_entry

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "corpora" / "baseline.json"
DATA = read_baseline(BASELINE) if BASELINE.exists() else {"corpora": {}}
ENTRIES = DATA["corpora"]


def test_the_project_corpus_is_gated():
    assert BASELINE.exists(), "corpora/baseline.json is missing: jnews eval corpora/jnews --run --update-baseline"
    assert "jnews" in ENTRIES, "corpora/jnews has no baseline: jnews eval corpora/jnews --run --update-baseline"


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_no_figure_falls_below_the_baseline(name):
    entry = ENTRIES[name]
    if not entry.get("run", True):
        pytest.skip(f"{name}: baseline recorded from a fixed prediction file, nothing to re-run")
    gold = (BASELINE.parent / entry.get("gold", "")).resolve()
    if not gold.exists():
        pytest.skip(f"{name}: gold not available here ({gold})")
    report = rerun_entry(BASELINE, name, entry)
    regressions = compare_baseline(DATA, name, flatten(report.figures))
    if regressions:
        tolerance = DATA.get("tolerance")
        lines = [f"{name}: {len(regressions)} figure(s) fell more than {tolerance} below corpora/baseline.json:"]
        lines += [f"  {regression}" for regression in regressions]
        if report.pred_errors:
            lines.append(f"  ({len(report.pred_errors)} of {report.articles} articles gave error records, e.g. "
                         f"{report.pred_error_examples[0]})")
        if report.articles != entry.get("articles"):
            lines.append(f"  (the corpus now has {report.articles} articles, the baseline was taken on "
                         f"{entry.get('articles')}: gold was added or removed)")
        lines.append(f"If the change is intended, re-record the baseline: {entry.get('command')}")
        pytest.fail("\n".join(lines), pytrace=False)
