"""Who may keep a copy of a response. Anything about a person is ``no-store`` (the default for
every API route, set on the API router); public reference data may be shared by caches for a
while, public progress only for seconds so a status change shows up almost at once."""

from __future__ import annotations

from litestar.datastructures import CacheControlHeader

PERSONAL = CacheControlHeader(no_store=True)
PUBLIC_REFERENCE = CacheControlHeader(public=True, max_age=300)
PUBLIC_PROGRESS = CacheControlHeader(public=True, max_age=5)
