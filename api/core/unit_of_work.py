"""Each HTTP request is a unit of work: the pooled connection its handler works on (the ``db``
dependency, ``request_connection``) goes back to the pool once the response is done, and a
request that may have changed something wakes the outbox relay if it wrote events
(api/core/outbox.py)."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.core.db import release_request_connection
from api.core.outbox import OutboxUnit

# These never write events.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def unit_of_work_middleware(app: ASGIApp) -> ASGIApp:
    """The relay is woken when the response starts (the handler and its transaction are done
    by then), or when the request ends without one."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        if scope["method"] in _SAFE_METHODS:
            try:
                await app(scope, receive, send)
            finally:
                await release_request_connection(scope)
            return
        relay_waker = scope["litestar_app"].state.relay_waker
        unit = OutboxUnit()

        async def send_then_wake(message: Message) -> None:
            if message["type"] == "http.response.start" and unit.take_wake():
                relay_waker.wake()
            await send(message)

        try:
            with unit:
                await app(scope, receive, send_then_wake)
        finally:
            await release_request_connection(scope)
            if unit.take_wake():
                relay_waker.wake()

    return middleware
