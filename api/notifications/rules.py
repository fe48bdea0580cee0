"""Who hears of which status change, how urgently and for how long a push service keeps it.

A citizen hears of every step of their own application that someone else took (they know
what they did themselves); the unit's officers hear of every application arriving in their
queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from api.clients.webpush import Urgency
from api.notifications.events_in import StatusChange

Audience = Literal["citizen", "unit_officers"]

DAY = 24 * 3600


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    audience: Audience
    urgency: Urgency = "normal"
    # How long the push service keeps the message for a phone that is offline. pywebpush's
    # default (0) drops it at once, and a rural phone is often offline for a day.
    ttl_seconds: int = 3 * DAY


# By the status reached. Keys of api/messages/notifications.toml: kinds.<name>.title/body.
CITIZEN_KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("received", "citizen"),
        Kind("returned", "citizen", urgency="high"),
        Kind("supplement_requested", "citizen", urgency="high"),
        Kind("approved", "citizen"),
        Kind("rejected", "citizen", urgency="high"),
        Kind("result_issued", "citizen", urgency="high", ttl_seconds=7 * DAY),
        Kind("completed", "citizen"),
        Kind("withdrawn", "citizen"),
    )
}
NEW_IN_UNIT = Kind("new_in_unit", "unit_officers")
KINDS: dict[str, Kind] = {**CITIZEN_KINDS, NEW_IN_UNIT.name: NEW_IN_UNIT}


def kinds_for(change: StatusChange) -> list[Kind]:
    kinds = []
    citizen_kind = CITIZEN_KINDS.get(change.to_status)
    if citizen_kind and change.citizen_id is not None and change.actor_role != "citizen":
        kinds.append(citizen_kind)
    if change.to_status == "submitted":
        kinds.append(NEW_IN_UNIT)
    return kinds
