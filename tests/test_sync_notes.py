"""Officers' notes (the sync ``note`` command) reach every device and the officer's online view
(docs/sync.md §2): a note written on one device moves its application in the feed without a new
version, and the colleague's device pulls the record again with the note, its author and its
times; the citizen's view of the same application never shows it."""

from __future__ import annotations

import gzip
import json

import asyncpg
import httpx

from api.settings import Settings
from tests.conftest import ServedApp
from tests.support import citizen, staff
from tests.sync_support import registered_device, submitted_applications

UNIT = "32110"


async def test_a_note_written_on_one_device_reaches_the_other_and_the_officer_view_only(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    citizen_id, citizen_auth = await citizen(db, settings)
    writer_id, writer = await staff(db, settings, unit_code=UNIT)
    await db.execute("UPDATE staff SET full_name = 'Hà Văn Thắng' WHERE id = $1", writer_id)
    _, colleague = await staff(db, settings, unit_code=UNIT)
    (application,) = await submitted_applications(db, citizen_id, UNIT, 1)
    key = str(application)
    a = await registered_device(served_app, writer, seed=1)
    b = await registered_device(served_app, colleague, seed=2)
    try:
        await b.pull_until(lambda: key in b.work_set)
        assert b.work_set[key]["notes"] == []
        version = b.work_set[key]["version"]

        text = "Đã gọi điện cho công dân, hẹn mang bản gốc giấy khai sinh."
        note = a.command("note", {"note": text}, application_id=key)
        await a.push()
        assert a.final(note)["outcome"] == "applied"

        # The colleague's device: the same version again, now with the note.
        await b.pull_until(lambda: bool(b.work_set[key]["notes"]))
        record = b.work_set[key]
        assert record["version"] == version
        (pulled,) = record["notes"]
        assert pulled["note"] == text and pulled["author_name"] == "Hà Văn Thắng"
        assert pulled["author_id"] == str(writer_id)
        assert pulled["device_time"] is not None and pulled["at"] is not None
        # A fresh snapshot (a new device, no cursor) carries it too.
        fresh = await registered_device(served_app, colleague, seed=3)
        try:
            await fresh.pull_until(lambda: key in fresh.work_set)
            assert [n["note"] for n in fresh.work_set[key]["notes"]] == [text]
        finally:
            await fresh.close()
        # The record with its note stays within the size goal (≤ 1 KB gzip alone).
        alone = gzip.compress(json.dumps(record, ensure_ascii=False).encode())
        assert len(alone) <= 1024, len(alone)

        # The officer's online view lists it beside the status timeline ...
        seen = await client.get(f"/api/v1/applications/{key}", headers=colleague)
        assert seen.status_code == 200, seen.text
        assert [(n["note"], n["author_name"]) for n in seen.json()["notes"]] == [
            (text, "Hà Văn Thắng")
        ]
        assert all(entry.get("note") != text for entry in seen.json()["timeline"])
        # ... and the citizen's view of the same application does not.
        own = await client.get(f"/api/v1/applications/{key}", headers=citizen_auth)
        assert own.status_code == 200, own.text
        assert own.json()["notes"] is None
        assert text not in own.text
    finally:
        await a.close()
        await b.close()
