"""Serving the built citizen app (``pwa/dist``) at "/", beside the API under /api/v1.

Files under /assets/ carry a content hash in their name, so they never change: browsers and
proxies may keep them for a year without asking again. ``index.html``, the manifest and the
service worker keep their names across releases, so every use revalidates them (``no-cache``:
a cheap 304 while unchanged); a new release reaches phones on their next open."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

logger = logging.getLogger("api")

IMMUTABLE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)
REVALIDATE = CacheControlHeader(no_cache=True)

mimetypes.add_type("application/manifest+json", ".webmanifest")


def pwa_routes(directory: str) -> list[Router]:
    """Routers for the app's files, or none (with a warning) when it was not built."""
    root = Path(directory)
    if not (root / "index.html").is_file():
        logger.warning(
            "the citizen app is not built; run `npm run build` in pwa/", extra={"dir": directory}
        )
        return []
    return [
        create_static_files_router(
            path="/assets",
            directories=[root / "assets"],
            cache_control=IMMUTABLE,
            name="pwa-assets",
        ),
        create_static_files_router(
            path="/",
            directories=[root],
            html_mode=True,
            cache_control=REVALIDATE,
            name="pwa",
        ),
    ]
