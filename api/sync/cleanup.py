"""Daily clean-up of offline sync leftovers (docs/sync.md):

- chunked uploads never attached and untouched for ``OUTBOX_GRACE_DAYS``: the row and its
  chunks (``ON DELETE CASCADE``) go, a batch of uploads per statement so no transaction holds
  many megabytes of chunks; an upload a command attached keeps its row (no chunks left) as the
  record of which document it became;
- receipt codes never used whose block's day is over ``OUTBOX_GRACE_DAYS`` behind: the codes
  go, and a block left without codes goes too. Used codes and their block stay (who took
  which number). The grace matters: an intake taken offline on the block's day may be pushed
  days later and must still find its code; after the grace it is refused
  (``receipt-code-not-reserved``), as the day's counter never gave the number to anyone else.

A code being claimed holds its row lock; the delete waits for it and, once the claim commits
with an application, skips the row (``application_id IS NULL`` is checked again).
"""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
import msgspec

from api.core.clock import vn_today

# How long an outbox may wait for a connection and still find its photos and reserved codes.
OUTBOX_GRACE_DAYS = 30

_STALE_UPLOADS = """
DELETE FROM sync_uploads WHERE id IN (
    SELECT id FROM sync_uploads
    WHERE document_id IS NULL AND updated_at < now() - make_interval(days => $1)
    LIMIT $2
)
"""

_EXPIRED_CODES = """
DELETE FROM sync_receipt_codes c USING sync_receipt_blocks b
WHERE c.block_id = b.id AND b.day < $1 AND c.application_id IS NULL
"""

_EMPTY_BLOCKS = """
DELETE FROM sync_receipt_blocks b
WHERE b.day < $1 AND NOT EXISTS (SELECT 1 FROM sync_receipt_codes c WHERE c.block_id = b.id)
"""


class SyncCleanup(msgspec.Struct, frozen=True):
    uploads: int  # unattached uploads deleted with their chunks
    receipt_codes: int  # unused codes of blocks past their day and the grace
    receipt_blocks: int  # blocks left without codes


def _count(status: str) -> int:
    return int(status.split()[-1])


async def purge_sync_leftovers(
    pool: asyncpg.Pool,
    *,
    days: int = OUTBOX_GRACE_DAYS,
    today: date | None = None,
    batch: int = 100,
) -> SyncCleanup:
    cutoff = (today or vn_today()) - timedelta(days=days)
    uploads = 0
    async with pool.acquire() as conn:
        while deleted := _count(await conn.execute(_STALE_UPLOADS, days, batch)):
            uploads += deleted
        async with conn.transaction():
            codes = _count(await conn.execute(_EXPIRED_CODES, cutoff))
            blocks = _count(await conn.execute(_EMPTY_BLOCKS, cutoff))
    return SyncCleanup(uploads=uploads, receipt_codes=codes, receipt_blocks=blocks)
