"""Matplotlib with Japanese text that renders (no tofu boxes), and the plots the notebooks draw.

``setup_japanese_font()`` registers a Japanese font that came with an installed package and
makes it matplotlib's default family. Nothing is downloaded: the font file is inside the
package's wheel. In order of preference:

1. ``matplotlib-fontja`` (IPAexGothic; the maintained fork of japanize-matplotlib),
2. ``japanize-matplotlib`` (IPAexGothic; imports ``distutils``, so Python <= 3.11 only),
3. any font matplotlib already knows (system fonts such as Noto Sans CJK) whose file
   covers the test string.

The figure helpers take pandas DataFrames shaped like ``pipeline.load_tables`` output and
return the matplotlib ``Figure``; ``save_png`` writes a PNG with no time stamp or version in
its metadata, so the same data gives the same bytes with the same matplotlib.

Install: ``pip install "jnews-pipeline[notebooks]"``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "CJK_SAMPLE", "FontSetupError", "setup_japanese_font", "font_file", "font_covers",
    "bar_counts", "per_label_f1", "heatmap", "date_timeline", "save_png",
]

CJK_SAMPLE = "日本語の文字：石破首相、東京都、２０２５年"

_CONFIGURED: str | None = None


class FontSetupError(RuntimeError):
    """No installed font covers Japanese text."""


def _charmap(path: str) -> set[int]:
    from matplotlib.ft2font import FT2Font

    return set(FT2Font(path).get_charmap())


def _covers(path: str, text: str) -> bool:
    try:
        charmap = _charmap(path)
    except (OSError, RuntimeError):
        return False
    return all(ord(c) in charmap for c in text if not c.isspace())


def _from_package() -> str | None:
    """Register the font shipped by matplotlib-fontja or japanize-matplotlib; its family name."""
    from matplotlib import font_manager

    for module in ("matplotlib_fontja", "japanize_matplotlib"):
        try:
            package = __import__(module)
        except Exception:  # not installed, or japanize-matplotlib without distutils
            continue
        directory = Path(package.__file__).parent / "fonts"
        files = sorted(str(p) for p in directory.glob("*.tt[fc]")) + sorted(str(p) for p in directory.glob("*.otf"))
        for path in files:
            if _covers(path, CJK_SAMPLE):
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
    return None


def _from_system() -> str | None:
    from matplotlib import font_manager

    for entry in sorted(font_manager.fontManager.ttflist, key=lambda f: (f.name, f.fname)):
        if _covers(entry.fname, CJK_SAMPLE):
            return entry.name
    return None


def setup_japanese_font(*, force: bool = False) -> str:
    """Make a Japanese font matplotlib's default; returns its family name.

    Raises ``FontSetupError`` when no installed font covers Japanese (install the
    ``notebooks`` extra, which brings matplotlib-fontja)."""
    global _CONFIGURED
    import matplotlib

    if _CONFIGURED and not force:
        matplotlib.rcParams["font.family"] = [_CONFIGURED, "sans-serif"]
        return _CONFIGURED
    family = _from_package() or _from_system()
    if family is None:
        raise FontSetupError("no installed font covers Japanese text; "
                             "pip install 'jnews-pipeline[notebooks]' (brings matplotlib-fontja)")
    matplotlib.rcParams["font.family"] = [family, "sans-serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # IPAexGothic has no U+2212
    matplotlib.rcParams["svg.hashsalt"] = "jnews"      # deterministic SVG ids too
    _CONFIGURED = family
    return family


def font_file(family: str | None = None) -> str:
    """The font file matplotlib uses for ``family`` (default: the configured family)."""
    import matplotlib
    from matplotlib import font_manager

    family = family or matplotlib.rcParams["font.family"][0]
    return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)


def font_covers(text: str = CJK_SAMPLE, family: str | None = None) -> bool:
    """True when the font file of ``family`` has a glyph for every character of ``text``."""
    try:
        return _covers(font_file(family), text)
    except ValueError:  # findfont found nothing for that family
        return False


# ---------------------------------------------------------------------------- figures

def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    # A bare Figure (no pyplot): nothing global, nothing left open; Jupyter shows it from its repr.
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def bar_counts(counts, title: str, *, xlabel: str = "件数", color: str = "#4c72b0", width: float = 7.0):
    """A horizontal bar chart of a pandas Series (index -> count), biggest on top."""
    counts = counts.sort_values(ascending=True, kind="stable")
    fig = _figure(width, max(2.0, 0.32 * len(counts) + 1.0))
    ax = fig.add_subplot()
    ax.barh([str(i) for i in counts.index], counts.to_numpy(), color=color)
    for y, value in enumerate(counts.to_numpy()):
        ax.text(value, y, f" {value:g}", va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.12)
    return fig


def per_label_f1(frame, title: str = "ラベル別 P/R/F1 (entities)"):
    """Grouped bars of ``p``, ``r`` and ``f1`` per row of ``frame`` (index: label)."""
    import numpy as np

    frame = frame.fillna(0.0)
    labels = [str(i) for i in frame.index]
    x = np.arange(len(labels))
    fig = _figure(max(6.0, 0.8 * len(labels) + 2.0), 4.0)
    ax = fig.add_subplot()
    colors = {"p": "#4c72b0", "r": "#dd8452", "f1": "#55a868"}
    names = {"p": "適合率 P", "r": "再現率 R", "f1": "F1"}
    for n, key in enumerate(("p", "r", "f1")):
        ax.bar(x + (n - 1) * 0.27, frame[key].to_numpy(dtype=float), width=0.27, color=colors[key], label=names[key])
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


def heatmap(frame, title: str, *, xlabel: str = "", ylabel: str = "", cmap: str = "Blues"):
    """A table of counts (rows x columns) as a coloured grid with the numbers in the cells."""
    import numpy as np

    values = frame.to_numpy(dtype=float)
    rows, cols = values.shape
    fig = _figure(max(4.5, 0.62 * cols + 2.8), max(3.0, 0.42 * rows + 1.8))
    ax = fig.add_subplot()
    if values.size == 0:
        ax.text(0.5, 0.5, "データなし", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=0)
    top = values.max() or 1.0
    for (y, x), value in np.ndenumerate(values):
        if value:
            ax.text(x, y, f"{value:g}", ha="center", va="center", fontsize=8,
                    color="white" if value > 0.6 * top else "black")
    ax.set_xticks(range(cols), [str(c) for c in frame.columns], rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(rows), [str(r) for r in frame.index], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def date_timeline(points, title: str = "日付のタイムライン", *, label_kind: str | None = None, max_labels: int = 30):
    """Dates on a time axis, one row per article.

    ``points``: a DataFrame with ``when`` (datetime64), ``article`` (row label), ``kind``
    (legend group, e.g. "本文の日付" / "公開日") and ``text``. The marks of ``label_kind``
    (default: the first row's kind) get their ``text`` beside them, once per article and day,
    unless there are more than ``max_labels`` of them."""
    fig = _figure(9.0, max(2.5, 0.45 * points["article"].nunique() + 1.5))
    ax = fig.add_subplot()
    if points.empty:
        ax.text(0.5, 0.5, "解決済みの日付はありません", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    articles = list(dict.fromkeys(points.sort_values(["article"], kind="stable")["article"]))
    row = {a: n for n, a in enumerate(articles)}
    markers = ["o", "s", "^", "D"]
    for n, (kind, group) in enumerate(points.groupby("kind", sort=True)):
        ax.scatter(group["when"], [row[a] for a in group["article"]], marker=markers[n % len(markers)],
                   s=max(16, 72 - 24 * n), alpha=0.75, label=str(kind))  # later groups smaller: all stay visible
    # the date expressions are labelled (once per article and day); publication dates are not
    labelled = points[points["kind"] == points["kind"].iloc[0]] if label_kind is None else \
        points[points["kind"] == label_kind]
    labelled = labelled.drop_duplicates(["article", "when"])
    if len(labelled) > max_labels:  # a crowd of labels helps nobody: label none
        labelled = labelled.iloc[0:0]
    for _, item in labelled.iterrows():
        ax.annotate(str(item["text"])[:14], (item["when"], row[item["article"]]), xytext=(4, 5),
                    textcoords="offset points", fontsize=7)
    ax.set_yticks(range(len(articles)), articles, fontsize=8)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_ha("right")
    return fig


def save_png(fig, path: str | os.PathLike) -> Path:
    """Write ``fig`` as PNG without a time stamp or software version in its metadata."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=100, metadata={"Software": None})
    return path
