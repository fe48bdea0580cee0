"""The JavaScript a first visit downloads (the app bundle and the service worker) stays within
100 KB gzipped. The build prints the figure; this test fails when it is over."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

BUDGET = 100 * 1024


def first_visit_js(dist: Path) -> int:
    """Gzipped bytes of every script index.html loads, plus the service worker it registers."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="/([^"]+)"', html)
    assert scripts, "index.html loads no script"
    files = [dist / name for name in scripts] + [dist / "sw.js"]
    return sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)


def check_budget(dist: Path, budget: int = BUDGET) -> int:
    size = first_visit_js(dist)
    if size > budget:
        pytest.fail(
            f"first-visit JavaScript is {size / 1024:.1f} KB gzipped, over {budget / 1024:.0f} KB"
        )
    return size


def test_first_visit_javascript_is_within_budget(pwa_dist: str) -> None:
    size = check_budget(Path(pwa_dist))
    print(f"first-visit JS: {size / 1024:.1f} KB gzipped")


def test_the_budget_check_fails_above_budget(pwa_dist: str) -> None:
    with pytest.raises(pytest.fail.Exception, match="over"):
        check_budget(Path(pwa_dist), budget=1024)
