"""The outbox events of an application: one typed Struct per event type (docs/events.md).

Tracking, push notifications and the agencies' webhooks read these payloads, so an event
carries what a subscriber of the application's unit may see and nothing personal: no
applicant name, CCCD number, phone or address (``citizen_id`` is an account id, not a CCCD).
Events are written through these Structs (``journal.write_event``) and read back through
``decode_event``; a payload with a field the Struct does not know is refused, so adding one
means adding it here (and to docs/events.md) first.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal, get_args

import msgspec

from api.applications.schemas import Channel, MissingDocument
from api.applications.state_machine import Action, Status
from api.core.actors import ActorKind, Role

# Bumped when a field changes meaning or goes away; new optional fields keep the version.
SCHEMA_VERSION: Literal[1] = 1


class EventBase(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="type"
):
    """What every event says about its application."""

    schema_version: Literal[1] = SCHEMA_VERSION
    application_id: uuid.UUID
    seq: int  # 1, 2, … per application: the order of its events
    receipt_code: str | None
    procedure_code: str
    unit_code: str
    citizen_id: uuid.UUID | None  # the citizen account it belongs to (counter filings: maybe none)
    channel: Channel
    version: int  # the application's version after the change
    occurred_at: datetime  # UTC
    due_date: date | None


class StatusChange(EventBase, frozen=True, kw_only=True):
    """An application moved from one status to another; who moved it, and why (``note``)."""

    from_status: Status | None  # None on creation only
    to_status: Status
    actor_kind: ActorKind
    actor_role: Role
    note: str | None = None


class Created(StatusChange, frozen=True, kw_only=True, tag="application.created"):
    pass


class Submitted(StatusChange, frozen=True, kw_only=True, tag="application.submitted"):
    pass


class Received(StatusChange, frozen=True, kw_only=True, tag="application.received"):
    pass


class Returned(StatusChange, frozen=True, kw_only=True, tag="application.returned"):
    pass


class ProcessingStarted(
    StatusChange, frozen=True, kw_only=True, tag="application.processing_started"
):
    pass


class SupplementRequested(
    StatusChange, frozen=True, kw_only=True, tag="application.supplement_requested"
):
    missing_documents: list[MissingDocument]


class Resubmitted(StatusChange, frozen=True, kw_only=True, tag="application.resubmitted"):
    pass


class Approved(StatusChange, frozen=True, kw_only=True, tag="application.approved"):
    pass


class Rejected(StatusChange, frozen=True, kw_only=True, tag="application.rejected"):
    pass


class ResultIssued(StatusChange, frozen=True, kw_only=True, tag="application.result_issued"):
    pass


class Completed(StatusChange, frozen=True, kw_only=True, tag="application.completed"):
    pass


class Withdrawn(StatusChange, frozen=True, kw_only=True, tag="application.withdrawn"):
    pass


class DueDateChanged(StatusChange, frozen=True, kw_only=True, tag="application.due_date_changed"):
    """A late file got a new date (``due_date``) and an apology (``note``); the status stays."""

    previous_due_date: date | None


class SlaNotice(EventBase, frozen=True, kw_only=True):
    """The SLA watch saw the deadline come near or pass while the application was in
    ``status`` (``due_date`` is the date it measured); written once per state and due date."""

    status: Status


class DueSoon(SlaNotice, frozen=True, kw_only=True, tag="application.due_soon"):
    """At most one working day is left before ``due_date``."""


class Overdue(SlaNotice, frozen=True, kw_only=True, tag="application.overdue"):
    """``due_date`` passed and the application is not finished."""


ApplicationEvent = (
    Created
    | Submitted
    | Received
    | Returned
    | ProcessingStarted
    | SupplementRequested
    | Resubmitted
    | Approved
    | Rejected
    | ResultIssued
    | Completed
    | Withdrawn
    | DueDateChanged
    | DueSoon
    | Overdue
)

# The event each action of the state machine writes (two actions may announce the same thing).
EVENT_FOR_ACTION: dict[Action, type[StatusChange]] = {
    "submit": Submitted,
    "receive": Received,
    "return": Returned,
    "start": ProcessingStarted,
    "request_supplement": SupplementRequested,
    "resubmit": Resubmitted,
    "approve": Approved,
    "reject": Rejected,
    "issue_result": ResultIssued,
    "complete": Completed,
    "confirm_receipt": Completed,
    "withdraw": Withdrawn,
    "set_new_due_date": DueDateChanged,
}


def event_type(event_class: type[EventBase]) -> str:
    """The ``type`` an event class is stored under (its tag)."""
    tag = event_class.__struct_config__.tag
    assert isinstance(tag, str)
    return tag


# Every type an application event is stored under.
EVENT_TYPES: frozenset[str] = frozenset(event_type(cls) for cls in get_args(ApplicationEvent))


def event_payload(event: EventBase) -> dict[str, Any]:
    """The JSON object stored in ``events.payload`` (``type`` included)."""
    payload: dict[str, Any] = msgspec.to_builtins(event)
    return payload


def decode_event(event_type: str, seq: int, payload: Mapping[str, Any]) -> ApplicationEvent:
    """The typed event of an ``events`` row; the row's ``type`` and ``seq`` columns are the
    truth. Raises ``msgspec.ValidationError`` on a payload that is not of the contract."""
    event: ApplicationEvent = msgspec.convert(
        {**payload, "type": event_type, "seq": seq}, ApplicationEvent
    )
    return event
