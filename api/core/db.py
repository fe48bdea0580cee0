"""PostgreSQL access: one asyncpg pool, JSON codecs backed by msgspec."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import msgspec

Connection = asyncpg.Connection  # re-exported for type hints in repositories
Pool = asyncpg.Pool

_encoder = msgspec.json.Encoder()


def _encode_json(value: Any) -> str:
    return _encoder.encode(value).decode()


async def init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name,
            encoder=_encode_json,
            decoder=msgspec.json.decode,
            schema="pg_catalog",
        )


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=init_connection,
        command_timeout=30,
        server_settings={"application_name": "motcua-api", "timezone": "UTC"},
    )
    assert pool is not None
    return pool


async def connect(dsn: str) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(dsn, server_settings={"timezone": "UTC"})
    await init_connection(conn)
    return conn


async def pool_connection(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """Litestar dependency body: one pooled connection per request."""
    async with pool.acquire() as conn:
        yield conn
