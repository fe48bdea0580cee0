"""Public tracking answered before Litestar's routing, DI and response layers.

Tracking is the busiest public route at the end of a month, and most of a found answer's cost
was the framework around it. For a GET naming a well-formed receipt code, this wrapper charges
the route's budgets (the same shared Redis script) and, when the application is found (in the
process's memory of recent answers or in the database), sends the answer with the headers the
route sends (content type, Cache-Control, ETag; 304 for a matching If-None-Match).

Everything else goes through the route, which stays complete (it answers HEAD, malformed
codes, and any request when this wrapper is not installed): a refused budget or a Redis error
is handed over as it was raised (``CHARGE_FAILED``), which the route raises without charging
again, so the 429 or 503 problem is the one the route would have given; a code found nowhere,
or a database error, is handed over as already charged (``ALREADY_CHARGED``), and the route
looks again, spends the failed-look-up budget and answers the 404, or meets the error itself.
Every request is charged exactly once, wherever it is answered.
"""

from __future__ import annotations

import re

from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from api.core.caching import PUBLIC_PROGRESS, send_public_answer
from api.tracking.controller import (
    ALREADY_CHARGED,
    CHARGE_FAILED,
    charge_tracking_budgets,
    found_answer,
)
from api.tracking.service import normalise_receipt_code

_CACHE_CONTROL = PUBLIC_PROGRESS.to_header().encode("latin-1")


def tracking_in_front(app: ASGIApp, state: State, path_prefix: str) -> ASGIApp:
    """Wrap ``app`` (the Litestar app whose ``state`` is given) so found tracking answers skip
    its layers; ``path_prefix`` is the API router's path."""
    track_path = re.compile(re.escape(path_prefix) + r"/track/([^/]+)")

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] == "GET":
            match = track_path.fullmatch(scope["path"])
            code = normalise_receipt_code(match.group(1)) if match else None
            if code is not None and await _answered(scope, send, code):
                return
        await app(scope, receive, send)

    async def _answered(scope: Scope, send: Send, code: str) -> bool:
        handed = scope.setdefault("state", {})
        client = scope.get("client")
        try:
            await charge_tracking_budgets(state, client[0] if client else "unknown")
        except Exception as exc:
            handed[CHARGE_FAILED] = exc
            return False
        handed[ALREADY_CHARGED] = True
        try:
            answer = await found_answer(state, code)
        except Exception:
            return False  # the route looks again and answers with the error it meets
        if answer is None:
            return False
        start = {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"cache-control", _CACHE_CONTROL),
                (b"etag", answer.etag.encode("ascii")),
                (b"content-length", str(len(answer.body)).encode("ascii")),
            ],
        }
        await send_public_answer(scope, start, answer.body, send)
        return True

    return wrapper
