"""A revoked device's outbox carried by another device of the same unit (docs/sync.md §1): the
officer's new device or a colleague's pushes the same commands with their `command_id`s and
`origin_device_id`; intakes keep the codes printed from the old device's blocks when taken
before the revocation, never one taken after it, never through another unit, never twice."""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from api.settings import Settings
from tests.conftest import ServedApp, problem
from tests.support import staff
from tests.sync_client import SyncClient
from tests.sync_support import PROVINCE, applicant, intake_form, photo, registered_device
from tests.test_applications import COMMUNE_PROCEDURE, REQUIRED_CODES

UNIT = "32212"  # a commune of province 96 no other test files in


def _intake(
    taken_on: SyncClient, code: str, uploads: list[str], unit: str = UNIT
) -> dict[str, Any]:
    """An intake taken on ``taken_on`` (its origin), as its outbox entry records it."""
    command = taken_on.command(
        "counter_intake",
        {
            "procedure_code": COMMUNE_PROCEDURE,
            "applicant": applicant(PROVINCE, unit),
            "form": intake_form(PROVINCE, unit),
            "receipt_code": code,
            "documents": [{"upload_id": u, "requirement": REQUIRED_CODES[0]} for u in uploads],
        },
        application_ref=taken_on.new_id(),
    )
    command["origin_device_id"] = taken_on.device_id
    return command


async def test_a_revoked_devices_outbox_reaches_the_server_through_another_device(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    officer_id, officer = await staff(db, settings, unit_code=UNIT)
    colleague_id, colleague = await staff(db, settings, unit_code=UNIT)
    _, stranger = await staff(db, settings, unit_code="32214")
    _, admin = await staff(db, settings, role="system_admin", unit_code=None)
    old = await registered_device(served_app, officer, seed=1)
    carriers: list[SyncClient] = [old]
    try:
        codes = await old.reserve(4)
        rng = random.Random(3)
        first_photo, second_photo = photo(rng), photo(rng)
        first_upload = await old.upload(first_photo, "image/jpeg", chunk_size=1024)
        second_upload = await old.upload(second_photo, "image/jpeg", chunk_size=1024)
        # Taken offline before the revocation: the citizens hold printed slips.
        by_officer = _intake(old, codes[0], [first_upload])
        by_colleague = _intake(old, codes[1], [second_upload])
        through_stranger = _intake(old, codes[2], [])
        # The colleague's own device (registered earlier): its codes are not the old device's.
        desk = await registered_device(served_app, colleague, seed=3)
        carriers.append(desk)
        not_origins = _intake(old, (await desk.reserve(1))[0], [])

        revoked = await client.post(f"/api/v1/sync/devices/{old.device_id}/revoke", headers=admin)
        assert revoked.status_code == 200, revoked.text
        revoked_at = datetime.fromisoformat(revoked.json()["revoked_at"])
        problem(
            await old.request(
                "POST",
                "/api/v1/sync/push",
                json={"device_id": old.device_id, "commands": [by_officer]},
            ),
            401,
            "device-revoked",
        )
        # Taken on the revoked device after the revocation: never honoured.
        after = _intake(old, codes[3], [])
        assert datetime.fromisoformat(after["device_time"]) > revoked_at

        renewed = await registered_device(served_app, officer, seed=2)
        carriers.append(renewed)
        (applied,) = await renewed.send([by_officer])
        assert applied["outcome"] == "applied", applied
        assert applied["receipt_code"] == codes[0]
        (document_id,) = applied["document_ids"]
        assert (
            await db.fetchval(
                "SELECT declared_sha256 FROM application_documents WHERE id = $1",
                uuid.UUID(document_id),
            )
            == hashlib.sha256(first_photo).hexdigest()
        )

        # A colleague signs in on that browser: their device carries the rest, the old
        # officer's photo included.
        carried, refused, again = await desk.send([by_colleague, after, by_officer])
        assert carried["outcome"] == "applied", carried
        assert carried["receipt_code"] == codes[1]
        assert refused["outcome"] == "rejected"
        assert refused["problem"]["type"] == "/problems/intake-after-revocation"
        assert again["outcome"] == "duplicate"
        assert again["first"]["receipt_code"] == codes[0]

        # Another unit's device cannot carry it; a code outside the origin's blocks is refused.
        far = await registered_device(served_app, stranger, seed=4)
        carriers.append(far)
        (foreign,) = await far.send([through_stranger])
        assert foreign["problem"]["type"] == "/problems/origin-device-foreign"
        (not_origins,) = await desk.send([not_origins])
        assert not_origins["problem"]["type"] == "/problems/receipt-code-not-reserved"
        # Once refused through the stranger, the same command keeps that answer.
        (still,) = await desk.send([through_stranger])
        assert still["outcome"] == "duplicate"
        assert still["first"]["outcome"] == "rejected"

        rows = await db.fetch(
            "SELECT receipt_code, count(*) OVER (PARTITION BY receipt_code) AS copies"
            " FROM applications WHERE receipt_code = ANY($1::text[])",
            codes,
        )
        assert sorted((r["receipt_code"], r["copies"]) for r in rows) == [
            (codes[0], 1),
            (codes[1], 1),
        ]
        audit = await db.fetch(
            "SELECT actor_id, origin_device_id, origin_staff_id, note, device_time"
            " FROM audit_log WHERE action = 'sync.command_carried' AND application_id = ANY($1)"
            " ORDER BY id",
            [uuid.UUID(applied["application_id"]), uuid.UUID(carried["application_id"])],
        )
        assert [(a["actor_id"], a["origin_device_id"], a["origin_staff_id"]) for a in audit] == [
            (officer_id, uuid.UUID(old.device_id), officer_id),
            (colleague_id, uuid.UUID(old.device_id), officer_id),
        ]
        assert all(a["note"] == "counter_intake" for a in audit)
        assert all(a["device_time"] < revoked_at for a in audit)
        assert datetime.now(UTC) > revoked_at
    finally:
        for carrier in carriers:
            await carrier.close()
