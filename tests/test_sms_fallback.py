"""SMS fall-back: a citizen without working push gets exactly one SMS at a loopback gateway
for what they must not miss (here a supplement request), in plain letters in one segment;
none for a step they may miss, none when a push was delivered, one when their only device
refused the message for good. Real PostgreSQL, Redis and an in-process arq worker (relay,
fan-out, push and SMS jobs)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from arq.worker import create_worker

from api.applications.state_machine import STATUSES
from api.clients.sms import HttpSmsGateway
from api.core.jobs import redis_settings
from api.notifications.texts import SMS_SEGMENT_CHARS, sms_text, without_diacritics
from api.settings import Settings
from tests import test_push_delivery, test_sms_delivery
from tests.push_receiver import Device, PushReceiver
from tests.support import citizen, staff
from tests.test_applications import events_keep_their_contract, submitted  # noqa: F401
from tests.test_processing import moved
from tests.test_push_delivery import _relaying, drained, eventually, subscribe
from tests.test_sms_delivery import GATEWAY_TOKEN, LoopbackSmsGateway
from workers.main import WorkerSettings
from workers.sms_fallback import send_sms_fallback

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

# Fixtures: the loopback push service and SMS gateway.
receiver = test_push_delivery.receiver
redis = test_push_delivery.redis
gateway = test_sms_delivery.gateway
MISSING = [{"requirement": "GIAY_CHUNG_SINH", "reason": "Ảnh bị mờ"}]


@pytest.fixture
async def sms_worker(
    settings: Settings, redis: Any, gateway: LoopbackSmsGateway
) -> AsyncIterator[dict[str, Any]]:
    arq_worker = create_worker(
        WorkerSettings,
        redis_settings=redis_settings(settings.redis_url),
        ctx={
            "settings": settings,
            "sms": HttpSmsGateway(gateway.url, GATEWAY_TOKEN, timeout=5),
            "sms_retry_step_seconds": 0.05,
            "push_retry_base_seconds": 0.05,
            "relay_poll_seconds": 30,
        },
        cron_jobs=None,
        poll_delay=0.02,
        handle_signals=False,
    )
    running = asyncio.create_task(arq_worker.async_run())
    try:
        await eventually(lambda: _relaying(arq_worker.ctx))
        yield arq_worker.ctx
        await eventually(lambda: drained(redis))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await arq_worker.close()


async def phone_of(db: asyncpg.Connection, citizen_id: uuid.UUID) -> str:
    phone: str = await db.fetchval("SELECT phone FROM citizens WHERE id = $1", citizen_id)
    return phone


async def up_to_supplement(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    headers: dict[str, str],
    officer: dict[str, str],
    *,
    after_received: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Submitted, received, processing, supplement requested; ``after_received`` runs between
    the first two steps of the office (the pushes of two steps queued within one poll of the
    worker may go out in either order)."""
    application = await submitted(client, db, headers)
    application = await moved(client, officer, application, "receive", "received")
    if after_received is not None:
        await after_received()
    application = await moved(client, officer, application, "start", "processing")
    return await moved(
        client,
        officer,
        application,
        "request_supplement",
        "supplement_requested",
        note="Bổ sung",
        missing_documents=MISSING,
    )


async def sms_deliveries(db: asyncpg.Connection, citizen_id: uuid.UUID) -> list[tuple[str, str]]:
    rows = await db.fetch(
        "SELECT n.kind, d.status FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.citizen_id = $1 AND d.channel = 'sms'",
        citizen_id,
    )
    return [(row["kind"], row["status"]) for row in rows]


