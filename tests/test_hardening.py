"""Regressions for the holes an outside probe found (hostile input), one test per hole."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
import httpx
import pytest

from api.core.pagination import encode_cursor
from api.settings import Settings
from tests import support
from tests.conftest import ServedApp, problem

JSON = {"Content-Type": "application/json"}


def _nested(depth: int) -> bytes:
    return b'{"phone": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/auth/otp", "/api/v1/auth/otp/verify", "/api/v1/auth/login", "/api/v1/auth/refresh"],
)
async def test_deeply_nested_json_is_a_400_problem_without_a_traceback(
    client: httpx.AsyncClient, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = await client.post(path, content=_nested(2000), headers=JSON)
    problem(response, 400, "bad-request")
    assert "RecursionError" not in response.text
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


async def test_deeply_nested_json_in_an_application_edit_is_a_400_problem(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await support.citizen(db, settings)
    response = await client.patch(
        "/api/v1/applications/6f1c1f1e-1111-4111-8111-111111111111",
        content=b'{"form": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        headers={**headers, **JSON},
    )
    problem(response, 400, "bad-request")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=23, minutes=59))),
    ],
)
async def test_a_cursor_outside_what_postgresql_stores_is_a_422_problem(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, moment: datetime
) -> None:
    _, headers = await support.citizen(db, settings)
    cursor = encode_cursor(moment.isoformat(), "6f1c1f1e-1111-4111-8111-111111111111")
    response = await client.get("/api/v1/applications", params={"cursor": cursor}, headers=headers)
    body = problem(response, 422, "validation-failed")
    assert body["errors"][0]["code"] == "invalid_cursor"


async def test_personal_responses_are_not_stored_by_caches(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await support.citizen(db, settings)
    for path in ("/api/v1/me", "/api/v1/me/profile", "/api/v1/applications"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        assert response.headers.get("cache-control") == "no-store", path


def test_the_server_refuses_a_huge_request_header(served_app: ServedApp) -> None:
    """uvicorn itself must stop reading a header block past the cap (16 KB) instead of
    buffering megabytes (h11 checks the cap whenever the head is still incomplete)."""
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", served_app.port), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head + b"\r\n\r\n")  # the server may hang up before reading it all
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 4"), reply


async def test_options_lists_every_method_of_each_route(client: httpx.AsyncClient) -> None:
    from api.app import create_app

    samples = {"uuid": "6f1c1f1e-1111-4111-8111-111111111111", "str": "01", "path": "index.html"}
    app = create_app(Settings(app_env="test"))
    wrong = {}
    for route in app.routes:
        if route.path.startswith("/schema") or not hasattr(route, "methods"):
            continue
        path = re.sub(r"\{(\w+):(\w+)\}", lambda m: samples[m.group(2)], route.path)
        response = await client.options(path)
        allowed = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
        if allowed != set(route.methods) | {"OPTIONS"}:
            wrong[route.path] = (sorted(allowed), sorted(route.methods))
    assert not wrong, wrong


@pytest.mark.parametrize(
    "full_name",
    ["<b>Nguyễn</b> Văn An", "Nguyễn Văn \u202eAn", "Nguyễn\x07 Văn An", "Nguyễn Văn An\u200f"],
)
async def test_counter_intake_refuses_markup_and_control_characters_in_names(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, full_name: str
) -> None:
    _, officer = await support.staff(db, settings, unit_code="00004")
    applicant = {
        "full_name": full_name,
        "date_of_birth": "1990-05-17",
        "gender": "male",
        "citizen_id_number": support.random_cccd(),
        "address": {"province_code": "01", "commune_code": "00008", "street": "5 Liễu Giai"},
    }
    response = await client.post(
        "/api/v1/applications",
        json={"procedure_code": "1.001193", "applicant": applicant, "form": {}},
        headers={**officer, "Idempotency-Key": str(uuid.uuid4())},
    )
    body = problem(response, 422, "validation-failed")
    assert [e["path"] for e in body["errors"]] == ["applicant.full_name"], body


async def test_receipt_codes_cannot_be_walked_by_counting(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    """Codes carry a keyed check segment: the same number written without it, or with a check
    made by any other key, finds nothing; only the issued code does."""
    from api.applications.receipts import ReceiptCodes
    from api.core.clock import vn_today
    from api.core.tokens import receipt_check_key

    unit, day, number = "00004", vn_today(), 9000 + uuid.uuid4().int % 999
    issued = ReceiptCodes(receipt_check_key(settings.secret_key)).format(unit, day, number)
    citizen_id, _ = await support.citizen(db, settings)
    application_id = await support.draft_application(db, citizen_id, unit_code=unit)
    await db.execute(
        "UPDATE applications SET status = 'received', receipt_code = $2, received_on = $3,"
        " submitted_at = now() WHERE id = $1",
        application_id,
        issued,
        day,
    )
    guesses = [
        issued.rsplit("-", 1)[0],
        ReceiptCodes(b"a guessed key".ljust(32, b"\0")).format(unit, day, number),
    ]
    for guess in guesses:
        problem(await client.get(f"/api/v1/track/{guess}"), 404, "not-found")
    assert (await client.get(f"/api/v1/track/{issued}")).status_code == 200


async def test_an_object_with_thousands_of_unknown_keys_gets_a_small_error_response(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await support.citizen(db, settings)
    draft = await client.post(
        "/api/v1/applications",
        json={"procedure_code": "1.001193", "form": {}},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert draft.status_code == 201, draft.text
    place = {f"k{index}": index for index in range(60_000)}
    response = await client.patch(
        f"/api/v1/applications/{draft.json()['id']}",
        json={"form": {"birth_place": place}},
        headers=headers,
    )
    body = problem(response, 422, "validation-failed")
    assert len(response.content) < 16_000, len(response.content)
    assert len(body["errors"]) <= 50


async def test_the_openapi_document_describes_what_the_server_accepts(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    for action in ("submit", "withdraw", "resubmit"):
        operation = document["paths"][f"/api/v1/applications/{{application_id}}/{action}"]["post"]
        assert operation["requestBody"]["required"] is False, action
    field = document["components"]["schemas"]["FieldDefinition"]["properties"]
    # oneOf[integer, number] refuses every integer (it matches both branches).
    assert field["min"] == {"oneOf": [{"type": "number"}, {"type": "null"}]}


async def test_an_officer_checking_the_card_at_the_counter_verifies_the_identity(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    """A squatter declares the owner's CCCD first; it blocks nobody, and only the owner, whose
    card an officer checked at the counter, ends up verified — shown on the officer's view."""
    owner_id, owner = await support.citizen(db, settings)
    cccd, phone = await db.fetchrow(
        "SELECT citizen_id_number, phone FROM citizens WHERE id = $1", owner_id
    )
    squatter_id, _ = await support.citizen(db, settings)
    await db.execute("UPDATE citizens SET citizen_id_number = $2 WHERE id = $1", squatter_id, cccd)
    _, officer = await support.staff(db, settings, unit_code="00004")
    applicant = {
        "full_name": "NGUYỄN VĂN AN",  # as printed on the card
        "date_of_birth": "1990-05-17",
        "gender": "male",
        "citizen_id_number": cccd,
        "phone": phone,
        "address": {"province_code": "01", "commune_code": "00004", "street": "12 Phố Đội Cấn"},
    }
    response = await client.post(
        "/api/v1/applications",
        json={"procedure_code": "1.001193", "applicant": applicant, "form": {}},
        headers={**officer, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    assert response.json()["applicant_identity_verified"] is True
    verified = await db.fetch(
        "SELECT id FROM citizens WHERE citizen_id_number = $1 AND identity_verified_at IS NOT NULL",
        cccd,
    )
    assert [row["id"] for row in verified] == [owner_id]
    me = (await client.get("/api/v1/me/profile", headers=owner)).json()
    assert me["identity_verified"] is True
    audit = await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'citizen.identity_verified'"
        " AND application_id = $1",
        uuid.UUID(response.json()["id"]),
    )
    assert audit == 1
