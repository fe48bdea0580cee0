"""The staging sweep: nothing stays under ``uploads/`` that ``complete`` may still read.

A staging object is read at most once, by ``complete`` on a document still 'pending' inside its
upload window. Everything else there is never checked and may hold photos with GPS metadata or
an oversized file: objects posted again after a completion or a refusal, objects of uploads
abandoned past their window, objects with no row at all. The sweep deletes them all.

It first marks abandoned pending rows rejected (their window closed over ``grace`` ago, so
``complete`` refuses them anyway), then lists the staging prefix page by page and deletes every
key that is not the staging object of a document still pending in its window (plus ``grace``,
so a completion running at the window's end still finds its file). Each page costs one list
request, one SQL query and one batched delete. A crash between steps is harmless: the next run
finds the same keys again.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import msgspec

from api.core.storage import ObjectStorage
from api.documents.service import STAGING_PREFIX, upload_key

_MARK_ABANDONED = """
UPDATE application_documents SET status = 'rejected', updated_at = now()
WHERE status = 'pending' AND upload_expires_at < now() - $1::interval
"""

# Of the (application, document) pairs named by staging keys, those whose file complete may
# still read.
_STILL_PENDING = """
SELECT d.application_id, d.id
FROM unnest($1::uuid[], $2::uuid[]) AS staged(application_id, id)
JOIN application_documents d USING (application_id, id)
WHERE d.status = 'pending' AND d.upload_expires_at > now() - $3::interval
"""


class SweepResult(msgspec.Struct, frozen=True):
    abandoned: int  # pending rows marked rejected
    deleted: int  # staging objects deleted


def _staged_document(key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The (application id, document id) a staging key belongs to, or None for a stray key."""
    parts = key.removeprefix(STAGING_PREFIX).split("/")
    if len(parts) != 2:
        return None
    try:
        application_id, document_id = uuid.UUID(parts[0]), uuid.UUID(parts[1])
    except ValueError:
        return None
    # Only the canonical spelling is the key complete reads.
    if upload_key(application_id, document_id) != key:
        return None
    return application_id, document_id


async def sweep_staging_uploads(
    pool: asyncpg.Pool,
    storage: ObjectStorage,
    *,
    grace: timedelta = timedelta(minutes=10),
    batch: int = 500,
) -> SweepResult:
    """Mark abandoned uploads rejected and delete every staging object complete will not read."""
    async with pool.acquire() as conn:
        status = await conn.execute(_MARK_ABANDONED, grace)
        abandoned = int(status.split()[-1])
        deleted = 0
        start_after: str | None = None
        while keys := await storage.list_keys(STAGING_PREFIX, start_after=start_after, limit=batch):
            start_after = keys[-1]
            staged = {key: _staged_document(key) for key in keys}
            named = [pair for pair in staged.values() if pair is not None]
            records = await conn.fetch(
                _STILL_PENDING,
                [application_id for application_id, _ in named],
                [document_id for _, document_id in named],
                grace,
            )
            keep = {upload_key(record["application_id"], record["id"]) for record in records}
            spent = [key for key in keys if key not in keep]
            await storage.delete_many(spent)
            deleted += len(spent)
            if len(keys) < batch:
                break
    return SweepResult(abandoned=abandoned, deleted=deleted)
