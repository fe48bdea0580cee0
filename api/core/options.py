"""OPTIONS answered with every method of the route.

Litestar 2 builds a route's OPTIONS handler when the route's first handler is registered and
keeps it when more handlers join the same path, so ``Allow`` lists only the first method
(litestar-org/litestar#4169, fixed in Litestar 3). This wrapper answers OPTIONS from the
finished route table instead; drop it when the project moves to Litestar 3.
"""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.routes import HTTPRoute
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)


def _path_pattern(path: str) -> re.Pattern[str]:
    """``/applications/{application_id:uuid}/submit`` → a pattern matching concrete paths."""
    segments = ("[^/]+" if part.startswith("{") else re.escape(part) for part in path.split("/"))
    return re.compile("/".join(segments) + "/?")


def answer_options(app: Litestar) -> ASGIApp:
    table = [
        (_path_pattern(route.path), ", ".join(sorted(route.methods)).encode())
        for route in app.routes
        if isinstance(route, HTTPRoute)
    ]

    def allowed(path: str) -> bytes | None:
        return next((methods for pattern, methods in table if pattern.fullmatch(path)), None)

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] == "OPTIONS":
            allow = allowed(scope["path"])
            if allow is not None:
                start: HTTPResponseStartEvent = {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [(b"allow", allow)],
                }
                body: HTTPResponseBodyEvent = {
                    "type": "http.response.body",
                    "body": b"",
                    "more_body": False,
                }
                await send(start)
                await send(body)
                return
        await app(scope, receive, send)

    return wrapper
