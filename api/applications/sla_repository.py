"""SQL of the SLA watch: applications near or past their due date, and the notices taken."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

# Applications whose deadline runs (``statuses``) and is at most ``$1``, after the keyset
# (due_date, id); those already announced overdue for their current due date are done.
_CANDIDATES = """
SELECT a.id, a.due_date
FROM applications a
WHERE a.due_date IS NOT NULL AND a.due_date <= $1 AND a.status = ANY($2)
  AND (a.due_date, a.id) > ($3, $4)
  AND NOT EXISTS (SELECT 1 FROM sla_notices n
                  WHERE n.application_id = a.id AND n.due_date = a.due_date
                    AND n.state = 'overdue')
ORDER BY a.due_date, a.id
LIMIT $5
"""

_LOCKED = """
SELECT id, status, due_date, receipt_code, procedure_code, unit_code, citizen_id, channel, version
FROM applications WHERE id = $1
FOR UPDATE
"""

_NOTICED = """
SELECT EXISTS (SELECT 1 FROM sla_notices WHERE application_id = $1 AND state = $2 AND due_date = $3)
"""

_RECORD = """
INSERT INTO sla_notices (application_id, state, due_date, event_id)
SELECT $1, $2, $3, id FROM events WHERE application_id = $1 AND seq = $4
"""


class SlaRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def candidates(
        self, due_until: date, statuses: list[str], after: tuple[date, uuid.UUID], limit: int
    ) -> list[asyncpg.Record]:
        return list(
            await self._conn.fetch(_CANDIDATES, due_until, statuses, after[0], after[1], limit)
        )

    async def lock(self, application_id: uuid.UUID) -> asyncpg.Record | None:
        """The application, its row locked until the transaction ends."""
        return await self._conn.fetchrow(_LOCKED, application_id)

    async def noticed(self, application_id: uuid.UUID, state: str, due: date) -> bool:
        found: bool = await self._conn.fetchval(_NOTICED, application_id, state, due)
        return found

    async def record(self, application_id: uuid.UUID, state: str, due: date, seq: int) -> None:
        """The notice taken, pointing at the event ``seq`` that announced it."""
        await self._conn.execute(_RECORD, application_id, state, due, seq)
