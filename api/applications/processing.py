"""Moving an application through the state machine: the one entry point for every status
change (the citizen's submit, withdraw, resubmit and confirm_receipt as much as the officer's
transitions), used by the HTTP handlers and, later, by offline sync.

``ProcessingService.move`` runs in one transaction with the application's row locked and
writes exactly one audit row and one outbox event next to the change. A refused move raises
an ``api.applications.problems.MoveRefused`` naming why (see docs/applications.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import asyncpg
import msgspec

from api.applications.access import ref_in_scope
from api.applications.events import (
    EVENT_FOR_ACTION,
    DueDateChanged,
    StatusChange,
    SupplementRequested,
)
from api.applications.journal import AuditEntry
from api.applications.problems import MoveForbidden, TransitionNotAllowed, VersionConflict
from api.applications.receipts import ReceiptCodes
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
from api.core.actors import (
    Actor,
    citizen_session_is_live,
    citizen_session_of,
    unauthenticated,
)
from api.core.clock import vn_today
from api.core.logging import request_id_var
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

E = TypeVar("E", bound=StatusChange)

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
            row = await self._repo.application_for_update(application_id, citizen_session_of(actor))
            # The HTTP moves leave a citizen's session to this read
            # (CITIZEN_SESSION_CHECKED_BY_HANDLER): nothing happens before it is known live.
            if actor.kind == "citizen" and not (
                row["session_live"]
                if row is not None
                else await citizen_session_is_live(self._conn, actor)
            ):
                raise unauthenticated()
            ref = ref_in_scope(actor, row)
            assert row is not None  # ref_in_scope refuses a missing one
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
            # Read under the row lock: its uploads are checked and it is in the answer.
            documents = await self._repo.documents(row["id"])
            form = await check_requirements(
                self._repo,
                self._units,
                row,
                move,
                documents=documents,
                note=command.note,
                missing_documents=command.missing_documents,
                new_due_date=command.new_due_date,
            )
            return await self._apply(actor, row, move, command, form, documents)

    async def _apply(
        self,
        actor: Actor,
        row: asyncpg.Record,
        move: Move,
        command: MoveCommand,
        form: dict[str, Any],
        documents: list[asyncpg.Record],
    ) -> Applied:
        """Write the move, its audit row and its event (one statement, after every read);
        the application as it is now and the event."""
        receipt_code: str | None = row["receipt_code"]
        received_on: date | None = row["received_on"]
        due: date | None = row["due_date"]
        paused_on: date | None = row["clock_paused_on"]
        take_number = False
        if move.clock is not None:
            today = vn_today()
            calendar = await self._repo.working_calendar()
            if move.clock == "start":
                if command.receipt is not None:
                    receipt_code, received_on = command.receipt.code, command.receipt.day
                else:
                    take_number, received_on = True, today
                due = calendar.due_date(received_on, row["processing_days"])
            elif move.clock == "pause":
                paused_on = today
            elif move.clock == "resume" and due is not None and paused_on is not None:
                due = calendar.due_date_after_pause(due, paused_on, today)
                paused_on = None
            elif move.clock == "reschedule":
                due = command.new_due_date  # checked by check_requirements
        # Read after the row lock, so no other event of this application can come in between.
        events = await self._repo.events(row["id"])
        if take_number:
            # Last, once every check passed: the unit's counter row is what every submit of
            # the unit waits for (receipts.py).
            receipt_code = await self._receipt_codes.next_code(self._conn, row["unit_code"], today)
        event_class = EVENT_FOR_ACTION[command.action]
        extra: dict[str, Any] = {}
        if event_class is SupplementRequested:
            extra["missing_documents"] = command.missing_documents or []
        elif event_class is DueDateChanged:
            extra["previous_due_date"] = row["due_date"]
        event = change_event(
            actor,
            {
                **row,
                "status": move.to_status,
                "receipt_code": receipt_code,
                "due_date": due,
                "version": row["version"] + 1,  # as the update sets it
                "updated_at": row["now"],  # the update trigger's now(): this transaction's
            },
            event_class,
            seq=max((event.seq for event, _ in events), default=0) + 1,
            from_status=row["status"],
            note=command.note,
            **extra,
        )
        changed = await self._repo.apply_move(
            event,
            form=form,
            received_on=received_on,
            clock_paused_on=paused_on,
            mark_submitted=move.clock == "start",
            mark_completed=move.clock == "finish",
            audit=AuditEntry(
                actor=actor,
                action=f"application.{command.action}",
                request_id=request_id_var.get(),
                device_time=command.device_time,
            ),
        )
        view = await application_view(
            self._repo,
            actor,
            changed,
            events=[*events, (event, row["now"])],
            documents=documents,
        )
        return Applied(view, event)


def change_event(
    actor: Actor,
    row: Mapping[str, Any],
    event_class: type[E],
    *,
    seq: int,
    from_status: Status | None,
    note: str | None,
    **extra: Any,
) -> E:
    """The event announcing one status change of the application ``row`` (as it is after
    the change: its ``updated_at`` is when the change happened)."""
    return event_class(
        application_id=row["id"],
        seq=seq,
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
