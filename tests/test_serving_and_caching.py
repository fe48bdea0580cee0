"""Production serving and HTTP caching: the httptools head cap, WEB_CONCURRENCY, ETag/304 on
public answers (never on personal ones), tracking answered in front of Litestar and remembered
until their max-age, and rate-limit budgets charged in one round trip."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
import uuid

import asyncpg
import httpx
import pytest
from litestar.datastructures import State
from litestar.types import Receive, Scope, Send
from redis.exceptions import RedisError

from api.core.caching import Remembered, RenderedAnswer, etag_of
from api.core.logging import CLIENT_CLOSED_REQUEST
from api.core.problems import Problem
from api.core.ratelimit import Budget, RateLimiter
from api.serving import MAX_REQUEST_HEAD_BYTES, web_concurrency
from api.settings import Settings
from api.tracking.controller import (
    ALREADY_CHARGED,
    CHARGE_FAILED,
    RECENT_TRACKING_SECONDS,
    recent_tracking,
)
from api.tracking.front import tracking_in_front
from tests import support
from tests.conftest import ServedApp, free_port


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        return sock.recv(200)


def test_a_head_just_under_the_cap_is_served(served_app: ServedApp) -> None:
    filler = b"a" * (MAX_REQUEST_HEAD_BYTES - 200)
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Fill: " + filler
    assert _exchange(served_app.port, head + b"\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_a_head_over_the_cap_is_refused_with_431(served_app: ServedApp) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Fill: " + b"a" * (MAX_REQUEST_HEAD_BYTES + 10)
    assert _exchange(served_app.port, head + b"\r\n\r\n").startswith(b"HTTP/1.1 431")


def test_a_large_body_does_not_count_as_head(served_app: ServedApp) -> None:
    body = b"{" + b" " * (4 * MAX_REQUEST_HEAD_BYTES) + b"}"
    head = (
        b"POST /api/v1/auth/otp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )
    reply = _exchange(served_app.port, head + body)
    assert reply.startswith(b"HTTP/1.1 4") and not reply.startswith(b"HTTP/1.1 431"), reply


def test_a_client_that_hangs_up_mid_request_is_logged_as_gone_not_as_a_500(
    served_app: ServedApp, caplog: pytest.LogCaptureFixture
) -> None:
    # As when a load generator stops: the body is cut short, Litestar fails the read (a 500
    # that reaches nobody); the access line says the client closed the request.
    # (Another test of this module posts to /auth/otp; its access line may come late.)
    path = "/api/v1/auth/login"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    with caplog.at_level(logging.INFO, logger="api.access"):
        with socket.create_connection(("127.0.0.1", served_app.port), timeout=10) as sock:
            sock.sendall(head + b'{"username": "ca')
            time.sleep(0.2)  # the server is waiting for the rest of the body
        deadline = time.monotonic() + 10
        statuses: list[int] = []
        while not statuses and time.monotonic() < deadline:
            time.sleep(0.05)
            statuses = [r.status for r in caplog.records if getattr(r, "path", None) == path]
    assert statuses == [CLIENT_CLOSED_REQUEST]
    served = _exchange(served_app.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert served.startswith(b"HTTP/1.1 200")


def test_web_concurrency_defaults_to_the_cores_and_refuses_nonsense() -> None:
    assert web_concurrency({}) >= 1
    assert web_concurrency({"WEB_CONCURRENCY": "3"}) == 3
    with pytest.raises(ValueError):
        web_concurrency({"WEB_CONCURRENCY": "0"})


@pytest.mark.parametrize(
    "path", ["/api/v1/procedures?q=khai%20sinh", "/api/v1/provinces", "/api/v1/procedures"]
)
async def test_public_reference_answers_revalidate_with_304(
    client: httpx.AsyncClient, path: str
) -> None:
    first = await client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert "public" in first.headers["cache-control"]
    again = await client.get(path, headers={"If-None-Match": f'W/{etag}, "other"'})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and "public" in again.headers["cache-control"]
    stale = await client.get(path, headers={"If-None-Match": '"not-it"'})
    assert stale.status_code == 200 and stale.content == first.content


async def _submitted_with_a_code(db: asyncpg.Connection, settings: Settings) -> str:
    """A citizen's application, submitted and given a receipt code: the code."""
    citizen_id, _ = await support.citizen(db, settings)
    code = f"00004-{uuid.uuid4().int % 10**6:06d}-{uuid.uuid4().int % 10**4:04d}"
    application_id = await support.draft_application(db, citizen_id)
    await db.execute(
        "UPDATE applications SET status = 'submitted', receipt_code = $2,"
        " received_on = current_date, due_date = current_date + 5 WHERE id = $1",
        application_id,
        code,
    )
    return code


