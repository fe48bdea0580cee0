"""Housekeeping: the staging sweep deletes every object under uploads/ that complete will not
read (abandoned, orphaned, or posted again to a spent form) and marks abandoned uploads
rejected. Posting again after a completion is tested in test_documents.py."""

from __future__ import annotations

import uuid

import asyncpg

from api.core.db import create_pool
from api.core.storage import ObjectStorage
from api.documents.service import upload_key
from api.settings import Settings
from tests.support import citizen, draft_application, pending_document, sweep
from workers.housekeeping import sweep_uploads
from workers.main import WorkerSettings


async def _staged_pending_document(
    db: asyncpg.Connection, storage: ObjectStorage, citizen_id: uuid.UUID, window_minutes: int
) -> str:
    """The staging key of a pending upload whose window closes in ``window_minutes``
    (negative: closed), with a file posted there."""
    application_id = await draft_application(db, citizen_id)
    document_id = await pending_document(
        db, application_id, citizen_id, upload_window_minutes=window_minutes
    )
    key = upload_key(application_id, document_id)
    await storage.write(key, b"GPS", "image/jpeg")
    return key


async def _status(db: asyncpg.Connection, key: str) -> str:
    status: str = await db.fetchval(
        "SELECT status FROM application_documents WHERE id = $1", uuid.UUID(key.rsplit("/")[-1])
    )
    return status


async def test_abandoned_uploads_are_purged_and_recent_ones_kept(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, _ = await citizen(db, settings)
    storage = ObjectStorage(settings)
    old = await _staged_pending_document(db, storage, citizen_id, window_minutes=-180)
    # Within the grace after its window: a completion may be reading it right now.
    recent = await _staged_pending_document(db, storage, citizen_id, window_minutes=-5)

    result = await sweep(settings)
    assert result.abandoned >= 1 and result.deleted >= 1
    pool = await create_pool(settings.database_url)
    try:
        # Running again (as the worker does) is harmless: the row is no longer pending.
        await sweep_uploads({"db_pool": pool, "storage": storage})
    finally:
        await pool.close()

    assert await storage.stat(old) is None
    assert await storage.stat(recent) is not None
    assert await _status(db, old) == "rejected"
    assert await _status(db, recent) == "pending"


async def test_orphans_are_swept_page_by_page_and_pending_uploads_kept(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, _ = await citizen(db, settings)
    storage = ObjectStorage(settings)
    pending = await _staged_pending_document(db, storage, citizen_id, window_minutes=10)
    orphans = [upload_key(uuid.uuid4(), uuid.uuid4()) for _ in range(4)]
    # Keys complete never reads, whatever posted them: not a document's staging key.
    orphans += [
        "uploads/not-a-document",
        f"uploads/{uuid.uuid4()}/{uuid.uuid4()}/extra",
        f"uploads/{str(uuid.uuid4()).upper()}/{uuid.uuid4()}",
    ]
    for key in orphans:
        await storage.write(key, bytes(1024), "image/jpeg")

    # A page of two keys: several pages, one SQL query each.
    result = await sweep(settings, batch=2)

    assert result.deleted >= len(orphans)
    assert [key for key in orphans if await storage.stat(key) is not None] == []
    assert await storage.stat(pending) is not None
    assert await _status(db, pending) == "pending"
    remaining = await storage.list_keys("uploads/", start_after=None, limit=1000)
    assert pending in remaining and not set(orphans) & set(remaining)


def test_the_worker_sweeps_every_ten_minutes() -> None:
    (job,) = [job for job in WorkerSettings.cron_jobs if job.coroutine is sweep_uploads]
    assert job.minute == set(range(7, 60, 10))
