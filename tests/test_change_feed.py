"""The change feed (api/core/changes.py) against real PostgreSQL: transactions held open,
committed out of order, rolled back, and many writers racing one reader.

Transaction ids are cluster-wide, so a transaction some other test run holds open on the same
server can delay a change (never lose it): reads that expect something poll for a while.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import asyncpg
import pytest

from api.core.changes import (
    Change,
    FeedPosition,
    FeedTable,
    FilterValue,
    decode_feed_cursor,
    encode_feed_cursor,
    feed_head,
    read_changes,
)
from api.core.db import connect
from api.core.pagination import encode_cursor
from api.core.problems import Problem
from api.settings import Settings
from tests import support

PATIENCE_SECONDS = 10.0


@pytest.fixture
async def application_id(db: asyncpg.Connection, settings: Settings) -> uuid.UUID:
    citizen_id, _ = await support.citizen(db, settings)
    return await support.draft_application(db, citizen_id)


@pytest.fixture
async def connections(
    settings: Settings,
) -> AsyncIterator[Callable[[], Awaitable[asyncpg.Connection]]]:
    """Opens extra connections on demand (``await connections()``), closes them afterwards."""
    opened: list[asyncpg.Connection] = []

    async def open_one() -> asyncpg.Connection:
        conn = await connect(settings.database_url)
        opened.append(conn)
        return conn

    yield open_one
    for conn in opened:
        await conn.close()


async def insert_event(conn: asyncpg.Connection, application_id: uuid.UUID, seq: int) -> uuid.UUID:
    event_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO events (application_id, seq, type, payload) VALUES ($1, $2, 'test', '{}')"
        " RETURNING id",
        application_id,
        seq,
    )
    return event_id


async def follow(
    conn: asyncpg.Connection,
    table: FeedTable,
    after: FeedPosition,
    where: Mapping[str, FilterValue],
    *,
    want: int,
    limit: int = 100,
) -> tuple[list[Change], FeedPosition]:
    """Read until ``want`` changes arrived (or the patience ran out), then once more."""
    seen: list[Change] = []
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        page = await read_changes(conn, table, after, limit=limit, where=where)
        seen.extend(page.changes)
        assert page.position >= after
        after = page.position
        if page.caught_up and (len(seen) >= want or time.monotonic() > deadline):
            return seen, after
        if page.caught_up:
            await asyncio.sleep(0.02)


async def test_a_running_transaction_holds_back_changes_committed_after_it(
    db: asyncpg.Connection,
    connections: Callable[[], Awaitable[asyncpg.Connection]],
    application_id: uuid.UUID,
) -> None:
    where = {"application_id": application_id}
    start = await feed_head(db)
    a = await connections()
    b = await connections()

    tx_a = a.transaction()
    await tx_a.start()
    event_a = await insert_event(a, application_id, 1)
    event_b = await insert_event(b, application_id, 2)  # commits at once, after A's write

    page = await read_changes(db, "events", start, limit=10, where=where)
    assert page.changes == []  # B's change would move the cursor past A's: it waits
    assert page.position.xid <= await a.fetchval("SELECT pg_current_xact_id()")

    await tx_a.commit()
    seen, _ = await follow(db, "events", page.position, where, want=2)
    assert [change.row["id"] for change in seen] == [event_a, event_b]
    assert seen[0].position < seen[1].position


async def test_a_transaction_that_took_its_id_first_and_its_number_later_is_not_skipped(
    db: asyncpg.Connection,
    connections: Callable[[], Awaitable[asyncpg.Connection]],
    application_id: uuid.UUID,
) -> None:
    where = {"application_id": application_id}
    start = await feed_head(db)
    a = await connections()
    b = await connections()

    tx_a = a.transaction()
    await tx_a.start()
    # A writes something else first: it has a transaction id but no change_seq yet.
    await a.execute(
        "INSERT INTO audit_log (actor_kind, actor_role, action, application_id)"
        " VALUES ('system', 'system', 'feed_test', $1)",
        application_id,
    )
    event_b = await insert_event(b, application_id, 1)
    event_a = await insert_event(a, application_id, 2)
    seq_a, xid_a = await a.fetchrow(
        "SELECT change_seq, change_xid FROM events WHERE id = $1", event_a
    )
    seq_b, xid_b = await b.fetchrow(
        "SELECT change_seq, change_xid FROM events WHERE id = $1", event_b
    )
    assert seq_a > seq_b and xid_a < xid_b  # sequence order and commit order disagree

    page = await read_changes(db, "events", start, limit=10, where=where)
    assert page.changes == []

    await tx_a.commit()
    seen, after = await follow(db, "events", page.position, where, want=2)
    assert [change.row["id"] for change in seen] == [event_a, event_b]
    again = await read_changes(db, "events", after, limit=10, where=where)
    assert again.changes == []


async def test_a_number_taken_before_the_transaction_id_is_not_skipped(
    db: asyncpg.Connection,
    connections: Callable[[], Awaitable[asyncpg.Connection]],
    application_id: uuid.UUID,
) -> None:
    """T takes its change_seq before it has a transaction id (as a BEFORE trigger does, or a
    column default evaluated before the row is written); U takes a later number, commits and is
    handed out; T commits afterwards with the lower number. A change_seq cursor would already be
    past it; T's transaction id is above the watermark U was read under, so T still comes."""
    where = {"application_id": application_id}
    start = await feed_head(db)
    t = await connections()
    u = await connections()

    while True:  # nextval logs (and takes an id) every 32 numbers; retry until it did not
        tx_t = t.transaction()
        await tx_t.start()
        seq_t = await t.fetchval("SELECT nextval('change_seq')")
        if await t.fetchval("SELECT pg_current_xact_id_if_assigned()") is None:
            break
        await tx_t.rollback()

    event_u = await insert_event(u, application_id, 1)
    seen_u, after = await follow(db, "events", start, where, want=1)
    assert [change.row["id"] for change in seen_u] == [event_u]

    event_t = await t.fetchval(
        "INSERT INTO events (application_id, seq, type, payload, change_seq)"
        " VALUES ($1, 2, 'test', '{}', $2) RETURNING id",
        application_id,
        seq_t,
    )
    await tx_t.commit()
    seen_t, _ = await follow(db, "events", after, where, want=1)
    assert [change.row["id"] for change in seen_t] == [event_t]
    assert seen_t[0].row["change_seq"] < seen_u[0].row["change_seq"]
    assert seen_t[0].position > seen_u[0].position


