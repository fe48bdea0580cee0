"""Regressions for the holes an outside probe found in accounts: staff lock-out that anyone could
trigger and that told usernames apart."""

from __future__ import annotations

import logging
import statistics
import time
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from api.core.db import create_pool
from api.settings import Settings
from tests.conftest import problem
from tests.test_accounts import (
    LOGIN,
    PASSWORD,
    new_officer,
)
from workers.housekeeping import purge_login_throttle

WRONG = "sai-mat-khau"


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def fresh_address() -> str:
    number = uuid.uuid4().int
    return f"10.{number % 250}.{(number >> 8) % 250}.{(number >> 16) % 250 + 1}"


async def timed_login(
    client: httpx.AsyncClient, username: str, password: str, address: str
) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post(
        LOGIN, json={"username": username, "password": password}, headers=from_address(address)
    )
    return response, time.perf_counter() - started


def comparable(response: httpx.Response) -> tuple[int, dict[str, Any], int | None]:
    """What a caller can see of a failed sign-in, without the per-request id; Retry-After to
    the minute (two runs a moment apart may differ by a second)."""
    body = {k: v for k, v in response.json().items() if k not in ("request_id", "retry_after")}
    retry_after = response.headers.get("Retry-After")
    return response.status_code, body, round(int(retry_after) / 60) if retry_after else None


def assert_close(first: list[float], second: list[float], *, slack: float = 0.025) -> None:
    """Medians within 30% of each other (or a few milliseconds, for answers that are fast)."""
    a, b = statistics.median(first), statistics.median(second)
    assert abs(a - b) <= max(0.3 * max(a, b), slack), (first, second)


# --- A: staff sign-in throttling --------------------------------------------------------------


async def test_unknown_usernames_and_wrong_passwords_take_the_same_time(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, _ = await new_officer(db)
    wrong_password: list[float] = []
    unknown_user: list[float] = []
    for _ in range(7):
        response, elapsed = await timed_login(client, username, WRONG, fresh_address())
        problem(response, 401, "invalid-credentials")
        wrong_password.append(elapsed)
        response, elapsed = await timed_login(
            client, "khong.ai." + uuid.uuid4().hex[:6], WRONG, fresh_address()
        )
        problem(response, 401, "invalid-credentials")
        unknown_user.append(elapsed)
    assert_close(wrong_password, unknown_user)


async def test_after_a_burst_a_real_and_an_unknown_username_answer_alike(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    """The old lock answered 423 in ~10 ms for a real account and 401 in ~250 ms for an unknown
    one, so a few tries told which usernames exist."""
    real, _ = await new_officer(db)
    unknown = "khong.ai." + uuid.uuid4().hex[:6]
    address = fresh_address()
    answers: dict[str, list[tuple[int, dict[str, Any], int | None]]] = {real: [], unknown: []}
    follow_up_times: dict[str, list[float]] = {real: [], unknown: []}
    for attempt in range(9):
        for username in (real, unknown):
            response, elapsed = await timed_login(client, username, WRONG, address)
            answers[username].append(comparable(response))
            if attempt >= 5:
                follow_up_times[username].append(elapsed)
    assert answers[real] == answers[unknown]
    assert [status for status, _, _ in answers[real]] == [401] * 4 + [429] * 5
    assert_close(follow_up_times[real], follow_up_times[unknown])


async def test_an_attacker_cannot_lock_the_officer_out(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, _ = await new_officer(db)
    attacker, officer = fresh_address(), fresh_address()
    for _ in range(4):
        response, _ = await timed_login(client, username, WRONG, attacker)
        problem(response, 401, "invalid-credentials")
    response, _ = await timed_login(client, username, WRONG, attacker)
    body = problem(response, 429, "rate-limited")
    assert 55 <= int(response.headers["Retry-After"]) <= 60
    assert body["retry_after"] == int(response.headers["Retry-After"])
    # The attacker's address is held back even with the right password …
    response, _ = await timed_login(client, username, PASSWORD, attacker)
    problem(response, 429, "rate-limited")
    # … while the officer, from their own desk, signs in at once.
    response, _ = await timed_login(client, username, PASSWORD, officer)
    assert response.status_code == 200, response.text


async def test_delays_grow_from_one_minute_to_fifteen(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    username, _ = await new_officer(db)
    address = fresh_address()
    for _ in range(4):
        response, _ = await timed_login(client, username, WRONG, address)
        problem(response, 401, "invalid-credentials")
    delays = []
    for _ in range(6):
        response, _ = await timed_login(client, username, WRONG, address)
        problem(response, 429, "rate-limited")
        delays.append(int(response.headers["Retry-After"]))
        # The delay is over: the next try is checked again, and fails again.
        await db.execute(
            "UPDATE staff_login_throttle SET blocked_until = now() WHERE client_ip = $1", address
        )
    assert [round(d / 60) for d in delays] == [1, 2, 4, 8, 15, 15]
    # The right password clears the slate for this address.
    response, _ = await timed_login(client, username, PASSWORD, address)
    assert response.status_code == 200, response.text
    response, _ = await timed_login(client, username, WRONG, address)
    problem(response, 401, "invalid-credentials")


async def test_a_burst_against_an_officer_is_recorded_for_them(
    client: httpx.AsyncClient, db: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    username, staff_id = await new_officer(db)
    address = fresh_address()
    with caplog.at_level(logging.WARNING, logger="api.accounts.sign_in"):
        for _ in range(5):
            await timed_login(client, username, WRONG, address)
    rows = await db.fetch(
        "SELECT actor_kind, actor_role, unit_code, note FROM audit_log"
        " WHERE action = 'auth.suspicious_failures' AND note LIKE '%' || $1 || '%'",
        staff_id,
    )
    assert len(rows) == 1
    assert rows[0]["actor_kind"] == "system" and rows[0]["unit_code"] == "00004"
    assert address in rows[0]["note"]
    assert any(
        r.getMessage() == "suspicious sign-in failures" and getattr(r, "staff", None) == staff_id
        for r in caplog.records
    )


async def test_pairs_nobody_failed_with_for_a_day_are_purged(
    db: asyncpg.Connection, settings: Settings
) -> None:
    stale, fresh = fresh_address(), fresh_address()
    await db.execute(
        "INSERT INTO staff_login_throttle VALUES"
        " ('x', $1, 3, 0, now() - interval '25 hours', now() - interval '25 hours'),"
        " ('x', $2, 3, 0, now(), now())",
        stale,
        fresh,
    )
    pool = await create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        assert await purge_login_throttle({"db_pool": pool}) >= 1
    finally:
        await pool.close()
    left = await db.fetch(
        "SELECT client_ip FROM staff_login_throttle WHERE client_ip = ANY($1)", [stale, fresh]
    )
    assert [row["client_ip"] for row in left] == [fresh]
