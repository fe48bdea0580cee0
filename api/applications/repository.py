"""SQL for applications: filing, reading, the officer queue, and what processing checks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, TypeVar

import asyncpg

from api.applications.access import UnitScope
from api.applications.calendar import WorkingCalendar
from api.applications.calendar_store import working_calendar
from api.applications.events import (
    ApplicationEvent,
    Created,
    StatusChange,
    decode_event,
    event_payload,
    event_type,
)
from api.applications.journal import AuditEntry
from api.applications.state_machine import CLOSED, STATUSES
from api.core.actors import citizen_session_live_sql
from api.core.outbox import event_written

E = TypeVar("E", bound=ApplicationEvent)

_CITIZEN_BY_ID_NUMBER_AND_PHONE = """
SELECT id FROM citizens WHERE citizen_id_number = $1 AND phone = $2
"""

_UNIT = """
SELECT code, agency_code, level, province_code, commune_code, name_vi, name_en
FROM units
WHERE code = $1
"""

_BY_IDEMPOTENCY_KEY = """
SELECT id, request_fingerprint
FROM applications
WHERE created_by_kind = $1 AND created_by_id = $2 AND idempotency_key = $3
"""

# One application as the read model shows it (views.application_view), over ``a`` (the
# application's columns). ``rules``: _PROCEDURE_RULES, what editing and processing check and the
# view does not show, or nothing where the result only feeds the view (after a write: the
# procedure's form definition is kilobytes of JSON per row).
_APPLICATION_OF_A = """
SELECT a.id, a.procedure_code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en,
       {rules}a.unit_code, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en,
       a.citizen_id, a.channel, a.status, a.applicant, a.form, a.receipt_code, a.submitted_at,
       a.received_on, a.due_date, a.clock_paused_on, a.completed_at, a.version, a.created_at,
       a.updated_at,
       coalesce(c.identity_verified_at IS NOT NULL
                AND c.citizen_id_number = a.applicant->>'citizen_id_number', false)
           AS applicant_identity_verified
FROM {source}
JOIN procedures p ON p.code = a.procedure_code
JOIN units u ON u.code = a.unit_code
LEFT JOIN citizens c ON c.id = a.citizen_id
"""

_PROCEDURE_RULES = "p.processing_days, p.required_documents, p.form_fields, "

_APPLICATION = (
    _APPLICATION_OF_A.format(source="applications a", rules=_PROCEDURE_RULES) + "WHERE a.id = $1"
)

# What filing needs before it writes, in one read: the procedure (NULL columns when unknown),
# a draft made earlier with this idempotency key, the filing citizen's profile and whether
# their session is live (NULL columns for staff, whose session the guard checked) and the
# database clock (the draft's created_at and the Created event's occurred_at).
_FILING_CONTEXT = f"""
SELECT now() AS now, {citizen_session_live_sql("$6", "$5")} AS session_live,
       e.id AS earlier_id, e.request_fingerprint AS earlier_fingerprint,
       p.code, p.name_vi, p.name_en, p.agency_level, p.service_level, p.processing_days,
       p.required_documents, p.form_fields, p.active,
       c.phone, c.full_name, c.date_of_birth, c.gender, c.citizen_id_number, c.province_code,
       c.commune_code, c.street
FROM (SELECT) AS one
LEFT JOIN procedures p ON p.code = $1
LEFT JOIN applications e
       ON e.created_by_kind = $2 AND e.created_by_id = $3 AND e.idempotency_key = $4