async def test_tracking_revalidates_and_personal_answers_get_no_etag(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await support.citizen(db, settings)
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and "etag" not in me.headers
    code = await _submitted_with_a_code(db, settings)
    first = await client.get(f"/api/v1/track/{code}")
    assert first.status_code == 200, first.text
    again = await client.get(
        f"/api/v1/track/{code}", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    missing = await client.get("/api/v1/track/00004-000000-0000")
    assert missing.status_code == 404 and "etag" not in missing.headers


async def test_a_remembered_tracking_answer_is_the_same_and_a_change_shows_after_max_age(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    code = await _submitted_with_a_code(db, settings)
    first = await client.get(f"/api/v1/track/{code}")
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == etag_of(first.content)
    assert set(first.headers["cache-control"].split(", ")) == {"public", "max-age=5"}
    assert first.headers["content-type"] == "application/json"
    await db.execute("UPDATE applications SET status = 'received' WHERE receipt_code = $1", code)
    # Within the max-age shared caches may serve the old answer, and so does the API's memory
    # (sent in front of Litestar, api/tracking/front.py): the same body and headers, a 304
    # for its tag, without reading the changed row.
    again = await client.get(f"/api/v1/track/{code}")
    assert again.content == first.content

    def sent(response: httpx.Response) -> dict[str, str]:
        return {k: v for k, v in response.headers.items() if k not in ("date", "x-request-id")}

    assert sent(again) == sent(first) and "x-request-id" in again.headers
    revalidated = await client.get(
        f"/api/v1/track/{code}", headers={"If-None-Match": first.headers["etag"]}
    )
    assert revalidated.status_code == 304
    # Past the max-age the change shows, with a new tag.
    await asyncio.sleep(RECENT_TRACKING_SECONDS + 0.2)
    changed = await client.get(f"/api/v1/track/{code}")
    assert changed.json()["status"] == "received"
    assert changed.headers["etag"] == etag_of(changed.content) != first.headers["etag"]


async def test_a_redis_error_in_front_of_the_route_is_handed_to_the_route(
    settings: Settings,
) -> None:
    # Redis unreachable: the remembered answer is not sent; the route gets the very error
    # (and raises it, the API's 503) instead of charging a second time.
    state = State({"settings": settings})
    state.rate_limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0")
    recent_tracking(state).put("00004-000001-0001", RenderedAnswer(b"{}", '"x"'))
    handed: list[object] = []

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        handed.append(scope["state"].get(CHARGE_FAILED))

    async def nothing_sent(message: object) -> None:
        raise AssertionError(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/track/00004-000001-0001",
        "headers": [],
        "client": ("203.0.113.9", 1234),
    }
    try:
        await tracking_in_front(route, state, "/api/v1")(scope, None, nothing_sent)  # type: ignore[arg-type]
    finally:
        await state.rate_limiter.close()
    assert len(handed) == 1 and isinstance(handed[0], RedisError)


async def test_a_code_found_nowhere_or_a_database_error_goes_to_the_route_already_charged(
    settings: Settings, db: asyncpg.Connection
) -> None:
    # In front of the route: the budget is charged, then the code is looked for; the route gets
    # what could not be answered there, marked as charged (it charges nothing more).
    handed: list[dict[str, object]] = []

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        handed.append(dict(scope["state"]))

    async def nothing_sent(message: object) -> None:
        raise AssertionError(message)

    unreachable = await asyncpg.create_pool(f"postgresql://127.0.0.1:{free_port()}/x", min_size=0)
    reachable = await asyncpg.create_pool(settings.database_url, min_size=0, max_size=1)
    state = State({"settings": settings})
    state.rate_limiter = RateLimiter(settings.redis_url)
    try:
        for pool in (reachable, unreachable):
            state.db_pool = pool
            scope = {
                "type": "http",
                "method": "GET",
                "path": "/api/v1/track/00004-000001-0001",
                "headers": [],
                "client": (f"203.0.113.{len(handed) + 20}", 1234),
            }
            await tracking_in_front(route, state, "/api/v1")(scope, None, nothing_sent)  # type: ignore[arg-type]
    finally:
        await state.rate_limiter.close()
        await reachable.close()
        await unreachable.close()
    assert handed == [{ALREADY_CHARGED: True}, {ALREADY_CHARGED: True}]


async def test_charge_spends_and_checks_in_one_call_and_spends_nothing_when_refused(
    settings: Settings,
) -> None:
    limiter = RateLimiter(settings.redis_url)
    key = uuid.uuid4().hex
    try:
        general = Budget("t-general", key, 5, 60)
        misses = Budget("t-miss", key, 2, 60, spend=False)
        for _ in range(2):
            await limiter.charge(general, misses)
            await limiter.hit("t-miss", key, limit=2, window_seconds=60)
        with pytest.raises(Problem) as refused:
            await limiter.charge(general, misses)  # the miss budget is used up
        assert refused.value.status == 429
        # Nothing was spent by the refused charge: three more general requests fit, not four.
        for _ in range(3):
            await limiter.hit("t-general", key, limit=5, window_seconds=60)
        with pytest.raises(Problem):
            await limiter.charge(general)
    finally:
        await limiter.close()


def test_remembered_answers_expire_and_stay_bounded() -> None:
    memory: Remembered[str, int] = Remembered(60, max_entries=2)
    memory.put("a", 1)
    memory.put("b", 2)
    memory.put("c", 3)  # full of live entries: starts afresh rather than growing
    assert memory.get("c") == 3 and memory.get("a") is None
    off: Remembered[str, int] = Remembered(0)
    off.put("a", 1)
    assert off.get("a") is None
