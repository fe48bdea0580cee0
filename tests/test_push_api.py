"""The push subscription API (one subscription per browser, checked keys and endpoints) and the
in-app inbox (rendered in the reader's language, keyset pages, marking read)."""

from __future__ import annotations

import base64
import os
import uuid

import asyncpg
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, staff
from tests.test_applications import submitted

SUBSCRIPTIONS = "/api/v1/push/subscriptions"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser(endpoint: str | None = None) -> dict[str, object]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {
        "endpoint": endpoint or f"https://push.example.net/send/{uuid.uuid4().hex}",
        "keys": {"p256dh": b64(point), "auth": b64(os.urandom(16))},
        "expirationTime": None,
    }


async def test_the_vapid_public_key_is_an_uncompressed_p256_point(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/push/vapid-public-key")
    assert response.status_code == 200
    raw = base64.urlsafe_b64decode(response.json()["public_key"] + "==")
    assert len(raw) == 65 and raw[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    again = await client.get("/api/v1/push/vapid-public-key")
    assert again.json() == response.json()  # generated once, kept


async def test_one_subscription_per_browser_moving_to_whoever_signs_in(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    first_id, first = await citizen(db, settings)
    second_id, second = await citizen(db, settings)
    officer_id, officer = await staff(db, settings)
    device = browser()
    one = await client.post(SUBSCRIPTIONS, json=device, headers=first)
    twice = await client.post(SUBSCRIPTIONS, json=device, headers=first)
    assert one.status_code == twice.status_code == 201
    assert one.json()["id"] == twice.json()["id"]
    assert one.json()["push_service"] == "https://push.example.net"
    other = await client.post(SUBSCRIPTIONS, json=browser(), headers=first)
    listed = await client.get(SUBSCRIPTIONS, headers=first)
    assert {d["id"] for d in listed.json()["items"]} == {one.json()["id"], other.json()["id"]}

    moved = await client.post(SUBSCRIPTIONS, json=device, headers=second)
    assert moved.json()["id"] == one.json()["id"]
    owner = await db.fetchval(
        "SELECT citizen_id FROM push_subscriptions WHERE id = $1", uuid.UUID(one.json()["id"])
    )
    assert owner == second_id
    assert len((await client.get(SUBSCRIPTIONS, headers=first)).json()["items"]) == 1
    staff_device = await client.post(SUBSCRIPTIONS, json=device, headers=officer)
    row = await db.fetchrow(
        "SELECT citizen_id, staff_id FROM push_subscriptions WHERE id = $1",
        uuid.UUID(staff_device.json()["id"]),
    )
    assert row is not None and (row["citizen_id"], row["staff_id"]) == (None, officer_id)

    # Deleting someone else's subscription does nothing; one's own goes.
    gone = await client.request(
        "DELETE", SUBSCRIPTIONS, json={"endpoint": device["endpoint"]}, headers=first
    )
    assert gone.status_code == 204
    assert len((await client.get(SUBSCRIPTIONS, headers=officer)).json()["items"]) == 1
    await client.request(
        "DELETE", SUBSCRIPTIONS, json={"endpoint": device["endpoint"]}, headers=officer
    )
    assert (await client.get(SUBSCRIPTIONS, headers=officer)).json()["items"] == []
    assert first_id != second_id


async def test_endpoints_and_keys_are_checked(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    anonymous = await client.post(SUBSCRIPTIONS, json=browser())
    problem(anonymous, 401)
    bad = browser("http://push.example.net/x")
    bad["keys"] = {"p256dh": b64(b"\x04" + bytes(64)), "auth": b64(os.urandom(15))}
    body = problem(
        await client.post(SUBSCRIPTIONS, json=bad, headers={**headers, "Accept-Language": "en"}),
        422,
        "validation-failed",
    )
    assert {(e["path"], e["code"]) for e in body["errors"]} == {
        ("endpoint", "endpoint_not_https"),
        ("keys.p256dh", "invalid_p256dh"),
        ("keys.auth", "invalid_auth"),
    }
    assert "https" in next(e["message"] for e in body["errors"] if e["path"] == "endpoint")
    loopback = await client.post(
        SUBSCRIPTIONS, json=browser("http://127.0.0.1:9/p"), headers=headers
    )
    assert loopback.status_code == 201  # a test push service, outside production


async def test_the_inbox_pages_newest_first_in_the_readers_language_and_marks_read(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    await db.execute("UPDATE citizens SET language = 'en' WHERE id = $1", citizen_id)
    application = await submitted(client, db, headers)
    event_id = await db.fetchval(
        "SELECT id FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(application["id"]),
    )
    for kind, status in [
        ("received", "received"),
        ("approved", "approved"),
        ("completed", "completed"),
    ]:
        await db.execute(
            "INSERT INTO notifications (event_id, citizen_id, kind, application_id, receipt_code,"
            " params, created_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())",
            event_id if kind == "received" else await _another_event(db, application["id"]),
            citizen_id,
            kind,
            uuid.UUID(application["id"]),
            application["receipt_code"],
            {
                "receipt_code": application["receipt_code"],
                "status": status,
                "procedure_code": application["procedure_code"],
            },
        )
    first = await client.get("/api/v1/me/notifications?limit=2", headers=headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [n["kind"] for n in page["items"]] == ["completed", "approved"]
    assert page["items"][0]["title"] == f"Application {application['receipt_code']} completed"
    rest = await client.get(
        f"/api/v1/me/notifications?limit=2&cursor={page['next_cursor']}", headers=headers
    )
    assert [n["kind"] for n in rest.json()["items"]] == ["received"]
    assert rest.json()["next_cursor"] is None

    marked = await client.post(
        "/api/v1/me/notifications/read", json={"ids": [page["items"][0]["id"]]}, headers=headers
    )
    assert marked.json() == {"marked_read": 1}
    unread = await client.get("/api/v1/me/notifications?unread=true", headers=headers)
    assert [n["kind"] for n in unread.json()["items"]] == ["approved", "received"]
    everything = await client.post(
        "/api/v1/me/notifications/read", json={"all": True}, headers=headers
    )
    assert everything.json() == {"marked_read": 2}
    none_left = await client.get("/api/v1/me/notifications?unread=true", headers=headers)
    assert none_left.json()["items"] == []
    neither = await client.post("/api/v1/me/notifications/read", json={}, headers=headers)
    assert problem(neither, 422, "validation-failed")["errors"][0]["code"] == "ids_or_all"
    # Someone else's inbox is not reachable.
    _, stranger = await citizen(db, settings)
    assert (await client.get("/api/v1/me/notifications", headers=stranger)).json()["items"] == []


async def _another_event(db: asyncpg.Connection, application_id: str) -> uuid.UUID:
    event_id: uuid.UUID = await db.fetchval(
        "INSERT INTO events (application_id, seq, type, payload) VALUES ($1,"
        " (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1),"
        " 'test.marker', '{}') RETURNING id",
        uuid.UUID(application_id),
    )
    return event_id
