"""Work leases: an officer checks applications of their unit out to one device for offline
work (docs/sync.md §6). While a lease is in force, a move by anyone else who processes files
(another officer, an administrator, an agency system) is refused: online with 409
``application-leased``, in a push as a ``conflict``. The holder's own moves, from any of their
devices or online, pass; citizens' own moves (withdraw, resubmit, confirm receipt) are theirs
to make and reach the holder's device as a version conflict.

A lease ends at ``expires_at`` (the database clock decides), when released, or when its device
is revoked. ``refuse_move_if_leased`` is called by ``ProcessingService.move`` with the
application's row locked, so no path that changes a status can pass a lease by.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg

from api.applications.access import application_in_scope
from api.core.actors import Actor
from api.core.clock import VN_TZ
from api.core.problems import NotFound
from api.sync.devices import Device
from api.sync.lease_holder import LeaseHolder
from api.sync.problems import ApplicationLeased
from api.sync.schemas import LeaseAnswer, LeaseRead, LeaseRequest, LeaseResult

# Kinds of actor a lease holds back: those who process files. Citizens and the scheduler's
# own jobs are not "someone else working on the file".
_BOUND_KINDS = frozenset({"staff", "api_key"})

_IN_FORCE = """
SELECT l.id, l.application_id, l.device_id, l.staff_id, s.full_name, l.taken_at, l.expires_at,
       l.released_at
FROM sync_leases l
JOIN sync_devices d ON d.id = l.device_id
JOIN staff s ON s.id = l.staff_id
WHERE l.application_id = ANY($1::uuid[]) AND l.released_at IS NULL AND l.expires_at > now()
  AND d.revoked_at IS NULL
"""

_LEASE = """
SELECT l.id, l.application_id, l.device_id, l.staff_id, s.full_name, l.taken_at, l.expires_at,
       l.released_at
FROM sync_leases l JOIN staff s ON s.id = l.staff_id
WHERE l.id = $1
"""

_TAKE = """
INSERT INTO sync_leases (application_id, device_id, staff_id, expires_at)
VALUES ($1, $2, $3, now() + $4::interval)
RETURNING id
"""

_RELEASE = """
UPDATE sync_leases SET released_at = now() WHERE id = $1 AND released_at IS NULL
"""


def holder_of(row: asyncpg.Record) -> LeaseHolder:
    return LeaseHolder(
        lease_id=row["id"],
        holder_id=row["staff_id"],
        holder_name=row["full_name"],
        expires_at=row["expires_at"],
    )


def _read(row: asyncpg.Record) -> LeaseRead:
    return LeaseRead(
        lease_id=row["id"],
        application_id=row["application_id"],
        device_id=row["device_id"],
        holder_id=row["staff_id"],
        holder_name=row["full_name"],
        taken_at=row["taken_at"],
        expires_at=row["expires_at"],
        released_at=row["released_at"],
    )


async def leases_in_force(
    conn: asyncpg.Connection, application_ids: list[uuid.UUID]
) -> dict[uuid.UUID, asyncpg.Record]:
    """The lease in force on each of these applications that has one."""
    if not application_ids:
        return {}
    rows = await conn.fetch(_IN_FORCE, application_ids)
    return {row["application_id"]: row for row in rows}


async def lease_holders(
    conn: asyncpg.Connection, application_ids: list[uuid.UUID]
) -> dict[uuid.UUID, LeaseHolder]:
    """Who holds each of these applications, and until when (read models show it)."""
    found = await leases_in_force(conn, application_ids)
    return {application_id: holder_of(row) for application_id, row in found.items()}


async def refuse_move_if_leased(
    conn: asyncpg.Connection, actor: Actor, application_id: uuid.UUID
) -> None:
    """Raise ``ApplicationLeased`` when someone other than the holder would move a leased
    application. The caller holds the application's row lock (leases are taken under it)."""
    if actor.kind not in _BOUND_KINDS:
        return
    lease = (await leases_in_force(conn, [application_id])).get(application_id)
    if lease is None or lease["staff_id"] == actor.id:
        return
    until: datetime = lease["expires_at"]
    raise ApplicationLeased(
        lease=holder_of(lease),
        params={
            "holder": lease["full_name"],
            "until": until.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y"),
        },
    )


class LeaseService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def take(self, actor: Actor, device: Device, body: LeaseRequest) -> LeaseResult:
        """Lease each application to this device, or say who holds it. Idempotent by (device,
        application): a retried request answers with the lease this device already holds.
        One application out of the officer's reach refuses the whole request (404)."""
        duration = timedelta(hours=body.hours)
        answers: dict[uuid.UUID, LeaseAnswer] = {}
        async with self._conn.transaction():
            # Sorted: two requests over overlapping sets lock rows in the same order.
            for application_id in sorted(set(body.application_ids)):
                await application_in_scope(self._conn, actor, application_id, for_update=True)
                held = (await leases_in_force(self._conn, [application_id])).get(application_id)
                if held is None:
                    lease_id = await self._conn.fetchval(
                        _TAKE, application_id, device.id, actor.id, duration
                    )
                    held = await self._conn.fetchrow(_LEASE, lease_id)
                    assert held is not None
                answers[application_id] = LeaseAnswer(
                    application_id=application_id,
                    outcome="leased" if held["device_id"] == device.id else "held",
                    lease=_read(held),
                )
        return LeaseResult(leases=[answers[i] for i in dict.fromkeys(body.application_ids)])

    async def release(self, actor: Actor, lease_id: uuid.UUID) -> LeaseRead:
        """End one of the officer's leases early (from any of their devices); releasing it again
        answers the same. Another officer's lease is not found (404)."""
        async with self._conn.transaction():
            row = await self._conn.fetchrow(_LEASE + " FOR UPDATE OF l", lease_id)
            if row is None or row["staff_id"] != actor.id:
                raise NotFound(entry="sync.problems.lease-not-found")
            await self._conn.execute(_RELEASE, lease_id)
            released = await self._conn.fetchrow(_LEASE, lease_id)
            assert released is not None
            return _read(released)
