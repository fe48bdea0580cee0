"""Routes whose handler confirms a citizen's session itself (CITIZEN_SESSION_CHECKED_BY_HANDLER):
the guard checks only the token's signature for citizens, so each such route must refuse a
revoked or expired session before it reads or writes anything else. Staff stay checked by the
guard."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from api.app import create_app
from api.core.actors import CITIZEN_SESSION_CHECKED_BY_HANDLER
from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, random_cccd, staff
from tests.test_applications import (
    COMMUNE_PROCEDURE,
    COMPLETE_FORM,
    REQUIRED_CODES,
    create_draft,
    journal_counts,
    key_header,
    store_documents,
    submitted,
)

DRAFTS = "/api/v1/applications"
MOVES = {"submit", "withdraw", "resubmit"}


def test_only_the_routes_proven_here_check_the_session_in_their_handler(
    settings: Settings,
) -> None:
    """A route that starts carrying the option must get its own refusal test below."""
    carrying = {
        (method, route.path)
        for route in create_app(settings).routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get(CITIZEN_SESSION_CHECKED_BY_HANDLER)
        for method in handler.http_methods
    }
    assert carrying == {("POST", DRAFTS)} | {
        ("POST", f"{DRAFTS}/{{application_id:uuid}}/{action}") for action in MOVES
    }


async def _written_by(db: asyncpg.Connection, actor_id: uuid.UUID) -> tuple[int, int, int]:
    return (
        await db.fetchval("SELECT count(*) FROM applications WHERE created_by_id = $1", actor_id),
        await db.fetchval("SELECT count(*) FROM audit_log WHERE actor_id = $1", actor_id),
        await db.fetchval(
            "SELECT count(*) FROM events e JOIN applications a ON a.id = e.application_id"
            " WHERE a.created_by_id = $1",
            actor_id,
        ),
    )


async def test_a_citizen_whose_session_ended_files_nothing_and_replays_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    key = str(uuid.uuid4())
    body = {"procedure_code": COMMUNE_PROCEDURE, "form": COMPLETE_FORM}
    first = await client.post(DRAFTS, json=body, headers=key_header(headers, key))
    assert first.status_code == 201, first.text
    before = await _written_by(db, citizen_id)
    assert before == (1, 1, 1)

    await db.execute(
        "UPDATE auth_sessions SET revoked_at = now() WHERE citizen_id = $1", citizen_id
    )
    problem(
        await client.post(DRAFTS, json=body, headers=key_header(headers)), 401, "unauthenticated"
    )
    # The earlier draft's replay is not handed out either.
    problem(
        await client.post(DRAFTS, json=body, headers=key_header(headers, key)),
        401,
        "unauthenticated",
    )
    assert await _written_by(db, citizen_id) == before

    expiring_id, expiring = await citizen(db, settings)
    await create_draft(client, expiring)
    await db.execute(
        "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE citizen_id = $1",
        expiring_id,
    )
    problem(
        await client.post(DRAFTS, json=body, headers=key_header(expiring)), 401, "unauthenticated"
    )


async def test_staff_filing_at_the_counter_are_still_checked_by_the_guard(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    officer_id, officer = await staff(db, settings, unit_code="00004")
    body = {
        "procedure_code": COMMUNE_PROCEDURE,
        "form": {"child_full_name": "An"},
        "applicant": {
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "1990-05-17",
            "gender": "male",
            "citizen_id_number": random_cccd(),
            "phone": "0912345678",
            "address": {"province_code": "01", "commune_code": "00004", "street": "5 Liễu Giai"},
        },
    }
    filed = await client.post(DRAFTS, json=body, headers=key_header(officer))
    assert filed.status_code == 201, filed.text
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE staff_id = $1", officer_id)
    problem(
        await client.post(DRAFTS, json=body, headers=key_header(officer)), 401, "unauthenticated"
    )
    assert (
        await db.fetchval("SELECT count(*) FROM applications WHERE created_by_id = $1", officer_id)
        == 1
    )


async def test_a_citizen_whose_session_ended_moves_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    """Every move route carrying the option goes through ProcessingService.move: a complete
    draft is not submitted (no receipt number taken either), a submitted application is not
    withdrawn, and the retried submit's idempotent answer is not handed out."""
    citizen_id, headers = await citizen(db, settings)
    draft = await create_draft(client, headers)
    await store_documents(db, draft["id"], REQUIRED_CODES)
    filed = await submitted(client, db, headers)

    async def state() -> tuple[object, ...]:
        rows = await db.fetch(
            "SELECT id, status, version FROM applications WHERE citizen_id = $1 ORDER BY id",
            citizen_id,
        )
        counters = await db.fetchval("SELECT coalesce(sum(last_number), 0) FROM receipt_counters")
        journals = [await journal_counts(db, str(row["id"])) for row in rows]
        return tuple(map(tuple, rows)), counters, tuple(journals)

    await db.execute(
        "UPDATE auth_sessions SET revoked_at = now() WHERE citizen_id = $1", citizen_id
    )
    before = await state()
    for application_id, action in [
        (draft["id"], "submit"),
        (filed["id"], "submit"),  # would replay the earlier submit
        (filed["id"], "withdraw"),
        (filed["id"], "resubmit"),
        (uuid.uuid4(), "submit"),  # no such application: still 401, not 404
    ]:
        problem(
            await client.post(f"{DRAFTS}/{application_id}/{action}", headers=headers),
            401,
            "unauthenticated",
        )
    assert await state() == before

    expiring_id, expiring = await citizen(db, settings)
    expiring_draft = await create_draft(client, expiring)
    await db.execute(
        "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE citizen_id = $1",
        expiring_id,
    )
    problem(
        await client.post(f"{DRAFTS}/{expiring_draft['id']}/withdraw", headers=expiring),
        401,
        "unauthenticated",
    )
    assert (
        await db.fetchval(
            "SELECT status FROM applications WHERE id = $1", uuid.UUID(expiring_draft["id"])
        )
        == "draft"
    )


async def test_a_live_citizen_gets_not_found_for_a_missing_application(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    _, headers = await citizen(db, settings)
    problem(await client.post(f"{DRAFTS}/{uuid.uuid4()}/submit", headers=headers), 404, "not-found")


async def test_staff_moving_an_application_are_still_checked_by_the_guard(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    officer_id, officer = await staff(db, settings, unit_code="00004")
    _, headers = await citizen(db, settings)
    filed = await submitted(client, db, headers)
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE staff_id = $1", officer_id)
    problem(
        await client.post(f"{DRAFTS}/{filed['id']}/withdraw", headers=officer),
        401,
        "unauthenticated",
    )
    assert (
        await db.fetchval("SELECT status FROM applications WHERE id = $1", uuid.UUID(filed["id"]))
        == "submitted"
    )