async def test_a_citizen_without_push_gets_one_sms_for_what_they_must_not_miss(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    gateway: LoopbackSmsGateway,
    sms_worker: dict[str, Any],
) -> None:
    citizen_id, headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    phone = await phone_of(db, citizen_id)
    application = await up_to_supplement(client, db, headers, officer)

    async def one_sms() -> bool:
        return len(gateway.requests_for(phone)) >= 1

    await eventually(one_sms)
    # Checks that run again (arq runs a job at least once) send nothing more.
    [note_id] = await db.fetch(
        "SELECT id FROM notifications WHERE citizen_id = $1 AND kind = 'supplement_requested'",
        citizen_id,
    )
    for _ in range(2):
        assert await send_sms_fallback(sms_worker, str(note_id["id"])) == "already-sent"
    [sent] = gateway.requests_for(phone)
    code = application["receipt_code"]
    assert sent.body["id"] == f"notification:{note_id['id']}"
    assert sent.authorization == f"Bearer {GATEWAY_TOKEN}"
    assert sent.body["text"] == (
        f"Mot Cua: Ho so {code} can bo sung giay to (Cho bo sung ho so)."
        " Mo ung dung Mot Cua de xem chi tiet."
    )
    assert sent.body["text"].isascii() and len(sent.body["text"]) <= SMS_SEGMENT_CHARS
    # Received, processing started: steps a citizen may miss are not texted.
    assert await sms_deliveries(db, citizen_id) == [("supplement_requested", "delivered")]
    assert len(gateway.requests_for(phone)) == 1


async def test_no_sms_when_push_was_delivered_and_one_when_the_only_device_refused(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    gateway: LoopbackSmsGateway,
    receiver: PushReceiver,
    sms_worker: dict[str, Any],
) -> None:
    _, officer = await staff(db, settings)
    pushed_id, pushed_headers = await citizen(db, settings)
    refused_id, refused_headers = await citizen(db, settings)
    await db.execute("UPDATE citizens SET language = 'en' WHERE id = $1", refused_id)
    working, refusing = receiver.device(), receiver.device()
    await subscribe(client, pushed_headers, working)
    await subscribe(client, refused_headers, refusing)

    await up_to_supplement(client, db, pushed_headers, officer)
    receiver.script(refusing, 201, 403)  # "received" arrives; the supplement request is refused

    async def received_arrived() -> None:
        await eventually(lambda: _pushed(receiver, refusing, "received"))

    refused_app = await up_to_supplement(
        client, db, refused_headers, officer, after_received=received_arrived
    )

    async def refused_texted() -> bool:
        return len(gateway.requests_for(await phone_of(db, refused_id))) >= 1

    await eventually(refused_texted)

    async def pushed_done() -> bool:
        return any(
            r.answered == 201 and r.payload and r.payload["kind"] == "supplement_requested"
            for r in receiver.for_device(working)
        )

    await eventually(pushed_done)
    await eventually(lambda: drained(sms_worker["redis"]))
    assert gateway.requests_for(await phone_of(db, pushed_id)) == []
    assert await sms_deliveries(db, pushed_id) == []
    [sent] = gateway.requests_for(await phone_of(db, refused_id))
    assert sent.body["text"].startswith(
        f"Mot Cua: application {refused_app['receipt_code']} needs more documents"
    )
    assert await sms_deliveries(db, refused_id) == [("supplement_requested", "delivered")]


async def _pushed(receiver: PushReceiver, device: Device, kind: str) -> bool:
    return any(r.payload and r.payload["kind"] == kind for r in receiver.for_device(device))


def test_sms_texts_fit_one_gsm_segment_in_both_languages_with_any_status() -> None:
    for kind in ("returned", "supplement_requested", "result_issued", "due_date_changed"):
        for status in STATUSES:
            for language in ("vi", "en"):
                params = {
                    "receipt_code": "00004-261123-0007-K3X",
                    "status": status,
                    "due_date": "2026-12-02",
                }
                text = sms_text(kind, params, language)  # type: ignore[arg-type]
                assert text.isascii() and len(text) <= SMS_SEGMENT_CHARS, (kind, language, text)
    assert without_diacritics("Đã tiếp nhận hồ sơ") == "Da tiep nhan ho so"
