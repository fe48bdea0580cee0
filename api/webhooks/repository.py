"""Raw SQL of webhook endpoints, their messages (deliveries) and attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

_ENDPOINT_COLUMNS = """id, agency_code, url, event_types, description, enabled, disabled_reason,
previous_secret_expires_at, created_at, updated_at"""

# The endpoint's columns a sender needs: where, which secrets, whether it is still on.
SENDING_COLUMNS = """e.id AS endpoint_id, e.agency_code, e.url, e.enabled, e.sealed_secret,
CASE WHEN e.previous_secret_expires_at > now() THEN e.sealed_previous_secret END
    AS sealed_previous_secret"""


class WebhookRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def insert_endpoint(
        self, agency_code: str, url: str, event_types: list[str], description: str, sealed: str
    ) -> asyncpg.Record:
        row: asyncpg.Record = await self._conn.fetchrow(
            "INSERT INTO webhook_endpoints (agency_code, url, event_types, description,"
            f" sealed_secret) VALUES ($1, $2, $3, $4, $5) RETURNING {_ENDPOINT_COLUMNS}",
            agency_code,
            url,
            event_types,
            description,
            sealed,
        )
        return row

    async def endpoints(self, agency_code: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(
            f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE agency_code = $1"
            " ORDER BY created_at, id",
            agency_code,
        )
        return rows

    async def endpoint(
        self, endpoint_id: uuid.UUID, agency_code: str, *, for_update: bool = False
    ) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self._conn.fetchrow(
            f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND agency_code = $2"
            + (" FOR UPDATE" if for_update else ""),
            endpoint_id,
            agency_code,
        )
        return row

    async def update_endpoint(self, endpoint_id: uuid.UUID, **changes: Any) -> asyncpg.Record:
        """Set the given columns (names from this module's callers only, never from input)."""
        assignments = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
        row: asyncpg.Record = await self._conn.fetchrow(
            f"UPDATE webhook_endpoints SET {assignments}, updated_at = now() WHERE id = $1"
            f" RETURNING {_ENDPOINT_COLUMNS}",
            endpoint_id,
            *changes.values(),
        )
        return row

    async def delete_endpoint(self, endpoint_id: uuid.UUID, agency_code: str) -> bool:
        deleted = await self._conn.fetchval(
            "DELETE FROM webhook_endpoints WHERE id = $1 AND agency_code = $2 RETURNING id",
            endpoint_id,
            agency_code,
        )
        return deleted is not None

    async def rotate_secret(
        self, endpoint_id: uuid.UUID, sealed_new: str, overlap_until: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE webhook_endpoints SET sealed_previous_secret = sealed_secret,"
            " sealed_secret = $2, previous_secret_expires_at = $3, updated_at = now()"
            " WHERE id = $1",
            endpoint_id,
            sealed_new,
            overlap_until,
        )

    async def deliveries(
        self,
        endpoint_id: uuid.UUID,
        *,
        status: str | None,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(
            "SELECT d.id, d.event_id AS webhook_id, d.event_type, d.application_id, d.status,"
            " d.created_at, d.finished_at,"
            " coalesce((SELECT json_agg(json_build_object('attempted_at', a.attempted_at,"
            "   'status_code', a.status_code, 'duration_ms', a.duration_ms,"
            "   'outcome', a.outcome, 'error', a.error, 'response_excerpt', a.response_excerpt)"
            "   ORDER BY a.id) FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]')"
            "   AS attempts"
            " FROM webhook_deliveries d WHERE d.endpoint_id = $1"
            " AND ($2::text IS NULL OR d.status = $2)"
            " AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4))"
            " ORDER BY d.created_at DESC, d.id DESC LIMIT $5",
            endpoint_id,
            status,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )
        return rows

    async def restart_delivery(
        self, delivery_id: uuid.UUID, endpoint_id: uuid.UUID
    ) -> asyncpg.Record | None:
        """Start a new round of attempts for one message (its id and webhook-id stay)."""
        row: asyncpg.Record | None = await self._conn.fetchrow(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, round = round + 1,"
            " finished_at = NULL WHERE id = $1 AND endpoint_id = $2 RETURNING id, round",
            delivery_id,
            endpoint_id,
        )
        return row

    async def restart_failed_since(
        self, endpoint_id: uuid.UUID, since: datetime
    ) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, round = round + 1,"
            " finished_at = NULL WHERE endpoint_id = $1 AND status = 'failed'"
            " AND created_at >= $2 RETURNING id, round",
            endpoint_id,
            since,
        )
        return rows
