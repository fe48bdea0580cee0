"""Request and response shapes of webhook endpoints and their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

Url = Annotated[
    str, msgspec.Meta(min_length=1, max_length=2000, examples=["https://lr.example.vn/hooks"])
]
EventTypeName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=100, examples=["application.received"])
]
EventTypes = Annotated[list[EventTypeName], msgspec.Meta(min_length=1, max_length=50)]
Description = Annotated[str, msgspec.Meta(max_length=500)]
DisabledReason = Literal["manual", "gone", "failing"]
DeliveryStatus = Literal["pending", "delivered", "failed"]
AttemptOutcome = Literal["delivered", "retry", "failed", "gone"]


class EndpointCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    url: Url
    event_types: EventTypes
    description: Description = ""


class EndpointUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    enabled: bool | None = None


class EndpointRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: DisabledReason | None  # manual, gone (answered 410), failing (5 days)
    previous_secret_expires_at: datetime | None  # both signatures are sent until then
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointRead, frozen=True):
    secret: str  # shown once


class SecretRotated(msgspec.Struct, frozen=True):
    secret: str  # the new secret, shown once
    previous_secret_expires_at: datetime


class AttemptRead(msgspec.Struct, frozen=True):
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    outcome: AttemptOutcome
    error: str | None
    response_excerpt: str | None  # the first 1 KB of the answer


class DeliveryRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    webhook_id: uuid.UUID  # the event id: the receiver's dedupe key
    event_type: str
    application_id: uuid.UUID
    status: DeliveryStatus
    created_at: datetime
    finished_at: datetime | None
    attempts: list[AttemptRead]


class DeliveryPage(msgspec.Struct, frozen=True):
    items: list[DeliveryRead]
    next_cursor: str | None


class ReplaySince(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    since: Annotated[datetime, msgspec.Meta(tz=True)]


class ReplayQueued(msgspec.Struct, frozen=True):
    queued: int
