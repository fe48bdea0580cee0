"""Request and response shapes of applications (citizen filing, counter intake, processing)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from api.applications.state_machine import Action, Status
from api.sync.lease_holder import LeaseHolder

ProcedureCode = Annotated[
    str, msgspec.Meta(min_length=1, max_length=40, description="Procedure code, e.g. 1.001193")
]
UnitCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z0-9]{3,10}$", examples=["00004", "P01"])]
Note = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
# Procedures have at most a few dozen fields; the bound keeps a hostile body from producing an
# error list as large as itself.
MAX_FORM_KEYS = 100
FormValues = Annotated[
    dict[str, Any],
    msgspec.Meta(
        max_length=MAX_FORM_KEYS, description="Values keyed by the procedure's form field names"
    ),
]
# Phones send their own clock; without an offset it could not be placed in time (a Vietnamese
# phone's 08:15 is 01:15 UTC), so an offset is required.
DeviceTime = Annotated[
    datetime,
    msgspec.Meta(
        tz=True,
        description="When the person acted, by their device's clock, with its UTC offset",
        examples=["2026-11-23T08:15:00+07:00"],
    ),
]
Sla = Literal["on_track", "due_soon", "overdue"]
Channel = Literal["online", "counter", "offline_sync"]


# ----- requests ----------------------------------------------------------------------------


class ApplicantAddressInput(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    province_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{2}$")]
    commune_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]
    street: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ApplicantInput(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The applicant as typed by an officer from their identity card (counter intake)."""

    full_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    date_of_birth: date
    gender: Literal["male", "female"]
    citizen_id_number: Annotated[
        str, msgspec.Meta(pattern=r"^[0-9]{12}$", description="12-digit CCCD number")
    ]
    address: ApplicantAddressInput
    phone: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=20,
                description=(
                    "Mobile number. The filing shows in the citizen's own account only when an "
                    "account has both this (SMS-verified) number and this CCCD number"
                ),
            ),
        ]
        | None
    ) = None


class ApplicationCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A new draft. Citizens file for themselves (their profile becomes the applicant); staff
    taking an application at the counter must send ``applicant`` and file in their own unit."""

    procedure_code: ProcedureCode
    form: FormValues = {}
    unit_code: Annotated[
        UnitCode | None,
        msgspec.Meta(
            description=(
                "Another unit of the procedure's level (default: the citizen's commune, or "
                "province for province-level procedures; the officer's unit at the counter)"
            )
        ),
    ] = None
    applicant: Annotated[
        ApplicantInput | None, msgspec.Meta(description="Counter intake only (staff)")
    ] = None


class ApplicationUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Merge ``form`` into the saved values: the keys given replace the saved ones."""

    form: FormValues
    expected_version: Annotated[int, msgspec.Meta(ge=1)] | None = None


class ActionRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Optional body of submit, withdraw and resubmit."""

    note: Note | None = None
    expected_version: Annotated[int, msgspec.Meta(ge=1)] | None = None
    device_time: DeviceTime | None = None


class MissingDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    requirement: Annotated[
        str, msgspec.Meta(min_length=1, max_length=60, description="Required document code")
    ]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class TransitionRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    action: Action
    expected_version: Annotated[
        int, msgspec.Meta(ge=1, description="The version the caller saw; stale → 409")
    ]
    note: Note | None = None
    missing_documents: Annotated[list[MissingDocument], msgspec.Meta(max_length=50)] | None = None
    device_time: DeviceTime | None = None
    new_due_date: Annotated[
        date | None,
        msgspec.Meta(
            description=(
                "set_new_due_date only: a working day after today and after the current due "
                "date; the note is the apology to the citizen"
            )
        ),
    ] = None


# ----- responses ---------------------------------------------------------------------------


class ApplicantAddress(msgspec.Struct, frozen=True):
    province_code: str = ""
    province_name: str = ""
    commune_code: str = ""
    commune_name: str = ""
    street: str = ""


class Applicant(msgspec.Struct, frozen=True):
    """Who the application is for, as it was when the application was created.

    Filings made here always carry every detail; the defaults let records that arrived with
    fewer (synced from offline devices, imported) still be read.
    """

    full_name: str = ""
    date_of_birth: date | None = None
    gender: Literal["male", "female"] | None = None
    citizen_id_number: str | None = None
    phone: str | None = None
    address: ApplicantAddress | None = None


class TimelineEntry(msgspec.Struct, frozen=True):
    status: Status
    at: datetime
    actor_role: str
    note: str | None
    # set when the entry gave the application a new due date (set_new_due_date)
    new_due_date: date | None = None


class OfficerNote(msgspec.Struct, frozen=True):
    """A note an officer wrote on the file (the offline sync ``note`` command): internal, shown
    to staff readers beside the status timeline, never to the citizen or the public."""

    at: Annotated[datetime, msgspec.Meta(description="When the server recorded it")]
    device_time: Annotated[
        datetime | None, msgspec.Meta(description="When it was written on the device")
    ]
    author_id: uuid.UUID | None
    author_name: str
    note: str


class SupplementRequest(msgspec.Struct, frozen=True):
    """What the officer asked the citizen to add; present while the status is
    supplement_requested."""

    requested_at: datetime
    note: str | None
    missing_documents: list[MissingDocument]


class DocumentSummary(msgspec.Struct, frozen=True):
    id: uuid.UUID
    requirement: str
    kind: Literal["input", "result"]
    status: Literal["pending", "stored", "rejected"]
    content_type: str
    size: int


class ApplicationRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    unit_code: str
    unit_name_vi: str
    unit_name_en: str
    channel: Channel
    status: Status
    applicant: Applicant
    applicant_identity_verified: Annotated[
        bool,
        msgspec.Meta(
            description=(
                "True when the applicant's account had its identity (CCCD, name, birth date) "
                "checked against the card by an officer and the application carries that "
                "CCCD; a number typed into a profile alone proves nothing"
            )
        ),
    ]
    form: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    received_on: date | None
    due_date: date | None
    clock_paused_on: Annotated[
        date | None, msgspec.Meta(description="Set while waiting for the citizen's supplement")
    ]
    completed_at: Annotated[
        datetime | None, msgspec.Meta(description="When processing finished (result or refusal)")
    ]
    allowed_actions: Annotated[
        list[Action], msgspec.Meta(description="Actions the caller may take now")
    ]
    supplement_request: SupplementRequest | None
    timeline: list[TimelineEntry]
    documents: list[DocumentSummary]
    lease: Annotated[
        LeaseHolder | None,
        msgspec.Meta(
            description="Staff readers: the officer holding it for offline work, until when"
        ),
    ] = None
    notes: Annotated[
        list[OfficerNote] | None,
        msgspec.Meta(
            description=(
                "Staff readers: the officers' notes on the file, oldest first (the timeline "
                "the officer sees is `timeline` and `notes` together, by time); null for others"
            )
        ),
    ] = None


class ApplicationSummary(msgspec.Struct, frozen=True):
    id: uuid.UUID
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    unit_code: str
    channel: Channel
    status: Status
    version: int
    created_at: datetime
    submitted_at: datetime | None
    due_date: date | None


class ApplicationPage(msgspec.Struct, frozen=True):
    items: list[ApplicationSummary]
    next_cursor: str | None


class QueueItem(msgspec.Struct, frozen=True):
    id: uuid.UUID
    receipt_code: str | None
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    applicant_name_masked: Annotated[
        str,
        msgspec.Meta(
            description=(
                "Initials only, as on public tracking (e.g. N*** V*** A): listing the queue "
                "is not a read of personal data; opening the application is, and is audited"
            )
        ),
    ]
    channel: Channel
    status: Status
    version: int
    received_on: date | None
    due_date: date | None
    clock_paused_on: Annotated[
        date | None, msgspec.Meta(description="Set while waiting for the citizen's supplement")
    ]
    working_days_left: Annotated[
        int | None,
        msgspec.Meta(
            description=(
                "Working days until the due date; negative when overdue; frozen at its value "
                "on the day the clock stopped while a supplement is awaited"
            )
        ),
    ]
    sla: Annotated[
        Sla | None,
        msgspec.Meta(
            description=(
                "on_track, due_soon (at most 1 working day left) or overdue; null while the "
                "clock is stopped (waiting for the citizen's supplement: the due date moves "
                "when they resubmit) and once processing is finished"
            )
        ),
    ]
    lease: Annotated[
        LeaseHolder | None,
        msgspec.Meta(description="The officer holding it for offline work, until when"),
    ] = None


class QueuePage(msgspec.Struct, frozen=True):
    items: list[QueueItem]
    next_cursor: str | None
