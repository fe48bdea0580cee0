"""What each command type does, through the entry points officers use online: counter filing
(``FilingService``), the move entry point (``ProcessingService.move``) and the document checks
(``DocumentService.add_received``). Each runs inside the transaction ``push.py`` opened for the
command; raising rolls all of it back."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import TypeVar

import asyncpg
import msgspec

from api.applications.access import application_in_scope
from api.applications.filing import FilingService
from api.applications.journal import write_audit
from api.applications.processing import MoveCommand, ProcessingService, ReservedReceipt
from api.applications.receipts import ReceiptCodes
from api.applications.schemas import ApplicationCreate, MissingDocument
from api.applications.state_machine import Action
from api.core.actors import Actor
from api.core.logging import request_id_var
from api.core.problems import FieldProblem, NotFound, validation_failed
from api.core.storage import ObjectStorage
from api.documents.schemas import DocumentUploadCreate
from api.documents.service import DocumentService
from api.geo.directory import AdminUnits
from api.settings import Settings
from api.sync.devices import Device
from api.sync.problems import IntakeAfterRevocation, OriginDeviceForeign, UploadIncomplete
from api.sync.receipt_blocks import claim_reserved_code
from api.sync.repository import SyncRepository
from api.sync.schemas import (
    Command,
    CommandResult,
    CounterIntakePayload,
    NewDueDatePayload,
    NotePayload,
    TransitionPayload,
    UploadReference,
)
from api.sync.uploads import UploadService

P = TypeVar("P")
_ERROR_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_MISSING_FIELD = re.compile(r"^Object missing required field `(?P<field>[^`]+)`")


class PredecessorMissing(Exception):
    """The command names an application created by an intake the server has not seen yet."""


def _payload(command: Command, shape: type[P]) -> P:
    try:
        return msgspec.convert(command.payload, shape)
    except msgspec.ValidationError as exc:
        match = _ERROR_PATH.search(str(exc))
        path = "payload" + (match["path"] if match else "")
        missing = _MISSING_FIELD.match(str(exc))
        if missing:
            path = f"{path}.{missing['field']}"
        raise validation_failed(
            [FieldProblem(path, "required" if missing else "invalid")]
        ) from None


class CommandRunner:
    def __init__(
        self,
        conn: asyncpg.Connection,
        *,
        units: AdminUnits,
        receipt_codes: ReceiptCodes,
        storage: ObjectStorage,
        settings: Settings,
        actor: Actor,
        device: Device,
    ) -> None:
        self._conn = conn
        self._actor = actor
        self._device = device
        self._units = units
        self._repo = SyncRepository(conn)
        self._uploads = UploadService(conn)
        self._processing = ProcessingService(conn, units, receipt_codes)
        self._documents = DocumentService(conn, storage, settings)
        # Objects the current command wrote to storage: kept only if its answer is committed
        # as applied (push.py deletes them otherwise).
        self.written: list[str] = []

    async def application_of(self, command: Command) -> uuid.UUID:
        """The server id the command names, directly or by the client id of an intake."""
        if command.application_id is not None:
            return command.application_id
        if command.application_ref is None:
            raise validation_failed(
                [FieldProblem("application_id", "required", "sync.fields.application-required")]
            )
        found = await self._repo.application_of_ref(command.application_ref)
        if found is None:
            raise PredecessorMissing()
        application_id, outcome = found
        if application_id is None or outcome != "applied":
            raise NotFound(entry="applications.problems.application-not-found")
        return application_id

    async def run(self, command: Command) -> CommandResult:
        origin, revoked_at = await self._origin(command)
        result = await self._dispatch(command, origin, revoked_at)
        if origin.id != self._device.id and result.application_id is not None:
            await self._repo.audit_carried(
                staff_id=self._actor.id,
                role=self._actor.role,
                application_id=result.application_id,
                unit_code=self._device.unit_code,
                command_type=command.type,
                request_id=request_id_var.get(),
                device_time=command.device_time,
                origin_device_id=origin.id,
                origin_staff_id=origin.staff_id,
            )
        return result

    async def _dispatch(
        self, command: Command, origin: Device, revoked_at: datetime | None
    ) -> CommandResult:
        if command.type == "transition":
            return await self._transition(command)
        if command.type == "set_new_due_date":
            return await self._new_due_date(command)
        if command.type == "counter_intake":
            return await self._counter_intake(command, origin, revoked_at)
        if command.type == "attach_document":
            return await self._attach_document(command, origin)
        if command.type == "note":
            return await self._note(command)
        raise validation_failed(
            [FieldProblem("type", "not_an_option", "sync.fields.unknown-command-type")]
        )

    async def _origin(self, command: Command) -> tuple[Device, datetime | None]:
        """The device the command was taken on and when it was revoked (None: it was not).
        A carried outbox (docs/sync.md §1) names a device of the pushing device's unit."""
        if command.origin_device_id is None or command.origin_device_id == self._device.id:
            return self._device, None
        row = await self._repo.device(command.origin_device_id)
        if row is None or row["unit_code"] != self._device.unit_code:
            raise OriginDeviceForeign(origin_device_id=str(command.origin_device_id))
        revoked_at: datetime | None = row["revoked_at"]
        return Device(row["id"], row["staff_id"], row["unit_code"]), revoked_at

    async def _take(self, origin: Device, upload_id: uuid.UUID) -> tuple[asyncpg.Record, bytes]:
        """The upload, sent by the pushing officer or, for a carried command, by the officer
        of the device it was taken on (uploaded before that device was revoked)."""
        try:
            return await self._uploads.take(self._device, upload_id)
        except UploadIncomplete:
            if origin.staff_id == self._device.staff_id:
                raise
            return await self._uploads.take(origin, upload_id)

    async def _transition(self, command: Command) -> CommandResult:
        payload = _payload(command, TransitionPayload)
        return await self._move(
            command,
            action=payload.action,
            note=payload.note,
            missing_documents=payload.missing_documents,
        )

    async def _new_due_date(self, command: Command) -> CommandResult:
        payload = _payload(command, NewDueDatePayload)
        return await self._move(
            command,
            action="set_new_due_date",
            note=payload.note,
            new_due_date=payload.new_due_date,
        )

    async def _move(
        self,
        command: Command,
        *,
        action: Action,
        note: str | None,
        missing_documents: list[MissingDocument] | None = None,
        new_due_date: date | None = None,
    ) -> CommandResult:
        """A move of the state machine on the version the officer saw."""
        if command.base_version is None:
            raise validation_failed(
                [FieldProblem("base_version", "required", "sync.fields.base-version-required")]
            )
        application_id = await self.application_of(command)
        outcome = await self._processing.move(
            self._actor,
            application_id,
            MoveCommand(
                action=action,
                expected_version=command.base_version,
                device_time=command.device_time,
                note=note,
                missing_documents=missing_documents,
                new_due_date=new_due_date,
            ),
        )
        return _applied(
            command,
            outcome.application.id,
            outcome.application.version,
            outcome.application.receipt_code,
        )

    async def _counter_intake(
        self, command: Command, origin: Device, revoked_at: datetime | None
    ) -> CommandResult:
        payload = _payload(command, CounterIntakePayload)
        if command.application_ref is None:
            raise validation_failed(
                [
                    FieldProblem(
                        "application_ref", "required", "sync.fields.application-ref-required"
                    )
                ]
            )
        unit_code = self._actor.unit_code
        assert unit_code is not None, "officers have a unit"
        # The citizen holds a slip printed before the revocation: honoured; nothing after it.
        if revoked_at is not None and command.device_time > revoked_at:
            raise IntakeAfterRevocation(receipt_code=payload.receipt_code)
        day = await claim_reserved_code(
            self._repo, origin, unit_code, payload.receipt_code, command.device_time
        )
        files = [
            (reference, *await self._take(origin, reference.upload_id))
            for reference in payload.documents
        ]
        draft, _ = await FilingService(self._conn, self._units).create(
            self._actor,
            str(command.command_id),
            ApplicationCreate(
                procedure_code=payload.procedure_code,
                form=payload.form,
                applicant=payload.applicant,
            ),
        )
        document_ids = [
            await self._attach(draft.id, reference, upload, data)
            for reference, upload, data in files
        ]
        outcome = await self._processing.move(
            self._actor,
            draft.id,
            MoveCommand(
                action="submit",
                device_time=command.device_time,
                receipt=ReservedReceipt(code=payload.receipt_code, day=day),
            ),
        )
        await self._repo.use_code(payload.receipt_code, draft.id)
        result = _applied(command, draft.id, outcome.application.version, payload.receipt_code)
        return msgspec.structs.replace(result, document_ids=document_ids)

    async def _attach_document(self, command: Command, origin: Device) -> CommandResult:
        reference = _payload(command, UploadReference)
        application_id = await self.application_of(command)
        upload, data = await self._take(origin, reference.upload_id)
        document_id = await self._attach(application_id, reference, upload, data)
        ref = await application_in_scope(self._conn, self._actor, application_id)
        result = _applied(command, application_id, ref.version, None)
        return msgspec.structs.replace(result, document_ids=[document_id])

    async def _attach(
        self,
        application_id: uuid.UUID,
        reference: UploadReference,
        upload: asyncpg.Record,
        data: bytes,
    ) -> uuid.UUID:
        document = await self._documents.add_received(
            self._actor,
            application_id,
            DocumentUploadCreate(
                requirement=reference.requirement,
                content_type=upload["content_type"],
                size=upload["size"],
                sha256=upload["sha256"],
            ),
            data,
            written=self.written,
        )
        await self._uploads.mark_used(reference.upload_id, document.document_id)
        return document.document_id

    async def _note(self, command: Command) -> CommandResult:
        payload = _payload(command, NotePayload)
        application_id = await self.application_of(command)
        ref = await application_in_scope(self._conn, self._actor, application_id, for_update=True)
        await write_audit(
            self._conn,
            self._actor,
            "application.note",
            application_id=application_id,
            unit_code=ref.unit_code,
            from_status=ref.status,
            to_status=ref.status,
            note=payload.note,
            device_time=command.device_time,
        )
        return _applied(command, application_id, ref.version, None)


def _applied(
    command: Command, application_id: uuid.UUID, version: int, receipt_code: str | None
) -> CommandResult:
    return CommandResult(
        command_id=command.command_id,
        outcome="applied",
        application_id=application_id,
        version=version,
        receipt_code=receipt_code,
    )
