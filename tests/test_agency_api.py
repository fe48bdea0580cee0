"""The agency API: an agency admin's API keys (shown once, hashed, revoked at once), and the
agency's systems reading its applications through the change feed, opening and moving them
with the key as the audited actor, within their agency only, rate-limited per key."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from api.core.actors import API_KEY_BUCKET, API_KEY_WINDOW_SECONDS
from api.core.ratelimit import RateLimiter
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, staff
from tests.test_applications import (
    commune_codes,
    events_keep_their_contract,  # noqa: F401
    submitted,
)

KEYS = "/api/v1/agency/api-keys"
APPLICATIONS = "/api/v1/agency/applications"


async def agency_admin(
    db: asyncpg.Connection, settings: Settings, agency_code: str = "UBX00004"
) -> dict[str, str]:
    _, headers = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code=agency_code
    )
    return headers


async def new_key(
    client: httpx.AsyncClient, admin: dict[str, str], name: str = "Land registry"
) -> tuple[dict[str, Any], dict[str, str]]:
    response = await client.post(KEYS, json={"name": name}, headers=admin)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created, {"Authorization": f"Bearer {created['key']}"}


async def test_an_agency_admin_creates_lists_and_revokes_keys_and_a_revoked_key_fails_at_once(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    admin = await agency_admin(db, settings)
    created, key = await new_key(client, admin)
    assert created["key"].startswith("mc_live_") and len(created["key"]) > 40
    assert created["key"].startswith(created["prefix"])
    stored = await db.fetchrow(
        "SELECT * FROM agency_api_keys WHERE id = $1", uuid.UUID(created["id"])
    )
    assert stored["secret_hash"] == hashlib.sha256(created["key"].encode()).hexdigest()
    assert created["key"] not in str(dict(stored))

    assert (await client.get(APPLICATIONS, headers=key)).status_code == 200
    listed = (await client.get(KEYS, headers=admin)).json()
    [entry] = [item for item in listed if item["id"] == created["id"]]
    assert set(entry) == {"id", "name", "prefix", "created_at", "last_used_at"}
    assert entry["last_used_at"] is not None  # the call above

    assert (await client.delete(f"{KEYS}/{created['id']}", headers=admin)).status_code == 204
    problem(await client.get(APPLICATIONS, headers=key), 401, "unauthenticated")
    problem(await client.delete(f"{KEYS}/{created['id']}", headers=admin), 404, "not-found")
    assert created["id"] not in {
        item["id"] for item in (await client.get(KEYS, headers=admin)).json()
    }
    problem(await client.get(APPLICATIONS, headers={"Authorization": "Bearer mc_live_forged"}), 401)


async def test_only_an_agency_admin_manages_keys_and_a_key_manages_none(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, officer = await staff(db, settings)
    _, citizen_headers = await citizen(db, settings)
    for caller in (officer, citizen_headers):
        problem(await client.post(KEYS, json={"name": "x"}, headers=caller), 403, "forbidden")
    admin_x = await agency_admin(db, settings)
    admin_y = await agency_admin(db, settings, "UBT01")
    created, key = await new_key(client, admin_x)
    problem(await client.get(KEYS, headers=key), 403, "forbidden")
    problem(await client.delete(f"{KEYS}/{created['id']}", headers=admin_y), 404)
    problem(await client.post(KEYS, json={"name": ""}, headers=admin_x), 422)
    # A key is not a staff member: the officers' queue refuses it.
    problem(await client.get("/api/v1/officer/queue", headers=key), 403, "forbidden")


async def test_a_key_reads_and_moves_its_agencys_applications_and_is_the_audited_actor(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    application = await submitted(client, db, citizen_headers)
    created, key = await new_key(client, await agency_admin(db, settings))
    key_id = uuid.UUID(created["id"])

    detail = await client.get(f"{APPLICATIONS}/{application['id']}", headers=key)
    assert detail.status_code == 200, detail.text
    assert detail.json()["status"] == "submitted"
    response = await client.post(
        f"{APPLICATIONS}/{application['id']}/transitions",
        json={"action": "receive", "expected_version": application["version"]},
        headers=key,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "received"
    audit = await db.fetch(
        "SELECT action, actor_kind, actor_role FROM audit_log WHERE application_id = $1"
        " AND actor_id = $2 ORDER BY id",
        uuid.UUID(application["id"]),
        key_id,
    )
    assert [tuple(row) for row in audit] == [
        ("application.read", "api_key", "agency_api"),
        ("application.receive", "api_key", "agency_api"),
    ]
    event = await db.fetchrow(
        "SELECT payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(application["id"]),
    )
    assert event["payload"]["actor_kind"] == "api_key"
    # The state machine is the officers': a key cannot take the citizen's moves.
    problem(
        await client.post(
            f"{APPLICATIONS}/{application['id']}/transitions",
            json={"action": "withdraw", "expected_version": response.json()["version"]},
            headers=key,
        ),
        403,
        "forbidden",
    )


async def test_another_agencys_application_is_not_found(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    commune_y = (await commune_codes(db, "01", 4))[3]
    _, citizen_y = await citizen(db, settings, commune_code=commune_y)
    application = await submitted(client, db, citizen_y)
    _, key = await new_key(client, await agency_admin(db, settings))
    url = f"{APPLICATIONS}/{application['id']}"
    problem(await client.get(url, headers=key), 404, "not-found")
    problem(
        await client.post(
            f"{url}/transitions",
            json={"action": "receive", "expected_version": application["version"]},
            headers=key,
        ),
        404,
    )
    feed = (await client.get(APPLICATIONS, params={"limit": 500}, headers=key)).json()
    assert application["id"] not in {item["id"] for item in feed["items"]}


async def read_feed(
    client: httpx.AsyncClient, key: dict[str, str], want: set[str] | None = None, **params: Any
) -> tuple[list[dict[str, Any]], str]:
    """Every page until caught up with the ids in ``want`` seen (the feed holds back changes
    while any older transaction in the cluster runs, e.g. another suite's: poll again)."""
    items: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10
    while True:
        response = await client.get(APPLICATIONS, params={"limit": 3, **params}, headers=key)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        params["cursor"] = page["next_cursor"]
        seen = {item["id"] for item in items}
        if page["caught_up"] and (seen >= (want or set()) or time.monotonic() > deadline):
            return items, page["next_cursor"]
        if page["caught_up"]:
            await asyncio.sleep(0.02)


async def test_the_feed_hands_a_poller_every_change_once_in_commit_order(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, key = await new_key(client, await agency_admin(db, settings))
    _, cursor = await read_feed(client, key)
    before = datetime.now(UTC) - timedelta(seconds=1)
    first = await submitted(client, db, citizen_headers)
    second = await submitted(client, db, citizen_headers)

    mine = {first["id"], second["id"]}
    # Other tests' changes in the unit may surface too (held back by then-running transactions).
    items, cursor = await read_feed(client, key, mine, cursor=cursor)
    assert [(item["id"], item["status"]) for item in items if item["id"] in mine] == [
        (first["id"], "submitted"),
        (second["id"], "submitted"),
    ]
    response = await client.post(
        f"{APPLICATIONS}/{first['id']}/transitions",
        json={"action": "receive", "expected_version": first["version"]},
        headers=key,
    )
    assert response.status_code == 200
    items, _ = await read_feed(client, key, {first["id"]}, cursor=cursor)
    assert [(i["id"], i["status"]) for i in items if i["id"] in mine] == [(first["id"], "received")]

    # A new poller starting from a time sees both, each at its latest state.
    since, _ = await read_feed(client, key, mine, updated_since=before.isoformat())
    assert {(item["id"], item["status"]) for item in since} >= {
        (first["id"], "received"),
        (second["id"], "submitted"),
    }
    received, _ = await read_feed(
        client, key, {first["id"]}, status="received", updated_since=before.isoformat()
    )
    assert first["id"] in {item["id"] for item in received}
    assert second["id"] not in {item["id"] for item in received}
    # A cursor is bound to its filter.
    problem(
        await client.get(
            APPLICATIONS, params={"cursor": cursor, "status": "received"}, headers=key
        ),
        422,
    )


async def test_a_key_over_its_budget_gets_429_with_retry_after(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    created, key = await new_key(client, await agency_admin(db, settings))
    limiter = RateLimiter(settings.redis_url)
    try:
        for _ in range(settings.agency_api_key_limit):
            await limiter.hit(
                API_KEY_BUCKET,
                created["id"],
                limit=settings.agency_api_key_limit,
                window_seconds=API_KEY_WINDOW_SECONDS,
            )
    finally:
        await limiter.close()
    response = await client.get(APPLICATIONS, headers=key)
    problem(response, 429, "rate-limited")
    assert 1 <= int(response.headers["Retry-After"]) <= API_KEY_WINDOW_SECONDS
    # Another key of the same agency has its own budget.
    _, other = await new_key(client, await agency_admin(db, settings))
    assert (await client.get(APPLICATIONS, headers=other)).status_code == 200
