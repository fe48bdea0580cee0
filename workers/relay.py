"""The outbox relay: committed ``events`` rows become jobs (notifications, webhooks).

It runs inside every worker process as a background task, but only one relays at a time: the
one holding a PostgreSQL advisory lock on its dedicated connection. The others stand by and
try the lock every few seconds; when the holder dies its connection closes, the lock goes with
it and a stand-by takes over.

The relay wakes on ``LISTEN outbox`` (every writer of events notifies once its transaction
has committed, ``api.core.outbox``) and also polls every few seconds, so a lost notification
or a dropped connection only delays.
It reads through the change feed (``api.core.changes.read_changes``), which never skips a
committed event, and keeps its cursor in ``relay_cursors``. Enqueueing to Redis cannot share a
transaction with the cursor, so jobs have deterministic ids (``notify:<event id>``) and the
cursor moves only after they are queued: a relay that dies in between queues them again, and
the jobs' own deliveries table makes running one twice harmless.

Queued jobs live only in Redis, so a Redis that comes back without its data (restarted
without persistence, flushed, replaced) would lose events the cursor has already passed. The
relay keeps a marker key in Redis; finding it missing, it moves its cursor back to the events
of the last ``REPLAY_SECONDS`` (longer than any job chain stays queued: fan-out, push retries,
SMS fall-back) and queues them again. Every job is idempotent, so the replay only redoes
what was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import asyncpg
from arq.connections import ArqRedis

from api.core.changes import (
    FeedPosition,
    decode_feed_cursor,
    encode_feed_cursor,
    feed_head,
    read_changes,
)
from api.core.db import connect
from api.core.outbox import OUTBOX_CHANNEL
from api.webhooks.fanout import FANOUT_FUNCTION, fanout_job_id

logger = logging.getLogger("workers.relay")

RELAY_NAME = "outbox"
# pg_advisory_lock key of the relay ("motcua relay" folded into a bigint).
RELAY_LOCK_KEY = 0x6D6F_7463_7561_5201
POLL_SECONDS = 5.0
STANDBY_SECONDS = 5.0
RECONNECT_SECONDS = 2.0
PAGE_SIZE = 500
# While a committed event is not readable yet (an older transaction is still open).
RECHECK_SECONDS = 0.02
# Present while Redis still holds what the relay queued; missing: replay recent events.
MARKER_KEY = "relay:outbox:redis-kept"
REPLAY_SECONDS = 2 * 3600


def notify_job_id(event_id: object) -> str:
    return f"notify:{event_id}"


# Every consumer of outbox events: the job each event becomes, with its deterministic id.
EVENT_JOBS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("notify", notify_job_id),
    (FANOUT_FUNCTION, fanout_job_id),
)


async def _load_position(conn: asyncpg.Connection) -> tuple[FeedPosition, bool]:
    """Where the relay stopped, and whether this is a first start: that begins at the head,
    so installing notifications does not message everyone about their whole history."""
    cursor: str | None = await conn.fetchval(
        "SELECT cursor FROM relay_cursors WHERE name = $1", RELAY_NAME
    )
    position = decode_feed_cursor(cursor, "events") if cursor else None
    if position is None:
        position = await feed_head(conn)
        await _save(conn, position)
    return position, cursor is None


async def _replay_start(conn: asyncpg.Connection, position: FeedPosition) -> FeedPosition:
    """``position``, moved back before every event of the last ``REPLAY_SECONDS``."""
    first = await conn.fetchrow(
        "SELECT change_xid, change_seq FROM events"
        " WHERE occurred_at >= now() - make_interval(secs => $1)"
        " ORDER BY change_xid, change_seq LIMIT 1",
        float(REPLAY_SECONDS),
    )
    if first is None:
        return position
    return min(position, FeedPosition(xid=first["change_xid"], seq=first["change_seq"] - 1))


async def _redis_kept(
    conn: asyncpg.Connection, redis: ArqRedis, position: FeedPosition, *, fresh: bool
) -> FeedPosition:
    """The position to relay from: ``position``, or earlier when Redis lost its data since
    the marker was set (not on a first start, which announces no history)."""
    if await redis.exists(MARKER_KEY):
        return position
    if not fresh:
        position = await _replay_start(conn, position)
        logger.warning("redis lost its queue; replaying recent events")
        await _save(conn, position)  # before the marker: a crash in between replays again
    await redis.set(MARKER_KEY, "1")
    return position


async def _save(conn: asyncpg.Connection, position: FeedPosition) -> None:
    await conn.execute(
        "INSERT INTO relay_cursors (name, cursor) VALUES ($1, $2)"
        " ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = now()",
        RELAY_NAME,
        encode_feed_cursor("events", position),
    )


# Committed events the feed does not hand out yet: an older transaction is still open.
_HELD_BACK = """
SELECT EXISTS (SELECT 1 FROM events WHERE (change_xid, change_seq) > ($1::xid8, $2::bigint))
"""


async def _held_back(conn: asyncpg.Connection, position: FeedPosition) -> bool:
    held: bool = await conn.fetchval(_HELD_BACK, position.xid, position.seq)
    return held


async def relay_pending(
    conn: asyncpg.Connection, redis: ArqRedis, position: FeedPosition
) -> FeedPosition:
    """Queue the jobs of ``EVENT_JOBS`` for every event committed after ``position``; the new
    position."""
    while True:
        page = await read_changes(conn, "events", position, limit=PAGE_SIZE)
        for change in page.changes:
            event_id = str(change.row["id"])
            for function, job_id in EVENT_JOBS:
                await redis.enqueue_job(function, event_id, _job_id=job_id(event_id))
        if page.position != position:
            await _save(conn, page.position)
        position = page.position
        if page.caught_up:
            return position


async def _serve(
    dsn: str,
    redis: ArqRedis,
    *,
    poll_seconds: float,
    standby_seconds: float,
    active: asyncio.Event,
) -> None:
    conn = await connect(dsn)
    try:
        # Stand by with try-and-sleep rather than a blocking pg_advisory_lock: no statement
        # stays running, so cancelling a stand-by (worker shutdown) is immediate.
        while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_KEY):  # noqa: ASYNC110
            await asyncio.sleep(standby_seconds)
        logger.info("relay active")
        wake = asyncio.Event()
        lost = asyncio.Event()
        # When the last wake-up came, while committed events may still be held back: the feed
        # hands out an event only once every older transaction in the cluster has ended, and
        # the end of one that wrote no event wakes nobody, so look again soon instead of at
        # the next poll.
        woken_at: float | None = None

        def on_notify(_conn: object, _pid: int, _channel: str, _payload: str) -> None:
            nonlocal woken_at
            woken_at = time.monotonic()
            wake.set()

        def on_termination(*_: Any) -> None:
            lost.set()
            wake.set()

        conn.add_termination_listener(on_termination)
        await conn.add_listener(OUTBOX_CHANNEL, on_notify)
        position, fresh = await _load_position(conn)
        active.set()
        while True:
            wake.clear()
            position = await _redis_kept(conn, redis, position, fresh=fresh)
            fresh = False
            position = await relay_pending(conn, redis, position)
            # Give up rechecking after a poll's time: the poll finds them anyway.
            if woken_at is not None and (
                woken_at < time.monotonic() - poll_seconds or not await _held_back(conn, position)
            ):
                woken_at = None
            wait = RECHECK_SECONDS if woken_at is not None else poll_seconds
            with contextlib.suppress(TimeoutError):  # the timeout is the safety-net poll
                await asyncio.wait_for(wake.wait(), wait)
            if lost.is_set() or conn.is_closed():
                raise ConnectionError("the relay's database connection was lost")
    finally:
        active.clear()
        if not conn.is_closed():
            # Closing the connection also releases the advisory lock.
            await conn.close(timeout=2)


async def run_relay(
    dsn: str,
    redis: ArqRedis,
    *,
    poll_seconds: float = POLL_SECONDS,
    standby_seconds: float = STANDBY_SECONDS,
    active: asyncio.Event | None = None,
) -> None:
    """Relay (or stand by) until cancelled, reconnecting after any failure. ``active`` is set
    while this process is the one relaying."""
    active = active or asyncio.Event()
    while True:
        try:
            await _serve(
                dsn,
                redis,
                poll_seconds=poll_seconds,
                standby_seconds=standby_seconds,
                active=active,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("relay interrupted; reconnecting", extra={"error": repr(exc)})
            await asyncio.sleep(RECONNECT_SECONDS)


def start_relay(ctx: dict[str, Any]) -> None:
    """Start the relay task in a worker (unless the context says ``relay: False``)."""
    if ctx.get("relay", True) is False:
        return
    ctx["relay_active"] = asyncio.Event()
    ctx["relay_task"] = asyncio.create_task(
        run_relay(
            ctx["settings"].database_url,
            ctx["redis"],
            poll_seconds=float(ctx.get("relay_poll_seconds", POLL_SECONDS)),
            standby_seconds=float(ctx.get("relay_standby_seconds", STANDBY_SECONDS)),
            active=ctx["relay_active"],
        ),
        name="outbox-relay",
    )


async def stop_relay(ctx: dict[str, Any]) -> None:
    task: asyncio.Task[None] | None = ctx.pop("relay_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


FUNCTIONS: list[Any] = []
CRON_JOBS: list[Any] = []
