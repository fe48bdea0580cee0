"""The pull: the officer's unit's applications and the officer's own notifications changed
since a cursor, in commit order, through the change feed (``api.core.changes.read_changes``,
one read per feed), plus the reference data a device needs offline when it changed. Without a
cursor the same read is the paginated snapshot: the feed hands every row out once, at its
latest position.

A cursor holds both feed positions, the unit, the officer, the reference version the device
holds, the database cluster it was made on and when it was made; one that cannot be served any
more is the 410 ``sync-cursor-expired`` problem, and the device pulls a fresh snapshot.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import defaultdict
from typing import Any

import asyncpg
import msgspec

from api.applications.repository import ApplicationRepository
from api.applications.schemas import DocumentSummary, OfficerNote, TimelineEntry
from api.applications.state_machine import allowed_actions, parties_of
from api.applications.views import officer_notes
from api.core.actors import Actor
from api.core.changes import FeedPosition, read_changes
from api.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from api.notifications.service import InboxService
from api.sync.lease_holder import LeaseHolder
from api.sync.leases import lease_holders
from api.sync.problems import SyncCursorExpired
from api.sync.repository import SyncRepository
from api.sync.schemas import (
    PullPage,
    Reference,
    ReferenceDay,
    ReferenceProcedure,
    ReferenceUnit,
    SyncApplication,
)

# sync2: the officer and a second feed position (their notifications) joined the cursor; a
# sync1 cursor is an older protocol's and is answered 410.
_CURSOR_TAG = "sync2"
# A device away longer than this re-downloads its work set: its reference data and any
# decisions it holds are too old to trust, and the server need not keep old formats alive.
CURSOR_MAX_AGE_SECONDS = 90 * 24 * 3600

# tag, cluster, unit, officer, applications' position, notifications' position, reference
# version, issued at (seconds)
_CursorShape = tuple[str, int, str, str, int, int, int, int, str, int]


class _Cursor(msgspec.Struct, frozen=True):
    applications: FeedPosition
    notifications: FeedPosition
    reference_version: str


def _private(row: asyncpg.Record) -> bool:
    """A citizen's online draft stays theirs until they submit it (as in access.py)."""
    return bool(row["status"] == "draft" and row["channel"] == "online")


