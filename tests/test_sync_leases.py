"""Work leases (docs/sync.md §6) against the running server: an officer checks an application
out to a device; a colleague's online move, an agency system's move and a colleague's pushed
command are refused while the holder's own moves pass; a lease ends when released, when it
expires and when its device is revoked; a retried lease request gets the same lease."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from api.settings import Settings
from tests.conftest import ServedApp, problem
from tests.support import citizen, staff
from tests.sync_client import SyncClient
from tests.sync_support import registered_device, submitted_applications
from tests.test_agency_api import agency_admin, new_key

UNIT = "32191"
LEASES = "/api/v1/sync/leases"


async def lease(
    client: httpx.AsyncClient, sync: SyncClient, *ids: uuid.UUID, **extra: Any
) -> list[dict[str, Any]]:
    response = await client.post(
        LEASES, json={"application_ids": [str(i) for i in ids], **extra}, headers=sync.headers
    )
    assert response.status_code == 200, response.text
    leases: list[dict[str, Any]] = response.json()["leases"]
    return leases


async def move_online(
    client: httpx.AsyncClient, auth: dict[str, str], application_id: uuid.UUID, action: str
) -> httpx.Response:
    version = await client.get(f"/api/v1/applications/{application_id}", headers=auth)
    return await client.post(
        f"/api/v1/applications/{application_id}/transitions",
        json={"action": action, "expected_version": version.json()["version"]},
        headers=auth,
    )


async def test_a_leased_application_moves_only_by_its_holder_until_released(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    holder_id, holder = await staff(db, settings, unit_code=UNIT)
    await db.execute("UPDATE staff SET full_name = 'Lò Thị Mai' WHERE id = $1", holder_id)
    _, colleague = await staff(db, settings, unit_code=UNIT)
    first, second = await submitted_applications(db, citizen_id, UNIT, 2)
    mine = await registered_device(served_app, holder, seed=1)
    theirs = await registered_device(served_app, colleague, seed=2)
    try:
        (taken,) = await lease(client, mine, first, hours=24)
        assert taken["outcome"] == "leased"
        held = taken["lease"]
        assert held["holder_id"] == str(holder_id) and held["device_id"] == mine.device_id
        # A retried request (its answer lost) gets the same lease, not a second one.
        (again,) = await lease(client, mine, first)
        assert again["outcome"] == "leased" and again["lease"] == held
        assert await db.fetchval("SELECT count(*) FROM sync_leases") >= 1
        assert (
            await db.fetchval("SELECT count(*) FROM sync_leases WHERE application_id = $1", first)
            == 1
        )
        # The colleague asks for it too: told who holds it, no lease taken.
        (refused,) = await lease(client, theirs, first)
        assert refused["outcome"] == "held" and refused["lease"]["lease_id"] == held["lease_id"]

        # Others see the lease: the pull's record, the application view, the queue.
        await theirs.pull_until(lambda: str(first) in theirs.work_set)
        record = theirs.work_set[str(first)]
        assert record["lease"] == {
            "lease_id": held["lease_id"],
            "holder_id": str(holder_id),
            "holder_name": "Lò Thị Mai",
            "expires_at": held["expires_at"],
        }
        view = (await client.get(f"/api/v1/applications/{first}", headers=colleague)).json()
        assert view["lease"]["holder_name"] == "Lò Thị Mai"
        queue = (await client.get("/api/v1/officer/queue", headers=colleague)).json()["items"]
        by_id = {item["id"]: item for item in queue}
        assert by_id[str(first)]["lease"]["lease_id"] == held["lease_id"]
        assert by_id[str(second)]["lease"] is None

        # The colleague's online move: 409 naming the holder and the end, nothing changes.
        body = problem(await move_online(client, colleague, first, "receive"), 409)
        assert body["type"] == "/problems/application-leased"
        assert "Lò Thị Mai" in body["title"]
        assert body["lease"]["holder_name"] == "Lò Thị Mai"
        english = await client.post(
            f"/api/v1/applications/{first}/transitions",
            json={"action": "receive", "expected_version": 1},
            headers={**colleague, "Accept-Language": "en"},
        )
        assert "until" in problem(english, 409, "application-leased")["title"]
        assert await db.fetchval("SELECT version FROM applications WHERE id = $1", first) == 1

        # The colleague's device pushes a move: a conflict with the record and its lease,
        # answered to that device only.
        late = theirs.command(
            "transition", {"action": "receive"}, application_id=str(first), base_version=1
        )
        (conflict,) = await theirs.send([late])
        assert conflict["outcome"] == "conflict"
        assert conflict["problem"]["type"] == "/problems/application-leased"
        assert conflict["current"]["lease"]["lease_id"] == held["lease_id"]
        assert conflict["current"]["version"] == 1
        # The holder's own push passes, and so does the holder's online move.
        receive = mine.command(
            "transition", {"action": "receive"}, application_id=str(first), base_version=1
        )
        (applied,) = await mine.send([receive])
        assert applied["outcome"] == "applied" and applied["version"] == 2
        assert not any(a["outcome"] == "conflict" for a in mine.answers.values())
        assert (await move_online(client, holder, first, "start")).status_code == 200

        # Released early (twice: the same answer): the colleague's move passes.
        released = await client.post(f"{LEASES}/{held['lease_id']}/release", headers=mine.headers)
        assert released.status_code == 200 and released.json()["released_at"]
        repeated = await client.post(f"{LEASES}/{held['lease_id']}/release", headers=mine.headers)
        assert repeated.json() == released.json()
        problem(
            await client.post(f"{LEASES}/{held['lease_id']}/release", headers=theirs.headers), 404
        )
        assert (await move_online(client, colleague, first, "approve")).status_code == 200
        # The record in the pull drops the lease (same-version re-sends carry the change).
        await theirs.pull_until(lambda: theirs.work_set[str(first)]["lease"] is None)
        assert theirs.work_set[str(first)]["lease"] is None
    finally:
        await mine.close()
        await theirs.close()


async def test_an_agency_systems_move_on_a_leased_application_is_refused(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, holder = await staff(db, settings, unit_code=UNIT)
    (application_id,) = await submitted_applications(db, citizen_id, UNIT, 1)
    _, key = await new_key(client, await agency_admin(db, settings, agency_code=f"UBX{UNIT}"))
    mine = await registered_device(served_app, holder, seed=3)
    try:
        await lease(client, mine, application_id)
        refused = await client.post(
            f"/api/v1/agency/applications/{application_id}/transitions",
            json={"action": "receive", "expected_version": 1},
            headers=key,
        )
        problem(refused, 409, "application-leased")
    finally:
        await mine.close()


async def test_a_lease_ends_when_it_expires_or_its_device_is_revoked(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, holder = await staff(db, settings, unit_code=UNIT)
    _, colleague = await staff(db, settings, unit_code=UNIT)
    _, admin = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code=f"UBX{UNIT}"
    )
    expiring, revoked = await submitted_applications(db, citizen_id, UNIT, 2)
    mine = await registered_device(served_app, holder, seed=5)
    theirs = await registered_device(served_app, colleague, seed=6)
    try:
        await lease(client, mine, expiring, revoked)
        problem(
            await move_online(client, colleague, expiring, "receive"), 409, "application-leased"
        )
        # Expiry is the database clock's: move the lease's end into the past.
        await db.execute(
            "UPDATE sync_leases SET taken_at = now() - interval '73 hours',"
            " expires_at = now() - interval '1 hour' WHERE application_id = $1",
            expiring,
        )
        assert (await move_online(client, colleague, expiring, "receive")).status_code == 200
        # The colleague may now take it over.
        (taken,) = await lease(client, theirs, expiring)
        assert taken["outcome"] == "leased" and taken["lease"]["device_id"] == theirs.device_id

        problem(await move_online(client, colleague, revoked, "receive"), 409, "application-leased")
        response = await client.post(f"/api/v1/sync/devices/{mine.device_id}/revoke", headers=admin)
        assert response.status_code == 200
        assert await db.fetchval(
            "SELECT released_at IS NOT NULL FROM sync_leases WHERE application_id = $1", revoked
        )
        assert (await move_online(client, colleague, revoked, "receive")).status_code == 200
    finally:
        await mine.close()
        await theirs.close()


async def test_leases_stay_within_the_officers_unit_and_the_request_is_checked(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, officer = await staff(db, settings, unit_code=UNIT)
    (own,) = await submitted_applications(db, citizen_id, UNIT, 1)
    (elsewhere,) = await submitted_applications(db, citizen_id, "32188", 1)
    mine = await registered_device(served_app, officer, seed=7)
    try:
        out_of_reach = await client.post(
            LEASES,
            json={"application_ids": [str(own), str(elsewhere)]},
            headers=mine.headers,
        )
        problem(out_of_reach, 404)
        # A failed request writes nothing: not even the lease on the unit's own application.
        assert (
            await db.fetchval("SELECT count(*) FROM sync_leases WHERE application_id = $1", own)
            == 0
        )
        too_long = await client.post(
            LEASES, json={"application_ids": [str(own)], "hours": 73}, headers=mine.headers
        )
        problem(too_long, 422, "validation-failed")
        (taken,) = await lease(client, mine, own)
        hours = await db.fetchval(
            "SELECT extract(epoch FROM expires_at - taken_at) / 3600"
            " FROM sync_leases WHERE id = $1",
            uuid.UUID(taken["lease"]["lease_id"]),
        )
        assert hours == 72  # the default is the maximum
        no_device = await client.post(LEASES, json={"application_ids": [str(own)]}, headers=officer)
        problem(no_device, 422)
    finally:
        await mine.close()
