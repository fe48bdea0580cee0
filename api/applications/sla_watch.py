"""The SLA watch: applications coming due (at most one working day left) or overdue are
announced once per state and due date, by an outbox event (``application.due_soon``,
``application.overdue``) that the relay turns into notices to the unit's officers.

The SLA states are the queue's (``queue.sla_of``, ``queue.due_soon_until``, the working
calendar). Each notice is taken under the application's row lock and recorded in
``sla_notices`` (unique on application, state and due date) in the transaction that writes its
event, so a run that repeats, or watchers in two workers at once, announce it once; a new due
date (``set_new_due_date``) can come due and be late again. The clock is a parameter: the
worker passes the time, tests pass the day they need.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import asyncpg
import msgspec

from api.applications.calendar_store import load_working_calendar
from api.applications.events import DueSoon, Overdue, SlaNotice
from api.applications.journal import next_event_seq, write_event
from api.applications.queue import NO_SLA, due_soon_until, sla_of
from api.applications.sla_repository import SlaRepository
from api.applications.state_machine import STATUSES
from api.core.clock import vn_today
from api.core.outbox import relay_woken_after

# Statuses whose deadline runs: the queue's SLA states exist for these only.
WATCHED_STATUSES: list[str] = [s for s in STATUSES if s != "draft" and s not in NO_SLA]
NOTICE_FOR: dict[str, type[SlaNotice]] = {"due_soon": DueSoon, "overdue": Overdue}
_PAGE = 500


class SlaWatchResult(msgspec.Struct, frozen=True):
    due_soon: int
    overdue: int


async def watch_sla(pool: asyncpg.Pool, now: datetime) -> SlaWatchResult:
    """Announce every application that came due soon or overdue by ``now`` and was not yet
    announced so for its due date; how many of each were announced by this run."""
    today = vn_today(now)
    async with pool.acquire() as conn:
        soon_until = due_soon_until(await load_working_calendar(conn), today)
    counts = {"due_soon": 0, "overdue": 0}
    after: tuple[date, uuid.UUID] = (date.min, uuid.UUID(int=0))
    async with relay_woken_after(pool):  # the notices are events
        while True:
            async with pool.acquire() as conn:
                page = await SlaRepository(conn).candidates(
                    soon_until, WATCHED_STATUSES, after, _PAGE
                )
                for candidate in page:
                    state = await _notice(conn, candidate["id"], now, today, soon_until)
                    if state is not None:
                        counts[state] += 1
            if len(page) < _PAGE:
                return SlaWatchResult(**counts)
            after = (page[-1]["due_date"], page[-1]["id"])


async def _notice(
    conn: asyncpg.Connection,
    application_id: uuid.UUID,
    now: datetime,
    today: date,
    soon_until: date,
) -> str | None:
    """Announce one application's SLA state unless it was; the state announced, or None."""
    repo = SlaRepository(conn)
    async with conn.transaction():
        row = await repo.lock(application_id)
        if row is None:
            return None
        state = sla_of(row["status"], row["due_date"], today, soon_until)
        if state not in NOTICE_FOR or await repo.noticed(row["id"], state, row["due_date"]):
            return None
        seq = await next_event_seq(conn, row["id"])
        event = NOTICE_FOR[state](
            application_id=row["id"],
            seq=seq,
            receipt_code=row["receipt_code"],
            procedure_code=row["procedure_code"],
            unit_code=row["unit_code"],
            citizen_id=row["citizen_id"],
            channel=row["channel"],
            version=row["version"],
            occurred_at=now.astimezone(UTC),
            due_date=row["due_date"],
            status=row["status"],
        )
        await write_event(conn, event)
        await repo.record(row["id"], state, row["due_date"], seq)
        return state