LEFT JOIN citizens c ON c.id = $5
"""

# The draft, its audit row and its Created event (seq 1) in one statement, so it all commits
# or nothing does, in a transaction of its own or the caller's; the new application as the
# view shows it (no procedure rules). Its timestamps are the database clock read by
# ``_FILING_CONTEXT`` (the event says when it happened). A concurrent retry with the same key
# waits on the unique index until the first insert commits, then inserts nothing (and no audit
# row or event): no row comes back.
_INSERT_DRAFT_WITH_JOURNAL = """
WITH a AS (
    INSERT INTO applications (id, procedure_code, unit_code, citizen_id, channel, status,
                              applicant, form, created_by_kind, created_by_id, idempotency_key,
                              request_fingerprint, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $16, $16)
    ON CONFLICT (created_by_kind, created_by_id, idempotency_key) DO NOTHING
    RETURNING *
), audit AS (
    INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id, unit_code,
                           to_status, request_id)
    SELECT $8, $9, $12, 'application.created', a.id, a.unit_code, a.status, $13 FROM a
), event AS (
    INSERT INTO events (application_id, seq, type, payload, occurred_at)
    SELECT a.id, 1, $14, $15, $16 FROM a
)
""" + _APPLICATION_OF_A.format(source="a", rules="")

# The application as ``_APPLICATION`` reads it, with its unit's agency (the access rule), the
# transaction's clock and whether the citizen's session $2 of citizen $3 is live (NULL for
# NULLs), locked until the transaction ends.
_APPLICATION_FOR_UPDATE = (
    _APPLICATION_OF_A.format(source="applications a", rules=_PROCEDURE_RULES).replace(
        "SELECT a.id,",
        "SELECT now() AS now, u.agency_code, "
        + citizen_session_live_sql("$2", "$3")
        + " AS session_live, a.id,",
        1,
    )
    + "WHERE a.id = $1 FOR UPDATE OF a"
)

_UPDATE_FORM = """
UPDATE applications SET form = $2, version = version + 1
WHERE id = $1
RETURNING version, updated_at
"""

# One move in one statement: the application (the caller computed every column a move may
# change; timestamps come from the database clock), its audit row and its event; the
# application after it as the view shows it (no procedure rules).
_APPLY_MOVE = """
WITH a AS (
    UPDATE applications
    SET status = $2,
        form = $3,
        receipt_code = $4,
        received_on = $5,
        due_date = $6,
        clock_paused_on = $7,
        submitted_at = CASE WHEN $8 THEN now() ELSE submitted_at END,
        completed_at = CASE WHEN $9 THEN now() ELSE completed_at END,
        version = version + 1
    WHERE id = $1
    RETURNING *
), audit AS (
    INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id, unit_code,
                           from_status, to_status, note, request_id, device_time)
    SELECT $10, $11, $12, $13, a.id, a.unit_code, $14, a.status, $15, $16, $17 FROM a
), event AS (
    INSERT INTO events (application_id, seq, type, payload) SELECT a.id, $18, $19, $20 FROM a
)
""" + _APPLICATION_OF_A.format(source="a", rules="")

_EVENTS = """
SELECT type, seq, payload, occurred_at FROM events WHERE application_id = $1 ORDER BY seq
"""

_LAST_EVENT_OF_TYPE = """
SELECT type, seq, payload, occurred_at
FROM events
WHERE application_id = $1 AND type = $2
ORDER BY seq DESC
LIMIT 1
"""

# The officers' notes (audit rows of the sync `note` command), for staff readers only; the
# partial index of migration 0024 reads them without the file's many other audit rows.
_OFFICER_NOTES = """
SELECT a.application_id, a.occurred_at AS at, a.device_time, a.actor_id AS author_id,
       coalesce(s.full_name, '') AS author_name, a.note
FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
WHERE a.application_id = ANY($1::uuid[]) AND a.action = 'application.note'
ORDER BY a.application_id, a.id
"""

_DOCUMENTS = """
SELECT id, requirement, kind, status,
       coalesce(content_type, declared_content_type) AS content_type,
       coalesce(size, declared_size) AS size
FROM application_documents
WHERE application_id = $1
ORDER BY created_at, id
"""

_STORED_REQUIREMENTS = """
SELECT DISTINCT requirement
FROM application_documents
WHERE application_id = $1 AND kind = $2 AND status = 'stored'
  AND ($3::timestamptz IS NULL OR coalesce(completed_at, created_at) > $3)
"""

_CITIZEN_APPLICATIONS = """
SELECT a.id, a.receipt_code, a.procedure_code, p.name_vi AS procedure_name_vi,
       p.name_en AS procedure_name_en, a.unit_code, a.channel, a.status, a.version,
       a.created_at, a.submitted_at, a.due_date
FROM applications a
JOIN procedures p ON p.code = a.procedure_code
WHERE a.citizen_id = $1
  AND ($2::timestamptz IS NULL OR (a.created_at, a.id) < ($2, $3::uuid))
ORDER BY a.created_at DESC, a.id DESC
LIMIT $4
"""

# The officer's default queue: applications still needing work (not drafts, not closed).
QUEUE_DEFAULT_STATUSES: list[str] = [
    status for status in STATUSES if status != "draft" and status not in CLOSED
]
# The scope is access.unit_scope (derived from the one rule), so an officer's queue holds
# exactly the applications they may open; it is written per shape of scope (UNIT_SCOPE_SQL with
# the parts that match nothing left out) so that one unit's queue is read in order from the
# index of migrations/0017, stopping after one page, however many applications the unit has.
# The default statuses are spelled as in that partial index's predicate; `a.status <> 'draft'`
# as in migrations/0026's (the queue by status), which holds no drafts.
# Applications without a due date (none of ours: submit always sets one) sort last.
_QUEUE = """
SELECT a.id, a.receipt_code, a.procedure_code, p.name_vi AS procedure_name_vi,
       p.name_en AS procedure_name_en, coalesce(a.applicant ->> 'full_name', '') AS applicant_name,
       a.channel, a.status, a.version, a.received_on, a.due_date, a.clock_paused_on,
       coalesce(a.due_date, 'infinity'::date) AS sort_due