async def test_an_updated_row_moves_forward_and_filters_narrow_the_feed(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, _ = await support.citizen(db, settings)
    start = await feed_head(db)
    here = await support.draft_application(db, citizen_id, unit_code="00004")
    await support.draft_application(db, citizen_id, unit_code="00008")  # another unit
    where: dict[str, FilterValue] = {"unit_code": "00004", "citizen_id": citizen_id}

    seen, after = await follow(db, "applications", start, where, want=1)
    assert [change.row["id"] for change in seen] == [here]

    await db.execute("UPDATE applications SET form = '{\"x\": 1}' WHERE id = $1", here)
    moved, _ = await follow(db, "applications", after, where, want=1)
    assert [change.row["id"] for change in moved] == [here]
    assert moved[0].position > seen[0].position
    assert moved[0].row["form"] == {"x": 1}

    both = await read_changes(
        db,
        "applications",
        start,
        limit=10,
        where={"unit_code": ["00004", "00008"], "citizen_id": citizen_id},
    )
    assert len(both.changes) == 2  # the updated row only at its latest position


async def test_many_writers_one_reader_every_committed_change_exactly_once(
    db: asyncpg.Connection,
    connections: Callable[[], Awaitable[asyncpg.Connection]],
    application_id: uuid.UUID,
) -> None:
    where = {"application_id": application_id}
    start = await feed_head(db)
    writers = [await connections() for _ in range(20)]
    committed: set[uuid.UUID] = set()
    rolled_back: set[uuid.UUID] = set()
    numbers = iter(range(1, 1_000_000))
    writing = True

    async def writer(conn: asyncpg.Connection) -> None:
        for _ in range(5):
            ids: list[uuid.UUID] = []
            tx = conn.transaction()
            await tx.start()
            if random.random() < 0.3:  # take the transaction id before any change_seq
                await conn.execute("SELECT pg_current_xact_id()")
            for _ in range(random.randint(1, 3)):
                await asyncio.sleep(random.uniform(0, 0.02))
                ids.append(await insert_event(conn, application_id, next(numbers)))
            await asyncio.sleep(random.uniform(0, 0.03))
            if random.random() < 0.2:
                await tx.rollback()
                rolled_back.update(ids)
            else:
                await tx.commit()
                committed.update(ids)

    seen: list[Change] = []

    async def reader() -> FeedPosition:
        after = start
        while writing:
            page = await read_changes(db, "events", after, limit=3, where=where)
            seen.extend(page.changes)
            after = page.position
            if page.caught_up:
                await asyncio.sleep(0.005)
        return after

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(conn) for conn in writers))
    writing = False
    after = await reading
    rest, _ = await follow(db, "events", after, where, want=len(committed) - len(seen), limit=3)
    seen.extend(rest)

    ids = [change.row["id"] for change in seen]
    assert len(ids) == len(set(ids)), "a change came twice"
    assert set(ids) == committed, "a committed change was lost, or a rolled-back one seen"
    assert not set(ids) & rolled_back
    positions = [change.position for change in seen]
    assert all(a < b for a, b in itertools.pairwise(positions))
    assert len(committed) > 50


async def test_cursors_survive_a_new_connection_and_tampering_is_refused(
    db: asyncpg.Connection, settings: Settings, application_id: uuid.UUID
) -> None:
    where = {"application_id": application_id}
    start = await feed_head(db)
    first = await insert_event(db, application_id, 1)
    second = await insert_event(db, application_id, 2)
    await follow(db, "events", start, where, want=2)  # both are final

    page = await read_changes(db, "events", start, limit=1, where=where)
    assert [change.row["id"] for change in page.changes] == [first]
    assert not page.caught_up
    assert page.cursor == encode_feed_cursor("events", page.position, where)

    other = await connect(settings.database_url)
    try:
        after = decode_feed_cursor(page.cursor, "events", where)
        assert after == page.position
        nxt = await read_changes(other, "events", after, limit=1, where=where)
        assert [change.row["id"] for change in nxt.changes] == [second]
    finally:
        await other.close()

    assert decode_feed_cursor(None, "events", where) is None
    for bad, table, bad_where in (
        ("not a cursor!", "events", where),
        (page.cursor[:6], "events", where),  # cut short
        (encode_cursor("feed1", "events", "x", "y", 1), "events", where),  # wrong types
        (encode_cursor("page", "events", "x", 1, 1), "events", where),  # another kind
        (page.cursor, "applications", where),  # another table
        (page.cursor, "events", {"application_id": uuid.uuid4()}),  # another filter
    ):
        with pytest.raises(Problem) as caught:
            decode_feed_cursor(bad, table, bad_where)  # type: ignore[arg-type]
        assert caught.value.status == 422
        assert caught.value.slug == "validation-failed"
        assert [e.code for e in caught.value.errors] == ["invalid_cursor"]


async def test_a_negative_position_in_a_cursor_is_refused() -> None:
    forged = encode_cursor("feed1", "events", "0" * 16, -1, 5)
    with pytest.raises(Problem):
        decode_feed_cursor(forged, "events")
