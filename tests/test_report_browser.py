"""The HTML report in a real browser: Debian's headless Chromium renders the report that
`entente demo` writes from the bundled examples, at desktop (1280 px) and phone (390 px)
widths. Without chromium these tests skip loudly (``make test`` installs it with apt when
run as root); under ``CI=true`` they fail instead."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entente.cli import app
from pagecheck import check_page, debian_browser

runner = CliRunner()

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _chromium() -> str:
    return debian_browser(False, "the report's browser tests")[0]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    w, h = struct.unpack(">II", head[16:24])
    return int(w), int(h)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    page = tmp / "report.html"
    res = runner.invoke(
        app,
        ["demo", "--db", str(tmp / "demo.duckdb"), "--examples", str(examples_dir),
         "--report", str(page)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Report (open in a browser):" in res.output and page.exists()
    return page


def test_demo_report_reads_as_a_person_would(demo_report: Path) -> None:
    html = demo_report.read_text("utf-8")
    check_page(html)
    assert "Documents: [1]" in html and "sentence " in html
    assert html.count('class="node"') >= 5


@pytest.mark.parametrize("width", [1280, 390])
def test_report_renders_in_headless_chromium(demo_report: Path, tmp_path: Path, width: int) -> None:
    chromium = _chromium()
    shot = tmp_path / f"report_{width}.png"
    run = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size={width},1600", f"--screenshot={shot}", demo_report.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert shot.exists(), run.stderr[-2000:]
    w, h = _png_size(shot)
    assert (w, h) == (width, 1600)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


def test_chromium_parses_the_whole_page(demo_report: Path, tmp_path: Path) -> None:
    """The browser's own DOM holds every node label and evidence card the file holds:
    nothing is lost to a markup error (and no script runs: the CSP allows none)."""
    chromium = _chromium()
    run = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         demo_report.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    dom = run.stdout
    html = demo_report.read_text("utf-8")
    assert "<svg" in dom
    assert dom.count('class="node"') == html.count('class="node"')
    assert dom.count('class="ev"') == html.count('class="ev"') > 0
