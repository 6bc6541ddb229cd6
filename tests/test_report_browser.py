"""The HTML report in a real browser: headless Chromium from the system's packages (Debian:
`apt-get install chromium`) opens the page offline, takes a screenshot and reports nothing on
its console. Skipped, with the reason, where no Chromium is installed.

Chromium writes the page's console messages to stderr with ``--enable-logging=stderr``
(``INFO:CONSOLE:<line>] "message", source: ...``); the report has no scripts and a
Content-Security-Policy that blocks every load, so any console line is a fault (a script
error, or an asset the page tried to fetch). A deliberately broken page checks first that
this Chromium does report such lines, so the check cannot pass blind.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_report import SEED_ID, gold_run

pytestmark = pytest.mark.issue(7)

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def _browser() -> str | None:
    override = os.environ.get("JNEWS_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for path in CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


BROWSER = _browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no headless Chromium (/usr/bin/chromium): install Debian's `chromium` package to run the browser "
           "check of the HTML report")

CONSOLE = re.compile(r":CONSOLE(?:\(|:)\d+\)?\]\s*(.*)")


def _shoot(page: Path, tmp_path: Path, name: str, height: int = 2400) -> tuple[Path, list[str], str]:
    """Screenshot ``page``; returns the PNG, the console lines and the whole stderr."""
    profile = tmp_path / f"profile-{name}"
    profile.mkdir()
    png = tmp_path / f"{name}.png"
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
        "--disable-extensions", "--disable-default-apps", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no name resolves
        f"--user-data-dir={profile}", f"--window-size=1280,{height}", "--hide-scrollbars",
        "--enable-logging=stderr", "--v=0", f"--screenshot={png}", page.resolve().as_uri(),
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env,
                            stdin=subprocess.DEVNULL)
    stderr = result.stderr
    console = [m.group(1) for m in map(CONSOLE.search, stderr.splitlines()) if m]
    assert result.returncode == 0, f"chromium exited {result.returncode}:\n{stderr[-3000:]}"
    return png, console, stderr


def _is_picture(png: Path) -> bool:
    """A real screenshot: a PNG of the asked size that is not one flat colour."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    try:
        from matplotlib import image
    except ImportError:  # without matplotlib: its size is all we can tell
        return len(data) > 20_000
    pixels = image.imread(str(png))
    return pixels.shape[0] > 100 and pixels.shape[1] > 100 and float(pixels[..., :3].std()) > 0.01


@needs_browser
def test_report_in_headless_chromium(tmp_path):
    from pipeline.report.html import write_report

    page = write_report(gold_run(tmp_path / "run.jsonl", ids={SEED_ID, "001_8cee3913d9812fb6"}),
                        tmp_path / "report.html")

    # the check itself: an external image (blocked by the page's CSP) and, on a copy without the
    # CSP, a script error must both show on the console
    text = page.read_text(encoding="utf-8")
    assert text.count('http-equiv="Content-Security-Policy"') == 1
    fetches = tmp_path / "fetches.html"
    fetches.write_text(text.replace("<body>", '<body><img src="https://example.invalid/x.png">', 1), encoding="utf-8")
    failing = tmp_path / "failing.html"
    failing.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text).replace(
        "<body>", "<body><script>notAFunction()</script>", 1), encoding="utf-8")
    for broken, needle in ((fetches, "example.invalid"), (failing, "notAFunction")):
        _, caught, stderr = _shoot(broken, tmp_path, broken.stem, height=600)
        if not any(needle in line for line in caught):
            pytest.fail(f"Chromium printed no console line about {needle!r} for {broken.name}; the console "
                        f"check would be blind. Console: {caught}; stderr:\n{stderr[-2000:]}")

    png, console, _ = _shoot(page, tmp_path, "report")
    assert png.exists() and png.stat().st_size > 20_000
    assert _is_picture(png)
    assert console == [], f"console messages on the report page: {console}"
