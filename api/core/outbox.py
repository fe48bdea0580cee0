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
  per process, wake-ups asked for meanwhile coalesced into the next one; the request's unit is
  run by api/core/unit_of_work.py), ``relay_woken_after`` for a worker job.

A wake-up carries nothing: the relay reads whatever the change feed hands out. A lost one (a
process that died between commit and notify, a failed notify) only waits for the relay's poll.
A rolled-back unit may wake the relay for nothing, which costs one empty read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token

import asyncpg

from api.core.db import FairPool

logger = logging.getLogger("api.outbox")

OUTBOX_CHANNEL = "outbox"
_NOTIFY = "SELECT pg_notify('outbox', '')"
# Between two wake-ups of one process: commits that land meanwhile share the next one.
WAKE_INTERVAL_SECONDS = 0.002


class OutboxUnit:
    """A unit of work (an HTTP request, a worker job) while it runs: ``event_written`` marks it,
    ``take_wake`` tells once whether it wrote events since last asked."""

    __slots__ = ("_token", "_wrote_events")

    def __init__(self) -> None:
        self._wrote_events = False
        self._token: Token[OutboxUnit | None] | None = None

    def __enter__(self) -> OutboxUnit:
        self._token = _unit.set(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _unit.reset(self._token)

    def mark(self) -> None:
        self._wrote_events = True

    def take_wake(self) -> bool:
        """True if events were written since the last call (the relay is to be woken)."""
        wrote, self._wrote_events = self._wrote_events, False
        return wrote


# The unit of work running now. Its object is shared (not copied) with the tasks Litestar
# starts to resolve dependencies, so a mark made in any of them is seen when the unit ends.
_unit: ContextVar[OutboxUnit | None] = ContextVar("outbox_unit", default=None)


def event_written() -> None:
    """Note that the running unit of work wrote an outbox event (it wakes the relay when it
    ends). Outside any unit (a script, a test) nothing is noted: the relay's poll finds it."""
    unit = _unit.get()
    if unit is not None:
        unit.mark()


async def wake_relay(conn: asyncpg.Connection | asyncpg.Pool) -> None:
    """Wake the relay now (call it after the events' transaction committed)."""
    await conn.execute(_NOTIFY)


class RelayWaker:
    """One per API process: ``wake()`` returns at once; the NOTIFY goes out on a pooled
    connection, one at a time, at most one per ``WAKE_INTERVAL_SECONDS``."""

    def __init__(self, pool: FairPool) -> None:
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
                    async with self._pool.acquire() as conn:
                        await wake_relay(conn)
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


@asynccontextmanager
async def relay_woken_after(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """A unit of work outside HTTP (a worker job): wakes the relay at the end if it wrote
    events (its transactions are over by then)."""
    unit = OutboxUnit()
    try:
        with unit:
            yield
    finally:
        if unit.take_wake():
            try:
                await wake_relay(pool)
            except Exception as exc:
                logger.warning("could not wake the outbox relay", extra={"error": repr(exc)})
