"""``corpora/baseline.json``: the figures each gold corpus reached last time it was updated.

Shape::

    {"tolerance": 0.02,
     "update": "how to re-run the update",
     "corpora": {"jnews": {"command": "jnews eval corpora/jnews --run --update-baseline",
                           "articles": 1, "pipeline_version": "0.1.0",
                           "figures": {"entities.micro.f1": 0.0, ...}}}}

The gate only guards against regressions: a figure may rise freely, and it fails when it
falls more than ``tolerance`` below its baseline (or disappears).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .loading import EvalInputError

__all__ = ["DEFAULT_TOLERANCE", "Regression", "default_baseline_path", "read_baseline", "update_baseline",
           "compare_baseline", "rerun_entry"]

DEFAULT_TOLERANCE = 0.02
UPDATE_HINT = "jnews eval corpora/<name> --run --update-baseline   (once per corpus; see corpora/README.md)"


@dataclass
class Regression:
    field: str
    baseline: float
    current: float | None

    def __str__(self) -> str:
        now = "missing" if self.current is None else f"{self.current:.4f}"
        return f"{self.field}: {now} < baseline {self.baseline:.4f}"


def default_baseline_path(gold_path: str) -> Path:
    """``corpora/baseline.json`` of the ``corpora`` directory GOLD lives in, else ./corpora/."""
    here = Path(gold_path).resolve()
    for parent in [here, *here.parents]:
        if parent.name == "corpora":
            return parent / "baseline.json"
    return Path("corpora") / "baseline.json"


def read_baseline(path: Path) -> dict:
    if not path.exists():
        return {"tolerance": DEFAULT_TOLERANCE, "update": UPDATE_HINT, "corpora": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise EvalInputError(f"{path}: not a baseline JSON file ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("corpora"), dict):
        raise EvalInputError(f"{path}: a baseline needs a \"corpora\" object")
    return data


def update_baseline(path: Path, corpus: str, flat: dict, *, articles: int, command: str, gold: str | None = None,
                    options: dict | None = None, run: bool = True) -> dict:
    """Replace one corpus's figures, keep the others; written with sorted keys for small diffs.

    ``gold`` is stored relative to the baseline file's directory and ``options`` (split,
    label_map, format) with it, so that the gate can re-run the same evaluation."""
    from .._version import __version__

    data = read_baseline(path)
    data.setdefault("tolerance", DEFAULT_TOLERANCE)
    data["update"] = UPDATE_HINT
    entry = {"command": command, "articles": articles, "pipeline_version": __version__, "run": run}
    if gold is not None:
        entry["gold"] = Path(os.path.relpath(Path(gold).resolve(), path.resolve().parent)).as_posix()
    entry["options"] = {k: v for k, v in (options or {}).items() if v is not None}
    entry["figures"] = dict(sorted(flat.items()))
    data["corpora"][corpus] = entry
    data["corpora"] = dict(sorted(data["corpora"].items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


def compare_baseline(data: dict, corpus: str, flat: dict, tolerance: float | None = None) -> list[Regression]:
    """Figures more than ``tolerance`` below the baseline (or gone), in field order."""
    entry = data.get("corpora", {}).get(corpus)
    if entry is None:
        raise EvalInputError(f"no baseline for corpus {corpus!r} (known: {', '.join(sorted(data.get('corpora', {}))) or 'none'}); "
                             f"create it with --update-baseline")
    tol = data.get("tolerance", DEFAULT_TOLERANCE) if tolerance is None else tolerance
    out = []
    for name, base in entry.get("figures", {}).items():
        current = flat.get(name)
        if current is None and base <= tol:
            continue  # e.g. a label only ever mispredicted: its 0.0 cannot fall further
        if current is None or current < base - tol - 1e-9:
            out.append(Regression(name, base, current))
    return out


def rerun_entry(baseline_path: Path, name: str, entry: dict):
    """Evaluate the current pipeline on a baseline entry's gold, as ``--run`` would.
    Returns the Report; raises EvalInputError when the gold is gone."""
    from .loading import load_gold
    from .metrics import evaluate
    from .run import run_pipeline

    if "gold" not in entry:
        raise EvalInputError(f"baseline entry {name!r} does not say where its gold is; re-run --update-baseline")
    gold_path = (baseline_path.resolve().parent / entry["gold"]).resolve()
    options = entry.get("options") or {}
    label_map = options.get("label_map")
    if label_map and label_map not in ("stockmark", "identity"):
        label_map = str((baseline_path.resolve().parent / label_map).resolve())
    gold = load_gold(str(gold_path), label_map=label_map, split=options.get("split"),
                     gold_format=options.get("format", "auto"))
    gold.name = name
    return evaluate(gold, run_pipeline(gold.items, reference_date=options.get("reference_date"),
                                       entities=options.get("entities")))
