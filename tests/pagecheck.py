"""Checks of rendered pages, and the browser they run in, that the tests share."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def debian_browser(driver: bool, what: str) -> tuple[str, str | None]:
    """Debian's chromium (and its chromium-driver when ``driver``): skipped loudly when
    missing (``make test`` installs them with apt when run as root), failed under
    ``CI=true``."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver") if driver else None
    if chromium is None or (driver and chromedriver is None):
        need = "chromium and chromium-driver are" if driver else "chromium is"
        why = (
            f"Debian's {need} not installed: {what} did NOT run "
            "(`make test` installs them with apt when run as root)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return chromium, chromedriver


def check_page(page: str) -> None:
    """What a reader would check: a phone-ready page, an SVG network whose labels never
    overlap, ties whose shown weights add up to their score, and links that all land."""
    assert '<meta name="viewport"' in page
    assert "<svg" in page and 'class="network"' in page
    boxes = [
        tuple(float(x) for x in b.split(","))
        for b in re.findall(r'class="node" data-code="[^"]*" data-box="([^"]+)"', page)
    ]
    assert boxes
    for i, (l1, t1, r1, b1) in enumerate(boxes):
        for l2, t2, r2, b2 in boxes[i + 1 :]:
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), "labels overlap"
    ids = set(re.findall(r'id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= ids, sorted(targets - ids)[:5]
    for row in re.findall(r'<tr id="tie-[^"]+">(.*?)</tr>', page, re.S):
        score = float(re.search(r'class="num">([+-−]?[\d.]+)</td>', row).group(1))  # type: ignore[union-attr]
        weights = [float(w) for w in re.findall(r"\(([+-][\d.]+)\)</span>", row)]
        assert abs(sum(weights) - score) < 0.01 + 0.001 * len(weights)


@contextmanager
def chrome(width: int) -> Iterator[Any]:
    """Debian's headless Chromium driven by Selenium through Debian's chromium-driver
    (Selenium never fetches a driver), ``width`` pixels wide."""
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = debian_browser(True, "the web app's browser tests")
    assert driver is not None
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 f"--window-size={width},900"):  # fmt: skip
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    d.set_page_load_timeout(60)
    try:
        yield d
    finally:
        d.quit()


def ready(d: Any) -> None:
    """Wait until the page's script says it has drawn (``body[data-ready=1]``)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(d, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
    )


def no_errors(d: Any) -> None:
    bad = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert not bad, bad


def fits(d: Any) -> None:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    over = d.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert over <= 1, f"page is {over}px wider than the window"
