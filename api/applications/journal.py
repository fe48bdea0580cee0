"""The audit log and the event outbox. Both are written inside the caller's transaction, so a
change, its audit row and its event commit or roll back together."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

from api.applications.events import EventBase, event_payload, event_type
from api.core.actors import Actor
from api.core.logging import request_id_var
from api.core.outbox import event_written


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """Who did what, for an audit row a repository writes in the same statement as the
    change (the application, unit and statuses come from the changed row)."""

    actor: Actor
    action: str
    request_id: str | None
    device_time: datetime | None = None
    note: str | None = None


_INSERT_AUDIT = """
INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id, unit_code,
                       from_status, to_status, note, request_id, device_time)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
"""

# The caller holds the application's row lock, so max(seq) + 1 cannot race.
_NEXT_SEQ = """
SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1
"""

_INSERT_EVENT = """
INSERT INTO events (application_id, seq, type, payload) VALUES ($1, $2, $3, $4)
"""


async def write_audit(
    conn: asyncpg.Connection,
    actor: Actor,
    action: str,
    *,
    application_id: uuid.UUID | None = None,
    unit_code: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    device_time: datetime | None = None,
) -> None:
    await conn.execute(
        _INSERT_AUDIT,
        actor.kind,
        actor.id,
        actor.role,
        action,
        application_id,
        unit_code,
        from_status,
        to_status,
        note,
        request_id_var.get(),
        device_time,
    )


async def next_event_seq(conn: asyncpg.Connection, application_id: uuid.UUID) -> int:
    """The ``seq`` of the application's next event (the caller holds its row lock)."""
    seq: int = await conn.fetchval(_NEXT_SEQ, application_id)
    return seq


async def write_event(conn: asyncpg.Connection, event: EventBase) -> None:
    """Append an outbox event, numbered by ``next_event_seq`` in the same transaction. The
    unit of work wakes the relay once it is over (``api.core.outbox``)."""
    await conn.execute(
        _INSERT_EVENT,
        event.application_id,
        event.seq,
        event_type(type(event)),
        event_payload(event),
    )
    event_written()
