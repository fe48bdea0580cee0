"""Offline sync (docs/sync.md): devices, the pull through the change feed, receipt blocks,
idempotent push with conflicts and ordering, and resumable uploads — each on a clean link."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import uuid

import asyncpg
import httpx
import msgspec

from api.applications.calendar_store import load_working_calendar
from api.core.clock import vn_today
from api.settings import Settings
from tests.conftest import ServedApp, problem
from tests.support import citizen, staff
from tests.sync_support import (
    PROVINCE,
    applicant,
    intake_form,
    photo,
    registered_device,
    submitted_applications,
)
from tests.test_applications import COMMUNE_PROCEDURE, REQUIRED_CODES


async def test_devices_register_once_and_a_revoked_device_gets_401(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    _, officer = await staff(db, settings, unit_code="00004")
    _, other_officer = await staff(db, settings, unit_code="00004")
    _, admin = await staff(
        db, settings, role="agency_admin", unit_code=None, agency_code="UBX00004"
    )
    sync = await registered_device(served_app, officer)
    try:
        again = await client.post(
            "/api/v1/sync/devices",
            json={"device_id": sync.device_id, "label": "x"},
            headers=officer,
        )
        assert again.status_code == 200 and again.json()["device_id"] == sync.device_id
        taken = await client.post(
            "/api/v1/sync/devices",
            json={"device_id": sync.device_id, "label": "x"},
            headers=other_officer,
        )
        problem(taken, 409, "device-id-taken")
        stolen = await client.get(
            "/api/v1/sync/pull", headers={**other_officer, "X-Device-Id": sync.device_id}
        )
        problem(stolen, 401, "device-unknown")
        assert (await client.get("/api/v1/sync/pull", headers=sync.headers)).status_code == 200
        revoked = await client.post(f"/api/v1/sync/devices/{sync.device_id}/revoke", headers=admin)
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        problem(await client.get("/api/v1/sync/pull", headers=sync.headers), 401, "device-revoked")
        _, far_admin = await staff(
            db, settings, role="agency_admin", unit_code=None, agency_code="UBX00008"
        )
        out_of_scope = await client.post(
            f"/api/v1/sync/devices/{sync.device_id}/revoke", headers=far_admin
        )
        problem(out_of_scope, 404)
    finally:
        await sync.close()


async def test_pull_snapshot_then_changes_in_json_gzip_and_msgpack(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    unit = "32214"
    _, officer = await staff(db, settings, unit_code=unit)
    seeded = await submitted_applications(db, citizen_id, unit, 7)
    await submitted_applications(db, citizen_id, "32218", 2)  # another unit's: never pulled
    sync = await registered_device(served_app, officer)
    try:
        in_unit = set(
            await db.fetchval(
                "SELECT array_agg(id::text) FROM applications WHERE unit_code = $1"
                " AND NOT (status = 'draft' AND channel = 'online')",  # citizens' drafts: private
                unit,
            )
        )
        await sync.pull_until(lambda: set(sync.work_set) == in_unit)
        assert set(sync.work_set) == in_unit >= {str(i) for i in seeded}
        assert len(sync.received) == len(in_unit)
        first = await client.get("/api/v1/sync/pull", headers=sync.headers)
        assert first.json()["reference"]["procedures"], "the first page carries the reference"
        assert first.json()["reference"]["unit"]["code"] == unit
        # Nothing changed: an empty page, no reference again.
        quiet = (
            await client.get(
                "/api/v1/sync/pull", params={"cursor": sync.cursor}, headers=sync.headers
            )
        ).json()
        assert quiet["applications"] == [] and quiet["reference"] is None
        await db.execute(
            "UPDATE applications SET status = 'received', version = 2 WHERE id = $1", seeded[0]
        )
        for _ in range(300):  # until the feed releases the change (see pull_until)
            zipped = await client.get(
                "/api/v1/sync/pull",
                params={"cursor": sync.cursor},
                headers={**sync.headers, "Accept-Encoding": "gzip"},
            )
            if zipped.json()["applications"]:
                break
            await asyncio.sleep(0.1)
        assert zipped.headers["content-encoding"] == "gzip"
        (changed,) = zipped.json()["applications"]
        assert changed["id"] == str(seeded[0]) and changed["version"] == 2
        packed = await client.get(
            "/api/v1/sync/pull",
            params={"cursor": sync.cursor},
            headers={**sync.headers, "Accept": "application/msgpack"},
        )
        assert packed.headers["content-type"].startswith("application/msgpack")
        assert msgspec.msgpack.decode(packed.content)["applications"][0]["version"] == 2
        # A cursor made for another unit cannot be served: re-snapshot.
        _, moved_officer = await staff(db, settings, unit_code="32218")
        elsewhere = await registered_device(served_app, moved_officer, seed=2)
        try:
            expired = await client.get(
                "/api/v1/sync/pull", params={"cursor": sync.cursor}, headers=elsewhere.headers
            )
            problem(expired, 410, "sync-cursor-expired")
        finally:
            await elsewhere.close()
        problem(
            await client.get(
                "/api/v1/sync/pull", params={"cursor": "not-a-cursor"}, headers=sync.headers
            ),
            422,
        )
    finally:
        await sync.close()


async def test_push_is_idempotent_reports_conflicts_and_waits_for_predecessors(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, first_officer = await staff(db, settings, unit_code="32227")
    _, second_officer = await staff(db, settings, unit_code="32227")
    (application_id,) = await submitted_applications(db, citizen_id, "32227", 1)
    one = await registered_device(served_app, first_officer, seed=3)
    two = await registered_device(served_app, second_officer, seed=4)
    try:
        receive = one.command(
            "transition", {"action": "receive"}, application_id=str(application_id), base_version=1
        )
        start = one.command(
            "transition",
            {"action": "start"},
            application_id=str(application_id),
            base_version=2,
            depends_on=receive["command_id"],
        )
        # The successor first: it waits for its predecessor instead of failing.
        (waiting,) = await one.send([start])
        assert waiting == {
            "command_id": start["command_id"],
            "outcome": "retry",
            "reason": "predecessor_missing",
        }
        results = await one.send([receive, start])
        assert [r["outcome"] for r in results] == ["applied", "applied"]
        assert results[1]["version"] == 3
        # The whole batch again: duplicates with the first answers, nothing changes.
        replay = await one.send([receive, start])
        assert [r["outcome"] for r in replay] == ["duplicate", "duplicate"]
        assert replay[1]["first"]["version"] == 3
        # The other officer moved on version 1 offline: a conflict with the server's record.
        late = two.command(
            "transition", {"action": "receive"}, application_id=str(application_id), base_version=1
        )
        (conflict,) = await two.send([late])
        assert conflict["outcome"] == "conflict"
        assert conflict["current"]["version"] == 3
        assert conflict["current"]["status"] == "processing"
        assert conflict["problem"]["type"] == "/problems/version-conflict"
        # Same id, other content: refused, the stored answer stays.
        forged = {**receive, "payload": {"action": "return", "note": "x"}}
        (reused,) = await one.send([forged])
        assert reused["outcome"] == "rejected"
        assert reused["problem"]["type"] == "/problems/client-id-reused"
        bad = one.command(
            "transition", {"action": "fly"}, application_id=str(application_id), base_version=3
        )
        note = one.command("note", {"note": "Gọi điện cho dân"}, application_id=str(application_id))
        results = await one.send([bad, note])
        assert [r["outcome"] for r in results] == ["rejected", "applied"]
        assert results[0]["problem"]["errors"][0]["path"] == "payload.action"
        events = await db.fetchval(
            "SELECT count(*) FROM events WHERE application_id = $1", application_id
        )
        assert events == 2
        device_times = await db.fetchval(
            "SELECT count(*) FROM audit_log WHERE application_id = $1 AND device_time IS NOT NULL",
            application_id,
        )
        assert device_times == 3  # receive, start, note
    finally:
        await one.close()
        await two.close()


async def test_offline_intake_uses_a_reserved_code_and_a_resumed_upload(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    _, officer = await staff(db, settings, unit_code="32236")
    sync = await registered_device(served_app, officer, seed=5)
    other = await registered_device(served_app, officer, seed=6)
    rng = random.Random(9)
    try:
        codes = await sync.reserve(3)
        assert len(set(codes)) == 3 and all(code.startswith("32236-") for code in codes)
        data = photo(rng)
        # A command whose photo has not arrived yet is answered retry, not failed.
        upload_id = sync.new_id()
        ref = sync.new_id()
        early = sync.command(
            "counter_intake",
            {
                "procedure_code": COMMUNE_PROCEDURE,
                "applicant": applicant(PROVINCE, "32236"),
                "form": intake_form(PROVINCE, "32236"),
                "receipt_code": codes[0],
                "documents": [{"upload_id": upload_id, "requirement": REQUIRED_CODES[0]}],
            },
            application_ref=ref,
        )
        (answer,) = await sync.send([early])
        assert answer["outcome"] == "retry" and answer["reason"] == "upload_incomplete"
        declared = await sync.request(
            "POST",
            "/api/v1/sync/uploads",
            json={
                "upload_id": upload_id,
                "content_type": "image/jpeg",
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        assert declared.status_code == 201
        half = len(data) // 2

        async def chunk(offset: int, part: bytes, checksum: bytes | None = None) -> httpx.Response:
            digest = base64.b64encode(checksum or hashlib.sha256(part).digest()).decode()
            return await sync.http.patch(
                f"/api/v1/sync/uploads/{upload_id}",
                content=part,
                headers={
                    **sync.headers,
                    "Upload-Offset": str(offset),
                    "Upload-Checksum": f"sha256 {digest}",
                },
            )

        problem(await chunk(0, data[:half], checksum=b"\0" * 32), 422, "chunk-checksum-mismatch")
        assert (await chunk(0, data[:half])).json() == {
            "upload_id": upload_id,
            "size": len(data),
            "offset": half,
            "complete": False,
        }
        mismatch = problem(await chunk(0, data[:half]), 409, "upload-offset-mismatch")
        assert mismatch["offset"] == half
        state = await sync.request("GET", f"/api/v1/sync/uploads/{upload_id}")
        assert state.headers["upload-offset"] == str(half)
        assert (await chunk(half, data[half:])).json()["complete"] is True
        (answer,) = await sync.send([early])
        assert answer["outcome"] == "applied", answer
        assert answer["receipt_code"] == codes[0]
        row = await db.fetchrow(
            "SELECT status, channel, receipt_code, received_on, version FROM applications"
            " WHERE id = $1",
            uuid.UUID(answer["application_id"]),
        )
        assert row["status"] == "submitted" and row["channel"] == "counter"
        assert row["receipt_code"] == codes[0]
        (document_id,) = answer["document_ids"]
        stored = await db.fetchrow(
            "SELECT status, declared_sha256 FROM application_documents WHERE id = $1",
            uuid.UUID(document_id),
        )
        assert stored["status"] == "stored"
        assert stored["declared_sha256"] == hashlib.sha256(data).hexdigest()
        # A transition naming the new application by its client id.
        receive = sync.command(
            "transition",
            {"action": "receive"},
            application_ref=ref,
            base_version=row["version"],
            depends_on=early["command_id"],
        )
        (moved,) = await sync.send([receive])
        assert moved["outcome"] == "applied" and moved["version"] == row["version"] + 1
        # The code is spent; another device's code is not this device's to use.
        again = sync.command(
            "counter_intake",
            {
                "procedure_code": COMMUNE_PROCEDURE,
                "applicant": applicant(PROVINCE, "32236"),
                "form": intake_form(PROVINCE, "32236"),
                "receipt_code": codes[0],
            },
            application_ref=sync.new_id(),
        )
        other_codes = await other.reserve(1)
        foreign = sync.command(
            "counter_intake",
            {
                "procedure_code": COMMUNE_PROCEDURE,
                "applicant": applicant(PROVINCE, "32236"),
                "form": intake_form(PROVINCE, "32236"),
                "receipt_code": other_codes[0],
            },
            application_ref=sync.new_id(),
        )
        results = await sync.send([again, foreign])
        assert [r["problem"]["type"] for r in results] == [
            "/problems/receipt-code-used",
            "/problems/receipt-code-not-reserved",
        ]
        count = await db.fetchval(
            "SELECT count(*) FROM applications WHERE receipt_code = ANY($1::text[])", codes
        )
        assert count == 1
    finally:
        await sync.close()
        await other.close()


async def test_a_new_due_date_set_offline_is_applied_once_and_a_stale_one_conflicts(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, officer = await staff(db, settings, unit_code="32244")
    _, colleague = await staff(db, settings, unit_code="32244")
    (application_id,) = await submitted_applications(db, citizen_id, "32244", 1)
    calendar = await load_working_calendar(db)
    await db.execute(
        "UPDATE applications SET due_date = $2 WHERE id = $1",
        application_id,
        calendar.previous_working_day(vn_today()),
    )
    new_date = calendar.add_working_days(vn_today(), 3)
    apology = "Xin lỗi ông/bà: hồ sơ cần xác minh thêm."
    one = await registered_device(served_app, officer, seed=7)
    two = await registered_device(served_app, colleague, seed=8)
    try:
        target = {"application_id": str(application_id), "base_version": 1}
        no_apology = one.command(
            "set_new_due_date", {"new_due_date": new_date.isoformat()}, **target
        )
        too_early = one.command(
            "set_new_due_date", {"new_due_date": vn_today().isoformat(), "note": apology}, **target
        )
        reschedule = one.command(
            "set_new_due_date", {"new_due_date": new_date.isoformat(), "note": apology}, **target
        )
        as_transition = one.command(
            "transition", {"action": "set_new_due_date", "note": apology}, **target
        )
        results = await one.send([no_apology, too_early, as_transition, reschedule])
        assert [r["outcome"] for r in results] == ["rejected", "rejected", "rejected", "applied"]
        assert results[0]["problem"]["errors"][0]["path"] == "payload.note"
        assert results[1]["problem"]["errors"][0]["path"] == "new_due_date"
        assert results[1]["problem"]["errors"][0]["code"] == "not_later"
        assert results[2]["problem"]["errors"][0]["path"] == "new_due_date"
        assert results[3]["version"] == 2
        (replay,) = await one.send([reschedule])
        assert replay["outcome"] == "duplicate" and replay["first"]["version"] == 2
        # A colleague rescheduled the version they saw offline: the server moved first.
        later = calendar.add_working_days(new_date, 2)
        stale = two.command(
            "set_new_due_date", {"new_due_date": later.isoformat(), "note": apology}, **target
        )
        (conflict,) = await two.send([stale])
        assert conflict["outcome"] == "conflict"
        assert conflict["problem"]["type"] == "/problems/version-conflict"
        assert conflict["current"]["version"] == 2
        assert conflict["current"]["due_date"] == new_date.isoformat()
        row = await db.fetchrow(
            "SELECT due_date, version FROM applications WHERE id = $1", application_id
        )
        assert (row["due_date"], row["version"]) == (new_date, 2)
        changes = await db.fetch(
            "SELECT type FROM events WHERE application_id = $1", application_id
        )
        assert [c["type"] for c in changes] == ["application.due_date_changed"]
        audit = await db.fetchrow(
            "SELECT note, device_time FROM audit_log WHERE application_id = $1"
            " AND action = 'application.set_new_due_date'",
            application_id,
        )
        assert audit["note"] == apology and audit["device_time"] is not None
    finally:
        await one.close()
        await two.close()
