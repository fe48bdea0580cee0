"""Webhook delivery end to end: an application's event → the fan-out (called as the outbox
relay will call it) → arq jobs → a real worker → a real receiver on loopback that verifies
every request with the reference ``standardwebhooks`` package. The schedule is compressed
through the worker context; production keeps the Standard Webhooks one."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from arq.worker import create_worker
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.clients.webhooks import WebhookSender
from api.core.changes import read_changes
from api.core.jobs import job_pool, redis_settings
from api.settings import Settings
from api.webhooks.fanout import enqueue_webhook_deliveries
from tests.support import citizen, staff
from tests.test_applications import commune_codes, submitted
from tests.webhook_receiver import LoopbackReceiver
from workers.main import WorkerSettings

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

WEBHOOKS = "/api/v1/agency/webhooks"
ALL_TYPES = [
    "application.submitted",
    "application.received",
    "application.processing_started",
    "application.withdrawn",
]
_communes = itertools.count(20)


@pytest.fixture
def receiver() -> Iterator[LoopbackReceiver]:
    with LoopbackReceiver() as server:
        yield server


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Any]:
    pool = job_pool(settings.redis_url)
    try:
        yield pool
    finally:
        await pool.aclose()


class Agency:
    """An agency of its own commune (so other tests' endpoints never see its events)."""

    def __init__(self, commune: str, admin: dict[str, str], citizen: dict[str, str]) -> None:
        self.commune = commune
        self.admin = admin
        self.citizen = citizen


@pytest.fixture
async def agency(db: asyncpg.Connection, settings: Settings) -> Agency:
    commune = (await commune_codes(db, "01", 60))[next(_communes)]
    _, admin = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code=f"UBX{commune}"
    )
    _, citizen_headers = await citizen(db, settings, commune_code=commune)
    return Agency(commune, admin, citizen_headers)


async def register(
    client: httpx.AsyncClient, agency: Agency, receiver: LoopbackReceiver, types: list[str]
) -> dict[str, Any]:
    response = await client.post(
        WEBHOOKS, json={"url": receiver.url, "event_types": types}, headers=agency.admin
    )
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    receiver.secrets.append(endpoint["secret"])
    return endpoint


async def fan_out(db: asyncpg.Connection, redis: Any, application_id: str) -> list[uuid.UUID]:
    """What the relay does per event: read the application's events through the change feed
    and hand each to the webhook fan-out. Returns the event ids."""
    where = {"application_id": uuid.UUID(application_id)}
    ids: list[uuid.UUID] = []
    deadline = time.monotonic() + 10
    after = None
    while True:
        page = await read_changes(db, "events", after, limit=100, where=where)
        for change in page.changes:
            await enqueue_webhook_deliveries(db, redis, change.row)
            ids.append(change.row["id"])
        after = page.position
        expected = await db.fetchval(
            "SELECT count(*) FROM events WHERE application_id = $1", where["application_id"]
        )
        if page.caught_up and (len(ids) >= expected or time.monotonic() > deadline):
            return ids
        await asyncio.sleep(0.02)


COMPRESSED_SCHEDULE = (0, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05)


async def run_worker(
    settings: Settings,
    *,
    timeout: float = 2.0,
    schedule: tuple[float, ...] = COMPRESSED_SCHEDULE,
    endpoint_slots: int = 4,
    busy_wait: float = 0.05,
) -> None:
    worker = create_worker(
        WorkerSettings,
        redis_settings=redis_settings(settings.redis_url),
        ctx={
            "settings": settings,
            # A burst worker drains the queue only, as ``python -m workers --burst`` does: the
            # tests queue the fan-out themselves, so the relay would only add the setup's events.
            "relay": False,
            "webhook_sender": WebhookSender(production=False, timeout=timeout),
            "webhook_schedule": schedule,
            "webhook_endpoint_slots": endpoint_slots,
            "webhook_busy_wait_seconds": busy_wait,
            "sms_retry_step_seconds": 0.05,
        },
        cron_jobs=None,
        burst=True,
        poll_delay=0.02,
        handle_signals=False,
    )
    try:
        await asyncio.wait_for(worker.async_run(), 60)
    finally:
        await worker.close()


async def delivery_rows(db: asyncpg.Connection, endpoint_id: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at",
        uuid.UUID(endpoint_id),
    )


async def test_a_submitted_application_reaches_the_receiver_once_correctly_signed(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
) -> None:
    endpoint = await register(client, agency, receiver, ["application.submitted"])
    assert endpoint["secret"].startswith("whsec_")
    application = await submitted(client, db, agency.citizen)
    [created_event, submitted_event] = await fan_out(db, redis, application["id"])
    # Fanning out again (a relay that runs twice) records and sends nothing new.
    await fan_out(db, redis, application["id"])
    await run_worker(settings)

    [request] = receiver.requests
    assert request.verified_with == [0] and request.answered == 200
    assert request.webhook_id == str(submitted_event)
    assert request.payload["type"] == "application.submitted"
    data = request.payload["data"]
    assert data["application_id"] == application["id"]
    assert data["receipt_code"] == application["receipt_code"]
    assert data["to_status"] == "submitted" and data["seq"] == 2
    assert request.payload["timestamp"] == data["occurred_at"]
    assert len(request.body.encode()) < 20_000
    assert "full_name" not in request.body and "phone" not in request.body
    [row] = await delivery_rows(db, endpoint["id"])
    assert row["status"] == "delivered" and row["event_id"] == submitted_event
    assert created_event not in {row["event_id"]}

    # Proof the receiver's check can fail: a changed body, an old timestamp, a wrong secret.
    hook = Webhook(endpoint["secret"])
    with pytest.raises(WebhookVerificationError):
        hook.verify(request.body.replace("submitted", "approved"), request.headers)
    old = datetime.now(UTC) - timedelta(minutes=10)
    stale = {
        **request.headers,
        "webhook-timestamp": str(int(old.timestamp())),
        "webhook-signature": hook.sign(request.webhook_id, old, request.body),
    }
    with pytest.raises(WebhookVerificationError):
        hook.verify(request.body, stale)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)


