"""Filing and processing applications.

Every change runs in one transaction with the application's row locked, and writes exactly one
audit row and (for status changes) exactly one outbox event next to it.

Event payload contract (tracking, push notifications and webhooks rely on it):
``application_id, receipt_code, procedure_code, citizen_id (or null), unit_code, channel,
from_status (null on creation), to_status, version, actor_kind, actor_role, occurred_at (ISO,
UTC), due_date (ISO or null), note (or null)``, plus ``missing_documents`` ([{requirement,
reason}]) on ``application.supplement_requested``.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import msgspec

from api.accounts.cccd import cccd_consistency_errors
from api.accounts.identity import cccd_structure_errors, normalise_vn_mobile
from api.accounts.repository import CitizenRepository
from api.accounts.service import PROFILE_FIELDS, missing_profile_fields
from api.applications.access import application_in_scope
from api.applications.calendar import WorkingCalendar
from api.applications.journal import write_audit, write_event
from api.applications.receipts import allocate_receipt_numbers, format_receipt_code
from api.applications.repository import ApplicationRepository
from api.applications.schemas import (
    Applicant,
    ApplicantAddress,
    ApplicantInput,
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    ApplicationSummary,
    ApplicationUpdate,
    DocumentSummary,
    MissingDocument,
    QueueItem,
    QueuePage,
    Sla,
    SupplementRequest,
    TimelineEntry,
)
from api.applications.state_machine import (
    CLOSED,
    EDITABLE,
    FINISHED,
    MOVES,
    STATUSES,
    Action,
    Move,
    allowed_actions,
    event_type,
    move_for,
    parties_of,
)
from api.catalogue.forms import parse_field_definitions, validate_form
from api.core.actors import Actor, can_act_for_unit, forbidden
from api.core.clock import vn_today
from api.core.masking import mask_name
from api.core.pagination import decode_cursor, encode_cursor
from api.core.problems import (
    FieldProblem,
    LegacyField,
    LegacyProblem,
    Problem,
    conflict,
    validation_failed,
)
from api.geo.directory import AdminUnits

logger = logging.getLogger("api.applications")

# Statuses an officer still has work on: the default queue.
QUEUE_DEFAULT_STATUSES: list[str] = [
    status for status in STATUSES if status != "draft" and status not in CLOSED
]
# Statuses without an SLA state: processing is over, or the clock is stopped while the citizen
# adds documents (the due date moves by the paused working days when they resubmit, so
# comparing today with it would call applications overdue that are not).
NO_SLA: frozenset[str] = FINISHED | {"supplement_requested"}


class Command(msgspec.Struct, frozen=True):
    """One requested move of the state machine, from any endpoint that changes status."""

    action: Action
    expected_version: int | None = None
    note: str | None = None
    missing_documents: list[MissingDocument] | None = None
    device_time: datetime | None = None


# ----- problems ----------------------------------------------------------------------------


def _version_conflict(current_version: int) -> Problem:
    return conflict(
        "version-conflict",
        "Hồ sơ đã được cập nhật bởi người khác; vui lòng tải lại",
        "The application was changed by someone else; reload it",
        current_version=current_version,
    )


def _incomplete(errors: list[FieldProblem]) -> Problem:
    return LegacyProblem(
        422,
        "application-incomplete",
        "Hồ sơ chưa đầy đủ",
        "Application incomplete",
        "Vui lòng điền đủ các trường bắt buộc và tải lên các giấy tờ còn thiếu.",
        "Please fill in every required field and upload the missing documents.",
        errors=errors,
    )


def parse_idempotency_key(raw: str | None) -> uuid.UUID:
    """The ``Idempotency-Key`` header as a UUID, or a 422 problem naming the header."""
    if not raw:
        raise validation_failed(
            [
                LegacyField(
                    "Idempotency-Key",
                    "required",
                    "Thiếu tiêu đề Idempotency-Key (một UUID mới cho mỗi hồ sơ)",
                    "The Idempotency-Key header (a fresh UUID per application) is required",
                )
            ]
        )
    try:
        return uuid.UUID(raw.strip())
    except ValueError as exc:
        raise validation_failed(
            [
                LegacyField(
                    "Idempotency-Key",
                    "invalid",
                    "Idempotency-Key phải là một UUID",
                    "Idempotency-Key must be a UUID",
                )
            ]
        ) from exc


def request_fingerprint(body: ApplicationCreate) -> str:
    """sha256 of the body in canonical JSON (sorted keys), so key order and spacing don't count."""
    return hashlib.sha256(msgspec.json.encode(body, order="sorted")).hexdigest()


