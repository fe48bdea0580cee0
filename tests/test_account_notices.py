"""Account notices in the inbox (no application event behind them): an officer told of a
burst of failed sign-ins on their account, an agency's admins told that a webhook endpoint was
disabled. Each is written in the transaction of its audit row, read from the inbox in the
reader's language, and pushed to the reader's devices (a real push service on loopback that
decrypts what the phone would read)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from api.clients.webpush import load_vapid_keys
from api.settings import Settings
from tests.push_receiver import PushReceiver
from tests.support import staff
from tests.test_accounts import LOGIN, PASSWORD, new_officer
from tests.test_accounts_hardening import WRONG, fresh_address, timed_login
from tests.test_applications import submitted
from tests.test_push_delivery import subscribe
from tests.test_webhook_delivery import (
    ALL_TYPES,
    WEBHOOKS,
    Agency,
    agency,
    fan_out,
    receiver,
    redis,
    register,
    run_worker,
)
from tests.webhook_receiver import LoopbackReceiver

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

__all__ = ["agency", "receiver", "redis"]  # fixtures used by name below

INBOX = "/api/v1/me/notifications"


@pytest.fixture
async def push_service(db: asyncpg.Connection, settings: Settings) -> AsyncIterator[PushReceiver]:
    keys = await load_vapid_keys(db, settings)
    server = PushReceiver(keys.public_key)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        await db.execute(
            "DELETE FROM push_subscriptions WHERE starts_with(endpoint, $1)", server.origin
        )


async def sign_in(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post(
        LOGIN,
        json={"username": username, "password": PASSWORD},
        headers={"X-Forwarded-For": fresh_address()},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def inbox(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get(INBOX, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_an_officer_is_told_of_a_burst_of_failed_sign_ins_once_in_their_language(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    push_service: PushReceiver,
) -> None:
    username, staff_id = await new_officer(db)
    await db.execute("UPDATE staff SET language = 'en' WHERE id = $1", uuid.UUID(staff_id))
    headers = await sign_in(client, username)
    device = push_service.device()
    await subscribe(client, headers, device)
    assert await inbox(client, headers) == []

    address = fresh_address()
    for _ in range(5):  # the fifth starts the first delay: the notice
        await timed_login(client, username, WRONG, address)
    # More delays within the hour add audit rows, not notices.
    await db.execute(
        "UPDATE staff_login_throttle SET blocked_until = now() WHERE client_ip = $1", address
    )
    await timed_login(client, username, WRONG, address)
    audited = await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'auth.suspicious_failures'"
        " AND note LIKE '%' || $1 || '%'",
        staff_id,
    )
    assert audited == 2

    [notice] = await inbox(client, headers)
    assert notice["kind"] == "suspicious_sign_in"
    assert notice["application_id"] is None and notice["receipt_code"] is None
    assert notice["status"] == "" and notice["url"] == "/account"
    assert notice["title"] == "Repeated failed sign-ins to your account"
    assert notice["body"].startswith(f"5 wrong passwords in a row from address {address};")
    assert notice["read_at"] is None

    # Its push was queued after the commit, under the fan-out's deterministic id.
    subscription = await db.fetchval(
        "SELECT id FROM push_subscriptions WHERE staff_id = $1", uuid.UUID(staff_id)
    )
    job_key = f"arq:job:push:{notice['id']}:{subscription}"
    assert await redis.exists(job_key) == 1
    await run_worker(settings)
    [received] = push_service.for_device(device)
    assert received.answered == 201 and received.payload is not None
    assert received.payload["id"] == notice["id"]
    assert received.payload["title"] == notice["title"]
    assert received.payload["url"] == "/account"
    assert received.payload["receipt_code"] is None
    assert (
        await db.fetchval(
            "SELECT status FROM deliveries WHERE notification_id = $1 AND channel = 'push'",
            uuid.UUID(notice["id"]),
        )
        == "delivered"
    )


async def test_an_unknown_username_and_a_refused_burst_create_no_notice(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    address = fresh_address()
    ghost = "cb.ghost" + uuid.uuid4().hex[:8]
    for _ in range(6):
        await timed_login(client, ghost, WRONG, address)
    assert (
        await db.fetchval(
            "SELECT count(*) FROM notifications WHERE kind = 'suspicious_sign_in'"
            " AND params ->> 'client_ip' = $1",
            address,
        )
        == 0
    )


async def test_agency_admins_are_told_when_a_webhook_endpoint_is_disabled(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
    push_service: PushReceiver,
) -> None:
    admin_id = await db.fetchval(
        "SELECT id FROM staff WHERE agency_code = $1 AND role = 'agency_admin'",
        f"UBX{agency.commune}",
    )
    await db.execute("UPDATE staff SET language = 'vi' WHERE id = $1", admin_id)
    device = push_service.device()
    await subscribe(client, agency.admin, device)
    # A second admin of the agency, reading English, without a device.
    other_id, other_headers = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code=f"UBX{agency.commune}"
    )
    await db.execute("UPDATE staff SET language = 'en' WHERE id = $1", other_id)
    endpoint = await register(client, agency, receiver, ALL_TYPES)
    receiver.answer_next(410)
    application = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, application["id"])
    await run_worker(settings)

    [notice] = await inbox(client, agency.admin)
    assert notice["kind"] == "webhook_disabled" and notice["application_id"] is None
    assert notice["url"] == f"/agency/webhooks/{endpoint['id']}"
    assert notice["title"] == "Điểm nhận webhook đã bị tắt"
    assert receiver.url in notice["body"] and "410" in notice["body"]
    [english] = await inbox(client, other_headers)
    assert english["title"] == "A webhook endpoint was disabled"
    assert english["body"].startswith(f"The endpoint {receiver.url} was disabled: the receiver")
    [received] = push_service.for_device(device)
    assert received.payload is not None and received.payload["id"] == notice["id"]
    assert received.payload["url"] == notice["url"]
    # One audit row, one notice per admin, in the same transaction.
    assert (
        await db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'agency.webhook.disabled' AND note = $1",
            f"{endpoint['id']} gone",
        )
        == 1
    )
    # (The database outlives a test run: earlier runs may have left admins of this agency.)
    admins = await db.fetchval(
        "SELECT count(*) FROM staff WHERE agency_code = $1 AND role = 'agency_admin' AND active",
        f"UBX{agency.commune}",
    )
    assert admins >= 2
    assert (
        await db.fetchval(
            "SELECT count(*) FROM notifications WHERE kind = 'webhook_disabled'"
            " AND params ->> 'endpoint_id' = $1",
            endpoint["id"],
        )
        == admins
    )
    # Switched back on and disabled again: a new notice (its own audit row).
    patched = await client.patch(
        f"{WEBHOOKS}/{endpoint['id']}", json={"enabled": True}, headers=agency.admin
    )
    assert patched.status_code == 200, patched.text
    receiver.answer_next(410)
    again = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, again["id"])
    await run_worker(settings)
    assert [n["kind"] for n in await inbox(client, agency.admin)] == ["webhook_disabled"] * 2


async def test_a_notification_needs_an_event_or_a_dedupe_key(
    db: asyncpg.Connection, settings: Settings
) -> None:
    staff_id, _ = await staff(db, settings)
    insert = (
        "INSERT INTO notifications (staff_id, kind, params, dedupe_key)"
        " VALUES ($1, 'suspicious_sign_in', '{}', $2)"
    )
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(insert, staff_id, None)
    await db.execute(insert, staff_id, "k1")
    with pytest.raises(asyncpg.UniqueViolationError):
        await db.execute(insert, staff_id, "k1")
    other_id, _ = await staff(db, settings)
    await db.execute(insert, other_id, "k1")  # unique per recipient
