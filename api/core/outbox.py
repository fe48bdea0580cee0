"""Waking the outbox relay (workers/relay.py) once events have committed.

The relay listens on the ``outbox`` channel. The wake-up is not sent inside the transaction
that writes the event: at commit PostgreSQL takes one cluster-wide lock on its notification
queue for every transaction that notified, held through the commit's WAL flush, so every
event-writing commit would queue behind all the others (357 commits/s measured against 4,600+
without it, docs/performance.md). Instead:

* ``journal.write_event`` calls ``event_written()``, which marks the unit of work it runs in
  (an HTTP request, a worker job);
* when that unit ends, after its transaction committed, one ``pg_notify('outbox', '')`` is
  sent in its own tiny transaction: ``RelayWaker`` does it for the API (at most one in flight
  per process, wake-ups asked for meanwhile coalesced into the next one),
  ``relay_woken_after`` for a worker job.

A wake-up carries nothing: the relay reads whatever the change feed hands out. A lost one (a
process that died between commit and notify, a failed notify) only waits for the relay's poll.
A rolled-back unit may wake the relay for nothing, which costs one empty read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

import asyncpg
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("api.outbox")

OUTBOX_CHANNEL = "outbox"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NOTIFY = "SELECT pg_notify('outbox', '')"
# Between two wake-ups of one process: commits that land meanwhile share the next one.
WAKE_INTERVAL_SECONDS = 0.002


class _Unit:
    __slots__ = ("wrote_events",)

    def __init__(self) -> None:
        self.wrote_events = False


# The unit of work running now. Its object is shared (not copied) with the tasks Litestar
# starts to resolve dependencies, so a mark made in any of them is seen when the unit ends.
_unit: ContextVar[_Unit | None] = ContextVar("outbox_unit", default=None)


def event_written() -> None:
    """Note that the running unit of work wrote an outbox event (it wakes the relay when it
    ends). Outside any unit (a script, a test) nothing is noted: the relay's poll finds it."""
    unit = _unit.get()
    if unit is not None:
        unit.wrote_events = True


async def wake_relay(conn: asyncpg.Connection | asyncpg.Pool) -> None:
    """Wake the relay now (call it after the events' transaction committed)."""
    await conn.execute(_NOTIFY)


class RelayWaker:
    """One per API process: ``wake()`` returns at once; the NOTIFY goes out on a pooled
    connection, one at a time, at most one per ``WAKE_INTERVAL_SECONDS``."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._wanted = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wanted = True
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._send(), name="relay-wake")

    async def _send(self) -> None:
        try:
            while self._wanted:
                self._wanted = False
                try:
                    await wake_relay(self._pool)
                except Exception as exc:  # the relay's poll picks the events up
                    logger.warning("could not wake the outbox relay", extra={"error": repr(exc)})
                    return
                await asyncio.sleep(WAKE_INTERVAL_SECONDS)
        finally:
            self._task = None

    async def close(self) -> None:
        """Send what is still wanted (before the pool closes)."""
        task = self._task
        if task is not None:
            await asyncio.shield(task)


def relay_wake_middleware(app: ASGIApp) -> ASGIApp:
    """Each HTTP request that may change something (not GET, HEAD or OPTIONS, which never
    write events) is a unit of work: one that wrote events wakes the relay (through the app's
    ``state.relay_waker``) when its response starts, its handler and transaction being done
    by then, or when it ends without one."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] in _SAFE_METHODS:
            await app(scope, receive, send)
            return
        unit = _Unit()
        token = _unit.set(unit)

        def wake_if_written() -> None:
            if unit.wrote_events:
                unit.wrote_events = False
                scope["litestar_app"].state.relay_waker.wake()

        async def send_then_wake(message: Message) -> None:
            if message["type"] == "http.response.start":
                wake_if_written()
            await send(message)

        try:
            await app(scope, receive, send_then_wake)
        finally:
            _unit.reset(token)
            wake_if_written()

    return middleware


@asynccontextmanager
async def relay_woken_after(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """A unit of work outside HTTP (a worker job): wakes the relay at the end if it wrote
    events (its transactions are over by then)."""
    unit = _Unit()
    token = _unit.set(unit)
    try:
        yield
    finally:
        _unit.reset(token)
        if unit.wrote_events:
            try:
                await wake_relay(pool)
            except Exception as exc:
                logger.warning("could not wake the outbox relay", extra={"error": repr(exc)})