# Who may submit a draft: they alone get the idempotent answer to a repeated submit.
_SUBMITTERS = MOVES[("draft", "submit")].parties


def sla_of(status: str, due: date | None, today: date, due_soon_until: date) -> Sla | None:
    """The SLA state of an application in the queue (the SQL filter uses the same bounds)."""
    if status in NO_SLA or due is None:
        return None
    if due < today:
        return "overdue"
    if due <= due_soon_until:
        return "due_soon"
    return "on_track"


def due_soon_until(calendar: WorkingCalendar, today: date) -> date:
    """The last due date with at most one working day left: the day before the second working
    day after today."""
    return calendar.add_working_days(today, 2) - timedelta(days=1)


# ----- the service -------------------------------------------------------------------------


class ApplicationService:
    def __init__(self, conn: asyncpg.Connection, units: AdminUnits) -> None:
        self._conn = conn
        self._units = units
        self._repo = ApplicationRepository(conn)
        self._citizens = CitizenRepository(conn)

    # --- filing ---

    async def create(
        self, actor: Actor, idempotency_key: str | None, body: ApplicationCreate
    ) -> tuple[ApplicationRead, bool]:
        """The new draft and True, or the draft made earlier with this key and False."""
        key = parse_idempotency_key(idempotency_key)
        fingerprint = request_fingerprint(body)
        async with self._conn.transaction():
            earlier = await self._repo.by_idempotency_key(actor.kind, actor.id, key)
            if earlier is not None:
                return await self._replay(actor, earlier, fingerprint), False
            procedure = await self._procedure_for_filing(body.procedure_code, actor)
            if actor.kind == "citizen":
                if body.applicant is not None:
                    raise validation_failed(
                        [
                            LegacyField(
                                "applicant",
                                "not_allowed",
                                "Người dân nộp hồ sơ cho chính mình; không gửi trường applicant",
                                "Citizens file for themselves; do not send applicant",
                            )
                        ]
                    )
                profile = await self._complete_profile(actor.id)
                applicant = self._applicant_from_profile(profile)
                unit_code = await self._citizen_unit(procedure, profile, body.unit_code)
                citizen_id: uuid.UUID | None = actor.id
                channel = "online"
            else:
                applicant = self._applicant_from_counter(body.applicant)
                unit_code = await self._counter_unit(procedure, actor, body.unit_code)
                citizen_id = await self._account_of(applicant)
                channel = "counter"
            form = self._validated(procedure["form_fields"], body.form, partial=True)
            new_id = await self._repo.insert_draft(
                procedure_code=procedure["code"],
                unit_code=unit_code,
                citizen_id=citizen_id,
                channel=channel,
                applicant=msgspec.to_builtins(applicant),
                form=form,
                created_by_kind=actor.kind,
                created_by_id=actor.id,
                idempotency_key=key,
                request_fingerprint=fingerprint,
            )
            if new_id is None:  # a concurrent retry with the same key won the insert
                winner = await self._repo.by_idempotency_key(actor.kind, actor.id, key)
                assert winner is not None
                return await self._replay(actor, winner, fingerprint), False
            row = await self._repo.application(new_id)
            await self._record_change(
                actor, row, action="application.created", from_status=None, note=None
            )
            return await self._read(actor, row), True

    async def update(
        self, actor: Actor, application_id: uuid.UUID, body: ApplicationUpdate
    ) -> ApplicationRead:
        async with self._conn.transaction():
            ref = await application_in_scope(self._conn, actor, application_id, for_update=True)
            if not parties_of(actor.kind, ref.channel) & {"citizen", "counter_staff"}:
                raise forbidden()
            if ref.status not in EDITABLE:
                raise conflict(
                    "application-not-editable",
                    "Hồ sơ không còn được sửa ở trạng thái hiện tại",
                    "The application cannot be edited in its current status",
                    current_status=ref.status,
                )
            if body.expected_version is not None and body.expected_version != ref.version:
                raise _version_conflict(ref.version)
            row = await self._repo.application(application_id)
            changes = self._validated(row["form_fields"], body.form, partial=True)
            await self._repo.update_form(application_id, {**row["form"], **changes})
            await write_audit(
                self._conn,
                actor,
                "application.form_updated",
                application_id=application_id,
                unit_code=ref.unit_code,
                from_status=ref.status,
                to_status=ref.status,
            )
            return await self._read(actor, await self._repo.application(application_id))

    # --- status changes ---

    async def perform(
        self, actor: Actor, application_id: uuid.UUID, command: Command
    ) -> ApplicationRead:
        """Apply one move of the state machine (submit, withdraw, resubmit, transitions)."""
        async with self._conn.transaction():
            ref = await application_in_scope(self._conn, actor, application_id, for_update=True)
            row = await self._repo.application(application_id)
            parties = parties_of(actor.kind, ref.channel)
            if (
                command.action == "submit"
                and row["submitted_at"] is not None
                and parties & _SUBMITTERS
            ):
                return await self._read(actor, row)  # a retried submit changes nothing
            if command.expected_version is not None and command.expected_version != ref.version:
                raise _version_conflict(ref.version)
            move = move_for(ref.status, command.action)
            if move is None:
                raise conflict(
                    "transition-not-allowed",
                    "Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ",
                    "This action is not allowed in the application's current status",
                    current_status=ref.status,
                    action=command.action,
                    allowed_actions=allowed_actions(ref.status, parties),
                )
            if not move.parties & parties:
                raise forbidden()
            form = await self._check_requirements(row, move, command)
            changed = await self._apply(actor, row, move, command, form)
            return await self._read(actor, changed)

    async def _check_requirements(
        self, row: asyncpg.Record, move: Move, command: Command
    ) -> dict[str, Any]:
        """Raise the problem that blocks ``move``; return the form to store (cleaned in full when
        the move needs a complete application)."""
        if "note" in move.requires and not (command.note and command.note.strip()):
            raise validation_failed(
                [LegacyField("note", "required", "Vui lòng ghi rõ lý do", "A reason is required")]
            )
        if "missing_documents" in move.requires:
            self._check_missing_documents(row, command.missing_documents)
        form: dict[str, Any] = row["form"]
        errors: list[FieldProblem] = []
        if "complete" in move.requires:
            result = validate_form(
                parse_field_definitions(row["form_fields"]), form, self._units, partial=False
            )
            errors += result.errors
            form = result.cleaned
            # At the counter the officer has seen the originals: photos are not required.
            if row["channel"] != "counter":
                errors += await self._missing_required_documents(row)
        if "supplied" in move.requires and row["channel"] != "counter":
            errors += await self._missing_supplements(row, {e.path for e in errors})
        if errors:
            raise _incomplete(errors)
        if "result_document" in move.requires and not await self._repo.stored_requirements(
            row["id"], "result"
        ):
            raise LegacyProblem(
                422,
                "result-document-missing",
                "Chưa tải lên kết quả giải quyết",
                "No result document has been uploaded",
                "Vui lòng tải lên bản kết quả (giấy tờ đã cấp) trước khi trả kết quả.",
                "Upload the result (the issued document) before issuing it.",
            )
        return form

    def _check_missing_documents(
        self, row: asyncpg.Record, missing: list[MissingDocument] | None
    ) -> None:
        if not missing:
            raise validation_failed(
                [
                    LegacyField(
                        "missing_documents",
                        "required",
                        "Vui lòng nêu các giấy tờ cần bổ sung",
                        "List the documents the citizen must add",
                    )
                ]
            )
        known = {doc["code"] for doc in row["required_documents"]}
        unknown = [
            LegacyField(
                f"missing_documents.{index}.requirement",
                "unknown_requirement",
                "Thủ tục không có loại giấy tờ này",
                "The procedure has no such document",
            )
            for index, item in enumerate(missing)
            if item.requirement not in known
        ]
        if unknown:
            raise validation_failed(unknown)

    async def _missing_required_documents(self, row: asyncpg.Record) -> list[FieldProblem]:
        stored = await self._repo.stored_requirements(row["id"], "input")
        return [
            LegacyField(
                f"documents.{doc['code']}",
                "missing_document",
                f"Chưa tải lên: {doc['name_vi']}",
                f"Not uploaded yet: {doc['name_en']}",
            )
            for doc in row["required_documents"]
            if doc["required"] and doc["code"] not in stored
        ]

    async def _missing_supplements(
        self, row: asyncpg.Record, already_reported: set[str]
    ) -> list[FieldProblem]:
        """Documents named in the last supplement request with no stored upload since then."""
        request = await self._repo.last_event_of_type(row["id"], "application.supplement_requested")
        if request is None:
            return []
        fresh = await self._repo.stored_requirements(
            row["id"], "input", stored_after=request["occurred_at"]
        )
        problems: list[FieldProblem] = []
        for item in request["payload"].get("missing_documents") or []:
            path = f"documents.{item['requirement']}"
            if item["requirement"] not in fresh and path not in already_reported:
                already_reported.add(path)
                problems.append(
                    LegacyField(
                        path,
                        "missing_document",
                        f"Chưa bổ sung giấy tờ được yêu cầu: {item['reason']}",
                        f"The requested document has not been added: {item['reason']}",
                    )
                )
        return problems

    async def _apply(
        self,
        actor: Actor,
        row: asyncpg.Record,
        move: Move,
        command: Command,
        form: dict[str, Any],
    ) -> asyncpg.Record:
        """Write the move, its audit row and its event; return the application as it is now."""
        receipt_code: str | None = row["receipt_code"]
        received_on: date | None = row["received_on"]
        due: date | None = row["due_date"]
        paused_on: date | None = row["clock_paused_on"]
        if move.clock is not None:
            today = vn_today()
            calendar = await self._calendar()
            if move.clock == "start":
                (number,) = await allocate_receipt_numbers(self._conn, row["unit_code"], today)
                receipt_code = format_receipt_code(row["unit_code"], today, number)
                received_on = today
                due = calendar.due_date(today, row["processing_days"])
            elif move.clock == "pause":
                paused_on = today
            elif move.clock == "resume" and due is not None and paused_on is not None:
                due = calendar.due_date_after_pause(due, paused_on, today)
                paused_on = None
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
        extra: dict[str, Any] = {}
        if move.to_status == "supplement_requested":
            extra["missing_documents"] = msgspec.to_builtins(command.missing_documents or [])
        await self._record_change(
            actor,
            changed,
            action=f"application.{command.action}",
            from_status=row["status"],
            note=command.note,
            device_time=command.device_time,
            extra=extra,
        )
        return changed

    async def _record_change(
        self,
        actor: Actor,
        row: asyncpg.Record,
        *,
        action: str,
        from_status: str | None,
        note: str | None,
        device_time: datetime | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """The audit row and the outbox event of one status change (``row`` is after it)."""
        await write_audit(
            self._conn,
            actor,
            action,
            application_id=row["id"],
            unit_code=row["unit_code"],
            from_status=from_status,
            to_status=row["status"],
            note=note,
            device_time=device_time,
        )
        payload: dict[str, Any] = {
            "application_id": str(row["id"]),
            "receipt_code": row["receipt_code"],
            "procedure_code": row["procedure_code"],
            "citizen_id": str(row["citizen_id"]) if row["citizen_id"] else None,
            "unit_code": row["unit_code"],
            "channel": row["channel"],
            "from_status": from_status,
            "to_status": row["status"],
            "version": row["version"],
            "actor_kind": actor.kind,
            "actor_role": actor.role,
            "occurred_at": row["updated_at"].astimezone(UTC).isoformat(),
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "note": note,
            **(extra or {}),
        }
        await write_event(self._conn, row["id"], event_type(row["status"]), payload)

    # --- reading ---

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
            return await self._read(actor, await self._repo.application(application_id))

    async def list_own(self, actor: Actor, *, cursor: str | None, limit: int) -> ApplicationPage:
        before = decode_cursor(cursor, tuple[datetime, uuid.UUID])
        rows = await self._repo.citizen_applications(actor.id, before=before, limit=limit + 1)
        items = [ApplicationSummary(**dict(row)) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = encode_cursor(last.created_at.isoformat(), str(last.id))
        return ApplicationPage(items=items, next_cursor=next_cursor)

    async def queue(
        self,
        actor: Actor,
        *,
        status: str | None,
        sla: Sla | None,
        cursor: str | None,
        limit: int,
    ) -> QueuePage:
        after = decode_cursor(cursor, tuple[date, uuid.UUID])
        today = vn_today()
        calendar = await self._calendar()
        soon_until = due_soon_until(calendar, today)
        statuses = [status] if status else QUEUE_DEFAULT_STATUSES
        due_from: date | None = None
        due_to: date | None = None
        if sla is not None:
            # Same bounds as sla_of(): finished or paused applications have no SLA state.
            statuses = [s for s in statuses if s not in NO_SLA]
            if sla == "overdue":
                due_to = today - timedelta(days=1)
            elif sla == "due_soon":
                due_from, due_to = today, soon_until
            else:
                due_from = soon_until + timedelta(days=1)
        rows = []
        if statuses:
            rows = await self._repo.queue(
                role=actor.role,
                unit_code=actor.unit_code,
                agency_code=actor.agency_code,
                statuses=statuses,
                due_from=due_from,
                due_to=due_to,
                after=after,
                limit=limit + 1,
            )
        items: list[QueueItem] = []
        for row in rows[:limit]:
            fields = dict(row)
            fields.pop("sort_due")
            fields["applicant_name_masked"] = mask_name(fields.pop("applicant_name"))
            days_left = None
            if row["due_date"] is not None and row["status"] not in FINISHED:
                # While paused the count stands still at its value on the day the clock stopped.
                counted_from = row["clock_paused_on"] or today
                days_left = calendar.working_days_left(counted_from, row["due_date"])
            items.append(
                QueueItem(
                    **fields,
                    working_days_left=days_left,
                    sla=sla_of(row["status"], row["due_date"], today, soon_until),
                )
            )
        next_cursor = None
        if len(rows) > limit:
            # asyncpg reads the 'infinity' sort key of an undated application as date.max.
            next_cursor = encode_cursor(rows[limit - 1]["sort_due"].isoformat(), str(items[-1].id))
        return QueuePage(items=items, next_cursor=next_cursor)

    async def _read(self, actor: Actor, row: asyncpg.Record) -> ApplicationRead:
        """The full view of an application row (fetched by ``repository.application``)."""
        application_id: uuid.UUID = row["id"]
        # Only status changes make the timeline (an event without to_status is something else).
        changes = [
            event
            for event in await self._repo.events(application_id)
            if event["payload"].get("to_status")
        ]
        documents = await self._repo.documents(application_id)
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
                    status=event["payload"]["to_status"],
                    at=event["occurred_at"],
                    actor_role=event["payload"].get("actor_role") or "",
                    note=event["payload"].get("note"),
                )
                for event in changes
            ],
            documents=[DocumentSummary(**dict(document)) for document in documents],
        )

    # --- helpers ---

    async def _calendar(self) -> WorkingCalendar:
        return await self._repo.working_calendar()

    async def _replay(
        self, actor: Actor, earlier: asyncpg.Record, fingerprint: str
    ) -> ApplicationRead:
        if earlier["request_fingerprint"] != fingerprint:
            raise LegacyProblem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key đã được dùng cho một hồ sơ khác",
                "Idempotency-Key was already used for a different request",
                "Mỗi hồ sơ mới cần một Idempotency-Key mới; chỉ dùng lại khóa khi gửi lại đúng "
                "yêu cầu cũ.",
                "Use a fresh key for each new application; reuse a key only to retry the very "
                "same request.",
                extra={"application_id": str(earlier["id"])},
            )
        return await self._read(actor, await self._repo.application(earlier["id"]))

    async def _account_of(self, applicant: Applicant) -> uuid.UUID | None:
        """The citizen account a counter filing belongs to, so it shows in their list.

        The CCCD in a profile is only declared, so it alone would let anyone who declared
        someone else's number read that person's counter filings. The phone number is proven
        (accounts sign in by SMS): the account must have the phone given at the counter too.
        """
        if applicant.citizen_id_number is None or applicant.phone is None:
            return None
        return await self._repo.citizen_with(applicant.citizen_id_number, applicant.phone)

    async def _procedure_for_filing(self, code: str, actor: Actor) -> asyncpg.Record:
        procedure = await self._repo.procedure(code)
        if procedure is None or not procedure["active"]:
            raise validation_failed(
                [
                    LegacyField(
                        "procedure_code",
                        "unknown_procedure",
                        "Không có thủ tục này hoặc thủ tục đã ngừng áp dụng",
                        "No such procedure, or it is no longer in force",
                    )
                ]
            )
        if actor.kind == "citizen" and procedure["service_level"] == "info":
            raise validation_failed(
                [
                    LegacyField(
                        "procedure_code",
                        "not_online",
                        "Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp tại Bộ phận Một cửa",
                        "This procedure is not filed online; please apply at the one-stop desk",
                    )
                ]
            )
        return procedure

    async def _citizen_unit(
        self, procedure: asyncpg.Record, profile: asyncpg.Record, requested: str | None
    ) -> str:
        """Where a citizen's application goes: the unit they name, else the unit of their
        permanent address at the procedure's level (commune code, or 'P' + province code)."""
        if requested is None:
            if procedure["agency_level"] == "commune":
                return str(profile["commune_code"])
            return "P" + str(profile["province_code"])
        await self._unit_of_level(requested, procedure["agency_level"])
        return requested

    async def _counter_unit(
        self, procedure: asyncpg.Record, actor: Actor, requested: str | None
    ) -> str:
        """Counter intake files in the officer's own unit; staff without one (agency or system
        administrators) name a unit in their scope."""
        unit_code = requested or actor.unit_code
        if unit_code is None:
            raise validation_failed(
                [
                    LegacyField(
                        "unit_code",
                        "required",
                        "Chọn đơn vị tiếp nhận hồ sơ",
                        "Choose the receiving unit",
                    )
                ]
            )
        unit = await self._unit_of_level(unit_code, procedure["agency_level"])
        if not can_act_for_unit(actor, unit["code"], unit["agency_code"]):
            raise validation_failed(
                [
                    LegacyField(
                        "unit_code",
                        "out_of_scope",
                        "Bạn không tiếp nhận hồ sơ cho đơn vị này",
                        "You do not take in applications for this unit",
                    )
                ]
            )
        return unit_code

    async def _unit_of_level(self, unit_code: str, level: str) -> asyncpg.Record:
        unit = await self._repo.unit(unit_code)
        if unit is None:
            raise validation_failed(
                [LegacyField("unit_code", "unknown_unit", "Không có đơn vị này", "No such unit")]
            )
        if unit["level"] != level:
            raise validation_failed(
                [
                    LegacyField(
                        "unit_code",
                        "wrong_level",
                        "Thủ tục này do cấp "
                        + ("xã" if level == "commune" else "tỉnh")
                        + " giải quyết; hãy chọn đơn vị cấp đó",
                        f"This procedure is handled at {level} level; choose a unit of that level",
                    )
                ]
            )
        return unit

    def _validated(
        self, raw_fields: Any, values: dict[str, Any], *, partial: bool
    ) -> dict[str, Any]:
        result = validate_form(
            parse_field_definitions(raw_fields), values, self._units, partial=partial
        )
        if result.errors:
            raise validation_failed(result.errors)
        return result.cleaned

    async def _complete_profile(self, citizen_id: uuid.UUID) -> asyncpg.Record:
        profile = await self._citizens.get(citizen_id)
        assert profile is not None, "a signed-in citizen has a row"
        missing = missing_profile_fields(profile)
        if missing:
            raise LegacyProblem(
                422,
                "profile-incomplete",
                "Hồ sơ cá nhân chưa đầy đủ",
                "Your profile is incomplete",
                "Vui lòng khai báo đầy đủ thông tin cá nhân một lần tại mục Hồ sơ cá nhân.",
                "Please complete your personal details once in your profile.",
                errors=[
                    LegacyField(
                        f"profile.{name}",
                        "required",
                        f"Chưa khai báo: {PROFILE_FIELDS[name][0]}",
                        f"Missing: {PROFILE_FIELDS[name][1]}",
                    )
                    for name in missing
                ],
                extra={"missing": missing},
            )
        return profile

    def _address(self, province_code: str, commune_code: str, street: str) -> ApplicantAddress:
        province = self._units.province(province_code)
        commune = self._units.commune(commune_code)
        return ApplicantAddress(
            province_code=province_code,
            province_name=province.name_vi if province else "",
            commune_code=commune_code,
            commune_name=commune.name_vi if commune else "",
            street=street,
        )

    def _applicant_from_profile(self, profile: asyncpg.Record) -> Applicant:
        return Applicant(
            full_name=profile["full_name"],
            date_of_birth=profile["date_of_birth"],
            gender=profile["gender"],
            citizen_id_number=profile["citizen_id_number"],
            phone=profile["phone"],
            address=self._address(
                profile["province_code"], profile["commune_code"], profile["street"]
            ),
        )

    def _applicant_from_counter(self, given: ApplicantInput | None) -> Applicant:
        if given is None:
            raise validation_failed(
                [
                    LegacyField(
                        "applicant",
                        "required",
                        "Nhập thông tin người nộp hồ sơ theo giấy tờ tùy thân",
                        "Enter the applicant's details from their identity card",
                    )
                ]
            )
        errors: list[FieldProblem] = []
        full_name = " ".join(given.full_name.split())
        if not full_name:
            errors.append(
                LegacyField(
                    "applicant.full_name", "required", "Nhập họ và tên", "Enter the full name"
                )
            )
        if not date(1900, 1, 1) <= given.date_of_birth <= vn_today():
            errors.append(
                LegacyField(
                    "applicant.date_of_birth",
                    "invalid_date",
                    "Ngày sinh không hợp lệ",
                    "Invalid date of birth",
                )
            )
        cccd = given.citizen_id_number
        cccd_problems: list[str] = list(cccd_structure_errors(cccd))
        if not cccd_problems:
            cccd_problems += cccd_consistency_errors(cccd, given.date_of_birth, given.gender)
        errors += [
            LegacyField(
                "applicant.citizen_id_number",
                code,
                "Số định danh cá nhân không hợp lệ hoặc không khớp ngày sinh, giới tính",
                "Invalid citizen ID number, or it does not match the birth date and gender",
            )
            for code in cccd_problems
        ]
        phone = None
        if given.phone:
            phone = normalise_vn_mobile(given.phone)
            if phone is None:
                errors.append(
                    LegacyField(
                        "applicant.phone",
                        "invalid_phone",
                        "Số điện thoại di động không hợp lệ",
                        "Invalid mobile number",
                    )
                )
        address = given.address
        if not self._units.commune_in_province(address.province_code, address.commune_code):
            errors.append(
                LegacyField(
                    "applicant.address.commune_code",
                    "unknown_commune",
                    "Xã/phường không thuộc tỉnh/thành phố đã chọn",
                    "The commune is not in the chosen province",
                )
            )
        if errors:
            raise validation_failed(errors)
        return Applicant(
            full_name=full_name,
            date_of_birth=given.date_of_birth,
            gender=given.gender,
            citizen_id_number=given.citizen_id_number,
            phone=phone,
            address=self._address(
                address.province_code, address.commune_code, address.street.strip()
            ),
        )


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
    status: str, changes: list[asyncpg.Record]
) -> SupplementRequest | None:
    """What the citizen has been asked to add, while the application waits for it."""
    if status != "supplement_requested":
        return None
    for event in reversed(changes):
        payload = event["payload"]
        if payload["to_status"] == "supplement_requested":
            try:
                missing = msgspec.convert(
                    payload.get("missing_documents") or [], list[MissingDocument]
                )
            except msgspec.ValidationError:
                missing = []
            return SupplementRequest(
                requested_at=event["occurred_at"],
                note=payload.get("note"),
                missing_documents=missing,
            )
    return None
