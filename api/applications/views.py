"""The read model of applications: one application with its timeline, documents and the
actions open to the reader, and a citizen's own list."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from api.applications.access import application_in_scope
from api.applications.events import (
    DueDateChanged,
    EventBase,
    StatusChange,
    SupplementRequested,
)
from api.applications.journal import write_audit
from api.applications.repository import ApplicationRepository
from api.applications.schemas import (
    Applicant,
    ApplicationPage,
    ApplicationRead,
    ApplicationSummary,
    DocumentSummary,
    OfficerNote,
    SupplementRequest,
    TimelineEntry,
)
from api.applications.state_machine import allowed_actions, parties_of
from api.core.actors import Actor
from api.core.pagination import decode_cursor, encode_cursor
from api.sync.leases import lease_holders

logger = logging.getLogger("api.applications")


class ViewService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = ApplicationRepository(conn)

    async def detail(self, actor: Actor, application_id: uuid.UUID) -> ApplicationRead:
        """One application; a staff member opening it is a read of personal data, so audited."""
        async with self._conn.transaction():
            ref = await application_in_scope(self._conn, actor, application_id)
            if actor.kind != "citizen":
                await write_audit(
                    self._conn,
                    actor,
                    "application.read",
                    application_id=application_id,
                    unit_code=ref.unit_code,
                )
            row = await self._repo.application(application_id)
            view = await application_view(self._repo, actor, row)
            if actor.kind == "citizen":
                return view
            lease = (await lease_holders(self._conn, [application_id])).get(application_id)
            view = msgspec.structs.replace(view, lease=lease)
            if actor.kind != "staff":
                return view
            notes = await officer_notes(self._repo, [application_id])
            return msgspec.structs.replace(view, notes=notes[application_id])

    async def list_own(self, actor: Actor, *, cursor: str | None, limit: int) -> ApplicationPage:
        before = decode_cursor(cursor, tuple[datetime, uuid.UUID])
        rows = await self._repo.citizen_applications(actor.id, before=before, limit=limit + 1)
        items = [ApplicationSummary(**dict(row)) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = encode_cursor(last.created_at.isoformat(), str(last.id))
        return ApplicationPage(items=items, next_cursor=next_cursor)


async def application_view(
    repo: ApplicationRepository,
    actor: Actor,
    row: asyncpg.Record,
    *,
    events: Sequence[tuple[EventBase, datetime]] | None = None,
    documents: Sequence[Mapping[str, Any]] | None = None,
) -> ApplicationRead:
    """The full view of an application row (fetched by ``repository.application``). Its
    ``events`` and ``documents`` are read unless the caller knows them already (it has just
    written them)."""
    application_id: uuid.UUID = row["id"]
    if events is None:
        events = await repo.events(application_id)
    if documents is None:
        documents = await repo.documents(application_id)
    changes = [
        (event, recorded_at) for event, recorded_at in events if isinstance(event, StatusChange)
    ]
    return ApplicationRead(
        id=row["id"],
        receipt_code=row["receipt_code"],
        procedure_code=row["procedure_code"],
        procedure_name_vi=row["procedure_name_vi"],
        procedure_name_en=row["procedure_name_en"],
        unit_code=row["unit_code"],
        unit_name_vi=row["unit_name_vi"],
        unit_name_en=row["unit_name_en"],
        channel=row["channel"],
        status=row["status"],
        applicant=_applicant_of(row["id"], row["applicant"]),
        applicant_identity_verified=row["applicant_identity_verified"],
        form=row["form"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
        received_on=row["received_on"],
        due_date=row["due_date"],
        clock_paused_on=row["clock_paused_on"],
        completed_at=row["completed_at"],
        allowed_actions=allowed_actions(row["status"], parties_of(actor.kind, row["channel"])),
        supplement_request=_open_supplement_request(row["status"], changes),
        timeline=[
            TimelineEntry(
                status=event.to_status,
                at=at,
                actor_role=event.actor_role,
                note=event.note,
                new_due_date=event.due_date if isinstance(event, DueDateChanged) else None,
            )
            for event, at in changes
        ],
        documents=[DocumentSummary(**dict(document)) for document in documents],
    )


async def officer_notes(
    repo: ApplicationRepository, ids: list[uuid.UUID]
) -> defaultdict[uuid.UUID, list[OfficerNote]]:
    """The officers' notes on each of these applications (staff readers only)."""
    notes: defaultdict[uuid.UUID, list[OfficerNote]] = defaultdict(list)
    for row in await repo.officer_notes(ids):
        notes[row["application_id"]].append(
            OfficerNote(
                at=row["at"],
                device_time=row["device_time"],
                author_id=row["author_id"],
                author_name=row["author_name"],
                note=row["note"],
            )
        )
    return notes


def _applicant_of(application_id: uuid.UUID, raw: Any) -> Applicant:
    """The applicant snapshot as stored; one in an unexpected shape still reads (name only)."""
    try:
        return msgspec.convert(raw, Applicant)
    except msgspec.ValidationError as exc:
        logger.warning(
            "applicant snapshot in an unexpected shape",
            extra={"application_id": str(application_id), "error": str(exc)},
        )
        name = raw.get("full_name") if isinstance(raw, dict) else None
        return Applicant(full_name=name if isinstance(name, str) else "")


def _open_supplement_request(
    status: str, changes: Sequence[tuple[StatusChange, datetime]]
) -> SupplementRequest | None:
    """What the citizen has been asked to add, while the application waits for it."""
    if status != "supplement_requested":
        return None
    for event, recorded_at in reversed(changes):
        if isinstance(event, SupplementRequested):
            return SupplementRequest(
                requested_at=recorded_at,
                note=event.note,
                missing_documents=event.missing_documents,
            )
    return None
