"""Housekeeping: abandoned uploads lose their staging objects and are marked rejected."""

from __future__ import annotations

import uuid

import asyncpg

from api.core.db import create_pool
from api.core.storage import ObjectStorage
from api.documents.cleanup import purge_abandoned_uploads
from api.documents.service import upload_key
from api.settings import Settings
from tests.support import citizen, draft_application, pending_document
from workers.housekeeping import purge_uploads
from workers.main import WorkerSettings


async def _pending_document(
    db: asyncpg.Connection, citizen_id: uuid.UUID, expired_minutes_ago: int
) -> tuple[uuid.UUID, uuid.UUID]:
    application_id = await draft_application(db, citizen_id)
    document_id = await pending_document(
        db, application_id, citizen_id, upload_window_minutes=-expired_minutes_ago
    )
    return application_id, document_id


async def test_abandoned_uploads_are_purged_and_recent_ones_kept(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, _ = await citizen(db, settings)
    storage = ObjectStorage(settings)
    old = await _pending_document(db, citizen_id, expired_minutes_ago=180)
    recent = await _pending_document(db, citizen_id, expired_minutes_ago=5)
    for application_id, document_id in (old, recent):
        await storage.write(upload_key(application_id, document_id), b"GPS", "image/jpeg")

    pool = await create_pool(settings.database_url)
    try:
        assert await purge_abandoned_uploads(pool, storage) >= 1
        # Running again is harmless: the row is no longer pending.
        await purge_uploads({"db_pool": pool, "storage": storage})
    finally:
        await pool.close()

    assert await storage.stat(upload_key(*old)) is None
    assert await storage.stat(upload_key(*recent)) is not None
    statuses = {
        row["id"]: row["status"]
        for row in await db.fetch(
            "SELECT id, status FROM application_documents WHERE id = ANY($1)",
            [old[1], recent[1]],
        )
    }
    assert statuses == {old[1]: "rejected", recent[1]: "pending"}


def test_the_worker_runs_the_purge_every_hour() -> None:
    assert any(job.coroutine is purge_uploads for job in WorkerSettings.cron_jobs)
