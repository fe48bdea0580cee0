"""The SLA watch over an injected clock (due soon and overdue announced once per state, not
every run, and once when two runs race), and set_new_due_date: a late file gets a new date and
an apology, in the timeline and on the citizen's phone. Real PostgreSQL, Redis and an
in-process arq worker with its relay; pushes go to the loopback push service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from api.applications.calendar_store import load_working_calendar
from api.applications.events import DueDateChanged, decode_event
from api.applications.sla_watch import watch_sla
from api.core.clock import VN_TZ, vn_today
from api.core.db import create_pool
from api.settings import Settings
from tests import test_push_delivery
from tests.conftest import problem
from tests.push_receiver import PushReceiver
from tests.support import citizen, staff
from tests.test_applications import events_keep_their_contract, submitted  # noqa: F401
from tests.test_processing import act, moved
from tests.test_push_delivery import eventually, subscribe
from workers.sla import sla_watch

DAY = 24 * 3600
# The push tests' fixtures: a loopback push service and the production worker in this process.
receiver = test_push_delivery.receiver
redis = test_push_delivery.redis
worker = test_push_delivery.worker


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url)
    try:
        yield pool
    finally:
        await pool.close()


def at(day: date, hour: int = 9) -> datetime:
    """That day at ``hour`` in Vietnam."""
    return datetime.combine(day, time(hour), tzinfo=VN_TZ)


async def set_due(db: asyncpg.Connection, application: dict[str, Any], due: date) -> None:
    await db.execute(
        "UPDATE applications SET due_date = $2 WHERE id = $1", uuid.UUID(application["id"]), due
    )


async def notices(db: asyncpg.Connection, application: dict[str, Any]) -> list[tuple[str, date]]:
    rows = await db.fetch(
        "SELECT type, (payload ->> 'due_date')::date AS due FROM events"
        " WHERE application_id = $1 AND type IN ('application.due_soon', 'application.overdue')"
        " ORDER BY seq",
        uuid.UUID(application["id"]),
    )
    return [(row["type"].removeprefix("application."), row["due"]) for row in rows]


async def test_due_soon_and_overdue_are_announced_once_per_state_to_the_units_officers(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    pool: asyncpg.Pool,
    receiver: PushReceiver,
    worker: None,
) -> None:
    _, headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    desk = receiver.device()
    await subscribe(client, officer, desk)
    application = await submitted(client, db, headers)
    application = await moved(client, officer, application, "receive", "received")
    calendar = await load_working_calendar(db)
    today = calendar.next_working_day(vn_today() + timedelta(days=1))
    due = calendar.add_working_days(today, 1)  # one working day left on ``today``
    await set_due(db, application, due)
    # Waiting for the citizen's documents, the clock is stopped: never announced.
    paused = await submitted(client, db, headers)
    await set_due(db, paused, due)
    await db.execute(
        "UPDATE applications SET status = 'supplement_requested', clock_paused_on = $2"
        " WHERE id = $1",
        uuid.UUID(paused["id"]),
        today,
    )

    # Two working days before: on track, nothing to say.
    await watch_sla(pool, at(calendar.previous_working_day(today)))
    assert await notices(db, application) == []
    # Due soon: announced by the first run, not by the next ones (the worker's job, the clock
    # injected through its context, is the same function).
    await watch_sla(pool, at(today))
    await watch_sla(pool, at(today, 15))
    await sla_watch({"db_pool": pool, "clock": lambda: at(due)})
    assert await notices(db, application) == [("due_soon", due)]
    # Overdue the day after: two watchers racing announce it once.
    late = due + timedelta(days=1)
    await asyncio.gather(*(watch_sla(pool, at(late, 8)) for _ in range(2)))
    await watch_sla(pool, at(late + timedelta(days=3)))
    assert await notices(db, application) == [("due_soon", due), ("overdue", due)]
    assert await notices(db, paused) == []
    assert (
        await db.fetchval(
            "SELECT count(*) FROM sla_notices WHERE application_id = $1",
            uuid.UUID(application["id"]),
        )
        == 2
    )

    # The officer's device hears of each once, in the officer's language.
    code = application["receipt_code"]

    async def heard() -> list[str]:
        return [
            r.payload["kind"]
            for r in receiver.for_device(desk)
            if r.payload and r.payload["receipt_code"] == code and r.answered == 201
        ]

    async def both_heard() -> bool:
        return len(await heard()) >= 3

    await eventually(both_heard)
    assert sorted(await heard()) == ["due_soon", "new_in_unit", "overdue"]
    [overdue] = [
        r
        for r in receiver.for_device(desk)
        if r.payload and r.payload["kind"] == "overdue" and r.payload["receipt_code"] == code
    ]
    assert overdue.payload is not None and overdue.headers["urgency"] == "high"
    assert overdue.payload["title"] == f"Hồ sơ {code} đã quá hạn"
    assert f"({due:%d/%m/%Y})" in overdue.payload["body"]

    # A new date can come due again: announced for that date.
    await set_due(db, application, late + timedelta(days=7))
    await watch_sla(pool, at(late + timedelta(days=8)))
    assert (await notices(db, application))[-1] == ("overdue", late + timedelta(days=7))


async def test_set_new_due_date_records_the_apology_and_tells_the_citizen(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    worker: None,
) -> None:
    _, headers = await citizen(db, settings)
    _, officer = await staff(db, settings)
    phone = receiver.device()
    await subscribe(client, headers, phone)
    application = await submitted(client, db, headers)
    application = await moved(client, officer, application, "receive", "received")
    application = await moved(client, officer, application, "start", "processing")
    calendar = await load_working_calendar(db)
    overdue_since = calendar.previous_working_day(vn_today())
    await set_due(db, application, overdue_since)
    new_date = calendar.add_working_days(vn_today(), 3)
    apology = "Xin lỗi ông/bà: hồ sơ cần xác minh thêm; hẹn trả kết quả ngày mới."

    # Refused without a date, with a date not after today, or on a day off; and by the citizen.
    response = await act(client, officer, application, "set_new_due_date", note=apology)
    assert problem(response, 422, "validation-failed")["errors"][0]["path"] == "new_due_date"
    response = await act(
        client,
        officer,
        application,
        "set_new_due_date",
        note=apology,
        new_due_date=vn_today().isoformat(),
    )
    assert problem(response, 422, "validation-failed")["errors"][0]["code"] == "not_later"
    sunday = new_date + timedelta(days=(6 - new_date.weekday()) % 7 or 7)
    response = await act(
        client,
        officer,
        application,
        "set_new_due_date",
        note=apology,
        new_due_date=sunday.isoformat(),
    )
    assert problem(response, 422, "validation-failed")["errors"][0]["code"] == "not_working_day"
    response = await act(
        client, officer, application, "set_new_due_date", new_due_date=new_date.isoformat()
    )
    assert problem(response, 422, "validation-failed")["errors"][0]["path"] == "note"
    response = await act(
        client,
        headers,
        application,
        "set_new_due_date",
        note=apology,
        new_due_date=new_date.isoformat(),
    )
    assert response.status_code == 403, response.text

    changed = await moved(
        client,
        officer,
        application,
        "set_new_due_date",
        "processing",
        note=apology,
        new_due_date=new_date.isoformat(),
    )
    assert changed["due_date"] == new_date.isoformat()
    last = changed["timeline"][-1]
    assert last["status"] == "processing" and last["note"] == apology
    assert last["new_due_date"] == new_date.isoformat() and last["actor_role"] == "officer"
    row = await db.fetchrow(
        "SELECT type, seq, payload FROM events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1",
        uuid.UUID(application["id"]),
    )
    event = decode_event(row["type"], row["seq"], row["payload"])
    assert isinstance(event, DueDateChanged)
    assert (event.due_date, event.previous_due_date) == (new_date, overdue_since)
    assert (event.from_status, event.to_status, event.note) == ("processing", "processing", apology)

    async def told() -> bool:
        return any(
            r.payload and r.payload["kind"] == "due_date_changed"
            for r in receiver.for_device(phone)
        )

    await eventually(told)
    [pushed] = [
        r
        for r in receiver.for_device(phone)
        if r.payload and r.payload["kind"] == "due_date_changed"
    ]
    assert pushed.payload is not None and pushed.headers["urgency"] == "high"
    assert int(pushed.headers["ttl"]) == 3 * DAY
    assert f"{new_date:%d/%m/%Y}" in pushed.payload["body"]
    assert pushed.payload["receipt_code"] == application["receipt_code"]
