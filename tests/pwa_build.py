"""Builds the citizen app for the tests when its sources changed since the last build (the
Makefile builds it first; this keeps a bare `pytest` run honest too)."""

from __future__ import annotations

import subprocess
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent / "pwa"
DIST = PWA / "dist"
SOURCES = [PWA / "src", PWA / "build.mjs", PWA / "tools", PWA / "package-lock.json"]
SERVER_TEXTS = PWA.parent / "api" / "messages"


def _newest(paths: list[Path]) -> float:
    times = [0.0]
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        times.extend(f.stat().st_mtime for f in files if f.is_file())
    return max(times)


def ensure_built() -> Path:
    index = DIST / "index.html"
    built = index.stat().st_mtime if index.exists() else 0.0
    if _newest([*SOURCES, SERVER_TEXTS]) > built:
        if not (PWA / "node_modules").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PWA, check=True)
        subprocess.run(["npm", "run", "--silent", "build"], cwd=PWA, check=True)
    return DIST
