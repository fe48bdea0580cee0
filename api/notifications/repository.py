"""SQL of the inbox: the caller's notifications, newest first, and marking them read."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from api.core.actors import Actor
from api.messages import Language

_COLUMNS = """
SELECT n.id, n.kind, n.application_id, n.receipt_code, n.params, n.created_at, n.read_at,
       p.name_vi AS procedure_vi, p.name_en AS procedure_en
FROM notifications n
LEFT JOIN procedures p ON p.code = n.params ->> 'procedure_code'
"""

_PAGE = (
    _COLUMNS
    + """WHERE n.recipient = $1
  AND (NOT $2::boolean OR n.read_at IS NULL)
  AND ($3::timestamptz IS NULL OR (n.created_at, n.id) < ($3, $4::uuid))
ORDER BY n.created_at DESC, n.id DESC
LIMIT $5
"""
)

# The offline pull (api/sync/pull.py) names the notifications the change feed handed it.
_BY_IDS = _COLUMNS + "WHERE n.recipient = $1 AND n.id = ANY($2::uuid[])"


class InboxRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def language(self, actor: Actor) -> Language:
        table = "citizens" if actor.kind == "citizen" else "staff"
        language: Language | None = await self._conn.fetchval(
            f"SELECT language FROM {table} WHERE id = $1", actor.id
        )
        return language or "vi"

    async def page(
        self,
        recipient: uuid.UUID,
        *,
        unread_only: bool,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        created_at, last_id = before or (None, None)
        rows: list[asyncpg.Record] = await self._conn.fetch(
            _PAGE, recipient, unread_only, created_at, last_id, limit
        )
        return rows

    async def by_ids(self, recipient: uuid.UUID, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        """These notifications of ``recipient`` (others' are never returned), in no order."""
        rows: list[asyncpg.Record] = await self._conn.fetch(_BY_IDS, recipient, ids)
        return rows

    async def mark_read(self, recipient: uuid.UUID, ids: list[uuid.UUID] | None) -> int:
        """Marks ``ids`` (None: all) read; returns how many were unread."""
        status = await self._conn.execute(
            "UPDATE notifications SET read_at = now()"
            " WHERE recipient = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2))",
            recipient,
            ids,
        )
        return int(status.split()[-1])
