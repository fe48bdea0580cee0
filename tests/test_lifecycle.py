"""The state machine as a whole and the edges of processing: the table against the issue's list,
every move outside it refused, the journal written in the same transaction as the change, the
clock paused across Tết, paused applications in the queue, and inputs that must not cause 500s.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any, get_args

import asyncpg
import httpx
import pytest

from api.applications.state_machine import MOVES, STATUSES, Action
from api.core.clock import vn_today
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, staff

# The autouse fixture decodes every event the tests here write with the typed contract.
from tests.test_applications import (
    COMMUNE_PROCEDURE,
    REQUIRED_CODES,
    commune_codes,
    create_draft,
    events_keep_their_contract,  # noqa: F401
    journal_counts,
    key_header,
    store_documents,
    submitted,
)
from tests.test_processing import act, moved

ACTIONS: tuple[str, ...] = get_args(Action)
MISSING = [{"requirement": "GIAY_CHUNG_SINH", "reason": "Ảnh bị mờ"}]


async def version_of(db: asyncpg.Connection, application_id: str) -> int:
    version: int = await db.fetchval(
        "SELECT version FROM applications WHERE id = $1", uuid.UUID(application_id)
    )
    return version


async def in_processing(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    citizen_headers: dict[str, str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """A submitted application taken to 'processing' by an officer of its unit."""
    application = await submitted(client, db, citizen_headers)
    _, officer = await staff(db, settings, unit_code=application["unit_code"])
    for action, status in (("receive", "received"), ("start", "processing")):
        application = await moved(client, officer, application, action, status)
    return application, officer


# ----- the table -----------------------------------------------------------------------------


def test_the_table_holds_exactly_the_moves_of_the_issue() -> None:
    moves = {(source, move.to_status, move.parties) for (source, _), move in MOVES.items()}
    staff_only = frozenset({"staff"})
    citizen_only = frozenset({"citizen"})
    applicant = frozenset({"citizen", "counter_staff"})
    assert moves == {
        ("draft", "submitted", applicant),
        # the daily clean-up (the system) withdraws drafts untouched for 30 days
        ("draft", "withdrawn", applicant | {"system"}),
        ("submitted", "received", staff_only),
        ("submitted", "returned", staff_only),
        ("received", "processing", staff_only),
        ("processing", "supplement_requested", staff_only),
        ("supplement_requested", "processing", applicant),
        ("processing", "approved", staff_only),
        ("processing", "rejected", staff_only),
        ("approved", "result_issued", staff_only),
        ("result_issued", "completed", staff_only),
        ("result_issued", "completed", citizen_only),
        ("submitted", "withdrawn", citizen_only),
        ("received", "withdrawn", citizen_only),
        # a late file gets a new due date (and an apology); the status stays
        ("submitted", "submitted", staff_only),
        ("received", "received", staff_only),
        ("processing", "processing", staff_only),
        ("approved", "approved", staff_only),
    }
    assert {"note", "new_due_date"} <= MOVES[("processing", "set_new_due_date")].requires
    assert MOVES[("processing", "set_new_due_date")].clock == "reschedule"
    # Reasons are required where the issue says so; the clock starts, stops, resumes, ends.
    assert "note" in MOVES[("submitted", "return")].requires
    assert "note" in MOVES[("processing", "reject")].requires
    assert {"note", "missing_documents"} <= MOVES[("processing", "request_supplement")].requires
    assert MOVES[("draft", "submit")].clock == "start"
    assert MOVES[("processing", "request_supplement")].clock == "pause"
    assert MOVES[("supplement_requested", "resubmit")].clock == "resume"
    assert {MOVES[("processing", "reject")].clock, MOVES[("approved", "issue_result")].clock} == {
        "finish"
    }


async def test_every_move_outside_the_table_is_a_409_that_changes_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    app_id = uuid.UUID(application["id"])
    before = await journal_counts(db, application["id"])
    refused = 0
    for status in STATUSES:
        await db.execute(
            "UPDATE applications SET status = $2, submitted_at ="
            " CASE WHEN $2 = 'draft' THEN NULL ELSE coalesce(submitted_at, now()) END"
            " WHERE id = $1",
            app_id,
            status,
        )
        for action in ACTIONS:
            if (status, action) in MOVES:
                continue
            for headers in (officer, citizen_headers):
                version = await version_of(db, application["id"])
                response = await client.post(
                    f"/api/v1/applications/{app_id}/transitions",
                    json={"action": action, "expected_version": version, "note": "x"},
                    headers=headers,
                )
                if action == "submit" and status != "draft" and headers is citizen_headers:
                    # A repeated submit is answered, unchanged (idempotent), not refused.
                    assert response.status_code == 200, response.text
                    assert response.json()["status"] == status
                    continue
                if status == "draft" and headers is officer:
                    # An online draft is private to the citizen until submitted.
                    problem(response, 404, "not-found")
                    continue
                details = problem(response, 409, "transition-not-allowed")
                assert (details["current_status"], details["action"]) == (status, action)
                refused += 1
    assert refused > 200
    assert await journal_counts(db, application["id"]) == before


async def test_withdrawal_is_possible_until_processing_starts(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    received = await moved(
        client, officer, await submitted(client, db, citizen_headers), "receive", "received"
    )
    withdrawn = await moved(client, citizen_headers, received, "withdraw", "withdrawn")
    assert withdrawn["allowed_actions"] == []

    application, officer = await in_processing(client, db, settings, citizen_headers)
    late = await client.post(
        f"/api/v1/applications/{application['id']}/withdraw", headers=citizen_headers
    )
    details = problem(late, 409, "transition-not-allowed")
    assert details["current_status"] == "processing"
    assert details["allowed_actions"] == []


async def test_only_the_filer_gets_the_idempotent_answer_to_a_repeated_submit(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    url = f"/api/v1/applications/{application['id']}/submit"
    again = await client.post(url, headers=citizen_headers)
    assert again.status_code == 200
    assert again.json()["receipt_code"] == application["receipt_code"]
    # An officer gets no copy of the file this way: submitting is not theirs on an online filing.
    problem(await client.post(url, headers=officer), 409, "transition-not-allowed")
    assert await journal_counts(db, application["id"]) == (2, 2)


# ----- the journal ---------------------------------------------------------------------------


async def test_each_change_and_its_journal_share_one_transaction(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, citizen_headers = await citizen(db, settings)
    officer_id, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    request_id = uuid.uuid4().hex
    response = await client.post(
        f"/api/v1/applications/{application['id']}/transitions",
        json={
            "action": "receive",
            "expected_version": application["version"],
            "note": "Đủ giấy tờ",
            "device_time": "2026-11-23T08:15:00+07:00",
        },
        headers={**officer, "X-Request-ID": request_id},
    )
    assert response.status_code == 200, response.text
    app_id = uuid.UUID(application["id"])
    audit = await db.fetchrow(
        "SELECT * FROM audit_log WHERE application_id = $1 ORDER BY id DESC LIMIT 1", app_id
    )
    event = await db.fetchrow(
        "SELECT * FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1", app_id
    )
    updated_at = await db.fetchval("SELECT updated_at FROM applications WHERE id = $1", app_id)
    # now() is the transaction's start time: one value for the three rows proves one transaction.
    assert audit["occurred_at"] == event["occurred_at"] == updated_at
    assert (audit["actor_kind"], audit["actor_id"], audit["actor_role"]) == (
        "staff",
        officer_id,
        "officer",
    )
    assert (audit["action"], audit["from_status"], audit["to_status"]) == (
        "application.receive",
        "submitted",
        "received",
    )
    assert (audit["unit_code"], audit["note"], audit["request_id"]) == (
        "00004",
        "Đủ giấy tờ",
        request_id,
    )
    assert audit["device_time"] == datetime.fromisoformat("2026-11-23T01:15:00+00:00")
    assert isinstance(event["id"], uuid.UUID)
    assert event["type"] == "application.received"
    assert event["payload"]["citizen_id"] == str(citizen_id)
    assert event["payload"]["unit_code"] == "00004"
    seqs = [
        r["seq"]
        for r in await db.fetch(
            "SELECT seq FROM events WHERE application_id = $1 ORDER BY seq", app_id
        )
    ]
    assert seqs == [1, 2, 3]


async def test_a_device_time_without_an_offset_is_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    naive = await act(client, officer, application, "receive", device_time="2026-11-23T08:15:00")
    assert problem(naive, 422, "validation-failed")["errors"][0]["path"] == "device_time"
    withdraw = await client.post(
        f"/api/v1/applications/{application['id']}/withdraw",
        json={"device_time": "2026-11-23T08:15:00"},
        headers=citizen_headers,
    )
    problem(withdraw, 422, "validation-failed")
    assert await journal_counts(db, application["id"]) == (2, 2)


# ----- the clock -----------------------------------------------------------------------------


async def test_a_pause_across_tet_and_weekends_moves_the_due_date_by_the_working_days_paused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    today = vn_today()
    holidays = {r["day"] for r in await db.fetch("SELECT day FROM public_holidays")}
    tet_starts = await db.fetchval(
        "SELECT max(day) FROM public_holidays WHERE name_en LIKE 'Lunar New Year%' AND day <= $1"
        " AND extract(month FROM day) IN (1, 2) AND NOT EXISTS (SELECT 1 FROM public_holidays p"
        " WHERE p.day = public_holidays.day - 1)",
        today - timedelta(days=10),
    )
    if tet_starts is None:
        pytest.skip("no Tết break in the holidays table before today")
    _, citizen_headers = await citizen(db, settings)
    application, officer = await in_processing(client, db, settings, citizen_headers)
    application = await moved(
        client,
        officer,
        application,
        "request_supplement",
        "supplement_requested",
        note="Chụp lại giấy chứng sinh",
        missing_documents=MISSING,
    )
    shown = (
        await client.get(f"/api/v1/applications/{application['id']}", headers=citizen_headers)
    ).json()["supplement_request"]
    assert shown["note"] == "Chụp lại giấy chứng sinh"
    assert shown["missing_documents"] == MISSING

    # As if the clock had stopped on the day before the Tết break, with the due date after it.
    paused_on = tet_starts - timedelta(days=1)
    due = paused_on + timedelta(days=20)
    await db.execute(
        "UPDATE applications SET clock_paused_on = $2, due_date = $3 WHERE id = $1",
        uuid.UUID(application["id"]),
        paused_on,
        due,
    )
    await store_documents(db, application["id"], ["GIAY_CHUNG_SINH"])
    resumed = await client.post(
        f"/api/v1/applications/{application['id']}/resubmit", headers=citizen_headers
    )
    assert resumed.status_code == 200, resumed.text

    # Counted day by day, independently of WorkingCalendar.
    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in holidays

    paused_days = sum(
        working(paused_on + timedelta(days=n)) for n in range(1, (today - paused_on).days + 1)
    )
    weekdays = sum(
        (paused_on + timedelta(days=n)).weekday() < 5
        for n in range(1, (today - paused_on).days + 1)
    )
    assert paused_days <= weekdays - 5  # the Tết days were not counted
    expected, left = due, paused_days
    while left:
        expected += timedelta(days=1)
        left -= working(expected)
    body = resumed.json()
    assert body["due_date"] == expected.isoformat()
    assert body["clock_paused_on"] is None
    assert body["supplement_request"] is None


async def test_paused_applications_have_no_sla_state_and_a_frozen_count(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    unit = (await commune_codes(db, "01", 16))[15]
    _, citizen_headers = await citizen(db, settings, commune_code=unit)
    application, officer = await in_processing(client, db, settings, citizen_headers)
    application = await moved(
        client,
        officer,
        application,
        "request_supplement",
        "supplement_requested",
        note="Bổ sung",
        missing_documents=MISSING,
    )
    calendar_days = {r["day"] for r in await db.fetch("SELECT day FROM public_holidays")}
    today = vn_today()

    def back(n: int) -> date:
        day = today
        while n:
            day -= timedelta(days=1)
            n -= day.weekday() < 5 and day not in calendar_days
        return day

    # Stopped with 5 working days left; the due date has since passed, but the clock has not run.
    await db.execute(
        "UPDATE applications SET clock_paused_on = $2, due_date = $3 WHERE id = $1",
        uuid.UUID(application["id"]),
        back(10),
        back(5),
    )
    queue = await client.get("/api/v1/officer/queue", headers=officer)
    (item,) = [i for i in queue.json()["items"] if i["id"] == application["id"]]
    assert (item["status"], item["sla"], item["working_days_left"]) == (
        "supplement_requested",
        None,
        5,
    )
    assert item["clock_paused_on"] == back(10).isoformat()
    for sla in ("overdue", "due_soon", "on_track"):
        filtered = await client.get("/api/v1/officer/queue", params={"sla": sla}, headers=officer)
        assert application["id"] not in {i["id"] for i in filtered.json()["items"]}


async def test_receipt_numbers_running_out_is_a_503_that_changes_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    unit = (await commune_codes(db, "01", 17))[16]
    _, headers = await citizen(db, settings, commune_code=unit)
    draft = await create_draft(client, headers)
    await store_documents(db, draft["id"], REQUIRED_CODES)
    await db.execute(
        "INSERT INTO receipt_counters (unit_code, day, last_number) VALUES ($1, $2, 9999)"
        " ON CONFLICT (unit_code, day) DO UPDATE SET last_number = 9999",
        unit,
        vn_today(),
    )
    response = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=headers)
    problem(response, 503, "receipt-numbers-exhausted")
    assert 0 < int(response.headers["retry-after"]) <= 24 * 3600
    current = (await client.get(f"/api/v1/applications/{draft['id']}", headers=headers)).json()
    assert (current["status"], current["receipt_code"], current["version"]) == ("draft", None, 1)
    assert await journal_counts(db, draft["id"]) == (1, 1)


# ----- the applicant snapshot and odd input --------------------------------------------------


async def test_the_snapshot_does_not_follow_later_profile_changes(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings, full_name="Lê Thị Mai")
    draft = await create_draft(client, headers)
    await db.execute(
        "UPDATE citizens SET full_name = 'Lê Thị Hoa', street = '1 Tràng Tiền' WHERE id = $1",
        citizen_id,
    )
    current = (await client.get(f"/api/v1/applications/{draft['id']}", headers=headers)).json()
    assert current["applicant"] == draft["applicant"]
    assert current["applicant"]["full_name"] == "Lê Thị Mai"


@pytest.mark.parametrize(
    "snapshot",
    [
        {"full_name": "Phạm Văn Đức"},
        {"full_name": "Phạm Văn Đức", "date_of_birth": "not a date", "address": "Hà Nội"},
        {},
    ],
)
async def test_an_application_with_a_partial_snapshot_still_reads(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, snapshot: dict[str, Any]
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    await db.execute(
        "UPDATE applications SET applicant = $2 WHERE id = $1",
        uuid.UUID(application["id"]),
        snapshot,
    )
    for headers in (officer, citizen_headers):
        response = await client.get(f"/api/v1/applications/{application['id']}", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["applicant"]["full_name"] == snapshot.get("full_name", "")
    queue = await client.get("/api/v1/officer/queue", params={"limit": 100}, headers=officer)
    assert queue.status_code == 200, queue.text
    tracked = await client.get(f"/api/v1/track/{application['receipt_code']}")
    assert tracked.status_code == 200, tracked.text
    moved_on = await act(client, officer, application, "receive")
    assert moved_on.status_code == 200, moved_on.text


async def test_a_form_is_bounded_in_size(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    huge = {f"field_{n}": "x" for n in range(1000)}
    response = await client.post(
        "/api/v1/applications",
        json={"procedure_code": COMMUNE_PROCEDURE, "form": huge},
        headers=key_header(headers),
    )
    details = problem(response, 422, "validation-failed")
    assert details["errors"][0]["path"] == "form"
    assert len(response.content) < 2000
    draft = await create_draft(client, headers)
    patched = await client.patch(
        f"/api/v1/applications/{draft['id']}", json={"form": huge}, headers=headers
    )
    problem(patched, 422, "validation-failed")
