"""PostgreSQL access: one asyncpg pool, JSON codecs backed by msgspec."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
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


async def skip_session_reset(conn: asyncpg.Connection) -> None:
    """The API pool's ``reset``: nothing beyond what asyncpg always does on release (roll back
    an open transaction, drop listener callbacks). Its default also runs
    ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``, one more round trip per
    request for state the API never leaves on a pooled connection: it takes only transaction
    advisory locks (``pg_advisory_xact_lock``; the migration lock at start-up is unlocked
    explicitly), never LISTENs, never SETs a session setting and opens cursors only inside
    transactions. Workers keep the default (the relay listens and holds a session lock)."""


async def create_pool(
    dsn: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    reset: Callable[[asyncpg.Connection], Awaitable[None]] | None = None,
) -> asyncpg.Pool:
    """``reset``: what returning a connection runs besides asyncpg's rollback (None: asyncpg's
    full session reset)."""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        reset=reset,
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
