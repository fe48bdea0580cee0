"""Daily clean-up of abandoned drafts: a draft untouched (form and documents) for 30 days is
withdrawn by the system, and its documents are deleted, objects and rows.

The application row stays: its creation is in the append-only audit log (which references it)
and in the change feed, so deleting it would break the one or rewrite the other. Withdrawing it
goes through the one move entry point like every status change (the ``system`` party may
withdraw a draft), so the audit row and the ``application.withdrawn`` event (actor ``system``)
say what happened; nobody is notified of a draft never filed. The version seen when the draft
was found stale is expected, so a draft edited meanwhile is left alone.

Documents go in a second step that looks for drafts the system withdrew and that still have
documents: storage objects first, then the rows. A worker stopped between the two steps (or
between the objects and the rows) leaves work the next run finds and finishes.
"""

from __future__ import annotations

import logging
import uuid

import asyncpg
import msgspec

from api.applications.problems import MoveRefused
from api.applications.processing import MoveCommand, ProcessingService
from api.applications.receipts import ReceiptCodes
from api.core.actors import Actor
from api.core.outbox import relay_woken_after
from api.core.problems import NotFound
from api.core.storage import ObjectStorage
from api.geo.directory import AdminUnits

logger = logging.getLogger("api.applications.drafts_cleanup")

STALE_DRAFT_DAYS = 30
SYSTEM = Actor(kind="system", id=uuid.UUID(int=0), role="system")
_BATCH = 200

_STALE = """
SELECT a.id, a.version
FROM applications a
WHERE a.status = 'draft' AND a.updated_at < now() - make_interval(days => $1)
  AND NOT EXISTS (SELECT 1 FROM application_documents d
                  WHERE d.application_id = a.id
                    AND d.updated_at >= now() - make_interval(days => $1))
ORDER BY a.updated_at, a.id
LIMIT $2
"""

# Drafts the system withdrew that still have documents.
_DISCARDED_WITH_DOCUMENTS = """
SELECT DISTINCT d.application_id
FROM application_documents d
JOIN applications a ON a.id = d.application_id
WHERE a.status = 'withdrawn' AND a.submitted_at IS NULL
  AND EXISTS (SELECT 1 FROM events e
              WHERE e.application_id = a.id AND e.type = 'application.withdrawn'
                AND e.payload ->> 'actor_kind' = 'system')
LIMIT $1
"""
_KEYS = "SELECT object_key FROM application_documents WHERE application_id = $1"
_DELETE_DOCUMENTS = "DELETE FROM application_documents WHERE application_id = $1"


class DraftPurge(msgspec.Struct, frozen=True):
    withdrawn: int
    documents_deleted: int


async def purge_stale_drafts(
    pool: asyncpg.Pool,
    storage: ObjectStorage,
    receipt_codes: ReceiptCodes,
    *,
    days: int = STALE_DRAFT_DAYS,
) -> DraftPurge:
    withdrawn = 0
    async with relay_woken_after(pool), pool.acquire() as conn:  # withdrawals are events
        units = await AdminUnits.load(conn)
        processing = ProcessingService(conn, units, receipt_codes)
        while True:
            stale = await conn.fetch(_STALE, days, _BATCH)
            for draft in stale:
                command = MoveCommand(action="withdraw", expected_version=draft["version"])
                try:
                    await processing.move(SYSTEM, draft["id"], command)
                    withdrawn += 1
                except (MoveRefused, NotFound):
                    pass  # edited, submitted or withdrawn meanwhile: not abandoned after all
            if len(stale) < _BATCH:
                break
        documents = 0
        while True:
            found = await conn.fetch(_DISCARDED_WITH_DOCUMENTS, _BATCH)
            for row in found:
                keys = [k["object_key"] for k in await conn.fetch(_KEYS, row["application_id"])]
                await storage.delete_many(keys)
                status = await conn.execute(_DELETE_DOCUMENTS, row["application_id"])
                documents += int(status.split()[-1])
            if len(found) < _BATCH:
                break
    if withdrawn or documents:
        logger.info("stale drafts", extra={"withdrawn": withdrawn, "documents": documents})
    return DraftPurge(withdrawn=withdrawn, documents_deleted=documents)