async def test_failures_are_retried_until_delivered_with_one_webhook_id(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
) -> None:
    endpoint = await register(client, agency, receiver, ["application.submitted"])
    receiver.answer_next(500, 503, 429, 0.5)  # the last: a stall past the 0.2 s time-out
    application = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, application["id"])
    await run_worker(settings, timeout=0.2)

    assert [r.answered for r in receiver.requests] == [500, 503, 429, -1, 200]
    assert len(set(receiver.ids())) == 1
    assert len(receiver.delivered_ids()) == 1
    log = (await client.get(f"{WEBHOOKS}/{endpoint['id']}/deliveries", headers=agency.admin)).json()
    [message] = log["items"]
    assert message["status"] == "delivered"
    assert [a["status_code"] for a in message["attempts"]] == [500, 503, 429, None, 200]
    assert [a["outcome"] for a in message["attempts"]] == ["retry"] * 4 + ["delivered"]
    assert message["attempts"][3]["error"] == "timeout"
    assert message["attempts"][-1]["response_excerpt"] == "ok"


async def test_400_fails_at_once_and_410_disables_the_endpoint(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
) -> None:
    endpoint = await register(client, agency, receiver, ALL_TYPES)
    receiver.answer_next(400, 410)
    first = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, first["id"])
    await run_worker(settings)
    assert [r.answered for r in receiver.requests] == [400]
    second = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, second["id"])
    await run_worker(settings)
    assert [r.answered for r in receiver.requests] == [400, 410]
    rows = await delivery_rows(db, endpoint["id"])
    assert [row["status"] for row in rows] == ["failed", "failed"]
    state = (await client.get(f"{WEBHOOKS}/{endpoint['id']}", headers=agency.admin)).json()
    assert state["enabled"] is False and state["disabled_reason"] == "gone"
    assert (
        await db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'agency.webhook.disabled' AND note = $1",
            f"{endpoint['id']} gone",
        )
        == 1
    )
    # A disabled endpoint gets no new messages.
    third = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, third["id"])
    await run_worker(settings)
    assert len(receiver.requests) == 2


async def test_during_a_rotation_a_receiver_with_either_secret_verifies(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
) -> None:
    endpoint = await register(client, agency, receiver, ["application.submitted"])
    rotated = await client.post(f"{WEBHOOKS}/{endpoint['id']}/rotate-secret", headers=agency.admin)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != endpoint["secret"]
    receiver.secrets.append(new_secret)
    application = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, application["id"])
    await run_worker(settings)
    [request] = receiver.requests
    assert request.verified_with == [0, 1]  # old only or new only: both verify
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    # After the overlap only the new secret signs.
    await db.execute(
        "UPDATE webhook_endpoints SET previous_secret_expires_at = now() WHERE id = $1",
        uuid.UUID(endpoint["id"]),
    )
    later = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, later["id"])
    await run_worker(settings)
    assert receiver.requests[-1].verified_with == [1]


async def test_a_replay_sends_the_same_webhook_id_again(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    receiver: LoopbackReceiver,
    agency: Agency,
) -> None:
    endpoint = await register(client, agency, receiver, ["application.submitted"])
    receiver.answer_next(*[500] * 10)  # every attempt of the compressed schedule fails
    application = await submitted(client, db, agency.citizen)
    await fan_out(db, redis, application["id"])
    await run_worker(settings)
    assert len(receiver.requests) == 10
    log_url = f"{WEBHOOKS}/{endpoint['id']}/deliveries"
    [failed] = (
        await client.get(log_url, params={"status": "failed"}, headers=agency.admin)
    ).json()["items"]
    assert len(failed["attempts"]) == 10

    replayed = await client.post(f"{log_url}/{failed['id']}/replay", headers=agency.admin)
    assert replayed.status_code == 202, replayed.text
    await run_worker(settings)
    assert receiver.requests[-1].answered == 200
    assert set(receiver.ids()) == {failed["webhook_id"]}
    # A replay of everything failed since a time finds nothing failed now.
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    again = await client.post(
        f"{WEBHOOKS}/{endpoint['id']}/replay", json={"since": since}, headers=agency.admin
    )
    assert again.json() == {"queued": 0}
    [delivered] = (await client.get(log_url, headers=agency.admin)).json()["items"]
    assert delivered["status"] == "delivered"
