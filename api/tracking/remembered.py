"""Repeated tracking look-ups answered before Litestar's routing, DI and response layers.

A found tracking answer is remembered rendered for its public max-age
(``recent_tracking``). When a GET names a remembered code, this wrapper charges the same
budgets as the route (the same shared Redis script) and sends the remembered body with the
headers the route sends (content type, Cache-Control, ETag; 304 for a matching
If-None-Match). Anything else — a code not remembered, any other method or path — goes
through the route unchanged; a refused budget or a Redis error is handed to the route
(``CHARGE_FAILED`` in the request state), which raises it without charging again, so the 429
or 503 problem is the one the route would have given.
"""

from __future__ import annotations

import re

from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from api.core.caching import PUBLIC_PROGRESS, send_public_answer
from api.tracking.controller import CHARGE_FAILED, charge_tracking_budgets, recent_tracking
from api.tracking.service import normalise_receipt_code

_CACHE_CONTROL = PUBLIC_PROGRESS.to_header().encode("latin-1")


def remembered_tracking(app: ASGIApp, state: State, path_prefix: str) -> ASGIApp:
    """Wrap ``app`` (the Litestar app whose ``state`` is given) so remembered tracking answers
    skip its layers; ``path_prefix`` is the API router's path."""
    track_path = re.compile(re.escape(path_prefix) + r"/track/([^/]+)")
    recent = recent_tracking(state)

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] == "GET":
            match = track_path.fullmatch(scope["path"])
            code = normalise_receipt_code(match.group(1)) if match else None
            rendered = recent.get(code) if code else None
            if rendered is not None:
                client = scope.get("client")
                try:
                    await charge_tracking_budgets(state, client[0] if client else "unknown")
                except Exception as exc:
                    scope.setdefault("state", {})[CHARGE_FAILED] = exc
                else:
                    start = {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"cache-control", _CACHE_CONTROL),
                            (b"etag", rendered.etag.encode("ascii")),
                            (b"content-length", str(len(rendered.body)).encode("ascii")),
                        ],
                    }
                    await send_public_answer(scope, start, rendered.body, send)
                    return
        await app(scope, receive, send)

    return wrapper
