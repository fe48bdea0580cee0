"""The officer's own notifications in the offline pull (docs/sync.md §2): in the snapshot and
incrementally through the change feed, a read mark travelling too, never a colleague's; the
cursor covers both feeds, and older or foreign cursors are 410."""

from __future__ import annotations

import time
import uuid

import asyncpg
import httpx

from api.core.pagination import encode_cursor
from api.settings import Settings
from tests.conftest import ServedApp, problem
from tests.support import staff
from tests.sync_support import registered_device

UNIT = "32185"
PULL = "/api/v1/sync/pull"


async def notice(db: asyncpg.Connection, staff_id: uuid.UUID) -> str:
    """An account notice in the officer's inbox, as api/notifications/notices.py writes one."""
    new_id: uuid.UUID = await db.fetchval(
        "INSERT INTO notifications (staff_id, kind, params, dedupe_key)"
        " VALUES ($1, 'suspicious_sign_in', $2, $3) RETURNING id",
        staff_id,
        {"failures": 5, "client_ip": "192.0.2.7", "retry_minutes": 15},
        uuid.uuid4().hex,
    )
    return str(new_id)


async def test_the_pull_carries_the_officers_own_notifications_and_their_read_marks(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    officer_id, officer = await staff(db, settings, unit_code=UNIT)
    colleague_id, colleague = await staff(db, settings, unit_code=UNIT)
    first, second = await notice(db, officer_id), await notice(db, officer_id)
    theirs_only = await notice(db, colleague_id)
    mine = await registered_device(served_app, officer, seed=1)
    theirs = await registered_device(served_app, colleague, seed=2)
    try:
        # The snapshot: this officer's notifications, no colleague's.
        await mine.pull_until(lambda: set(mine.notifications) == {first, second})
        assert set(mine.notifications) == {first, second}
        held = mine.notifications[first]
        assert held["kind"] == "suspicious_sign_in" and "192.0.2.7" in held["body"]
        assert held["read_at"] is None
        await theirs.pull_until(lambda: theirs_only in theirs.notifications)
        assert set(theirs.notifications) == {theirs_only}

        # Incrementally: a new notification, and a read mark, reach the device.
        third = await notice(db, officer_id)
        marked = await client.post(
            "/api/v1/me/notifications/read", json={"ids": [first]}, headers=officer
        )
        assert marked.status_code == 200, marked.text
        await mine.pull_until(
            lambda: third in mine.notifications and mine.notifications[first]["read_at"] is not None
        )
        assert mine.notifications[first]["read_at"] is not None
        assert set(mine.notifications) == {first, second, third}
        await theirs.pull()
        assert set(theirs.notifications) == {theirs_only}

        # Nothing new: an empty section.
        quiet = (
            await client.get(PULL, params={"cursor": mine.cursor}, headers=mine.headers)
        ).json()
        assert quiet["notifications"] == [] and quiet["applications"] == []

        # A colleague's device presenting this officer's cursor would skip what it has not
        # seen: 410, like a cursor of the previous protocol (without the notifications' place).
        problem(
            await client.get(PULL, params={"cursor": mine.cursor}, headers=theirs.headers),
            410,
            "sync-cursor-expired",
        )
        cluster = await db.fetchval("SELECT system_identifier FROM pg_control_system()")
        old = encode_cursor("sync1", cluster, UNIT, 0, 0, "v", int(time.time()))
        problem(
            await client.get(PULL, params={"cursor": old}, headers=mine.headers),
            410,
            "sync-cursor-expired",
        )
    finally:
        await mine.close()
        await theirs.close()


async def test_a_page_is_not_the_last_while_either_feed_has_more(
    db: asyncpg.Connection, settings: Settings, served_app: ServedApp
) -> None:
    officer_id, officer = await staff(db, settings, unit_code=UNIT)
    ids = {await notice(db, officer_id) for _ in range(3)}
    mine = await registered_device(served_app, officer, seed=3)
    try:
        pages = 0
        deadline = time.monotonic() + 30
        while not ids <= set(mine.notifications) and time.monotonic() < deadline:
            response = await mine.request(
                "GET", PULL, params={"limit": 1, **({"cursor": mine.cursor} if mine.cursor else {})}
            )
            page = response.json()
            assert len(page["notifications"]) <= 1
            for item in page["notifications"]:
                mine.notifications[item["id"]] = item
            mine.cursor = page["next_cursor"]
            pages += 1
        assert ids <= set(mine.notifications)
        assert pages >= 3
    finally:
        await mine.close()
