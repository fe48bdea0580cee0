"""The in-app inbox: every notification kept, rendered in the reader's stored language."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from api.core.actors import Actor
from api.core.pagination import decode_cursor, encode_cursor
from api.core.problems import FieldProblem, validation_failed
from api.messages import Language, Localised
from api.notifications.repository import InboxRepository
from api.notifications.schemas import MarkedRead, MarkRead, NotificationPage, NotificationRead
from api.notifications.texts import notification_url, title_and_body


class InboxService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._repo = InboxRepository(conn)

    async def page(
        self, actor: Actor, *, cursor: str | None, unread_only: bool, limit: int
    ) -> NotificationPage:
        before = decode_cursor(cursor, tuple[datetime, uuid.UUID])
        language = await self._repo.language(actor)
        rows = await self._repo.page(
            actor.id, unread_only=unread_only, before=before, limit=limit + 1
        )
        items = [_read(row, language) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = encode_cursor(last.created_at.isoformat(), str(last.id))
        return NotificationPage(items=items, next_cursor=next_cursor)

    async def of_ids(self, actor: Actor, ids: list[uuid.UUID]) -> list[NotificationRead]:
        """The caller's own notifications among ``ids``, in that order, in their language (the
        offline pull: ids from the change feed, already filtered to the caller)."""
        if not ids:
            return []
        language = await self._repo.language(actor)
        rows = {row["id"]: row for row in await self._repo.by_ids(actor.id, ids)}
        return [_read(rows[i], language) for i in ids if i in rows]

    async def mark_read(self, actor: Actor, body: MarkRead) -> MarkedRead:
        if body.all == bool(body.ids):
            raise validation_failed(
                [FieldProblem("ids", "ids_or_all", "notifications.fields.ids-or-all")]
            )
        count = await self._repo.mark_read(actor.id, None if body.all else body.ids)
        return MarkedRead(marked_read=count)


def _read(row: asyncpg.Record, language: Language) -> NotificationRead:
    procedure = (
        Localised(vi=row["procedure_vi"], en=row["procedure_en"])
        if row["procedure_vi"] is not None
        else None
    )
    title, body = title_and_body(row["kind"], row["params"], procedure, language)
    return NotificationRead(
        id=row["id"],
        kind=row["kind"],
        title=title,
        body=body,
        application_id=row["application_id"],
        receipt_code=row["receipt_code"],
        status=row["params"].get("status", ""),
        url=notification_url(row["kind"], row["application_id"], row["params"]),
        created_at=row["created_at"],
        read_at=row["read_at"],
    )
