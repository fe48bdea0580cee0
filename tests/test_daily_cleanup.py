"""The daily clean-up: expired one-time codes and sessions go, drafts untouched for 30 days are
withdrawn by the system (the row and its audit trail stay; documents and their objects go),
push subscriptions refused for good and silent since go; everything else stays."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from api.core.db import connect, create_pool
from api.core.storage import ObjectStorage
from api.settings import Settings
from tests.support import citizen, draft_application, pending_document, random_phone, staff
from workers.housekeeping import daily_cleanup
from workers.main import WorkerSettings


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url)
    try:
        yield pool
    finally:
        await pool.close()


async def backdated(settings: Settings, sql: str, *args: object) -> None:
    """Run ``sql`` with triggers off, so a test can set ``updated_at`` in the past (the
    change-feed trigger would set it to now)."""
    conn = await connect(settings.database_url)
    try:
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def otp(db: asyncpg.Connection, age_minutes: int) -> uuid.UUID:
    otp_id: uuid.UUID = await db.fetchval(
        "INSERT INTO otp_challenges (phone, code_hash, requested_ip, expires_at, created_at)"
        " VALUES ($1, 'h', '127.0.0.1', now() - make_interval(mins => $2 - 5),"
        " now() - make_interval(mins => $2)) RETURNING id",
        random_phone(),
        age_minutes,
    )
    return otp_id


async def session(db: asyncpg.Connection, citizen_id: uuid.UUID, expires_in_days: int) -> uuid.UUID:
    session_id: uuid.UUID = await db.fetchval(
        "INSERT INTO auth_sessions (citizen_id, expires_at)"
        " VALUES ($1, now() + make_interval(days => $2)) RETURNING id",
        citizen_id,
        expires_in_days,
    )
    await db.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)",
        uuid.uuid4().hex,
        session_id,
    )
    return session_id


async def subscription(
    db: asyncpg.Connection, staff_id: uuid.UUID, failed_days_ago: int | None, success: str | None
) -> uuid.UUID:
    sub_id: uuid.UUID = await db.fetchval(
        "INSERT INTO push_subscriptions (endpoint, p256dh, auth, staff_id, failed_at,"
        " last_success_at) VALUES ($1, 'k', 'a', $2, now() - make_interval(days => $3),"
        " CASE $4::text WHEN 'after' THEN now() - interval '1 day'"
        " WHEN 'before' THEN now() - interval '60 days' END) RETURNING id",
        f"https://push.invalid/{uuid.uuid4().hex}",
        staff_id,
        failed_days_ago,
        success,
    )
    return sub_id


async def test_the_daily_clean_up_removes_what_is_spent_and_keeps_the_rest(
    db: asyncpg.Connection, settings: Settings, pool: asyncpg.Pool
) -> None:
    citizen_id, _ = await citizen(db, settings)
    staff_id, _ = await staff(db, settings)
    storage = ObjectStorage(settings)
    old_otp, fresh_otp = await otp(db, 24 * 60), await otp(db, 10)
    expired, live = await session(db, citizen_id, -1), await session(db, citizen_id, 10)
    stale_sub = await subscription(db, staff_id, 10, None)
    recent_failure = await subscription(db, staff_id, 2, None)
    succeeded_since = await subscription(db, staff_id, 10, "after")
    silent_since = await subscription(db, staff_id, 10, "before")
    working = await subscription(db, staff_id, None, "after")

    stale, fresh = await draft_application(db, citizen_id), await draft_application(db, citizen_id)
    documents = {}
    for draft in (stale, fresh):
        document_id = await pending_document(db, draft, citizen_id, upload_window_minutes=10)
        key = await db.fetchval(
            "UPDATE application_documents SET status = 'stored' WHERE id = $1 RETURNING object_key",
            document_id,
        )
        await storage.write(key, b"JPEG", "image/jpeg")
        documents[draft] = key
    await db.execute(
        "INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id)"
        " VALUES ('citizen', $1, 'citizen', 'application.create', $2)",
        citizen_id,
        stale,
    )
    await backdated(
        settings,
        "UPDATE applications SET updated_at = now() - interval '31 days' WHERE id = $1",
        stale,
    )
    await backdated(
        settings,
        "UPDATE application_documents SET updated_at = now() - interval '31 days'"
        " WHERE application_id = $1",
        stale,
    )

    ctx = {"db_pool": pool, "storage": storage, "settings": settings}
    result = await daily_cleanup(ctx)
    again = await daily_cleanup(ctx)  # a second run finds nothing of ours left

    assert result.drafts_withdrawn >= 1 and result.documents_deleted >= 1
    assert result.otps >= 1 and result.sessions >= 1 and result.subscriptions >= 2
    assert again.drafts_withdrawn == 0 and again.documents_deleted == 0
    otps = {r["id"] for r in await db.fetch("SELECT id FROM otp_challenges")}
    assert old_otp not in otps and fresh_otp in otps
    sessions = {r["id"] for r in await db.fetch("SELECT id FROM auth_sessions")}
    assert expired not in sessions and live in sessions
    assert await db.fetchval("SELECT count(*) FROM refresh_tokens WHERE session_id = $1", live) == 1
    subs = {r["id"] for r in await db.fetch("SELECT id FROM push_subscriptions")}
    assert stale_sub not in subs and silent_since not in subs
    assert {recent_failure, succeeded_since, working} <= subs

    # The stale draft: withdrawn by the system through the move entry point, audit kept.
    status = await db.fetchval("SELECT status FROM applications WHERE id = $1", stale)
    assert status == "withdrawn"
    audit = await db.fetch(
        "SELECT actor_kind, action FROM audit_log WHERE application_id = $1 ORDER BY id", stale
    )
    assert [(r["actor_kind"], r["action"]) for r in audit] == [
        ("citizen", "application.create"),
        ("system", "application.withdraw"),
    ]
    event = await db.fetchrow(
        "SELECT type, payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        stale,
    )
    assert event["type"] == "application.withdrawn"
    assert event["payload"]["actor_kind"] == "system"
    assert (
        await db.fetchval(
            "SELECT count(*) FROM application_documents WHERE application_id = $1", stale
        )
        == 0
    )
    assert await storage.stat(documents[stale]) is None
    # The recent draft and its document stay.
    assert await db.fetchval("SELECT status FROM applications WHERE id = $1", fresh) == "draft"
    assert await storage.stat(documents[fresh]) is not None
    # Nobody is told of a draft never filed.
    assert (
        await db.fetchval("SELECT count(*) FROM notifications WHERE application_id = $1", stale)
        == 0
    )


def test_the_clean_up_runs_daily_and_the_sla_watch_every_quarter_hour() -> None:
    names = {job.coroutine.__name__: job for job in WorkerSettings.cron_jobs}
    assert names["daily_cleanup"].hour == 3 and names["daily_cleanup"].minute == 40
    assert WorkerSettings.timezone.key == "Asia/Ho_Chi_Minh"  # cron hours are Vietnam's
    assert names["sla_watch"].minute == {2, 17, 32, 47}
