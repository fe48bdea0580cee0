"""The officer's queue: the applications of the units in their scope, most urgent first, each
with its SLA state (on_track, due_soon, overdue)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import asyncpg

from api.applications.access import unit_scope
from api.applications.calendar import WorkingCalendar
from api.applications.repository import QUEUE_DEFAULT_STATUSES, ApplicationRepository
from api.applications.schemas import QueueItem, QueuePage, Sla
from api.applications.state_machine import FINISHED
from api.core.actors import Actor
from api.core.clock import vn_today
from api.core.masking import mask_name
from api.core.pagination import decode_cursor, encode_cursor
from api.sync.leases import lease_holders

# Statuses without an SLA state: processing is over, or the clock is stopped while the citizen
# adds documents (the due date moves by the paused working days when they resubmit, so
# comparing today with it would call applications overdue that are not).
NO_SLA: frozenset[str] = FINISHED | {"supplement_requested"}


def sla_of(status: str, due: date | None, today: date, due_soon_until: date) -> Sla | None:
    """The SLA state of an application in the queue (the SQL filter uses the same bounds)."""
    if status in NO_SLA or due is None:
        return None
    if due < today:
        return "overdue"
    if due <= due_soon_until:
        return "due_soon"
    return "on_track"


def due_soon_until(calendar: WorkingCalendar, today: date) -> date:
    """The last due date with at most one working day left: the day before the second working
    day after today."""
    return calendar.add_working_days(today, 2) - timedelta(days=1)


class QueueService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = ApplicationRepository(conn)

    async def queue(
        self,
        actor: Actor,
        *,
        status: str | None,
        sla: Sla | None,
        cursor: str | None,
        limit: int,
    ) -> QueuePage:
        after = decode_cursor(cursor, tuple[date, uuid.UUID])
        today = vn_today()
        calendar = await self._repo.working_calendar()
        soon_until = due_soon_until(calendar, today)
        statuses = [status] if status else QUEUE_DEFAULT_STATUSES
        due_from: date | None = None
        due_to: date | None = None
        if sla is not None:
            # Same bounds as sla_of(): finished or paused applications have no SLA state.
            statuses = [s for s in statuses if s not in NO_SLA]
            if sla == "overdue":
                due_to = today - timedelta(days=1)
            elif sla == "due_soon":
                due_from, due_to = today, soon_until
            else:
                due_from = soon_until + timedelta(days=1)
        rows = []
        if statuses:
            rows = await self._repo.queue(
                scope=unit_scope(actor),
                statuses=statuses,
                due_from=due_from,
                due_to=due_to,
                after=after,
                limit=limit + 1,
            )
        items: list[QueueItem] = []
        leases = await lease_holders(self._conn, [row["id"] for row in rows[:limit]])
        for row in rows[:limit]:
            fields = dict(row)
            fields.pop("sort_due")
            fields["applicant_name_masked"] = mask_name(fields.pop("applicant_name"))
            days_left = None
            if row["due_date"] is not None and row["status"] not in FINISHED:
                # While paused the count stands still at its value on the day the clock stopped.
                counted_from = row["clock_paused_on"] or today
                days_left = calendar.working_days_left(counted_from, row["due_date"])
            items.append(
                QueueItem(
                    **fields,
                    working_days_left=days_left,
                    sla=sla_of(row["status"], row["due_date"], today, soon_until),
                    lease=leases.get(row["id"]),
                )
            )
        next_cursor = None
        if len(rows) > limit:
            # asyncpg reads the 'infinity' sort key of an undated application as date.max.
            next_cursor = encode_cursor(rows[limit - 1]["sort_due"].isoformat(), str(items[-1].id))
        return QueuePage(items=items, next_cursor=next_cursor)
