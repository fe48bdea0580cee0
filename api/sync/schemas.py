"""Request and response shapes of offline sync (docs/sync.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from api.applications.schemas import (
    ApplicantInput,
    DeviceTime,
    DocumentSummary,
    FormValues,
    MissingDocument,
    Note,
    OfficerNote,
    ProcedureCode,
    TimelineEntry,
)
from api.applications.state_machine import Action, Status
from api.documents.schemas import DocumentContentType
from api.notifications.schemas import NotificationRead
from api.sync.lease_holder import LeaseHolder

Sha256Hex = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lowercase hex")
]
Requirement = Annotated[
    str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")
]

MAX_COMMANDS_PER_PUSH = 100
MAX_CODES_PER_BLOCK = 200
MAX_DAYS_AHEAD = 7

# ----- devices ------------------------------------------------------------------------------


class DeviceRegistration(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    device_id: Annotated[
        uuid.UUID, msgspec.Meta(description="Made by the client once per installation")
    ]
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class DeviceRead(msgspec.Struct, frozen=True):
    device_id: uuid.UUID
    label: str
    unit_code: str
    registered_at: datetime
    revoked_at: datetime | None


# ----- work leases --------------------------------------------------------------------------

MAX_LEASE_HOURS = 72
MAX_LEASES_PER_REQUEST = 100


class LeaseRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    application_ids: Annotated[
        list[uuid.UUID], msgspec.Meta(min_length=1, max_length=MAX_LEASES_PER_REQUEST)
    ]
    hours: Annotated[int, msgspec.Meta(ge=1, le=MAX_LEASE_HOURS)] = MAX_LEASE_HOURS


class LeaseRead(msgspec.Struct, frozen=True):
    lease_id: uuid.UUID
    application_id: uuid.UUID
    device_id: uuid.UUID
    holder_id: uuid.UUID
    holder_name: str
    taken_at: datetime
    expires_at: datetime
    released_at: datetime | None


class LeaseAnswer(msgspec.Struct, frozen=True):
    application_id: uuid.UUID
    outcome: Annotated[
        Literal["leased", "held"],
        msgspec.Meta(
            description="leased: this device holds it (now or since an earlier request); "
            "held: another device holds it (lease says whose, until when)"
        ),
    ]
    lease: LeaseRead


class LeaseResult(msgspec.Struct, frozen=True):
    leases: list[LeaseAnswer]


# ----- pull ---------------------------------------------------------------------------------


class SyncApplication(msgspec.Struct, frozen=True):
    """One application of the work set, in its latest state."""

    id: uuid.UUID
    version: int
    status: Status
    receipt_code: str | None
    procedure_code: str
    channel: str
    applicant: dict[str, Any]
    form: dict[str, Any]
    submitted_at: datetime | None
    received_on: date | None
    due_date: date | None
    clock_paused_on: date | None
    completed_at: datetime | None
    updated_at: datetime
    allowed_actions: list[Action]
    documents: list[DocumentSummary]
    timeline: list[TimelineEntry]
    lease: Annotated[
        LeaseHolder | None,
        msgspec.Meta(description="The lease in force when the record was read, if any"),
    ] = None
    notes: Annotated[
        list[OfficerNote],
        msgspec.Meta(
            description="The officers' notes on the file, oldest first (with the timeline, by time)"
        ),
    ] = msgspec.field(default_factory=list)


class ReferenceProcedure(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    service_level: str
    processing_days: int
    active: bool
    required_documents: Any
    form_fields: Any


class ReferenceDay(msgspec.Struct, frozen=True):
    day: date
    working: bool
    name_vi: str
    name_en: str


class ReferenceUnit(msgspec.Struct, frozen=True):
    code: str
    agency_code: str
    level: str
    province_code: str
    commune_code: str | None
    name_vi: str
    name_en: str


class Reference(msgspec.Struct, frozen=True):
    """What changes outside the feed; sent when its ``version`` differs from the device's."""

    version: str
    unit: ReferenceUnit
    procedures: list[ReferenceProcedure]
    calendar: list[ReferenceDay]


