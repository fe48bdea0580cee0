"""Request and response shapes of the agency API: API keys and the applications feed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from api.applications.schemas import Channel
from api.applications.state_machine import Status

KeyName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Land registry"])]


class ApiKeyCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: KeyName


class ApiKeyRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    name: str
    prefix: str  # the key's first characters, to tell keys apart
    created_at: datetime
    last_used_at: datetime | None  # to the minute


class ApiKeyCreated(ApiKeyRead, frozen=True):
    key: str  # shown once: only its hash is kept


class AgencyApplication(msgspec.Struct, frozen=True):
    """An application as the agency feed lists it (open one for the applicant and documents)."""

    id: uuid.UUID
    receipt_code: str | None
    procedure_code: str
    unit_code: str
    channel: Channel
    status: Status
    version: int
    submitted_at: datetime | None
    due_date: date | None
    updated_at: datetime


class AgencyApplicationPage(msgspec.Struct, frozen=True):
    items: list[AgencyApplication]
    next_cursor: str  # pass as ``cursor`` to continue; never empty
    caught_up: bool  # everything changed so far was listed; poll again later with next_cursor
