"""SQL for public tracking and statistics. Only columns safe to publish are ever selected:
no notes, form values, documents or identity numbers leave the database here."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from api.applications.calendar import WorkingCalendar
from api.applications.calendar_store import working_calendar

# Everything the public view needs in one round trip: the application (drafts never have a
# receipt code; the status test keeps that true even for bad data), its status events in order
# (the payload's occurred_at is when it happened, a device's time for offline filings; the
# column is when it was recorded, used if the payload lacks one). The working calendar comes
# from the process's memory (api/applications/calendar_store.py).
_TRACKING_VIEW = """
SELECT a.id, a.receipt_code, a.status, a.received_on, a.due_date, a.clock_paused_on,
       a.completed_at, a.applicant->>'full_name' AS applicant_name,
       p.code AS procedure_code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en,
       u.code AS unit_code, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en,
       ev.to_status, ev.occurred_at, ev.recorded_at
FROM applications a
JOIN procedures p ON p.code = a.procedure_code
JOIN units u ON u.code = a.unit_code
CROSS JOIN LATERAL (
    SELECT array_agg(e.payload->>'to_status' ORDER BY e.seq) AS to_status,
           array_agg(e.payload->>'occurred_at' ORDER BY e.seq) AS occurred_at,
           array_agg(e.occurred_at ORDER BY e.seq) AS recorded_at
    FROM events e
    WHERE e.application_id = a.id AND e.payload->>'to_status' IS NOT NULL
) ev
WHERE a.receipt_code = $1 AND a.status <> 'draft'
"""

# One pass over the applications, grouped per (unit, procedure) plus a grand-total grouping set.
# $1..$2 the period (Vietnam dates, inclusive), $3 today in Vietnam, $4 an optional unit code.
# received: received_on in the period; completed: processing finished (completed_at, in Vietnam
# time) in the period, on time when finished on or before the due date; overdue_now: still open,
# clock running, due date passed — whatever the period; online share is over the received.
# Each arm of the row filter matches an index of migrations/0007 (received_on, completed_at,
# and the partial index of open applications with a running clock), so the scan reads only
# the rows that count, not the whole table.
_PUBLIC_STATS = """
WITH scoped AS (
    SELECT a.unit_code, a.procedure_code, a.channel, a.received_on, a.due_date,
           (a.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS completed_on,
           coalesce(a.status IN ('submitted', 'received', 'processing', 'supplement_requested',
                                 'approved')
                    AND a.clock_paused_on IS NULL AND a.due_date < $3, false) AS overdue_now
    FROM applications a
    WHERE ($4::text IS NULL OR a.unit_code = $4)
      AND (a.received_on BETWEEN $1 AND $2
           OR (a.completed_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
               AND a.completed_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'))
           OR (a.status IN ('submitted', 'received', 'processing', 'supplement_requested',
                            'approved')
               AND a.clock_paused_on IS NULL AND a.due_date < $3))
),
counted AS (
    SELECT unit_code, procedure_code, GROUPING(unit_code, procedure_code) <> 0 AS is_total,
           count(*) FILTER (WHERE received_on BETWEEN $1 AND $2) AS received,
           count(*) FILTER (WHERE received_on BETWEEN $1 AND $2
                              AND channel IN ('online', 'offline_sync')) AS received_online,
           count(*) FILTER (WHERE completed_on BETWEEN $1 AND $2) AS completed,
           count(*) FILTER (WHERE completed_on BETWEEN $1 AND $2
                              AND completed_on <= due_date) AS completed_on_time,
           count(*) FILTER (WHERE overdue_now) AS overdue_now
    FROM scoped
    GROUP BY GROUPING SETS ((unit_code, procedure_code), ())
)
SELECT c.is_total, c.unit_code, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en,
       c.procedure_code, p.name_vi AS procedure_name_vi, p.name_en AS procedure_name_en,
       c.received, c.completed, c.completed_on_time, c.overdue_now,
       round(100.0 * c.completed_on_time / nullif(c.completed, 0), 1)::float8 AS on_time_rate,
       round(100.0 * c.received_online / nullif(c.received, 0), 1)::float8 AS online_share
FROM counted c
LEFT JOIN units u ON u.code = c.unit_code
LEFT JOIN procedures p ON p.code = c.procedure_code
ORDER BY c.is_total, c.unit_code, c.procedure_code
"""


_UNIT_EXISTS = "SELECT EXISTS (SELECT 1 FROM units WHERE code = $1)"


class TrackingRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def tracking_view(
        self, receipt_code: str
    ) -> tuple[asyncpg.Record, list[dict[str, Any]], WorkingCalendar] | None:
        """(application row, its status events in order, the working calendar), or None."""
        row: asyncpg.Record | None = await self._conn.fetchrow(_TRACKING_VIEW, receipt_code)
        if row is None:
            return None
        events = [
            {"to_status": to_status, "occurred_at": occurred_at, "recorded_at": recorded_at}
            for to_status, occurred_at, recorded_at in zip(
                row["to_status"] or (),
                row["occurred_at"] or (),
                row["recorded_at"] or (),
                strict=True,
            )
        ]
        return row, events, await working_calendar(self._conn)


class StatsRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def unit_exists(self, unit_code: str) -> bool:
        return bool(await self._conn.fetchval(_UNIT_EXISTS, unit_code))

    async def public_stats(
        self, period_from: date, period_to: date, today: date, unit_code: str | None
    ) -> list[asyncpg.Record]:
        """Per (unit, procedure) rows, then one grand-total row (``is_total``)."""
        return list(await self._conn.fetch(_PUBLIC_STATS, period_from, period_to, today, unit_code))
