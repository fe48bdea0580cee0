"""Webhook endpoints of an agency: the secret shown once and stored sealed, the URL and event
type checks, changes, rotation, deletion, and nothing reachable from another agency."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from api.settings import Settings
from tests.conftest import problem
from tests.support import staff

WEBHOOKS = "/api/v1/agency/webhooks"


async def test_an_agency_admin_manages_endpoints_of_their_agency_only(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, admin = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code="UBX00004"
    )
    _, other = await staff(db, settings, role="agency_admin", unit_code=None, agency_code="UBT01")
    _, officer = await staff(db, settings)
    body = {
        "url": "http://127.0.0.1:9/hooks",
        "event_types": ["application.received"],
        "description": "LR",
    }
    problem(await client.post(WEBHOOKS, json=body, headers=officer), 403, "forbidden")

    created = await client.post(WEBHOOKS, json=body, headers=admin)
    assert created.status_code == 201, created.text
    endpoint = created.json()
    secret = endpoint["secret"]
    assert secret.startswith("whsec_") and len(secret) >= 6 + 32
    stored = await db.fetchrow(
        "SELECT * FROM webhook_endpoints WHERE id = $1", uuid.UUID(endpoint["id"])
    )
    assert secret not in str(dict(stored)) and secret[6:] not in str(dict(stored))
    url = f"{WEBHOOKS}/{endpoint['id']}"
    assert "secret" not in (await client.get(url, headers=admin)).json()
    assert endpoint["id"] in {e["id"] for e in (await client.get(WEBHOOKS, headers=admin)).json()}

    for outsider_call in (
        client.get(url, headers=other),
        client.patch(url, json={"enabled": False}, headers=other),
        client.post(f"{url}/rotate-secret", headers=other),
        client.get(f"{url}/deliveries", headers=other),
        client.delete(url, headers=other),
    ):
        problem(await outsider_call, 404, "not-found")

    changed = await client.patch(
        url,
        json={"enabled": False, "event_types": ["application.approved", "application.rejected"]},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["enabled"] is False and changed.json()["disabled_reason"] == "manual"
    assert changed.json()["event_types"] == ["application.approved", "application.rejected"]
    on = (await client.patch(url, json={"enabled": True}, headers=admin)).json()
    assert on["enabled"] is True and on["disabled_reason"] is None

    rotated = (await client.post(f"{url}/rotate-secret", headers=admin)).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != secret
    assert (await client.get(url, headers=admin)).json()["previous_secret_expires_at"]

    assert (await client.delete(url, headers=admin)).status_code == 204
    problem(await client.get(url, headers=admin), 404, "not-found")


async def test_bad_urls_and_unknown_event_types_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, admin = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code="UBX00004"
    )
    cases = [
        (
            {"url": "http://10.0.0.1/", "event_types": ["application.received"]},
            "url",
            "webhook_url_not_https",
        ),
        (
            {"url": "https://u:p@example.vn/", "event_types": ["application.received"]},
            "url",
            "webhook_url_invalid",
        ),
        (
            {"url": "https://example.vn/", "event_types": ["application.eaten"]},
            "event_types[0]",
            "unknown_event_type",
        ),
    ]
    for body, path, code in cases:
        refused = problem(
            await client.post(WEBHOOKS, json=body, headers=admin), 422, "validation-failed"
        )
        assert [(e["path"], e["code"]) for e in refused["errors"]] == [(path, code)], refused
    problem(
        await client.post(
            WEBHOOKS, json={"url": "https://example.vn/", "event_types": []}, headers=admin
        ),
        422,
    )
