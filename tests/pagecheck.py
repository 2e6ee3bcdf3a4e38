"""Checks of rendered pages, and the browser they run in, that the tests share."""

from __future__ import annotations

import os
import re
import shutil

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
