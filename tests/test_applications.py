"""Filing applications: drafts, idempotency, the applicant snapshot, units, submit with receipt
codes and working-day deadlines, the citizen's own list, withdrawal and privacy between citizens.

The helpers at the top are shared with tests/test_processing.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg
import httpx
import pytest

from api.applications.calendar_store import load_working_calendar
from api.applications.events import decode_event
from api.applications.receipts import ReceiptCodes, allocate_receipt_numbers
from api.core.clock import vn_today
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen

# ----- shared helpers ------------------------------------------------------------------------

# From the seeded catalogue (migrations/0004_procedures_seed.sql).
COMMUNE_PROCEDURE = "1.001193"  # Đăng ký khai sinh: commune level, fully online
PROVINCE_PROCEDURE = "LLTP-CAPPHIEU"  # Phiếu lý lịch tư pháp: province level
INFO_PROCEDURE = "CHT-CHUKY"  # Chứng thực chữ ký: information only, not filed online
# No seeded procedure is withdrawn from use, so the tests add one.
INACTIVE_PROCEDURE = "T.APP.NGUNG"
REQUIRED_CODES = ["GIAY_CHUNG_SINH"]  # the required documents of 1.001193
OPTIONAL_CODE = "VAN_BAN_UY_QUYEN"

COMPLETE_FORM: dict[str, Any] = {
    "child_full_name": "Nguyễn Thị Bình",
    "child_date_of_birth": "2026-01-15",
    "child_sex": "female",
    "child_ethnicity": "Kinh",
    "birth_place": {"province_code": "01", "commune_code": "00004"},
    "mother_full_name": "Trần Thị Hoa",
    "relationship_to_child": "mother",
}


@pytest.fixture(autouse=True)
async def events_keep_their_contract(db: asyncpg.Connection) -> AsyncIterator[None]:
    """Every event a test writes decodes with the typed contract (unknown fields fail), and
    names the type and seq of its row. The lifecycle and processing tests import this too."""
    before = await db.fetchval("SELECT coalesce(max(change_seq), 0) FROM events")
    yield
    rows = await db.fetch(
        "SELECT type, seq, payload FROM events WHERE change_seq > $1 ORDER BY change_seq", before
    )
    for row in rows:
        event = decode_event(row["type"], row["seq"], row["payload"])
        assert (row["payload"]["type"], row["payload"]["seq"]) == (row["type"], row["seq"])
        assert event.seq == row["seq"]


async def add_inactive_procedure(db: asyncpg.Connection) -> None:
    await db.execute(
        "INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi,"
        " summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi,"
        " deciding_agency_en, service_level, fee_vnd, processing_days, legal_basis,"
        " required_documents, form_fields, active)"
        " SELECT $1, 'Thủ tục đã bãi bỏ', 'Repealed procedure', sector_vi, sector_en,"
        " summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level,"
        " deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, processing_days,"
        " legal_basis, required_documents, form_fields, false"
        " FROM procedures WHERE code = $2"
        " ON CONFLICT (code) DO NOTHING",
        INACTIVE_PROCEDURE,
        COMMUNE_PROCEDURE,
    )


async def processing_days(db: asyncpg.Connection, code: str = COMMUNE_PROCEDURE) -> int:
    days: int = await db.fetchval("SELECT processing_days FROM procedures WHERE code = $1", code)
    return days


async def commune_codes(db: asyncpg.Connection, province_code: str, count: int) -> list[str]:
    rows = await db.fetch(
        "SELECT code FROM communes WHERE province_code = $1 ORDER BY code LIMIT $2",
        province_code,
        count,
    )
    return [row["code"] for row in rows]


def key_header(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key or str(uuid.uuid4())}


async def create_draft(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    procedure_code: str = COMMUNE_PROCEDURE,
    form: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {"procedure_code": procedure_code, "form": COMPLETE_FORM if form is None else form}
    response = await client.post(
        "/api/v1/applications", json={**body, **extra}, headers=key_header(headers)
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def store_documents(
    db: asyncpg.Connection,
    application_id: str | uuid.UUID,
    requirements: list[str],
    *,
    kind: str = "input",
) -> None:
    """Stored documents written straight to the table (tests/test_documents.py tests uploads)."""
    for requirement in requirements:
        digest = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
        await db.execute(
            "INSERT INTO application_documents (application_id, kind, requirement, object_key,"
            " declared_content_type, declared_size, declared_sha256, status, content_type, size,"
            " sha256, upload_expires_at, uploaded_by_kind, uploaded_by_id, completed_at)"
            " VALUES ($1, $2, $3, $4, 'image/jpeg', 1234, $5, 'stored', 'image/jpeg', 1234, $5,"
            " now() + interval '10 minutes', 'citizen', $6, clock_timestamp())",
            uuid.UUID(str(application_id)),
            kind,
            requirement,
            f"test/{uuid.uuid4()}",
            digest,
            uuid.uuid4(),
        )


async def submitted(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    headers: dict[str, str],
    **create: Any,
) -> dict[str, Any]:
    draft = await create_draft(client, headers, **create)
    await store_documents(db, draft["id"], REQUIRED_CODES)
    response = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["status"] == "submitted"
    return result


async def journal_counts(db: asyncpg.Connection, application_id: str) -> tuple[int, int]:
    """(events, audit rows that change status) of one application."""
    app_id = uuid.UUID(application_id)
    events = await db.fetchval("SELECT count(*) FROM events WHERE application_id = $1", app_id)
    audits = await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE application_id = $1 AND to_status IS NOT NULL"
        " AND from_status IS DISTINCT FROM to_status",
        app_id,
    )
    return events, audits


# ----- creating drafts -----------------------------------------------------------------------


async def test_draft_snapshots_the_profile_and_goes_to_the_citizens_commune(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings, full_name="Trần Thị Hoa")
    draft = await create_draft(client, headers, form={"child_full_name": "  Trần Minh  "})
    assert draft["status"] == "draft"
    assert draft["channel"] == "online"
    assert draft["unit_code"] == "00004"
    assert draft["version"] == 1
    assert draft["receipt_code"] is None and draft["due_date"] is None
    assert draft["form"] == {"child_full_name": "Trần Minh"}  # cleaned values are stored
    applicant = draft["applicant"]
    assert applicant["full_name"] == "Trần Thị Hoa"
    assert applicant["date_of_birth"] == "1990-05-17"
    assert applicant["gender"] == "male"
    assert re.fullmatch(r"[0-9]{12}", applicant["citizen_id_number"])
    assert applicant["address"] == {
        "province_code": "01",
        "province_name": "Hà Nội",
        "commune_code": "00004",
        "commune_name": "Ba Đình",
        "street": "12 Phố Đội Cấn",
    }
    assert [step["status"] for step in draft["timeline"]] == ["draft"]
    assert draft["timeline"][0]["actor_role"] == "citizen"
    assert set(draft["allowed_actions"]) == {"submit", "withdraw"}
    row = await db.fetchrow(
        "SELECT citizen_id, created_by_kind FROM applications WHERE id = $1",
        uuid.UUID(draft["id"]),
    )
    assert row["citizen_id"] == citizen_id and row["created_by_kind"] == "citizen"
    event = await db.fetchrow(
        "SELECT type, payload FROM events WHERE application_id = $1", uuid.UUID(draft["id"])
    )
    assert event["type"] == "application.created"
    assert event["payload"]["from_status"] is None
    assert event["payload"]["to_status"] == "draft"
    assert event["payload"]["citizen_id"] == str(citizen_id)
    assert await journal_counts(db, draft["id"]) == (1, 1)


async def test_idempotency_key_is_required_and_must_be_a_uuid(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    body = {"procedure_code": COMMUNE_PROCEDURE, "form": {}}
    for extra in ({}, {"Idempotency-Key": "not-a-uuid"}):
        response = await client.post("/api/v1/applications", json=body, headers=headers | extra)
        details = problem(response, 422, "validation-failed")
        assert [e["path"] for e in details["errors"]] == ["Idempotency-Key"]


async def test_same_key_replays_and_a_different_body_is_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    key = str(uuid.uuid4())
    body = {
        "procedure_code": COMMUNE_PROCEDURE,
        "form": {"child_full_name": "An", "hometown": "Nam Định"},
    }
    first = await client.post("/api/v1/applications", json=body, headers=key_header(headers, key))
    assert first.status_code == 201, first.text
    # Key order inside the body does not matter: the fingerprint is of canonical JSON.
    reordered = {
        "form": {"hometown": "Nam Định", "child_full_name": "An"},
        "procedure_code": COMMUNE_PROCEDURE,
    }
    again = await client.post(
        "/api/v1/applications", json=reordered, headers=key_header(headers, key)
    )
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    changed = {**body, "form": {"child_full_name": "Bình"}}
    refused = await client.post(
        "/api/v1/applications", json=changed, headers=key_header(headers, key)
    )
    problem(refused, 422, "idempotency-key-reused")
    assert await journal_counts(db, first.json()["id"]) == (1, 1)


async def test_concurrent_retries_with_one_key_create_exactly_one_application(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    key = str(uuid.uuid4())
    body = {"procedure_code": COMMUNE_PROCEDURE, "form": {"child_full_name": "An"}}
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/applications", json=body, headers=key_header(headers, key))
            for _ in range(20)
        )
    )
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert (
        await db.fetchval("SELECT count(*) FROM applications WHERE citizen_id = $1", citizen_id)
        == 1
    )
    assert await journal_counts(db, responses[0].json()["id"]) == (1, 1)


async def test_concurrent_retries_with_one_key_and_different_bodies_never_make_two(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    key = str(uuid.uuid4())
    bodies = [
        {"procedure_code": COMMUNE_PROCEDURE, "form": {"child_full_name": name}}
        for name in ("An", "Bình") * 8
    ]
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/applications", json=body, headers=key_header(headers, key))
            for body in bodies
        )
    )
    (created,) = [(r, b) for r, b in zip(responses, bodies, strict=True) if r.status_code == 201]
    winner_id, winner_body = created[0].json()["id"], created[1]
    for response, body in zip(responses, bodies, strict=True):
        if body == winner_body:
            assert response.status_code in (200, 201) and response.json()["id"] == winner_id
        else:
            assert problem(response, 422, "idempotency-key-reused")["application_id"] == winner_id
    assert (
        await db.fetchval("SELECT count(*) FROM applications WHERE citizen_id = $1", citizen_id)
        == 1
    )


async def test_unknown_inactive_or_offline_procedures_are_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    await add_inactive_procedure(db)
    _, headers = await citizen(db, settings)
    for code, error in (
        ("NO.SUCH.CODE", "unknown_procedure"),
        (INACTIVE_PROCEDURE, "unknown_procedure"),
        (INFO_PROCEDURE, "not_online"),
    ):
        response = await client.post(
            "/api/v1/applications",
            json={"procedure_code": code, "form": {}},
            headers=key_header(headers),
        )
        details = problem(response, 422, "validation-failed")
        assert details["errors"][0]["path"] == "procedure_code"
        assert details["errors"][0]["code"] == error


async def test_an_incomplete_profile_is_named_field_by_field(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings, with_profile=False)
    response = await client.post(
        "/api/v1/applications",
        json={"procedure_code": COMMUNE_PROCEDURE, "form": {}},
        headers=key_header(headers),
    )
    details = problem(response, 422, "profile-incomplete")
    assert {e["path"] for e in details["errors"]} == {
        "profile.full_name",
        "profile.date_of_birth",
        "profile.gender",
        "profile.citizen_id_number",
        "profile.province_code",
        "profile.commune_code",
        "profile.street",
    }


async def test_units_follow_the_procedure_level(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    other_commune = (await commune_codes(db, "01", 3))[2]
    chosen = await create_draft(client, headers, unit_code=other_commune)
    assert chosen["unit_code"] == other_commune
    provincial = await create_draft(client, headers, procedure_code=PROVINCE_PROCEDURE, form={})
    assert provincial["unit_code"] == "P01"
    assert provincial["unit_name_vi"].endswith("Hà Nội")
    other_province = await create_draft(
        client, headers, procedure_code=PROVINCE_PROCEDURE, form={}, unit_code="P04"
    )
    assert other_province["unit_code"] == "P04"
    for procedure_code, unit_code, code in (
        (COMMUNE_PROCEDURE, "P01", "wrong_level"),
        (PROVINCE_PROCEDURE, "00004", "wrong_level"),
        (COMMUNE_PROCEDURE, "ZZZ99", "unknown_unit"),
    ):
        response = await client.post(
            "/api/v1/applications",
            json={"procedure_code": procedure_code, "form": {}, "unit_code": unit_code},
            headers=key_header(headers),
        )
        details = problem(response, 422, "validation-failed")
        assert details["errors"][0]["path"] == "unit_code"
        assert details["errors"][0]["code"] == code


async def test_form_errors_name_the_field(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    response = await client.post(
        "/api/v1/applications",
        json={
            "procedure_code": COMMUNE_PROCEDURE,
            "form": {"child_date_of_birth": "2026-13-40", "favourite_colour": "blue"},
        },
        headers=key_header(headers),
    )
    details = problem(response, 422, "validation-failed")
    assert {(e["path"], e["code"]) for e in details["errors"]} == {
        ("form.child_date_of_birth", "invalid_date"),
        ("form.favourite_colour", "unknown_field"),
    }


# ----- editing -------------------------------------------------------------------------------


async def test_patch_merges_bumps_the_version_and_checks_it(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    draft = await create_draft(
        client, headers, form={"child_full_name": "An", "hometown": "Nam Định"}
    )
    url = f"/api/v1/applications/{draft['id']}"
    patched = await client.patch(
        url, json={"form": {"hometown": "Thái Bình", "child_sex": "male"}}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["form"] == {
        "child_full_name": "An",
        "hometown": "Thái Bình",
        "child_sex": "male",
    }
    assert patched.json()["version"] == 2
    bad = await client.patch(url, json={"form": {"child_sex": "other"}}, headers=headers)
    details = problem(bad, 422, "validation-failed")
    assert details["errors"][0]["path"] == "form.child_sex"
    stale = await client.patch(url, json={"form": {}, "expected_version": 1}, headers=headers)
    assert problem(stale, 409, "version-conflict")["current_version"] == 2
    current = await client.patch(url, json={"form": {}, "expected_version": 2}, headers=headers)
    assert current.status_code == 200 and current.json()["version"] == 3
    # Editing writes an audit row but no status event.
    assert await journal_counts(db, draft["id"]) == (1, 1)


async def test_a_submitted_application_is_not_editable(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    application = await submitted(client, db, headers)
    response = await client.patch(
        f"/api/v1/applications/{application['id']}",
        json={"form": {"hometown": "x"}},
        headers=headers,
    )
    assert problem(response, 409, "application-not-editable")["current_status"] == "submitted"


# ----- submitting ----------------------------------------------------------------------------


async def test_submit_lists_missing_fields_and_documents_then_assigns_receipt_and_due_date(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    draft = await create_draft(client, headers, form={"child_full_name": "An"})
    url = f"/api/v1/applications/{draft['id']}/submit"
    await store_documents(db, draft["id"], [OPTIONAL_CODE])  # optional; does not count
    details = problem(await client.post(url, headers=headers), 422, "application-incomplete")
    assert {(e["path"], e["code"]) for e in details["errors"]} == {
        ("form.child_date_of_birth", "required"),
        ("form.child_sex", "required"),
        ("form.child_ethnicity", "required"),
        ("form.birth_place", "required"),
        ("form.mother_full_name", "required"),
        ("form.relationship_to_child", "required"),
        ("documents.GIAY_CHUNG_SINH", "missing_document"),
    }
    await client.patch(
        f"/api/v1/applications/{draft['id']}", json={"form": COMPLETE_FORM}, headers=headers
    )
    await store_documents(db, draft["id"], REQUIRED_CODES)
    response = await client.post(url, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    today = vn_today()
    assert body["status"] == "submitted"
    assert re.fullmatch(
        rf"00004-{today:%y%m%d}-[0-9]{{4}}-[0-9A-HJKMNP-TV-Z]{{3}}", body["receipt_code"]
    )
    assert body["received_on"] == today.isoformat()
    calendar = await load_working_calendar(db)
    days = await processing_days(db)
    assert body["due_date"] == calendar.due_date(today, days).isoformat()
    assert body["submitted_at"] is not None and body["version"] == 3
    assert [step["status"] for step in body["timeline"]] == ["draft", "submitted"]
    assert {d["requirement"] for d in body["documents"]} == {OPTIONAL_CODE, *REQUIRED_CODES}
    event = await db.fetchrow(
        "SELECT type, payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(draft["id"]),
    )
    assert event["type"] == "application.submitted"
    assert set(event["payload"]) == {
        "type",
        "schema_version",
        "seq",
        "application_id",
        "receipt_code",
        "procedure_code",
        "citizen_id",
        "unit_code",
        "channel",
        "from_status",
        "to_status",
        "version",
        "actor_kind",
        "actor_role",
        "occurred_at",
        "due_date",
        "note",
    }
    assert event["payload"]["receipt_code"] == body["receipt_code"]
    assert event["payload"]["due_date"] == body["due_date"]
    assert event["payload"]["version"] == 3
    assert event["payload"]["occurred_at"].endswith("Z")  # UTC, as RFC 3339 writes it
    assert await journal_counts(db, draft["id"]) == (2, 2)


async def test_concurrent_submits_of_one_draft_give_one_receipt_code(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    draft = await create_draft(client, headers)
    await store_documents(db, draft["id"], REQUIRED_CODES)
    url = f"/api/v1/applications/{draft['id']}/submit"
    responses = await asyncio.gather(*(client.post(url, headers=headers) for _ in range(10)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["receipt_code"] for r in responses}) == 1
    assert {r.json()["version"] for r in responses} == {2}
    assert (
        await db.fetchval(
            "SELECT count(*) FROM events WHERE application_id = $1 AND type = $2",
            uuid.UUID(draft["id"]),
            "application.submitted",
        )
        == 1
    )


async def test_fifty_concurrent_submits_in_one_unit_get_consecutive_receipt_numbers(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    unit = (await commune_codes(db, "01", 10))[9]
    drafts: list[tuple[str, dict[str, str]]] = []
    for _ in range(50):
        _, headers = await citizen(db, settings, commune_code=unit)
        draft = await create_draft(client, headers)
        await store_documents(db, draft["id"], REQUIRED_CODES)
        drafts.append((draft["id"], headers))
    responses = await asyncio.gather(
        *(
            client.post(f"/api/v1/applications/{app_id}/submit", headers=headers)
            for app_id, headers in drafts
        )
    )
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    codes = [r.json()["receipt_code"] for r in responses]
    assert len(set(codes)) == 50
    prefix = f"{unit}-{vn_today():%y%m%d}-"
    assert all(code.startswith(prefix) for code in codes)
    numbers = sorted(int(code.split("-")[2]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + 50))


async def test_receipt_numbers_are_allocated_in_blocks_and_formatted(
    db: asyncpg.Connection,
) -> None:
    unit = (await commune_codes(db, "01", 12))[11]
    day = date(2026, 11, 23)
    first = await allocate_receipt_numbers(db, unit, day)
    block = await allocate_receipt_numbers(db, unit, day, count=5)
    assert block == list(range(first[0] + 1, first[0] + 6))
    code = ReceiptCodes(b"k" * 32).format("00004", day, 7)
    assert re.fullmatch(r"00004-261123-0007-[0-9A-HJKMNP-TV-Z]{3}", code), code
    assert ReceiptCodes(b"k" * 32).format("00004", day, 7) == code
    assert ReceiptCodes(b"x" * 32).format("00004", day, 7) != code


async def test_deadlines_skip_weekends_and_tet_2026(db: asyncpg.Connection) -> None:
    calendar = await load_working_calendar(db)
    # Received Friday 13 Feb 2026, the last working day before Tết Bính Ngọ (14-22 Feb off):
    # working day 1 is Monday 23 Feb, day 3 is Wednesday 25 Feb.
    assert calendar.due_date(date(2026, 2, 13), 3) == date(2026, 2, 25)
    # Received Friday 16 Oct 2026: Monday 19 is day 1, Tuesday 20 day 2.
    assert calendar.due_date(date(2026, 10, 16), 2) == date(2026, 10, 20)
    # Received on Saturday 17 Oct, the count starts the same Monday.
    assert calendar.due_date(date(2026, 10, 17), 2) == date(2026, 10, 20)
    # A pause from Thursday 12 to Tuesday 24 Feb 2026 stops the clock for 3 working days
    # (13, 23 and 24 Feb): a due date of Monday 2 Mar moves to Thursday 5 Mar.
    paused = calendar.working_days_between(date(2026, 2, 12), date(2026, 2, 24))
    assert paused == 3
    assert calendar.add_working_days(date(2026, 3, 2), paused) == date(2026, 3, 5)


# ----- reading, withdrawing, privacy ---------------------------------------------------------


async def test_my_list_is_newest_first_with_a_cursor(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    _, other_headers = await citizen(db, settings)
    ids = [(await create_draft(client, headers))["id"] for _ in range(3)]
    await create_draft(client, other_headers)
    first = await client.get("/api/v1/applications", params={"limit": 2}, headers=headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    assert page["next_cursor"]
    second = await client.get(
        "/api/v1/applications",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=headers,
    )
    assert [item["id"] for item in second.json()["items"]] == ids[:1]
    assert second.json()["next_cursor"] is None
    tampered = await client.get("/api/v1/applications?cursor=abc", headers=headers)
    problem(tampered, 422, "validation-failed")
    limit = await client.get("/api/v1/applications?limit=101", headers=headers)
    problem(limit, 422, "validation-failed")


async def test_another_citizen_cannot_see_or_touch_an_application(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, owner = await citizen(db, settings)
    _, stranger = await citizen(db, settings)
    draft = await create_draft(client, owner)
    await store_documents(db, draft["id"], REQUIRED_CODES)
    url = f"/api/v1/applications/{draft['id']}"
    problem(await client.get(url, headers=stranger), 404, "not-found")
    problem(await client.patch(url, json={"form": {}}, headers=stranger), 404, "not-found")
    for action in ("submit", "withdraw", "resubmit"):
        problem(await client.post(f"{url}/{action}", headers=stranger), 404, "not-found")
    problem(await client.get(f"/api/v1/applications/{uuid.uuid4()}", headers=owner), 404)
    assert (await client.get(url, headers=owner)).json()["status"] == "draft"


async def test_withdrawing_a_draft_or_a_submitted_application(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    draft = await create_draft(client, headers)
    withdrawn = await client.post(f"/api/v1/applications/{draft['id']}/withdraw", headers=headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    again = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=headers)
    details = problem(again, 409, "transition-not-allowed")
    assert details["current_status"] == "withdrawn" and details["allowed_actions"] == []

    application = await submitted(client, db, headers)
    response = await client.post(
        f"/api/v1/applications/{application['id']}/withdraw",
        json={"note": "Tôi nộp nhầm thủ tục"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"
    assert response.json()["timeline"][-1]["note"] == "Tôi nộp nhầm thủ tục"
    assert response.json()["completed_at"] is None
    event = await db.fetchrow(
        "SELECT type, payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(application["id"]),
    )
    assert event["type"] == "application.withdrawn"
    assert event["payload"]["from_status"] == "submitted"
    assert await journal_counts(db, application["id"]) == (3, 3)