class PullService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = SyncRepository(conn)

    async def pull(self, actor: Actor, *, cursor: str | None, limit: int) -> PullPage:
        # One snapshot for the whole page: the feed's watermark and every read (the rows, their
        # documents, timelines and leases, the notifications) see the same committed state, so
        # a record never carries a lease or a document from after its feed position and then
        # comes again, identical, at its next position. (The feed stays exact: transactions
        # below the snapshot's xmin are finished, and so visible in it.)
        async with self._conn.transaction(isolation="repeatable_read", readonly=True):
            return await self._page(actor, cursor=cursor, limit=limit)

    async def _page(self, actor: Actor, *, cursor: str | None, limit: int) -> PullPage:
        unit_code = actor.unit_code
        assert unit_code is not None, "officers have a unit"
        cluster = await self._repo.cluster_id()
        known = self._decode(cursor, cluster, unit_code, actor.id)
        reference = await self.reference(unit_code)
        applications = await read_changes(
            self._conn,
            "applications",
            known.applications if known else None,
            limit=limit,
            where={"unit_code": unit_code},
        )
        # The officer's own notifications only: the feed is filtered on the recipient.
        notifications = await read_changes(
            self._conn,
            "notifications",
            known.notifications if known else None,
            limit=limit,
            where={"recipient": actor.id},
        )
        rows = [change.row for change in applications.changes if not _private(change.row)]
        next_cursor = encode_cursor(
            _CURSOR_TAG,
            cluster,
            unit_code,
            str(actor.id),
            applications.position.xid,
            applications.position.seq,
            notifications.position.xid,
            notifications.position.seq,
            reference.version,
            int(time.time()),
        )
        changed_reference = known is None or known.reference_version != reference.version
        return PullPage(
            applications=await self.work_set(rows),
            notifications=await InboxService(self._conn).of_ids(
                actor, [change.row["id"] for change in notifications.changes]
            ),
            reference=reference if changed_reference else None,
            next_cursor=next_cursor,
            has_more=not (applications.caught_up and notifications.caught_up),
        )

    def _decode(
        self, cursor: str | None, cluster: int, unit_code: str, officer: uuid.UUID
    ) -> _Cursor | None:
        raw = decode_cursor(cursor, list[Any])
        if raw is None:
            return None
        if not raw or raw[0] != _CURSOR_TAG:
            raise SyncCursorExpired()  # an older protocol's cursor
        try:
            (
                _,
                made_on,
                unit,
                made_for,
                app_xid,
                app_seq,
                note_xid,
                note_seq,
                version,
                issued_at,
            ) = msgspec.convert(raw, _CursorShape)
            applications = FeedPosition(xid=app_xid, seq=app_seq)
            notifications = FeedPosition(xid=note_xid, seq=note_seq)
        except (msgspec.ValidationError, TypeError, ValueError):
            raise invalid_cursor() from None
        # Another cluster's positions mean nothing here; another unit's or officer's cursor
        # would skip what this one has not seen.
        if made_on != cluster or unit != unit_code or made_for != str(officer):
            raise SyncCursorExpired()
        if time.time() - issued_at > CURSOR_MAX_AGE_SECONDS:
            raise SyncCursorExpired()
        return _Cursor(
            applications=applications, notifications=notifications, reference_version=version
        )

    async def work_set(self, rows: list[asyncpg.Record]) -> list[SyncApplication]:
        ids: list[uuid.UUID] = [row["id"] for row in rows]
        if not ids:
            return []
        documents: dict[uuid.UUID, list[DocumentSummary]] = defaultdict(list)
        for doc in await self._repo.documents_of(ids):
            documents[doc["application_id"]].append(
                DocumentSummary(
                    id=doc["id"],
                    requirement=doc["requirement"],
                    kind=doc["kind"],
                    status=doc["status"],
                    content_type=doc["content_type"],
                    size=doc["size"],
                )
            )
        timelines: dict[uuid.UUID, list[TimelineEntry]] = defaultdict(list)
        for entry in await self._repo.timelines_of(ids):
            timelines[entry["application_id"]].append(
                TimelineEntry(
                    status=entry["status"],
                    at=entry["at"],
                    actor_role=entry["actor_role"],
                    note=entry["note"],
                )
            )
        leases = await lease_holders(self._conn, ids)
        notes = await officer_notes(ApplicationRepository(self._conn), ids)
        return [
            work_set_record(
                row,
                documents[row["id"]],
                timelines[row["id"]],
                lease=leases.get(row["id"]),
                notes=notes[row["id"]],
            )
            for row in rows
        ]

    async def reference(self, unit_code: str) -> Reference:
        unit = await self._repo.reference_unit(unit_code)
        assert unit is not None, "an officer's unit exists"
        procedures = [
            ReferenceProcedure(**dict(row))
            for row in await self._repo.reference_procedures(unit["level"])
        ]
        calendar = [ReferenceDay(**dict(row)) for row in await self._repo.reference_calendar()]
        unit_record = ReferenceUnit(**dict(unit))
        version = hashlib.sha256(
            msgspec.msgpack.encode([unit_record, procedures, calendar])
        ).hexdigest()[:16]
        return Reference(
            version=version, unit=unit_record, procedures=procedures, calendar=calendar
        )


def work_set_record(
    row: asyncpg.Record,
    documents: list[DocumentSummary],
    timeline: list[TimelineEntry],
    *,
    lease: LeaseHolder | None,
    notes: list[OfficerNote],
) -> SyncApplication:
    """One application as a device keeps it (``row`` holds the applications columns)."""
    return SyncApplication(
        id=row["id"],
        version=row["version"],
        status=row["status"],
        receipt_code=row["receipt_code"],
        procedure_code=row["procedure_code"],
        channel=row["channel"],
        applicant=row["applicant"],
        form=row["form"],
        submitted_at=row["submitted_at"],
        received_on=row["received_on"],
        due_date=row["due_date"],
        clock_paused_on=row["clock_paused_on"],
        completed_at=row["completed_at"],
        updated_at=row["updated_at"],
        allowed_actions=allowed_actions(row["status"], parties_of("staff", row["channel"])),
        documents=documents,
        timeline=timeline,
        lease=lease,
        notes=notes,
    )


async def current_record(conn: asyncpg.Connection, application_id: uuid.UUID) -> SyncApplication:
    """An application's record as a pull would give it now (the state a conflict reports)."""
    row = await SyncRepository(conn).application_row(application_id)
    (record,) = await PullService(conn).work_set([row])
    return record
