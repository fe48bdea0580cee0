"""Regressions for the holes an outside probe found in accounts: staff lock-out that anyone could
trigger and that told usernames apart, CCCD squatting, and profile fields silently ignored."""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import time
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from api.accounts.identity_verification import mark_identity_verified
from api.accounts.problems import CitizenIdVerifiedElsewhere
from api.applications.repository import ApplicationRepository
from api.core.db import create_pool
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, random_cccd
from tests.test_accounts import (
    LOGIN,
    ME,
    PASSWORD,
    PROFILE,
    female_1990_cccd,
    good_profile,
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
    """What a caller can see of a failed sign-in, without the per-request id; the seconds to
    wait to the minute (two answers a moment apart may differ by a second)."""
    body = {k: v for k, v in response.json().items() if k not in ("request_id", "retry_after")}
    body["detail"] = re.sub(r"\d+", "N", body["detail"])  # "… 59 seconds" vs "… 60 seconds"
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


# --- B: a declared CCCD is no proof ----------------------------------------------------------


async def test_a_cccd_declared_by_someone_else_does_not_block_its_owner(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, squatter = await citizen(db, settings, with_profile=False)
    _, owner = await citizen(db, settings, with_profile=False)
    cccd = female_1990_cccd()
    assert (await client.put(PROFILE, headers=squatter, json=good_profile(cccd))).status_code == 200
    mine = await client.put(PROFILE, headers=owner, json=good_profile(cccd))
    assert mine.status_code == 200, mine.text
    assert mine.json()["identity_verified"] is False


async def test_a_verified_identity_is_fixed_for_the_citizen(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings, with_profile=False)
    officer, _ = await new_officer(db)
    officer_id = await db.fetchval("SELECT id FROM staff WHERE username = $1", officer)
    cccd = female_1990_cccd()
    assert (await client.put(PROFILE, headers=headers, json=good_profile(cccd))).status_code == 200
    await mark_identity_verified(db, citizen_id, officer_id, "counter")
    assert (await client.get(PROFILE, headers=headers)).json()["identity_verified"] is True
    assert (await client.get(ME, headers=headers)).json()["identity_verified"] is True

    changed = good_profile(
        random_cccd(century_gender="1", yy="91"),
        full_name="Trần Thị Bình",
        date_of_birth="1991-01-02",
    )
    body = problem(await client.put(PROFILE, headers=headers, json=changed), 422)
    assert {(e["path"], e["code"]) for e in body["errors"]} == {
        ("citizen_id_number", "identity_verified"),
        ("full_name", "identity_verified"),
        ("date_of_birth", "identity_verified"),
    }
    assert all("xác minh" in e["message"] for e in body["errors"])
    # The rest of the profile is still the citizen's own to change.
    moved = good_profile(
        cccd, address={"province_code": "01", "commune_code": "00004", "street": "3 Kim Mã"}
    )
    saved = await client.put(PROFILE, headers=headers, json=moved)
    assert saved.status_code == 200, saved.text
    assert saved.json()["address"]["street"] == "3 Kim Mã"
    row = await db.fetchrow(
        "SELECT identity_verified_by, identity_verification_method FROM citizens WHERE id = $1",
        citizen_id,
    )
    assert (row["identity_verified_by"], row["identity_verification_method"]) == (
        officer_id,
        "counter",
    )


async def test_only_one_account_holds_a_cccd_verified(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    officer, _ = await new_officer(db)
    officer_id = await db.fetchval("SELECT id FROM staff WHERE username = $1", officer)
    cccd = female_1990_cccd()
    holders = []
    for _ in range(3):
        citizen_id, headers = await citizen(db, settings, with_profile=False)
        await client.put(PROFILE, headers=headers, json=good_profile(cccd))
        holders.append(citizen_id)
    await mark_identity_verified(db, holders[0], officer_id, "counter")
    await mark_identity_verified(db, holders[0], officer_id, "counter")  # again: no change
    with pytest.raises(CitizenIdVerifiedElsewhere):
        await mark_identity_verified(db, holders[1], officer_id, "counter")
    # Two officers verifying two claimants at once: the partial unique index decides.
    other = female_1990_cccd()
    contenders = []
    for _ in range(2):
        citizen_id, headers = await citizen(db, settings, with_profile=False)
        await client.put(PROFILE, headers=headers, json=good_profile(other))
        contenders.append(citizen_id)
    conns = [await asyncpg.connect(settings.database_url) for _ in contenders]
    try:
        outcomes = await asyncio.gather(
            *(
                mark_identity_verified(conn, cid, officer_id, "counter")
                for conn, cid in zip(conns, contenders, strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        for conn in conns:
            await conn.close()
    assert sorted(type(o).__name__ for o in outcomes) == ["CitizenIdVerifiedElsewhere", "NoneType"]


async def test_a_counter_filing_finds_the_one_account_among_shared_cccds(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    cccd = female_1990_cccd()
    accounts = []
    for _ in range(2):
        citizen_id, headers = await citizen(db, settings, with_profile=False)
        await client.put(PROFILE, headers=headers, json=good_profile(cccd))
        accounts.append(citizen_id)
    phone = await db.fetchval("SELECT phone FROM citizens WHERE id = $1", accounts[1])
    assert await ApplicationRepository(db).citizen_with(cccd, phone) == accounts[1]


async def test_profile_changes_are_rate_limited(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)
    for _ in range(10):
        cccd = female_1990_cccd()
        saved = await client.put(PROFILE, headers=headers, json=good_profile(cccd))
        assert saved.status_code == 200, saved.text
    response = await client.put(PROFILE, headers=headers, json=good_profile(female_1990_cccd()))
    body = problem(response, 429, "rate-limited")
    assert 0 < body["retry_after"] <= 3600


# --- C: unknown fields are refused, not ignored ------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"phone": "0912345678"}, "phone"),
        ({"id": "6f1c1f1e-1111-4111-8111-111111111111"}, "id"),
        (
            {"address": {"province_code": "01", "commune_code": "00004", "street": "1", "x": 1}},
            "address.x",
        ),
    ],
)
async def test_the_profile_refuses_unknown_fields(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    extra: dict[str, Any],
    path: str,
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)
    body = problem(
        await client.put(
            PROFILE, headers=headers, json={**good_profile(female_1990_cccd()), **extra}
        ),
        422,
        "validation-failed",
    )
    assert [(e["path"], e["code"]) for e in body["errors"]] == [(path, "unknown_field")]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/otp", {"phone": "0912345678", "channel": "zalo"}),
        ("/api/v1/auth/otp/verify", {"phone": "0912345678", "code": "123456", "channel": "zalo"}),
        ("/api/v1/auth/login", {"username": "cb.a", "password": "x", "channel": "zalo"}),
        ("/api/v1/auth/refresh", {"refresh_token": "x", "channel": "zalo"}),
    ],
)
async def test_sign_in_requests_refuse_unknown_fields(
    client: httpx.AsyncClient, path: str, body: dict[str, Any]
) -> None:
    answer = problem(await client.post(path, json=body), 422, "validation-failed")
    assert [(e["path"], e["code"]) for e in answer["errors"]] == [("channel", "unknown_field")]
