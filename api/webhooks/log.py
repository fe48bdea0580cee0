"""An endpoint's delivery log: each message with every attempt, and replays.

A replay starts a new round of attempts for a message (the schedule from the start) under a
new job id; the message keeps its ``webhook-id``, so a receiver that already has it drops it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec
from arq.connections import ArqRedis

from api.core.actors import Actor
from api.core.pagination import decode_cursor, encode_cursor
from api.webhooks.fanout import enqueue_delivery
from api.webhooks.problems import DeliveryNotFound, EndpointNotFound
from api.webhooks.repository import WebhookRepository
from api.webhooks.schemas import DeliveryPage, DeliveryRead, DeliveryStatus, ReplayQueued


class DeliveryLogService:
    def __init__(self, conn: asyncpg.Connection, redis: ArqRedis) -> None:
        self._conn = conn
        self._redis = redis
        self._repo = WebhookRepository(conn)

    async def _own(self, actor: Actor, endpoint_id: uuid.UUID) -> None:
        assert actor.agency_code is not None
        if await self._repo.endpoint(endpoint_id, actor.agency_code) is None:
            raise EndpointNotFound()

    async def list(
        self,
        actor: Actor,
        endpoint_id: uuid.UUID,
        *,
        status: DeliveryStatus | None,
        cursor: str | None,
        limit: int,
    ) -> DeliveryPage:
        await self._own(actor, endpoint_id)
        before = decode_cursor(cursor, tuple[datetime, uuid.UUID])
        rows = await self._repo.deliveries(
            endpoint_id, status=status, before=before, limit=limit + 1
        )
        items = [
            # Attempts come as JSON (times as text): converted leniently.
            msgspec.convert(dict(row), DeliveryRead, strict=False)
            for row in rows[:limit]
        ]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = encode_cursor(last.created_at, last.id)
        return DeliveryPage(items=items, next_cursor=next_cursor)

    async def replay(
        self, actor: Actor, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
    ) -> ReplayQueued:
        await self._own(actor, endpoint_id)
        row = await self._repo.restart_delivery(delivery_id, endpoint_id)
        if row is None:
            raise DeliveryNotFound()
        await enqueue_delivery(self._redis, row["id"], row["round"], endpoint_id)
        return ReplayQueued(queued=1)

    async def replay_failed_since(
        self, actor: Actor, endpoint_id: uuid.UUID, since: datetime
    ) -> ReplayQueued:
        await self._own(actor, endpoint_id)
        rows = await self._repo.restart_failed_since(endpoint_id, since)
        for row in rows:
            await enqueue_delivery(self._redis, row["id"], row["round"], endpoint_id)
        return ReplayQueued(queued=len(rows))