class PullPage(msgspec.Struct, frozen=True):
    applications: list[SyncApplication]
    notifications: Annotated[
        list[NotificationRead],
        msgspec.Meta(
            description="The requesting officer's own notifications changed since the cursor "
            "(new, or marked read), in their language"
        ),
    ]
    reference: Reference | None
    next_cursor: str
    has_more: bool


# ----- receipt blocks -----------------------------------------------------------------------


class ReceiptBlockRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    block_id: Annotated[uuid.UUID, msgspec.Meta(description="Made by the client; retries reuse")]
    count: Annotated[int, msgspec.Meta(ge=1, le=MAX_CODES_PER_BLOCK)]
    day: Annotated[
        date | None, msgspec.Meta(description="Vietnam day the codes are for (default today)")
    ] = None


class ReceiptBlock(msgspec.Struct, frozen=True):
    block_id: uuid.UUID
    unit_code: str
    day: date
    codes: list[str]
    reserved_at: datetime


# ----- push ---------------------------------------------------------------------------------

CommandType = Literal["counter_intake", "transition", "set_new_due_date", "attach_document", "note"]


class Command(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    command_id: uuid.UUID
    type: str
    device_time: DeviceTime
    application_id: uuid.UUID | None = None
    application_ref: Annotated[
        uuid.UUID | None,
        msgspec.Meta(description="Client id of an application created offline (counter_intake)"),
    ] = None
    base_version: Annotated[int, msgspec.Meta(ge=1)] | None = None
    depends_on: uuid.UUID | None = None
    origin_device_id: Annotated[
        uuid.UUID | None,
        msgspec.Meta(
            description="The device the command was taken on, when another device carries a "
            "revoked or replaced device's outbox (default: the pushing device)"
        ),
    ] = None
    payload: Annotated[dict[str, Any], msgspec.Meta(max_length=20)] = {}


class PushRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    device_id: uuid.UUID
    commands: Annotated[list[Command], msgspec.Meta(max_length=MAX_COMMANDS_PER_PUSH)]


class TransitionPayload(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    action: Action
    note: Note | None = None
    missing_documents: Annotated[list[MissingDocument], msgspec.Meta(max_length=50)] | None = None


class NewDueDatePayload(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A late file's new deadline and the apology to the citizen (``set_new_due_date``)."""

    new_due_date: Annotated[
        date,
        msgspec.Meta(description="A working day after today and after the current due date"),
    ]
    note: Annotated[Note, msgspec.Meta(description="The apology to the citizen")]


class UploadReference(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    upload_id: uuid.UUID
    requirement: Requirement


class CounterIntakePayload(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    procedure_code: ProcedureCode
    applicant: ApplicantInput
    receipt_code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    form: FormValues = {}
    documents: Annotated[list[UploadReference], msgspec.Meta(max_length=20)] = []


class NotePayload(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    note: Note


Outcome = Literal["applied", "duplicate", "conflict", "rejected", "retry"]
RetryReason = Literal["predecessor_missing", "upload_incomplete", "unavailable"]


class CommandResult(msgspec.Struct, frozen=True, omit_defaults=True):
    command_id: uuid.UUID
    outcome: Outcome
    application_id: uuid.UUID | None = None
    version: int | None = None
    receipt_code: str | None = None
    document_ids: list[uuid.UUID] | None = None
    current: SyncApplication | None = None
    problem: dict[str, Any] | None = None
    reason: RetryReason | None = None
    first: CommandResult | None = None


class PushResult(msgspec.Struct, frozen=True):
    results: list[CommandResult]


# ----- uploads ------------------------------------------------------------------------------

MAX_CHUNK_BYTES = 512 * 1024


class UploadCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    upload_id: uuid.UUID
    content_type: DocumentContentType
    size: Annotated[int, msgspec.Meta(ge=1)]
    sha256: Sha256Hex


class UploadState(msgspec.Struct, frozen=True):
    upload_id: uuid.UUID
    size: int
    offset: int
    complete: bool
