"""Counter intake's account look-up (GET /api/v1/officer/citizens): staff only, both numbers
required and matched exactly, the one account or 404 (never a list), a per-officer budget, and
every look-up written to the audit log."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from api.settings import Settings
from tests.conftest import problem
from tests.support import citizen, staff

PATH = "/api/v1/officer/citizens"


async def _holder(db: asyncpg.Connection, settings: Settings) -> tuple[uuid.UUID, str, str]:
    citizen_id, _ = await citizen(db, settings, full_name="Lò Văn Páo")
    row = await db.fetchrow(
        "SELECT citizen_id_number, phone FROM citizens WHERE id = $1", citizen_id
    )
    assert row is not None
    return citizen_id, row["citizen_id_number"], row["phone"]


async def _lookups(db: asyncpg.Connection, staff_id: uuid.UUID) -> list[str]:
    rows = await db.fetch(
        "SELECT note FROM audit_log WHERE actor_id = $1 AND action = 'citizen.lookup' ORDER BY id",
        staff_id,
    )
    return [row["note"] for row in rows]


async def test_an_officer_finds_the_one_account_holding_both_numbers_and_each_look_up_is_audited(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, cccd, phone = await _holder(db, settings)
    staff_id, headers = await staff(db, settings)

    # The phone as an officer may type it: spaces and the country code.
    typed = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
    found = await client.get(
        PATH, params={"citizen_id_number": cccd, "phone": typed}, headers=headers
    )
    assert found.status_code == 200, found.text
    assert found.json() == {"name_masked": "L*** V*** P", "identity_verified": False}

    # Exact matches only: the right CCCD with another phone, or the other way round, is no one.
    other_phone = "09" + str(uuid.uuid4().int)[:8]
    other_cccd = cccd[:-4] + ("0000" if cccd[-4:] != "0000" else "0001")
    for params in (
        {"citizen_id_number": cccd, "phone": other_phone},
        {"citizen_id_number": other_cccd, "phone": phone},
    ):
        missing = await client.get(PATH, params=params, headers=headers)
        body = problem(missing, 404, "citizen-account-not-found")
        assert "name_masked" not in body

    await db.execute(
        "UPDATE citizens SET identity_verified_at = now(), identity_verified_by = $2,"
        " identity_verification_method = 'counter' WHERE id = $1",
        citizen_id,
        staff_id,
    )
    verified = await client.get(
        PATH, params={"citizen_id_number": cccd, "phone": phone}, headers=headers
    )
    assert verified.json()["identity_verified"] is True

    notes = await _lookups(db, staff_id)
    assert notes == [
        f"found {citizen_id}",
        "no account holds both",
        "no account holds both",
        f"found {citizen_id}",
    ]
    # The numbers typed are personal data: the audit row names the account, never them.
    assert not any(cccd in note or phone in note for note in notes)
    unit = await db.fetchval(
        "SELECT DISTINCT unit_code FROM audit_log"
        " WHERE actor_id = $1 AND action = 'citizen.lookup'",
        staff_id,
    )
    assert unit == "00004"


async def test_both_numbers_are_required_and_well_formed_and_only_staff_may_look(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    staff_id, headers = await staff(db, settings)
    _, citizen_headers = await citizen(db, settings)

    nothing = problem(await client.get(PATH, headers=headers), 422, "validation-failed")
    assert {(e["path"], e["code"]) for e in nothing["errors"]} == {
        ("citizen_id_number", "required"),
        ("phone", "required"),
    }
    bad = problem(
        await client.get(
            PATH, params={"citizen_id_number": "12345", "phone": "0123"}, headers=headers
        ),
        422,
        "validation-failed",
    )
    assert {(e["path"], e["code"]) for e in bad["errors"]} == {
        ("citizen_id_number", "not_12_digits"),
        ("phone", "invalid_phone"),
    }
    params = {"citizen_id_number": "001090012345", "phone": "0912345678"}
    problem(await client.get(PATH, params=params, headers=citizen_headers), 403, "forbidden")
    problem(await client.get(PATH, params=params), 401)
    assert await _lookups(db, staff_id) == []  # nothing was looked up


async def test_each_officer_has_a_budget_of_look_ups(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings
) -> None:
    staff_id, headers = await staff(db, settings)
    _, colleague = await staff(db, settings)
    params = {"citizen_id_number": "001090012345", "phone": "0912345678"}
    for _ in range(settings.citizen_lookup_limit):
        problem(await client.get(PATH, params=params, headers=headers), 404)

    used_up = problem(await client.get(PATH, params=params, headers=headers), 429, "rate-limited")
    assert used_up["retry_after"] >= 1
    assert "tra cứu" in used_up["title"]
    assert len(await _lookups(db, staff_id)) == settings.citizen_lookup_limit
    # Another officer's budget is their own.
    problem(await client.get(PATH, params=params, headers=colleague), 404)
