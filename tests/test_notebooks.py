"""The notebooks (issue 7): committed without outputs, executed top to bottom on the seed and
corpora/jnews with nbclient, in a kernel that is this interpreter; plots render Japanese.

The kernel is pinned to ``sys.executable`` through a kernelspec written to a temporary
JUPYTER_PATH (searched before the user's and the system's kernels), so a ``python3`` kernel
registered elsewhere on the machine cannot run the notebooks in another environment. IPython's
profile and Jupyter's runtime files go to temporary folders too.
"""

import io
import json
import re
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"
NAMES = ["explore_entities.ipynb", "quality_regression.ipynb"]
FIGURES = {
    "explore_entities.ipynb": ["entities_by_label", "top_entities", "person_org_cooccurrence", "date_timeline"],
    "quality_regression.ipynb": ["per_label_f1", "label_confusion"],
}

pytestmark = pytest.mark.issue(7)


def test_every_notebook_is_known():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    raw = (NOTEBOOKS / name).read_text(encoding="utf-8")
    assert '"output_type"' not in raw, f"{name} has outputs: strip them before committing"
    notebook = json.loads(raw)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        assert not cell.get("attachments")


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """A ``python3`` kernelspec that runs this interpreter, found before any other."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (this environment)", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.setenv("JNEWS_FIGURES", str(tmp_path / "figures"))
    for name in ("JNEWS_RUN", "JNEWS_PRED", "JNEWS_CORPUS"):  # the defaults: the seed and corpora/jnews
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _texts(cell) -> str:
    out = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            out.append(output.get("text", ""))
        for key in ("text/plain", "text/html"):
            out.append(str((output.get("data") or {}).get(key, "")))
    return "\n".join(out)


def _execute(name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    check = nbformat.v4.new_code_cell("import sys; print('KERNEL', sys.executable)")
    notebook.cells.append(check)
    client = nbclient.NotebookClient(notebook, timeout=600, startup_timeout=180, kernel_name="python3",
                                     allow_errors=False,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, when a cell fails
    assert f"KERNEL {sys.executable}" in _texts(notebook.cells[-1])
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, kernel_env):
    notebook = _execute(name)
    setup = _texts(notebook.cells[1])
    assert "matplotlib font:" in setup
    for figure in FIGURES[name]:
        png = kernel_env / "figures" / f"{figure}.png"
        assert png.is_file() and png.stat().st_size > 5_000, figure
    if name == "explore_entities.ipynb":
        shown = "\n".join(_texts(cell) for cell in notebook.cells)
        assert 'class="entities"' in shown and "✅" in shown  # displaCy markup with the ✅ points beside it


def test_japanese_font_has_the_glyphs():
    pytest.importorskip("matplotlib")
    from matplotlib import font_manager

    from pipeline.report.plotting import CJK_SAMPLE, font_covers, font_file, setup_japanese_font

    family = setup_japanese_font()
    path = font_file(family)
    assert Path(path).is_file()
    assert font_covers("日本語", family) and font_covers(CJK_SAMPLE, family)
    assert font_manager.FontProperties(fname=path).get_name() == family
    assert not font_covers("日本語", "DejaVu Sans")  # the check can fail: matplotlib's own font has no kana


def test_plots_draw_japanese_without_missing_glyphs():
    pytest.importorskip("matplotlib")
    import pandas as pd

    from pipeline.report.plotting import bar_counts, date_timeline, heatmap, per_label_f1, setup_japanese_font

    setup_japanese_font()
    figures = [
        bar_counts(pd.Series({"人物 PERSON": 3, "組織 ORG": 2, "国・地域 GPE": 5}), "ラベル別の固有表現数"),
        per_label_f1(pd.DataFrame({"p": [0.5, 1.0], "r": [0.25, None], "f1": [0.33, 0.0]}, index=["人物", "組織"])),
        heatmap(pd.DataFrame([[1, 0], [2, 3]], index=["石破茂", "林芳正"], columns=["日本銀行", "防衛省"]), "共起"),
        date_timeline(pd.DataFrame({"when": pd.to_datetime(["2025-02-08", "2025-03-07"]), "article": ["記事一", "記事二"],
                                    "kind": ["公開日", "本文の日付"], "text": ["２月８日", "3月7日"]})),
        date_timeline(pd.DataFrame(columns=["when", "article", "kind", "text"])),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for figure in figures:
            figure.savefig(io.BytesIO(), format="png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert missing == []


def test_png_bytes_are_deterministic(tmp_path):
    pytest.importorskip("matplotlib")
    import pandas as pd

    from pipeline.report.plotting import bar_counts, save_png, setup_japanese_font

    setup_japanese_font()
    series = pd.Series({"日本": 4, "アメリカ合衆国": 2})
    first = save_png(bar_counts(series, "国"), tmp_path / "a.png").read_bytes()
    second = save_png(bar_counts(series, "国"), tmp_path / "b.png").read_bytes()
    assert first == second and b"Software" not in first


def test_readme_shows_a_picture_of_each_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, figures in FIGURES.items():
        shown = [f for f in figures if f"docs/{f}.png" in readme]
        assert shown, f"README shows no picture from {name}"
        for figure in shown:
            png = DOCS / f"{figure}.png"
            assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "jnews report" in readme


@pytest.mark.slow
def test_explore_reads_parquet_tables(kernel_env, monkeypatch):
    """JNEWS_RUN may be a `jnews tables` folder (here: the gold corpus as a run, with dates)."""
    from test_report import gold_run

    from pipeline.io.tables import write_tables

    run = gold_run(kernel_env / "gold-run.jsonl")
    write_tables(run, kernel_env / "tables")
    monkeypatch.setenv("JNEWS_RUN", str(kernel_env / "tables"))
    notebook = _execute("explore_entities.ipynb")
    shown = "\n".join(_texts(cell) for cell in notebook.cells)
    assert "tables: articles 15 rows" in shown
    resolved = re.search(r"(\d+) of (\d+) dates resolved to a calendar date", shown)
    assert resolved and int(resolved.group(1)) > 0
    assert 'class="entities"' in shown
