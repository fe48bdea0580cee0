"""Processing by officers: the state machine, the clock pausing for supplements, versions and
races, scope between units, the queue with SLA states, counter intake, and the audit log."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from api.applications.calendar_store import load_working_calendar
from api.core.clock import vn_today
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, random_cccd, staff

# The autouse fixture decodes every event the tests here write with the typed contract.
from tests.test_applications import (
    COMMUNE_PROCEDURE,
    COMPLETE_FORM,
    OPTIONAL_CODE,
    REQUIRED_CODES,
    commune_codes,
    create_draft,
    events_keep_their_contract,  # noqa: F401
    journal_counts,
    key_header,
    store_documents,
    submitted,
)


async def act(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    application: dict[str, Any],
    action: str,
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/applications/{application['id']}/transitions",
        json={"action": action, "expected_version": application["version"], **extra},
        headers=headers,
    )


async def moved(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    application: dict[str, Any],
    action: str,
    to_status: str,
    **extra: Any,
) -> dict[str, Any]:
    response = await act(client, headers, application, action, **extra)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == to_status
    assert body["version"] == application["version"] + 1
    return body


async def last_event(db: asyncpg.Connection, application_id: str) -> asyncpg.Record:
    row = await db.fetchrow(
        "SELECT type, payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(application_id),
    )
    assert row is not None
    return row


async def test_full_lifecycle_with_a_supplement_request_pausing_the_clock(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    app_id = application["id"]
    events, audits = await journal_counts(db, app_id)

    async def step(action: str, to_status: str, **extra: Any) -> dict[str, Any]:
        nonlocal application, events, audits
        application = await moved(client, officer, application, action, to_status, **extra)
        events, audits = events + 1, audits + 1
        assert await journal_counts(db, app_id) == (events, audits)  # exactly one of each
        return application

    await step("receive", "received")
    # The citizen's withdraw is not for staff.
    assert application["allowed_actions"] == ["start", "set_new_due_date"]
    await step("start", "processing")

    missing = [{"requirement": "GIAY_CHUNG_SINH", "reason": "Ảnh bị mờ, không đọc được"}]
    no_list = await act(client, officer, application, "request_supplement", note="Bổ sung")
    assert problem(no_list, 422, "validation-failed")["errors"][0]["path"] == "missing_documents"
    unknown = await act(
        client,
        officer,
        application,
        "request_supplement",
        note="Bổ sung",
        missing_documents=[{"requirement": "no_such_document", "reason": "x"}],
    )
    details = problem(unknown, 422, "validation-failed")
    assert details["errors"][0]["path"] == "missing_documents.0.requirement"
    await step(
        "request_supplement",
        "supplement_requested",
        note="Vui lòng chụp lại giấy chứng sinh",
        missing_documents=missing,
        device_time="2026-11-23T08:15:00+07:00",
    )
    today = vn_today()
    assert application["clock_paused_on"] == today.isoformat()
    event = await last_event(db, app_id)
    assert event["type"] == "application.supplement_requested"
    assert event["payload"]["missing_documents"] == missing
    assert event["payload"]["note"] == "Vui lòng chụp lại giấy chứng sinh"
    assert event["payload"]["actor_role"] == "officer"
    assert event["payload"]["citizen_id"] == str(citizen_id)
    device_time = await db.fetchval(
        "SELECT device_time FROM audit_log WHERE application_id = $1 AND to_status = $2",
        uuid.UUID(app_id),
        "supplement_requested",
    )
    assert device_time is not None

    # The clock was stopped three working days ago (as if the citizen took that long).
    calendar = await load_working_calendar(db)
    paused_on = calendar.add_working_days(today, -3)
    await db.execute(
        "UPDATE applications SET clock_paused_on = $2 WHERE id = $1", uuid.UUID(app_id), paused_on
    )
    due_before = await db.fetchval(
        "SELECT due_date FROM applications WHERE id = $1", uuid.UUID(app_id)
    )
    resubmit_url = f"/api/v1/applications/{app_id}/resubmit"
    # The old photo is still stored, but the officer asked for a new one.
    not_yet = problem(
        await client.post(resubmit_url, headers=citizen_headers), 422, "application-incomplete"
    )
    assert [(e["path"], e["code"]) for e in not_yet["errors"]] == [
        ("documents.GIAY_CHUNG_SINH", "missing_document")
    ]
    await store_documents(db, app_id, ["GIAY_CHUNG_SINH"])
    resumed = await client.post(resubmit_url, headers=citizen_headers)
    assert resumed.status_code == 200, resumed.text
    application = resumed.json()
    events, audits = events + 1, audits + 1
    assert application["status"] == "processing"
    assert application["clock_paused_on"] is None
    assert application["due_date"] == calendar.add_working_days(due_before, 3).isoformat()
    assert await journal_counts(db, app_id) == (events, audits)

    await step("approve", "approved")
    no_result = await act(client, officer, application, "issue_result")
    problem(no_result, 422, "result-document-missing")
    await store_documents(db, app_id, ["ban_chinh_giay_khai_sinh"], kind="result")
    await step("issue_result", "result_issued")
    assert application["completed_at"] is not None
    assert (await last_event(db, app_id))["type"] == "application.result_issued"

    # The citizen confirms they collected the result.
    application = await moved(client, citizen_headers, application, "confirm_receipt", "completed")
    events, audits = events + 1, audits + 1
    assert await journal_counts(db, app_id) == (events, audits)
    assert [(s["status"], s["actor_role"]) for s in application["timeline"]] == [
        ("draft", "citizen"),
        ("submitted", "citizen"),
        ("received", "officer"),
        ("processing", "officer"),
        ("supplement_requested", "officer"),
        ("processing", "citizen"),
        ("approved", "officer"),
        ("result_issued", "officer"),
        ("completed", "citizen"),
    ]
    assert application["timeline"][4]["note"] == "Vui lòng chụp lại giấy chứng sinh"
    assert application["allowed_actions"] == []
    types = [
        r["type"]
        for r in await db.fetch(
            "SELECT type FROM events WHERE application_id = $1 ORDER BY seq", uuid.UUID(app_id)
        )
    ]
    assert types == [
        "application.created",
        "application.submitted",
        "application.received",
        "application.processing_started",
        "application.supplement_requested",
        "application.resubmitted",
        "application.approved",
        "application.result_issued",
        "application.completed",
    ]
    versions = [
        r["v"]
        for r in await db.fetch(
            "SELECT (payload->>'version')::int AS v FROM events WHERE application_id = $1"
            " ORDER BY seq",
            uuid.UUID(app_id),
        )
    ]
    assert versions == sorted(set(versions))  # every change bumped the version


async def test_officer_rejects_or_returns_with_a_reason_and_marks_collection(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)

    returned = await submitted(client, db, citizen_headers)
    problem(await act(client, officer, returned, "return"), 422, "validation-failed")
    returned = await moved(
        client, officer, returned, "return", "returned", note="Không thuộc thẩm quyền"
    )
    assert returned["completed_at"] is None

    rejected = await submitted(client, db, citizen_headers)
    rejected = await moved(client, officer, rejected, "receive", "received")
    rejected = await moved(client, officer, rejected, "start", "processing")
    problem(await act(client, officer, rejected, "reject", note="  "), 422, "validation-failed")
    rejected = await moved(
        client, officer, rejected, "reject", "rejected", note="Không đủ điều kiện"
    )
    assert rejected["completed_at"] is not None

    collected = await submitted(client, db, citizen_headers)
    for action, status in (
        ("receive", "received"),
        ("start", "processing"),
        ("approve", "approved"),
    ):
        collected = await moved(client, officer, collected, action, status)
    await store_documents(db, collected["id"], ["ket_qua"], kind="result")
    collected = await moved(client, officer, collected, "issue_result", "result_issued")
    collected = await moved(client, officer, collected, "complete", "completed")


async def test_moves_outside_the_table_or_for_someone_else_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    illegal = problem(await act(client, officer, application, "approve"), 409)
    assert illegal["type"] == "/problems/transition-not-allowed"
    assert illegal["current_status"] == "submitted"
    assert illegal["allowed_actions"] == ["receive", "return", "set_new_due_date"]
    # The move exists, but it is the officer's, not the citizen's (and the reverse).
    problem(await act(client, citizen_headers, application, "receive"), 403, "forbidden")
    problem(await act(client, officer, application, "withdraw"), 403, "forbidden")
    bad_action = await act(client, officer, application, "teleport")
    problem(bad_action, 422, "validation-failed")
    assert await journal_counts(db, application["id"]) == (2, 2)


async def test_a_stale_version_is_a_conflict_naming_the_current_one(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    received = await moved(client, officer, application, "receive", "received")
    stale = await act(client, officer, application, "start")  # still carries the old version
    details = problem(stale, 409, "version-conflict")
    assert details["current_version"] == received["version"]


async def test_two_officers_racing_exactly_one_wins(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, first = await staff(db, settings)
    _, second = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    responses = await asyncio.gather(
        act(client, first, application, "receive"),
        act(client, second, application, "return", note="Sai thẩm quyền"),
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert problem(loser, 409, "version-conflict")["current_version"] == application["version"] + 1
    assert await journal_counts(db, application["id"]) == (3, 3)


async def test_officers_see_and_act_only_within_their_unit(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    commune_y = (await commune_codes(db, "01", 4))[3]
    _, citizen_y = await citizen(db, settings, commune_code=commune_y)
    _, officer_x = await staff(db, settings, unit_code="00004")
    _, officer_y = await staff(db, settings, unit_code=commune_y)
    _, admin_x = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code="UBX00004"
    )
    _, system_admin = await staff(db, settings, role="system_admin", unit_code=None)
    application = await submitted(client, db, citizen_y)
    url = f"/api/v1/applications/{application['id']}"
    for outsider in (officer_x, admin_x):
        problem(await client.get(url, headers=outsider), 404, "not-found")
        problem(await act(client, outsider, application, "receive"), 404, "not-found")
        queue = await client.get("/api/v1/officer/queue", params={"limit": 100}, headers=outsider)
        assert application["id"] not in {item["id"] for item in queue.json()["items"]}
    queue_y = await client.get("/api/v1/officer/queue", params={"limit": 100}, headers=officer_y)
    assert application["id"] in {item["id"] for item in queue_y.json()["items"]}
    assert (await client.get(url, headers=system_admin)).status_code == 200
    problem(await client.get("/api/v1/officer/queue", headers=citizen_y), 403, "forbidden")
    await moved(client, officer_y, application, "receive", "received")


async def test_a_staff_read_of_an_application_is_audited(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    officer_id, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    await client.get(f"/api/v1/applications/{application['id']}", headers=citizen_headers)
    response = await client.get(f"/api/v1/applications/{application['id']}", headers=officer)
    assert response.status_code == 200, response.text
    reads = await db.fetch(
        "SELECT actor_id, actor_role, unit_code FROM audit_log"
        " WHERE application_id = $1 AND action = 'application.read'",
        uuid.UUID(application["id"]),
    )
    assert [(r["actor_id"], r["actor_role"], r["unit_code"]) for r in reads] == [
        (officer_id, "officer", "00004")
    ]


async def test_the_audit_log_refuses_update_and_delete(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    draft = await create_draft(client, headers)
    audit_id = await db.fetchval(
        "SELECT id FROM audit_log WHERE application_id = $1", uuid.UUID(draft["id"])
    )
    with pytest.raises(asyncpg.PostgresError, match="append-only"):
        await db.execute("UPDATE audit_log SET note = 'changed' WHERE id = $1", audit_id)
    with pytest.raises(asyncpg.PostgresError, match="append-only"):
        await db.execute("DELETE FROM audit_log WHERE id = $1", audit_id)
    # TRUNCATE too; the transaction is rolled back whatever happens, so a broken trigger fails
    # this test without emptying the table under the others.
    with pytest.raises(asyncpg.PostgresError, match="append-only"):
        async with db.transaction():
            await db.execute("TRUNCATE audit_log")
            raise AssertionError("TRUNCATE went through")
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE id = $1", audit_id) == 1


async def test_counter_intake_files_in_the_officers_unit_for_the_person_present(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, citizen_headers = await citizen(db, settings)
    cccd, phone = await db.fetchrow(
        "SELECT citizen_id_number, phone FROM citizens WHERE id = $1", citizen_id
    )
    officer_id, officer = await staff(db, settings, unit_code="00004")
    applicant = {
        "full_name": "Nguyễn  Văn   An",
        "date_of_birth": "1990-05-17",
        "gender": "male",
        "citizen_id_number": cccd,
        "phone": f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}",
        "address": {"province_code": "01", "commune_code": "00008", "street": "5 Liễu Giai"},
    }
    body = {"procedure_code": COMMUNE_PROCEDURE, "form": {"child_full_name": "An"}}
    response = await client.post(
        "/api/v1/applications", json={**body, "applicant": applicant}, headers=key_header(officer)
    )
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["channel"] == "counter"
    assert draft["unit_code"] == "00004"
    assert draft["applicant"]["full_name"] == "Nguyễn Văn An"
    assert draft["applicant"]["phone"] == phone
    assert draft["applicant"]["address"]["commune_name"] == "Ngọc Hà"
    row = await db.fetchrow(
        "SELECT citizen_id, created_by_kind, created_by_id FROM applications WHERE id = $1",
        uuid.UUID(draft["id"]),
    )
    assert tuple(row) == (citizen_id, "staff", officer_id)

    # The officer completes and submits it; photos of the documents are not required.
    patched = await client.patch(
        f"/api/v1/applications/{draft['id']}",
        json={"form": COMPLETE_FORM},
        headers=officer,
    )
    assert patched.status_code == 200, patched.text
    done = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=officer)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "submitted"
    assert done.json()["receipt_code"].startswith("00004-")
    event = await last_event(db, draft["id"])
    assert event["payload"]["channel"] == "counter"
    assert event["payload"]["actor_kind"] == "staff"
    # The citizen whose CCCD it is finds it among their applications.
    mine = await client.get("/api/v1/applications", headers=citizen_headers)
    assert draft["id"] in {item["id"] for item in mine.json()["items"]}

    # The account is found by its CCCD number together with its SMS-verified phone: a number
    # declared in a profile proves nothing alone, so a different phone (or none) links nobody.
    for other_phone in ("0987654321", None):
        same_number = {**applicant, "phone": other_phone}
        unproven = await client.post(
            "/api/v1/applications",
            json={**body, "applicant": same_number},
            headers=key_header(officer),
        )
        assert unproven.status_code == 201, unproven.text
        assert (
            await db.fetchval(
                "SELECT citizen_id FROM applications WHERE id = $1",
                uuid.UUID(unproven.json()["id"]),
            )
            is None
        )
    mine = await client.get("/api/v1/applications", headers=citizen_headers)
    assert [item["id"] for item in mine.json()["items"]] == [draft["id"]]

    # Someone without an account gets no citizen link; bad identity data is refused.
    stranger = {**applicant, "citizen_id_number": random_cccd()}
    unlinked = await client.post(
        "/api/v1/applications", json={**body, "applicant": stranger}, headers=key_header(officer)
    )
    assert unlinked.status_code == 201, unlinked.text
    assert (
        await db.fetchval(
            "SELECT citizen_id FROM applications WHERE id = $1", uuid.UUID(unlinked.json()["id"])
        )
        is None
    )
    wrong = {
        **applicant,
        "citizen_id_number": random_cccd(century_gender="1"),  # a woman's number
        "phone": "12345",
        "address": {"province_code": "04", "commune_code": "00004", "street": "x"},
    }
    refused = await client.post(
        "/api/v1/applications", json={**body, "applicant": wrong}, headers=key_header(officer)
    )
    details = problem(refused, 422, "validation-failed")
    assert {e["path"] for e in details["errors"]} == {
        "applicant.citizen_id_number",
        "applicant.phone",
        "applicant.address.commune_code",
    }
    missing = await client.post("/api/v1/applications", json=body, headers=key_header(officer))
    assert problem(missing, 422, "validation-failed")["errors"][0]["path"] == "applicant"


async def test_queue_reports_sla_states_in_due_date_order(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    unit = (await commune_codes(db, "01", 6))[5]
    _, officer = await staff(db, settings, unit_code=unit)
    today = vn_today()
    calendar = await load_working_calendar(db)
    dues = {
        "overdue": today - timedelta(days=3),
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "far": today + timedelta(days=40),
    }
    ids: dict[str, str] = {}
    for name, due in dues.items():
        _, headers = await citizen(db, settings, commune_code=unit)
        application = await submitted(client, db, headers)
        ids[name] = application["id"]
        await db.execute(
            "UPDATE applications SET due_date = $2 WHERE id = $1",
            uuid.UUID(application["id"]),
            due,
        )
    _, headers = await citizen(db, settings, commune_code=unit)
    await create_draft(client, headers)  # drafts are never in the queue

    response = await client.get("/api/v1/officer/queue", headers=officer)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["id"] for item in items] == list(ids.values())
    expected_sla = ["overdue", "due_soon", "due_soon", "on_track"]
    assert [item["sla"] for item in items] == expected_sla
    assert items[0]["working_days_left"] < 0
    assert items[1]["working_days_left"] == 0
    assert items[2]["working_days_left"] == calendar.working_days_left(today, dues["tomorrow"])
    # The queue shows initials only (as public tracking does), so listing it reads no personal
    # data and writes no audit row; opening an application does.
    assert items[0]["applicant_name_masked"] == "N*** V*** A"
    assert "Nguyễn" not in response.text
    assert not await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE application_id = ANY($1::uuid[])"
        " AND action = 'application.read'",
        [uuid.UUID(i) for i in ids.values()],
    )
    assert items[0]["procedure_code"] == COMMUNE_PROCEDURE
    assert items[0]["receipt_code"].startswith(unit)

    for sla, names in (
        ("overdue", ["overdue"]),
        ("due_soon", ["today", "tomorrow"]),
        ("on_track", ["far"]),
    ):
        filtered = await client.get("/api/v1/officer/queue", params={"sla": sla}, headers=officer)
        assert [item["id"] for item in filtered.json()["items"]] == [ids[n] for n in names]

    # Page by page, one at a time, the order and the filter hold.
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1, "sla": "due_soon"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/officer/queue", params=params, headers=officer)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids["today"], ids["tomorrow"]]

    # Finished applications leave the default queue and carry no SLA state.
    finished = (await client.get(f"/api/v1/applications/{ids['far']}", headers=officer)).json()
    await moved(client, officer, finished, "return", "returned", note="Sai thủ tục")
    default = await client.get("/api/v1/officer/queue", headers=officer)
    assert ids["far"] not in {item["id"] for item in default.json()["items"]}
    by_status = await client.get(
        "/api/v1/officer/queue", params={"status": "returned"}, headers=officer
    )
    assert [(i["id"], i["sla"]) for i in by_status.json()["items"]] == [(ids["far"], None)]
    problem(
        await client.get("/api/v1/officer/queue", params={"status": "draft"}, headers=officer),
        422,
        "validation-failed",
    )


async def test_all_required_documents_are_needed_for_online_resubmission_too(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, citizen_headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    application = await submitted(client, db, citizen_headers)
    for action, status in (("receive", "received"), ("start", "processing")):
        application = await moved(client, officer, application, action, status)
    application = await moved(
        client,
        officer,
        application,
        "request_supplement",
        "supplement_requested",
        note="Bổ sung tờ khai",
        missing_documents=[{"requirement": OPTIONAL_CODE, "reason": "Cần văn bản ủy quyền"}],
    )
    # While a supplement is requested the citizen may correct the form too.
    patched = await client.patch(
        f"/api/v1/applications/{application['id']}",
        json={"form": {"hometown": "Hà Nam"}},
        headers=citizen_headers,
    )
    assert patched.status_code == 200, patched.text
    not_yet = await client.post(
        f"/api/v1/applications/{application['id']}/resubmit", headers=citizen_headers
    )
    details = problem(not_yet, 422, "application-incomplete")
    assert [e["path"] for e in details["errors"]] == [f"documents.{OPTIONAL_CODE}"]
    await store_documents(db, application["id"], [OPTIONAL_CODE])
    resumed = await client.post(
        f"/api/v1/applications/{application['id']}/resubmit", headers=citizen_headers
    )
    assert resumed.status_code == 200, resumed.text
    # Paused and resumed on the same day: the due date does not move.
    assert resumed.json()["due_date"] == application["due_date"]
    assert set(REQUIRED_CODES) <= {d["requirement"] for d in resumed.json()["documents"]}
