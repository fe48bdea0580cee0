"""The one place notifications read outbox events: a row's type and payload in, the facts the
fan-out needs out. When the typed event contract (api/applications/events.py) lands, this
function decodes with it instead; nothing else changes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import msgspec


class StatusChange(msgspec.Struct, frozen=True):
    """An application reached ``to_status``."""

    event_type: str
    application_id: uuid.UUID
    receipt_code: str | None
    procedure_code: str
    unit_code: str
    citizen_id: uuid.UUID | None
    from_status: str | None
    to_status: str
    actor_role: str | None = None


def status_change(event_type: str, payload: Mapping[str, Any]) -> StatusChange | None:
    """The status change an ``events`` row announces; None for an event that is not one."""
    if not event_type.startswith("application.") or "to_status" not in payload:
        return None
    return msgspec.convert({**payload, "event_type": event_type}, StatusChange)
