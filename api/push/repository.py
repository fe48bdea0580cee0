"""SQL of push subscriptions."""

from __future__ import annotations

import uuid

import asyncpg

from api.core.actors import Actor

# The same endpoint again updates the one row; a subscription moves to whoever signs in on
# that browser now (its keys may have changed too).
_UPSERT = """
INSERT INTO push_subscriptions (endpoint, p256dh, auth, citizen_id, staff_id, user_agent)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (endpoint) DO UPDATE
SET p256dh = excluded.p256dh, auth = excluded.auth, citizen_id = excluded.citizen_id,
    staff_id = excluded.staff_id, user_agent = excluded.user_agent, failed_at = NULL,
    updated_at = now()
RETURNING id, endpoint, user_agent, created_at, last_success_at
"""


def _owner(actor: Actor) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    return (actor.id, None) if actor.kind == "citizen" else (None, actor.id)


def _owner_column(actor: Actor) -> str:
    return "citizen_id" if actor.kind == "citizen" else "staff_id"


class PushRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def save(
        self, actor: Actor, endpoint: str, p256dh: str, auth: str, user_agent: str | None
    ) -> asyncpg.Record:
        citizen_id, staff_id = _owner(actor)
        row = await self._conn.fetchrow(
            _UPSERT, endpoint, p256dh, auth, citizen_id, staff_id, user_agent
        )
        assert row is not None
        return row

    async def delete(self, actor: Actor, endpoint: str) -> None:
        await self._conn.execute(
            f"DELETE FROM push_subscriptions WHERE endpoint = $1 AND {_owner_column(actor)} = $2",
            endpoint,
            actor.id,
        )

    async def of(self, actor: Actor) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(
            "SELECT id, endpoint, user_agent, created_at, last_success_at"
            f" FROM push_subscriptions WHERE {_owner_column(actor)} = $1"
            " ORDER BY created_at DESC, id DESC",
            actor.id,
        )
        return rows
