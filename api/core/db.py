"""PostgreSQL access: one asyncpg pool, handed out in turn, JSON codecs backed by msgspec."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import asyncpg
import msgspec
from litestar.connection import ASGIConnection
from litestar.types import Scope

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
    server_settings: dict[str, str] | None = None,
) -> asyncpg.Pool:
    """``reset``: what returning a connection runs besides asyncpg's rollback (None: asyncpg's
    full session reset); ``server_settings``: session settings of every connection, besides
    the application name and time zone."""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        reset=reset,
        init=init_connection,
        command_timeout=30,
        server_settings={
            "application_name": "motcua-api",
            "timezone": "UTC",
            **(server_settings or {}),
        },
    )
    assert pool is not None
    return pool


class FairPool:
    """The API's pooled connections, handed out in the order they were asked for.

    asyncpg's pool queue lets a newcomer take a connection just released for a waiter, and the
    waiter queues again at the back: at saturation a request could be overtaken again and again
    (creating drafts at 64 connections: p50 38 ms, p95 2.6 s; docs/performance.md, ninth
    round). A semaphore of the pool's size decides whose turn it is (asyncio's hands a released
    slot to the oldest waiter); the pool behind it then has a connection for each holder."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._turns = asyncio.Semaphore(pool.get_max_size())

    async def take(self) -> asyncpg.Connection:
        """A connection once it is this caller's turn; give it back with ``release``."""
        await self._turns.acquire()
        try:
            conn: asyncpg.Connection = await self._pool.acquire()
        except BaseException:  # cancelled too: the turn goes to the next in line
            self._turns.release()
            raise
        return conn

    async def release(self, conn: asyncpg.Connection) -> None:
        try:
            await self._pool.release(conn)
        finally:
            self._turns.release()

    def acquire(self) -> _Turn:
        """``async with pool.acquire() as conn``: a connection for the block."""
        return _Turn(self)

    async def close(self) -> None:
        await self._pool.close()


class _Turn:
    """FairPool.acquire's context (a class: cheaper per use than a generator's)."""

    __slots__ = ("_conn", "_pool")

    def __init__(self, pool: FairPool) -> None:
        self._pool = pool

    async def __aenter__(self) -> asyncpg.Connection:
        self._conn = await self._pool.take()
        return self._conn

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._pool.release(self._conn)


async def connect(dsn: str) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(dsn, server_settings={"timezone": "UTC"})
    await init_connection(conn)
    return conn


# Where a request keeps its pooled connection (in the ASGI scope's state).
_REQUEST_CONNECTION = "db_connection"


async def request_connection(request: ASGIConnection[Any, Any, Any, Any]) -> asyncpg.Connection:
    """The ``db`` dependency: the request's one pooled connection, taken when first asked for
    and given back by ``release_request_connection`` once the response is done
    (api/core/unit_of_work.py). Not a generator dependency: Litestar wraps those in an exit
    stack and a cleanup group on every request, ~3 % of a draft's CPU (docs/performance.md)."""
    state = request.scope.setdefault("state", {})
    conn: asyncpg.Connection | None = state.get(_REQUEST_CONNECTION)
    if conn is None:
        conn = await request.app.state.db_pool.take()
        state[_REQUEST_CONNECTION] = conn
    return conn


async def release_request_connection(scope: Scope) -> None:
    """Give the request's connection back to the pool, if it took one (an open transaction is
    rolled back on the way)."""
    conn = scope.get("state", {}).pop(_REQUEST_CONNECTION, None)
    if conn is not None:
        await scope["litestar_app"].state.db_pool.release(conn)
