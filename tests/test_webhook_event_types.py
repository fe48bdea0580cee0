"""Every event type the relay fans out reaches an agency's endpoint, correctly signed: each is
written to the outbox the way the app writes it (``journal.write_event`` in a transaction
holding the application's row lock, numbered by ``next_event_seq``), queued as the relay
queues it (``fan_out_webhooks`` under its job id), fanned out and delivered by a real worker,
and verified by the loopback receiver with the reference ``standardwebhooks`` package."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from api.applications.events import (
    EVENT_TYPES,
    Approved,
    Completed,
    Created,
    DueDateChanged,
    DueSoon,
    EventBase,
    Overdue,
    ProcessingStarted,
    Received,
    Rejected,
    Resubmitted,
    ResultIssued,
    Returned,
    Submitted,
    SupplementRequested,
    Withdrawn,
    event_type,
)
from api.applications.journal import next_event_seq, write_event
from api.applications.schemas import MissingDocument
from api.settings import Settings
from api.webhooks.fanout import FANOUT_FUNCTION, fanout_job_id
from tests.test_applications import submitted
from tests.test_webhook_delivery import Agency, agency, redis, register, run_worker
from tests.webhook_receiver import LoopbackReceiver

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

__all__ = ["agency", "redis"]  # fixtures used by name below

DUE = date(2026, 12, 15)

# One event of each type, as the moves and the SLA watch write them: (class, its own fields).
STATUS_CHANGES: list[tuple[type[EventBase], dict[str, Any]]] = [
    (Created, {"from_status": None, "to_status": "draft", "actor_kind": "citizen"}),
    (Submitted, {"from_status": "draft", "to_status": "submitted", "actor_kind": "citizen"}),
    (Returned, {"from_status": "submitted", "to_status": "returned", "note": "Thiếu chữ ký"}),
    (Resubmitted, {"from_status": "returned", "to_status": "submitted", "actor_kind": "citizen"}),
    (Received, {"from_status": "submitted", "to_status": "received"}),
    (ProcessingStarted, {"from_status": "received", "to_status": "processing"}),
    (
        SupplementRequested,
        {
            "from_status": "processing",
            "to_status": "supplement_requested",
            "missing_documents": [MissingDocument(requirement="CCCD", reason="Ảnh mờ")],
        },
    ),
    (
        DueDateChanged,
        {
            "from_status": "processing",
            "to_status": "processing",
            "note": "Xin lỗi vì chậm trễ",
            "previous_due_date": DUE - timedelta(days=5),
        },
    ),
    (Approved, {"from_status": "processing", "to_status": "approved"}),
    (Rejected, {"from_status": "processing", "to_status": "rejected", "note": "Không đủ"}),
    (ResultIssued, {"from_status": "approved", "to_status": "result_issued"}),
    (Completed, {"from_status": "result_issued", "to_status": "completed"}),
    (Withdrawn, {"from_status": "submitted", "to_status": "withdrawn", "actor_kind": "citizen"}),
]
SLA_NOTICES: list[tuple[type[EventBase], dict[str, Any]]] = [
    (DueSoon, {"status": "processing"}),
    (Overdue, {"status": "processing"}),
]


async def write_each_type(db: asyncpg.Connection, application_id: uuid.UUID) -> list[EventBase]:
    """One event of every type for the application, each in its own transaction under the
    application's row lock, as ``ProcessingService.move`` and the SLA watch write theirs."""
    written: list[EventBase] = []
    for cls, fields in STATUS_CHANGES + SLA_NOTICES:
        async with db.transaction():
            row = await db.fetchrow(
                "SELECT * FROM applications WHERE id = $1 FOR UPDATE", application_id
            )
            common: dict[str, Any] = {
                "application_id": application_id,
                "seq": await next_event_seq(db, application_id),
                "receipt_code": row["receipt_code"],
                "procedure_code": row["procedure_code"],
                "unit_code": row["unit_code"],
                "citizen_id": row["citizen_id"],
                "channel": row["channel"],
                "version": row["version"],
                "occurred_at": datetime.now(UTC),
                "due_date": DUE,
            }
            if cls not in (DueSoon, Overdue):
                citizen = fields.get("actor_kind") == "citizen"
                common |= {"actor_kind": "staff", "actor_role": "citizen" if citizen else "officer"}
            event = cls(**(common | fields))
            await write_event(db, event)
        written.append(event)
    return written


async def test_every_event_type_arrives_correctly_signed_with_its_type_and_data(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    agency: Agency,
) -> None:
    assert {event_type(cls) for cls, _ in STATUS_CHANGES + SLA_NOTICES} == EVENT_TYPES
    with LoopbackReceiver() as receiver:
        endpoint = await register(client, agency, receiver, sorted(EVENT_TYPES))
        application = await submitted(client, db, agency.citizen)
        events = await write_each_type(db, uuid.UUID(application["id"]))
        ids = {
            event.seq: await db.fetchval(
                "SELECT id FROM events WHERE application_id = $1 AND seq = $2",
                event.application_id,
                event.seq,
            )
            for event in events
        }
        # What the outbox relay queues per event (workers/relay.py EVENT_JOBS).
        for event_id in ids.values():
            await redis.enqueue_job(FANOUT_FUNCTION, str(event_id), _job_id=fanout_job_id(event_id))
        await run_worker(settings)

    by_id = {request.webhook_id: request for request in receiver.requests}
    assert len(receiver.requests) == len(events) == len(by_id)
    for event in events:
        request = by_id[str(ids[event.seq])]
        assert request.verified_with == [0] and request.answered == 200
        expected = msgspec.json.decode(msgspec.json.encode(event))
        del expected["type"]
        assert request.payload == {
            "type": event_type(type(event)),
            "timestamp": expected["occurred_at"],
            "data": expected,
        }
    statuses = await db.fetch(
        "SELECT status, count(*) FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY status",
        uuid.UUID(endpoint["id"]),
    )
    assert {row["status"]: row["count"] for row in statuses} == {"delivered": len(events)}