FROM applications a
JOIN units u ON u.code = a.unit_code
JOIN procedures p ON p.code = a.procedure_code
WHERE {scope}
  AND {statuses}
  AND a.status <> 'draft'
  AND ($1::date IS NULL OR a.due_date >= $1)
  AND ($2::date IS NULL OR a.due_date <= $2)
  AND ($3::date IS NULL OR (coalesce(a.due_date, 'infinity'::date), a.id) > ($3, $4::uuid))
ORDER BY coalesce(a.due_date, 'infinity'::date), a.id
LIMIT $5
"""
_DEFAULT_STATUSES_SQL = "a.status IN ({})".format(
    ", ".join(f"'{status}'" for status in QUEUE_DEFAULT_STATUSES)
)


def _queue_sql(scope: UnitScope, statuses: list[str]) -> tuple[str, list[object]]:
    """The queue query for this scope and these statuses, and its parameters from $6 on."""
    args: list[object] = []

    def arg(value: object, cast: str) -> str:
        args.append(value)
        return f"${5 + len(args)}::{cast}"

    if scope.every_unit:
        scope_sql = "true"
    else:
        parts = []
        if scope.unit_code is not None:
            parts.append(f"a.unit_code = {arg(scope.unit_code, 'text')}")
        if scope.agency_code is not None:
            parts.append(f"u.agency_code = {arg(scope.agency_code, 'text')}")
        scope_sql = "(" + (" OR ".join(parts) or "false") + ")"
    if sorted(statuses) == sorted(QUEUE_DEFAULT_STATUSES):
        statuses_sql = _DEFAULT_STATUSES_SQL
    else:
        statuses_sql = f"a.status = ANY({arg(statuses, 'text[]')})"
    return _QUEUE.format(scope=scope_sql, statuses=statuses_sql), args


class ApplicationRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def working_calendar(self) -> WorkingCalendar:
        return await working_calendar(self._conn)

    async def citizen_with(self, citizen_id_number: str, phone: str) -> uuid.UUID | None:
        """The account holding both this CCCD number and this (SMS-verified) phone."""
        found: uuid.UUID | None = await self._conn.fetchval(
            _CITIZEN_BY_ID_NUMBER_AND_PHONE, citizen_id_number, phone
        )
        return found

    async def unit(self, code: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_UNIT, code)

    async def by_idempotency_key(
        self, created_by_kind: str, created_by_id: uuid.UUID, key: uuid.UUID
    ) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_BY_IDEMPOTENCY_KEY, created_by_kind, created_by_id, key)

    async def filing_context(
        self,
        procedure_code: str,
        created_by_kind: str,
        created_by_id: uuid.UUID,
        idempotency_key: uuid.UUID,
        citizen_id: uuid.UUID | None,
        session_id: uuid.UUID | None,
    ) -> asyncpg.Record:
        """``now``; ``session_live`` (``session_id`` is the citizen's, unrevoked and unexpired;
        NULL without a citizen); ``earlier_id`` and ``earlier_fingerprint`` (the draft this key
        made, or NULL); the procedure's columns (``code`` NULL: unknown); the profile columns
        of ``citizen_id`` (phone, full_name, …, street)."""
        row = await self._conn.fetchrow(
            _FILING_CONTEXT,
            procedure_code,
            created_by_kind,
            created_by_id,
            idempotency_key,
            citizen_id,
            session_id,
        )
        assert row is not None
        return row

    async def insert_draft_with_journal(
        self,
        event: Created,
        *,
        applicant: dict[str, Any],
        form: dict[str, Any],
        actor_id: uuid.UUID,
        request_fingerprint: str,
        idempotency_key: uuid.UUID,
        request_id: str | None,
    ) -> asyncpg.Record | None:
        """Insert the draft ``event`` announces (its id, procedure, unit, citizen, channel and
        actor come from it), the audit row and the event; the draft as the view shows it
        (``application`` without the procedure's rules), or None when the idempotency key was
        already used (nothing written)."""
        row = await self._conn.fetchrow(
            _INSERT_DRAFT_WITH_JOURNAL,
            event.application_id,
            event.procedure_code,
            event.unit_code,
            event.citizen_id,
            event.channel,
            applicant,
            form,
            event.actor_kind,
            actor_id,
            idempotency_key,
            request_fingerprint,
            event.actor_role,
            request_id,
            event_type(Created),
            event_payload(event),
            event.occurred_at,
        )
        if row is not None:
            event_written()
        return row

    async def application(self, application_id: uuid.UUID) -> asyncpg.Record:
        row = await self._conn.fetchrow(_APPLICATION, application_id)
        assert row is not None, "callers check access (and existence) first"
        return row

    async def update_form(
        self, application_id: uuid.UUID, form: dict[str, Any]
    ) -> tuple[int, datetime]:
        row = await self._conn.fetchrow(_UPDATE_FORM, application_id, form)
        assert row is not None
        return row["version"], row["updated_at"]

    async def application_for_update(
        self,
        application_id: uuid.UUID,
        citizen_session: tuple[uuid.UUID | None, uuid.UUID | None],
    ) -> asyncpg.Record | None:
        """``application``, plus ``agency_code``, ``now`` and ``session_live`` (of
        ``citizen_session``: ``actors.citizen_session_of``), locked until the transaction
        ends; None when there is no such application (the caller checks access)."""
        return await self._conn.fetchrow(_APPLICATION_FOR_UPDATE, application_id, *citizen_session)

    async def apply_move(
        self,
        event: StatusChange,
        *,
        form: dict[str, Any],
        received_on: date | None,
        clock_paused_on: date | None,
        mark_submitted: bool,
        mark_completed: bool,
        audit: AuditEntry,
    ) -> asyncpg.Record:
        """Write the move ``event`` announces (its application, status, receipt code, due date
        and seq; the caller holds the row lock), its audit row and the event; the application
        as the view shows it (``application`` without the procedure's rules)."""
        row = await self._conn.fetchrow(
            _APPLY_MOVE,
            event.application_id,
            event.to_status,
            form,
            event.receipt_code,
            received_on,
            event.due_date,
            clock_paused_on,
            mark_submitted,
            mark_completed,
            audit.actor.kind,
            audit.actor.id,
            audit.actor.role,
            audit.action,
            event.from_status,
            event.note,
            audit.request_id,
            audit.device_time,
            event.seq,
            event_type(type(event)),
            event_payload(event),
        )
        assert row is not None
        event_written()
        return row

    async def events(self, application_id: uuid.UUID) -> list[tuple[ApplicationEvent, datetime]]:
        """Every event of the application in order, each with when it was recorded."""
        rows = await self._conn.fetch(_EVENTS, application_id)
        return [
            (decode_event(row["type"], row["seq"], row["payload"]), row["occurred_at"])
            for row in rows
        ]

    async def last_event_of_type(
        self, application_id: uuid.UUID, event_class: type[E]
    ) -> tuple[E, datetime] | None:
        """The latest event of ``event_class`` with when it was recorded, or None."""
        row = await self._conn.fetchrow(
            _LAST_EVENT_OF_TYPE, application_id, event_type(event_class)
        )
        if row is None:
            return None
        event = decode_event(row["type"], row["seq"], row["payload"])
        assert isinstance(event, event_class)
        return event, row["occurred_at"]

    async def documents(self, application_id: uuid.UUID) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_DOCUMENTS, application_id))

    async def officer_notes(self, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        """The officers' notes on these applications, each file's oldest first."""
        return list(await self._conn.fetch(_OFFICER_NOTES, ids))

    async def stored_requirements(
        self, application_id: uuid.UUID, kind: str, *, stored_after: datetime | None = None
    ) -> set[str]:
        """Requirement codes with at least one stored document of ``kind`` (newer than
        ``stored_after`` when given)."""
        rows = await self._conn.fetch(_STORED_REQUIREMENTS, application_id, kind, stored_after)
        return {row["requirement"] for row in rows}

    async def citizen_applications(
        self,
        citizen_id: uuid.UUID,
        *,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        created_at, last_id = before if before else (None, None)
        return list(
            await self._conn.fetch(_CITIZEN_APPLICATIONS, citizen_id, created_at, last_id, limit)
        )

    async def queue(
        self,
        *,
        scope: UnitScope,
        statuses: list[str],
        due_from: date | None,
        due_to: date | None,
        after: tuple[date, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        after_due, after_id = after if after else (None, None)
        sql, args = _queue_sql(scope, statuses)
        return list(
            await self._conn.fetch(sql, due_from, due_to, after_due, after_id, limit, *args)
        )
