"""Who hears of which event, how urgently, for how long a push service keeps it, and whether
a citizen without working push gets an SMS instead.

A citizen hears of every step of their own application that someone else took (they know
what they did themselves), and of a new due date with the apology for a late file; the unit's
officers hear of every application arriving in their queue, and of files coming due or late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from api.clients.webpush import Urgency
from api.notifications.events_in import (
    ApplicationEvent,
    DueDateChanged,
    DueSoon,
    Overdue,
    StatusChange,
)
from api.notifications.notices import SUSPICIOUS_SIGN_IN, WEBHOOK_DISABLED

# "account": an account notice (api/notifications/notices.py), whose creator names the people.
Audience = Literal["citizen", "unit_officers", "account"]

DAY = 24 * 3600


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    audience: Audience
    urgency: Urgency = "normal"
    # How long the push service keeps the message for a phone that is offline. pywebpush's
    # default (0) drops it at once, and a rural phone is often offline for a day.
    ttl_seconds: int = 3 * DAY
    # A citizen must not miss it: without a working push subscription (none, all failed, or
    # push failed for good for this notification) they get one SMS (catalogue: sms.<name>).
    sms: bool = False


# By the status reached. Keys of api/messages/notifications.toml: kinds.<name>.title/body.
CITIZEN_KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("received", "citizen"),
        Kind("returned", "citizen", urgency="high", sms=True),
        Kind("supplement_requested", "citizen", urgency="high", sms=True),
        Kind("approved", "citizen"),
        Kind("rejected", "citizen", urgency="high"),
        Kind("result_issued", "citizen", urgency="high", ttl_seconds=7 * DAY, sms=True),
        Kind("completed", "citizen"),
        Kind("withdrawn", "citizen"),
    )
}
DUE_DATE_CHANGED = Kind("due_date_changed", "citizen", urgency="high", sms=True)
NEW_IN_UNIT = Kind("new_in_unit", "unit_officers")
DUE_SOON = Kind("due_soon", "unit_officers", ttl_seconds=DAY)
OVERDUE = Kind("overdue", "unit_officers", urgency="high")
# Account notices: someone keeps failing to sign in as the officer (the officer should act
# now); an agency's webhook endpoint was disabled.
SUSPICIOUS_SIGN_IN_NOTICE = Kind(SUSPICIOUS_SIGN_IN, "account", urgency="high", ttl_seconds=DAY)
WEBHOOK_DISABLED_NOTICE = Kind(WEBHOOK_DISABLED, "account", urgency="high")
KINDS: dict[str, Kind] = {
    **CITIZEN_KINDS,
    **{
        kind.name: kind
        for kind in (
            DUE_DATE_CHANGED,
            NEW_IN_UNIT,
            DUE_SOON,
            OVERDUE,
            SUSPICIOUS_SIGN_IN_NOTICE,
            WEBHOOK_DISABLED_NOTICE,
        )
    },
}


def kinds_for(event: ApplicationEvent) -> list[Kind]:
    if isinstance(event, DueSoon):
        return [DUE_SOON]
    if isinstance(event, Overdue):
        return [OVERDUE]
    assert isinstance(event, StatusChange)
    kinds = []
    # Someone else acted on a filed application (a draft nobody submitted is no news).
    by_other = event.actor_role != "citizen" and event.from_status not in (None, "draft")
    citizen_kind = (
        DUE_DATE_CHANGED
        if isinstance(event, DueDateChanged)
        else CITIZEN_KINDS.get(event.to_status)
    )
    if citizen_kind and event.citizen_id is not None and by_other:
        kinds.append(citizen_kind)
    if event.to_status == "submitted" and event.from_status != "submitted":
        kinds.append(NEW_IN_UNIT)
    return kinds
