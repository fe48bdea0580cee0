"""Raw SQL of the agency API: API keys and the agency's units."""

from __future__ import annotations

import uuid

import asyncpg

_INSERT_KEY = """
INSERT INTO agency_api_keys (agency_code, name, prefix, secret_hash, created_by)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, name, prefix, created_at, last_used_at
"""
_LIST_KEYS = """
SELECT id, name, prefix, created_at, last_used_at FROM agency_api_keys
WHERE agency_code = $1 AND revoked_at IS NULL ORDER BY created_at, id
"""
_REVOKE_KEY = """
UPDATE agency_api_keys SET revoked_at = now()
WHERE id = $1 AND agency_code = $2 AND revoked_at IS NULL RETURNING id
"""
_UNITS = "SELECT code FROM units WHERE agency_code = $1 ORDER BY code"


class AgencyRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def insert_key(
        self, agency_code: str, name: str, prefix: str, secret_hash: str, created_by: uuid.UUID
    ) -> asyncpg.Record:
        row: asyncpg.Record = await self._conn.fetchrow(
            _INSERT_KEY, agency_code, name, prefix, secret_hash, created_by
        )
        return row

    async def keys(self, agency_code: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._conn.fetch(_LIST_KEYS, agency_code)
        return rows

    async def revoke_key(self, key_id: uuid.UUID, agency_code: str) -> bool:
        return await self._conn.fetchval(_REVOKE_KEY, key_id, agency_code) is not None

    async def unit_codes(self, agency_code: str) -> list[str]:
        return [row["code"] for row in await self._conn.fetch(_UNITS, agency_code)]

    async def first_change_since(
        self, unit_codes: list[str], since: object
    ) -> asyncpg.Record | None:
        """The earliest feed position among the units' applications updated at or after
        ``since`` (``updated_at`` is set with the change, so every later change is after it)."""
        row: asyncpg.Record | None = await self._conn.fetchrow(
            "SELECT change_xid, change_seq FROM applications"
            " WHERE unit_code = ANY($1) AND updated_at >= $2"
            " ORDER BY change_xid, change_seq LIMIT 1",
            unit_codes,
            since,
        )
        return row
