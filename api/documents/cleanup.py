"""Abandoned uploads: documents still pending long after their upload window closed.

Their staging objects may hold photos with GPS metadata that were never checked or cleaned,
so the worker deletes them and marks the rows rejected. Deleting first makes a crash between
the two steps harmless: the next run finds the row again and the delete is a no-op.
"""

from __future__ import annotations

import asyncpg

from api.core.storage import ObjectStorage
from api.documents.repository import DocumentRepository
from api.documents.service import upload_key

_ABANDONED = """
SELECT id, application_id FROM application_documents
WHERE status = 'pending' AND upload_expires_at < now() - make_interval(secs => $1)
ORDER BY upload_expires_at
LIMIT $2
"""


async def purge_abandoned_uploads(
    pool: asyncpg.Pool, storage: ObjectStorage, *, grace_seconds: int = 3600, batch: int = 500
) -> int:
    """Delete the staging objects of abandoned uploads; return how many were purged."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(_ABANDONED, float(grace_seconds), batch)
        documents = DocumentRepository(conn)
        for row in rows:
            await storage.delete(upload_key(row["application_id"], row["id"]))
            await documents.mark_rejected(row["id"])
    return len(rows)
