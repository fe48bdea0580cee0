"""Who hears of what: the rules over typed events, no services."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from api.applications.events import (
    DueDateChanged,
    DueSoon,
    Overdue,
    ProcessingStarted,
    SupplementRequested,
    Withdrawn,
)
from api.notifications.rules import KINDS, kinds_for

BASE: dict[str, Any] = {
    "application_id": uuid.uuid4(),
    "seq": 3,
    "receipt_code": "00004-261123-0007-K3X",
    "procedure_code": "1.001193",
    "unit_code": "00004",
    "citizen_id": uuid.uuid4(),
    "channel": "online",
    "version": 4,
    "occurred_at": datetime(2026, 11, 23, tzinfo=UTC),
    "due_date": date(2026, 11, 26),
}
OFFICER: dict[str, Any] = {"actor_kind": "staff", "actor_role": "officer"}


def names(event: Any) -> list[str]:
    return [kind.name for kind in kinds_for(event)]


def test_sla_notices_go_to_the_units_officers_and_a_new_date_to_the_citizen() -> None:
    assert names(DueSoon(**BASE, status="processing")) == ["due_soon"]
    assert names(Overdue(**BASE, status="processing")) == ["overdue"]
    changed = DueDateChanged(
        **BASE,
        **OFFICER,
        from_status="processing",
        to_status="processing",
        note="Xin lỗi",
        previous_due_date=date(2026, 11, 20),
    )
    assert names(changed) == ["due_date_changed"]
    # A new date while still submitted is not a new application for the unit.
    assert names(
        DueDateChanged(
            **BASE,
            **OFFICER,
            from_status="submitted",
            to_status="submitted",
            note="Xin lỗi",
            previous_due_date=None,
        )
    ) == ["due_date_changed"]
    assert KINDS["overdue"].urgency == "high" and KINDS["due_date_changed"].urgency == "high"


def test_sms_only_for_what_a_citizen_must_not_miss() -> None:
    texted = {name for name, kind in KINDS.items() if kind.sms}
    assert texted == {"returned", "supplement_requested", "result_issued", "due_date_changed"}
    assert all(KINDS[name].audience == "citizen" for name in texted)
    supplement = SupplementRequested(
        **BASE,
        **OFFICER,
        from_status="processing",
        to_status="supplement_requested",
        missing_documents=[],
    )
    assert names(supplement) == ["supplement_requested"]
    started = ProcessingStarted(**BASE, **OFFICER, from_status="received", to_status="processing")
    assert names(started) == []


def test_a_draft_withdrawn_by_the_clean_up_is_nobodys_news() -> None:
    discarded = Withdrawn(
        **BASE,
        from_status="draft",
        to_status="withdrawn",
        actor_kind="system",
        actor_role="system",
    )
    assert names(discarded) == []
    after_filing = Withdrawn(**BASE, **OFFICER, from_status="received", to_status="withdrawn")
    assert names(after_filing) == ["withdrawn"]


def test_a_subscription_whose_keys_do_not_decode_fails_for_good_without_retries() -> None:
    from api.clients.webpush import PushAnswer
    from workers.push import outcome

    assert outcome(PushAnswer(status_code=None, unusable_keys=True)) == "permanent-failure"
    assert outcome(PushAnswer(status_code=None)) == "temporary-failure"
