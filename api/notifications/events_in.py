"""The one place notifications read outbox events: an ``events`` row in, what it tells people
out (through the typed contract, api/applications/events.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.applications.events import (
    EVENT_TYPES,
    ApplicationEvent,
    DueDateChanged,
    DueSoon,
    Overdue,
    SlaNotice,
    StatusChange,
    decode_event,
)

__all__ = [
    "ApplicationEvent",
    "DueDateChanged",
    "DueSoon",
    "Overdue",
    "StatusChange",
    "application_event",
    "status_of",
]


def application_event(event: Mapping[str, Any]) -> ApplicationEvent | None:
    """The typed event of an ``events`` row (type, seq, payload); None for a row of another
    kind than an application's event."""
    if event["type"] not in EVENT_TYPES:
        return None
    return decode_event(event["type"], event["seq"], event["payload"])


def status_of(event: ApplicationEvent) -> str:
    """The status the application is in after the event."""
    return event.status if isinstance(event, SlaNotice) else event.to_status
