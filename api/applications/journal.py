"""The audit log and the event outbox. Both are written inside the caller's transaction, so a
change, its audit row and its event commit or roll back together."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from api.core.actors import Actor
from api.core.logging import request_id_var

_INSERT_AUDIT = """
INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id, unit_code,
                       from_status, to_status, note, request_id, device_time)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
"""

# The caller holds the application's row lock, so max(seq) + 1 cannot race.
_INSERT_EVENT = """
INSERT INTO events (application_id, seq, type, payload)
VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1), $2, $3)
RETURNING id, seq
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


async def write_event(
    conn: asyncpg.Connection,
    application_id: uuid.UUID,
    event_type: str,
    payload: dict[str, Any],
) -> tuple[uuid.UUID, int]:
    """Append an outbox event; ``payload`` must name the citizen and the unit for consumers."""
    row = await conn.fetchrow(_INSERT_EVENT, application_id, event_type, payload)
    assert row is not None
    return row["id"], row["seq"]
