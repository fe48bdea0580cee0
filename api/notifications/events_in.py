"""The one place notifications read outbox events: an ``events`` row in, the status change it
announces out (through the typed contract, api/applications/events.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.applications.events import EVENT_TYPES, StatusChange, decode_event

__all__ = ["StatusChange", "status_change"]


def status_change(event: Mapping[str, Any]) -> StatusChange | None:
    """The status change an ``events`` row (type, seq, payload) announces; None for an event
    that is not one (an overdue notice, or an event of another kind than an application's)."""
    if event["type"] not in EVENT_TYPES:
        return None
    decoded = decode_event(event["type"], event["seq"], event["payload"])
    return decoded if isinstance(decoded, StatusChange) else None
