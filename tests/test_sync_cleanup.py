"""What offline sync leaves behind goes: uploads never attached and receipt codes never used,
once an outbox can no longer need them (the daily clean-up), and photos an offline intake
wrote to storage before the intake was refused (at once, by the push)."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest

from api.core.clock import vn_today
from api.core.db import create_pool
from api.core.storage import ObjectStorage
from api.settings import Settings
from api.sync.cleanup import OUTBOX_GRACE_DAYS
from tests.conftest import ServedApp
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
from workers.housekeeping import daily_cleanup


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url)
    try:
        yield pool
    finally:
        await pool.close()


async def block_of(db: asyncpg.Connection, code: str) -> uuid.UUID:
    block_id: uuid.UUID = await db.fetchval(
        "SELECT block_id FROM sync_receipt_codes WHERE code = $1", code
    )
    return block_id


async def test_the_daily_clean_up_drops_stale_uploads_and_codes_past_the_grace(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp, pool: asyncpg.Pool
) -> None:
    citizen_id, _ = await citizen(db, settings)
    _, officer = await staff(db, settings, unit_code="32248")
    (application_id,) = await submitted_applications(db, citizen_id, "32248", 1)
    sync = await registered_device(served_app, officer, seed=11)
    rng = random.Random(12)
    try:
        stale_upload = await sync.upload(photo(rng), "image/jpeg", chunk_size=1024)
        recent_upload = await sync.upload(photo(rng), "image/jpeg", chunk_size=1024)
        await db.execute(
            "UPDATE sync_uploads SET updated_at = now() - make_interval(days => $2) WHERE id = $1",
            uuid.UUID(stale_upload),
            OUTBOX_GRACE_DAYS + 1,
        )
        await db.execute(
            "UPDATE sync_uploads SET updated_at = now() - make_interval(days => $2) WHERE id = $1",
            uuid.UUID(recent_upload),
            OUTBOX_GRACE_DAYS - 1,
        )
        # Blocks whose day is past the grace (one with a code used), within it, and today's.
        partly_used, unused, within_grace, current = (
            await sync.reserve(2),
            await sync.reserve(2),
            await sync.reserve(1),
            await sync.reserve(1),
        )
        await db.execute(
            "UPDATE sync_receipt_codes SET application_id = $2, used_at = now() WHERE code = $1",
            partly_used[0],
            application_id,
        )
        today = vn_today()
        for codes, age in (
            (partly_used, OUTBOX_GRACE_DAYS + 1),
            (unused, OUTBOX_GRACE_DAYS + 5),
            (within_grace, OUTBOX_GRACE_DAYS),
        ):
            await db.execute(
                "UPDATE sync_receipt_blocks SET day = $2 WHERE id = $1",
                await block_of(db, codes[0]),
                today - timedelta(days=age),
            )
        blocks = {
            name: await block_of(db, codes[0])
            for name, codes in (
                ("partly_used", partly_used),
                ("unused", unused),
                ("within_grace", within_grace),
                ("current", current),
            )
        }

        ctx = {"db_pool": pool, "storage": ObjectStorage(settings), "settings": settings}
        result = await daily_cleanup(ctx)
        again = await daily_cleanup(ctx)

        assert result.sync_uploads >= 1 and result.receipt_codes >= 3
        assert result.receipt_blocks >= 1
        assert (again.sync_uploads, again.receipt_codes, again.receipt_blocks) == (0, 0, 0)
        uploads = {
            str(r["id"]): r["chunks"]
            for r in await db.fetch(
                "SELECT u.id, (SELECT count(*) FROM sync_upload_chunks c"
                " WHERE c.upload_id = u.id) AS chunks FROM sync_uploads u"
                " WHERE u.id = ANY($1::uuid[])",
                [stale_upload, recent_upload],
            )
        }
        assert stale_upload not in uploads
        assert uploads[recent_upload] > 0
        stale_chunks = await db.fetchval(
            "SELECT count(*) FROM sync_upload_chunks WHERE upload_id = $1", uuid.UUID(stale_upload)
        )
        assert stale_chunks == 0
        left = {
            r["code"]
            for r in await db.fetch(
                "SELECT code FROM sync_receipt_codes WHERE block_id = ANY($1::uuid[])",
                list(blocks.values()),
            )
        }
        assert left == {partly_used[0], *within_grace, *current}
        kept_blocks = {
            r["id"]
            for r in await db.fetch(
                "SELECT id FROM sync_receipt_blocks WHERE id = ANY($1::uuid[])",
                list(blocks.values()),
            )
        }
        assert kept_blocks == {blocks["partly_used"], blocks["within_grace"], blocks["current"]}
        # A stale upload is gone for the device too: it declares the file again.
        gone = await sync.http.get(f"/api/v1/sync/uploads/{stale_upload}", headers=sync.headers)
        assert gone.status_code == 404
    finally:
        await sync.close()


async def test_a_refused_offline_intake_leaves_no_photo_in_storage(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    _, officer = await staff(db, settings, unit_code="32201")
    sync = await registered_device(served_app, officer, seed=13)
    storage = ObjectStorage(settings)
    rng = random.Random(14)
    try:
        (code,) = await sync.reserve(1)
        upload_id = await sync.upload(photo(rng), "image/jpeg", chunk_size=4096)
        incomplete = intake_form(PROVINCE, "32201")
        del incomplete["mother_full_name"]
        before = set(await storage.list_keys("applications/", start_after=None, limit=100_000))
        intake = sync.command(
            "counter_intake",
            {
                "procedure_code": COMMUNE_PROCEDURE,
                "applicant": applicant(PROVINCE, "32201"),
                "form": incomplete,
                "receipt_code": code,
                "documents": [{"upload_id": upload_id, "requirement": REQUIRED_CODES[0]}],
            },
            application_ref=sync.new_id(),
        )
        (answer,) = await sync.send([intake])
        assert answer["outcome"] == "rejected", answer
        after = set(await storage.list_keys("applications/", start_after=None, limit=100_000))
        assert after == before, "the photo written before the refusal is gone"
        row = await db.fetchrow(
            "SELECT complete, document_id, (SELECT count(*) FROM sync_upload_chunks c"
            " WHERE c.upload_id = u.id) AS chunks FROM sync_uploads u WHERE id = $1",
            uuid.UUID(upload_id),
        )
        # The upload is untouched: the officer completes the form and sends a new intake.
        assert row["complete"] and row["document_id"] is None and row["chunks"] > 0
        assert await db.fetchval(
            "SELECT application_id IS NULL FROM sync_receipt_codes WHERE code = $1", code
        )
    finally:
        await sync.close()
