"""Moving an application through the state machine: the one entry point for every status
change (the citizen's submit, withdraw, resubmit and confirm_receipt as much as the officer's
transitions), used by the HTTP handlers and, later, by offline sync.

``ProcessingService.move`` runs in one transaction with the application's row locked and
writes exactly one audit row and one outbox event next to the change. A refused move raises
an ``api.applications.problems.MoveRefused`` naming why (see docs/applications.md).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import msgspec

from api.applications.access import application_in_scope
from api.applications.events import (
    EVENT_FOR_ACTION,
    DueDateChanged,
    StatusChange,
    SupplementRequested,
)
from api.applications.journal import next_event_seq, write_audit, write_event
from api.applications.problems import MoveForbidden, TransitionNotAllowed, VersionConflict
from api.applications.receipts import ReceiptCodes, allocate_receipt_numbers
from api.applications.repository import ApplicationRepository
from api.applications.requirements import check_requirements
from api.applications.schemas import ApplicationRead, MissingDocument, TransitionRequest
from api.applications.state_machine import (
    MOVES,
    Action,
    Move,
    Status,
    allowed_actions,
    move_for,
    parties_of,
)
from api.applications.views import application_view
from api.core.actors import Actor
from api.core.clock import vn_today
from api.geo.directory import AdminUnits
from api.sync.leases import refuse_move_if_leased


class ReservedReceipt(msgspec.Struct, frozen=True):
    """A receipt code handed out ahead (offline counter intake, api/sync): a submit uses it
    instead of taking a number, and the deadline counts from its day."""

    code: str
    day: date


class MoveCommand(msgspec.Struct, frozen=True, kw_only=True):
    """One requested move: what the person did, on which version, and when by their device."""

    action: Action
    expected_version: int | None = None
    device_time: datetime | None = None
    note: str | None = None
    missing_documents: list[MissingDocument] | None = None
    receipt: ReservedReceipt | None = None
    new_due_date: date | None = None

    @classmethod
    def of_transition(cls, request: TransitionRequest) -> MoveCommand:
        """The move a staff member or an agency system asks for on the transitions route."""
        return cls(
            action=request.action,
            expected_version=request.expected_version,
            note=request.note,
            missing_documents=request.missing_documents,
            device_time=request.device_time,
            new_due_date=request.new_due_date,
        )


class Applied(msgspec.Struct, frozen=True, tag="applied"):
    """The move was made: the application as it is now and the event announcing it."""

    application: ApplicationRead
    event: StatusChange


class AlreadyApplied(msgspec.Struct, frozen=True, tag="already_applied"):
    """A retried submit of an application already submitted: nothing changed."""

    application: ApplicationRead


MoveOutcome = Applied | AlreadyApplied

# Who may submit a draft: they alone get the idempotent answer to a repeated submit.
_SUBMITTERS = MOVES[("draft", "submit")].parties


class ProcessingService:
    def __init__(
        self, conn: asyncpg.Connection, units: AdminUnits, receipt_codes: ReceiptCodes
    ) -> None:
        self._conn = conn
        self._units = units
        self._receipt_codes = receipt_codes
        self._repo = ApplicationRepository(conn)

    async def move(
        self, actor: Actor, application_id: uuid.UUID, command: MoveCommand
    ) -> MoveOutcome:
        """Apply one move of the state machine, or raise why not: ``NotFound`` (out of reach),
        ``VersionConflict``, ``TransitionNotAllowed``, ``MoveForbidden`` or a
        ``RequirementsMissing``."""
        async with self._conn.transaction():
            ref = await application_in_scope(self._conn, actor, application_id, for_update=True)
            row = await self._repo.application(application_id)
            parties = parties_of(actor.kind, ref.channel)
            if (
                command.action == "submit"
                and row["submitted_at"] is not None
                and parties & _SUBMITTERS
            ):
                return AlreadyApplied(await application_view(self._repo, actor, row))
            # A file checked out for offline work moves only by its holder (docs/sync.md §6).
            await refuse_move_if_leased(self._conn, actor, application_id)
            if command.expected_version is not None and command.expected_version != ref.version:
                raise VersionConflict(current_version=ref.version)
            move = move_for(ref.status, command.action)
            if move is None:
                raise TransitionNotAllowed(
                    current_status=ref.status,
                    action=command.action,
                    allowed_actions=allowed_actions(ref.status, parties),
                )
            if not move.parties & parties:
                raise MoveForbidden()
            form = await check_requirements(
                self._repo,
                self._units,
                row,
                move,
                note=command.note,
                missing_documents=command.missing_documents,
                new_due_date=command.new_due_date,
            )
            changed, event = await self._apply(actor, row, move, command, form)
            return Applied(await application_view(self._repo, actor, changed), event)

    async def _apply(
        self,
        actor: Actor,
        row: asyncpg.Record,
        move: Move,
        command: MoveCommand,
        form: dict[str, Any],
    ) -> tuple[asyncpg.Record, StatusChange]:
        """Write the move, its audit row and its event; return the application as it is now."""
        receipt_code: str | None = row["receipt_code"]
        received_on: date | None = row["received_on"]
        due: date | None = row["due_date"]
        paused_on: date | None = row["clock_paused_on"]
        if move.clock is not None:
            today = vn_today()
            calendar = await self._repo.working_calendar()
            if move.clock == "start":
                if command.receipt is not None:
                    receipt_code, received_on = command.receipt.code, command.receipt.day
                else:
                    (number,) = await allocate_receipt_numbers(self._conn, row["unit_code"], today)
                    receipt_code = self._receipt_codes.format(row["unit_code"], today, number)
                    received_on = today
                due = calendar.due_date(received_on, row["processing_days"])
            elif move.clock == "pause":
                paused_on = today
            elif move.clock == "resume" and due is not None and paused_on is not None:
                due = calendar.due_date_after_pause(due, paused_on, today)
                paused_on = None
            elif move.clock == "reschedule":
                due = command.new_due_date  # checked by check_requirements
        await self._repo.apply_move(
            row["id"],
            status=move.to_status,
            form=form,
            receipt_code=receipt_code,
            received_on=received_on,
            due_date=due,
            clock_paused_on=paused_on,
            mark_submitted=move.clock == "start",
            mark_completed=move.clock == "finish",
        )
        changed = await self._repo.application(row["id"])
        event_class = EVENT_FOR_ACTION[command.action]
        extra: dict[str, Any] = {}
        if event_class is SupplementRequested:
            extra["missing_documents"] = command.missing_documents or []
        elif event_class is DueDateChanged:
            extra["previous_due_date"] = row["due_date"]
        event = await record_change(
            self._conn,
            actor,
            changed,
            event_class,
            action=f"application.{command.action}",
            from_status=row["status"],
            note=command.note,
            device_time=command.device_time,
            **extra,
        )
        return changed, event


async def record_change(
    conn: asyncpg.Connection,
    actor: Actor,
    row: asyncpg.Record,
    event_class: type[StatusChange],
    *,
    action: str,
    from_status: Status | None,
    note: str | None,
    device_time: datetime | None = None,
    **extra: Any,
) -> StatusChange:
    """The audit row and the outbox event of one status change (``row`` is after it)."""
    await write_audit(
        conn,
        actor,
        action,
        application_id=row["id"],
        unit_code=row["unit_code"],
        from_status=from_status,
        to_status=row["status"],
        note=note,
        device_time=device_time,
    )
    event = event_class(
        application_id=row["id"],
        seq=await next_event_seq(conn, row["id"]),
        receipt_code=row["receipt_code"],
        procedure_code=row["procedure_code"],
        unit_code=row["unit_code"],
        citizen_id=row["citizen_id"],
        channel=row["channel"],
        version=row["version"],
        occurred_at=row["updated_at"].astimezone(UTC),
        due_date=row["due_date"],
        from_status=from_status,
        to_status=row["status"],
        actor_kind=actor.kind,
        actor_role=actor.role,
        note=note,
        **extra,
    )
    await write_event(conn, event)
    return event
